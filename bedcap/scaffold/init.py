"""`bedcap init`: a new, empty, valid data repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bedcap.distribution import versie
from bedcap.errors import TargetExistsError
from bedcap.files.gitops import TEXTCONV_DRIVER, init_repository
from bedcap.files.repo import CONTRA_INDICATIES, DEELNEMERS, REGIOS, SETTINGS
from bedcap.files.yamlio import atomic_write, write_error, write_yaml
from bedcap.scaffold import ci as ci_templates
from bedcap.scaffold.pakket import controleer, standaard
from bedcap.scaffold.schemas import write_schemas

SETTINGS_TEXT = """\
# bedcap-instellingen van deze datarepository (schema: schemas/bedcap-toml.schema.json).
# Elke waarde hieronder is de standaardwaarde; pas aan waar het convenant of de LCBB
# iets anders afspreekt.

# Tijdzone van peildatum, deadline en "vandaag".
tijdzone = "Europe/Amsterdam"

# Tot hoe laat (lokale tijd) een werkdag op tijd is ingediend.
deadline = "12:00"

# Hoeveel werkdagen terug een aanbieder een snapshot nog mag indienen of corrigeren.
correctievenster_werkdagen = 10

# Over hoeveel werkdagen 'bedcap check' volledigheid en tijdigheid beoordeelt.
volledigheidsvenster_werkdagen = 20

# Toegestane afwijking (%) tussen gemelde en berekende ligdagen in de afstemming.
afstemming_tolerantie_pct = 2.0

# Vanaf welke verandering (%) van de capaciteit 'bedcap submit' om bevestiging vraagt.
plausibiliteit_capaciteit_pct = 25.0

# De beschermde tak: groeit alleen met fast-forwards en wordt nooit verwijderd.
hoofdtak = "main"

# Andere refs die een push mag bijwerken (patronen, bijv. "refs/heads/voorstel/*");
# refs/replace/ en refs/notes/ nooit.
toegestane_refs = []

# Uit hoeveel locaties een cel van een rapport voor 'beleid' minstens komt; kleinere
# cellen worden onderdrukt.
onderdrukking_drempel_locaties = 3
"""

GITIGNORE = """\
# Afgeleide cache van bedcap: altijd weg te gooien, nooit committen.
.bedcap/
# Tijdelijke bestanden van onderbroken schrijfacties.
.*.tmp
"""

GITATTRIBUTES = f"""\
# Parquet-snapshots zijn binair: nooit tekstueel samenvoegen; 'git diff' toont ze als tekst
# via 'bedcap textconv' (bedcap init zet de driver in .git/config; in een kloon:
#   git config diff.{TEXTCONV_DRIVER}.textconv "bedcap textconv").
*.parquet binary diff={TEXTCONV_DRIVER}
# Vertrouwelijke bestanden (financiering, logboekexports) zijn age-versleuteld: binair.
*.age binary
*.yaml text eol=lf
*.toml text eol=lf
"""


@dataclass(frozen=True)
class Created:
    root: Path
    bestanden: list[str]


def init_repo(
    path: Path, *, git: bool = True, pakket: str | None = None, publiceer: bool = False
) -> Created:
    """Create the skeleton in an empty (or new) folder; refuses to touch existing content.

    pakket: the pip requirement the CI templates install (checked: one pinned build);
    default the exact version of this bedcap. publiceer: publish the dashboard on Pages
    instead of keeping it as a CI artifact.
    """
    pakket = controleer(pakket) if pakket is not None else standaard(versie())
    path = path.absolute()
    if path.exists() and any(path.iterdir()):
        raise TargetExistsError(f"{path} is niet leeg; kies een nieuwe of lege map")
    existed = path.exists()
    try:
        path.mkdir(parents=True, exist_ok=True)
        return Created(path, _fill(path, git, pakket, publiceer))
    except BaseException as exc:  # a fault half-way (read-only, disk full): leave nothing
        _undo(path, existed)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from None
        raise


def _undo(path: Path, existed: bool) -> None:
    """Remove what `init_repo` made: the folder, or only its content when it was there."""
    import shutil

    if not existed:
        shutil.rmtree(path, ignore_errors=True)
        return
    for child in path.iterdir() if path.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _fill(path: Path, git: bool, pakket: str, publiceer: bool) -> list[str]:
    """Every file of the skeleton, written into the (empty) folder `path`."""
    if git:
        init_repository(path)
    files = []
    atomic_write(path / SETTINGS, SETTINGS_TEXT.encode())
    atomic_write(path / ".gitignore", GITIGNORE.encode())
    atomic_write(path / ".gitattributes", GITATTRIBUTES.encode())
    files += [SETTINGS, ".gitignore", ".gitattributes"]
    for rel, key, schema in (
        (DEELNEMERS, "deelnemers", "deelnemers"),
        (REGIOS, "regios", "regios"),
        (CONTRA_INDICATIES, "contra_indicaties", "contra-indicaties"),
    ):
        write_yaml(path, rel, {key: []}, schema)
        files.append(rel)
    for sub in ("locaties", "snapshots", "financiering", "logboek"):
        (path / "data" / sub).mkdir(parents=True, exist_ok=True)
    files += write_schemas(path)
    for rel, text in ci_templates.files(pakket, publiceer=publiceer).items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path / rel, text.encode("utf-8"))
        files.append(rel)
    return files
