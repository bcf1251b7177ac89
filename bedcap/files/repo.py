"""DataRepo: the one place that knows the layout of a data repository."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bedcap import calendar
from bedcap.contract.patterns import SLUG_PATTERN
from bedcap.errors import NotADataRepositoryError, SettingsError
from bedcap.files.tomltaal import TomlFoutError, read_toml

if TYPE_CHECKING:
    from bedcap.contract.model import Instellingen

DATA = "data"
SETTINGS = "data/bedcap.toml"
DEFAULT_TIJDZONE = "Europe/Amsterdam"
DEELNEMERS = "data/deelnemers.yaml"
REGIOS = "data/regios.yaml"
CONTRA_INDICATIES = "data/contra-indicaties.yaml"
LOCATIES = "data/locaties"
SNAPSHOTS = "data/snapshots"
FINANCIERING = "data/financiering"
LOGBOEK = "data/logboek"
CACHE_DIR = ".bedcap"
SCHEMAS = "schemas"
LCBB = "lcbb"  # owner of everything that is not a provider's part

_SLUG = re.compile(SLUG_PATTERN)
_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
AGE = ".age"  # the suffix of a confidential file stored encrypted (issue 15)


class Bestandsoort(StrEnum):
    INSTELLINGEN = "instellingen"
    DEELNEMERS = "deelnemers"
    REGIOS = "regios"
    CONTRA_INDICATIES = "contra-indicaties"
    LOCATIE = "locatie"
    SNAPSHOT = "snapshot"
    FINANCIERING = "financiering"
    LOGBOEK = "logboek"
    BUITEN_DATA = "buiten-data"  # the project's own files: README, schemas/, CI
    ONGELDIG = "ongeldig"


# The confidential kinds (issue 15): stored only age-encrypted to the owner's and the
# LCBB's maintainers, as `<path>.yaml.age`. This set is the one place that says which.
VERTROUWELIJK = frozenset({Bestandsoort.FINANCIERING, Bestandsoort.LOGBOEK})


_REGISTRIES = {
    SETTINGS: Bestandsoort.INSTELLINGEN,
    DEELNEMERS: Bestandsoort.DEELNEMERS,
    REGIOS: Bestandsoort.REGIOS,
    CONTRA_INDICATIES: Bestandsoort.CONTRA_INDICATIES,
}

# Which schema a file type's `yaml-language-server` line points to.
SCHEMA_VAN = {
    Bestandsoort.DEELNEMERS: "deelnemers",
    Bestandsoort.REGIOS: "regios",
    Bestandsoort.CONTRA_INDICATIES: "contra-indicaties",
    Bestandsoort.LOCATIE: "locatie",
    Bestandsoort.FINANCIERING: "financiering",
    Bestandsoort.LOGBOEK: "logboek",
}

EXPECTED_PATHS = (
    "data/bedcap.toml, data/deelnemers.yaml, data/regios.yaml, data/contra-indicaties.yaml, "
    "data/locaties/<aanbieder>/<locatie>.yaml, "
    "data/snapshots/<aanbieder>/<jaar>/<peildatum>.parquet, "
    "data/financiering/<jaar>Q<n>/<aanbieder>.yaml.age, "
    "data/logboek/<jaar>-<maand>/<aanbieder>.yaml.age"
)


NOT_IN_CONTRACT = "bestand hoort niet bij het datacontract"
_PATTERNS = {
    "locaties": "data/locaties/<aanbieder>/<locatie>.yaml",
    "snapshots": "data/snapshots/<aanbieder>/<jaar>/<peildatum>.parquet",
    "financiering": "data/financiering/<jaar>Q<n>/<aanbieder>.yaml.age",
    "logboek": "data/logboek/<jaar>-<maand>/<aanbieder>.yaml.age",
}


@dataclass(frozen=True)
class Pad:
    """What a repository path is, parsed once: its kind, owner and the id/date it names."""

    pad: str
    soort: Bestandsoort
    aanbieder: str | None = None
    id: str | None = None
    peildatum: dt.date | None = None
    kwartaal: str | None = None
    maand: str | None = None
    reden: str | None = None
    versleuteld: bool = False  # a confidential kind stored as `.yaml.age`

    @property
    def eigenaar(self) -> str:
        """The provider that owns a provider part; everything else is LCBB's."""
        return self.aanbieder if self.aanbieder is not None else LCBB


def _invalid(pad: str, reden: str) -> Pad:
    return Pad(pad, Bestandsoort.ONGELDIG, reden=reden)


def classify(pad: str) -> Pad:
    """Parse a repository-relative POSIX path into what the layout says it is."""
    split = pad.split("/")
    # The same parts as PurePosixPath's for a plain path, at a tenth of the cost (history
    # "as known at" classifies every one of 150,000 paths of a commit).
    parts = tuple(split) if "" not in split and "." not in split else PurePosixPath(pad).parts
    if ".." in parts or pad.startswith("/"):
        return _invalid(pad, "pad bevat '..' of is absoluut")
    if not parts or parts[0] != DATA:
        return Pad(pad, Bestandsoort.BUITEN_DATA)
    if pad in _REGISTRIES:
        return Pad(pad, _REGISTRIES[pad])
    rest = parts[1:]
    if len(rest) == 3 and rest[0] == "locaties":
        owner, name = rest[1], rest[2]
        if _SLUG.match(owner) and name.endswith(".yaml") and _SLUG.match(name[:-5]):
            return Pad(pad, Bestandsoort.LOCATIE, aanbieder=owner, id=name[:-5])
        return _invalid(pad, "locatiebestand hoort op data/locaties/<aanbieder>/<locatie>.yaml")
    if len(rest) == 4 and rest[0] == "snapshots":
        owner, year, name = rest[1], rest[2], rest[3]
        stem = name.removesuffix(".parquet")
        if (
            _SLUG.match(owner)
            and _YEAR.match(year)
            and name.endswith(".parquet")
            and _DATE.match(stem)
        ):
            try:
                day = dt.date.fromisoformat(stem)
            except ValueError:
                return _invalid(pad, f"{stem!r} is geen bestaande datum")
            if str(day.year) != year:
                return _invalid(pad, f"jaarmap {year} past niet bij peildatum {stem}")
            return Pad(pad, Bestandsoort.SNAPSHOT, aanbieder=owner, peildatum=day)
        return _invalid(
            pad, "snapshot hoort op data/snapshots/<aanbieder>/<jaar>/<peildatum>.parquet"
        )
    if len(rest) == 3 and rest[0] == "financiering":
        quarter, name = rest[1], rest[2]
        sealed = name.endswith(AGE)
        stem = name.removesuffix(AGE)
        if _QUARTER.match(quarter) and stem.endswith(".yaml") and _SLUG.match(stem[:-5]):
            return Pad(
                pad, Bestandsoort.FINANCIERING, stem[:-5], kwartaal=quarter, versleuteld=sealed
            )
        return _invalid(pad, f"financiering hoort op {_PATTERNS['financiering']}")
    if len(rest) == 3 and rest[0] == "logboek":
        month, name = rest[1], rest[2]
        sealed = name.endswith(AGE)
        stem = name.removesuffix(AGE)
        if _MONTH.match(month) and stem.endswith(".yaml") and _SLUG.match(stem[:-5]):
            return Pad(
                pad, Bestandsoort.LOGBOEK, aanbieder=stem[:-5], maand=month, versleuteld=sealed
            )
        return _invalid(pad, f"logboekexport hoort op {_PATTERNS['logboek']}")
    if rest and rest[0] in _PATTERNS:
        return _invalid(pad, f"{rest[0]} hoort op {_PATTERNS[rest[0]]}")
    return _invalid(pad, NOT_IN_CONTRACT)


_FILE_SUFFIXES = (".parquet", ".yaml", ".age", ".toml")
"""What the names of the contract's files end in (`iter_data_files`)."""


def _settings_table(raw: bytes, where: str) -> dict[str, object]:
    try:
        return read_toml(raw)
    except TomlFoutError as exc:
        raise SettingsError(f"{where} is onleesbaar: {exc.reden}; los dit eerst op") from exc


def parse_settings(raw: bytes, where: str = SETTINGS) -> Instellingen:
    """The one reader of `bedcap.toml`: SettingsError on every problem, never defaults.

    Settings that cannot be read stop the command (exit 3) rather than being silently
    replaced: a wrong deadline or window would judge every provider wrongly.
    """
    from bedcap.contract.model import Instellingen

    try:
        return Instellingen.model_validate(_settings_table(raw, where))
    except ValueError as exc:
        raise SettingsError(f"{where} is onleesbaar: {exc}; los dit eerst op") from exc


def parse_tijdzone(raw: bytes, where: str = SETTINGS) -> ZoneInfo:
    """Only the `tijdzone` of `bedcap.toml`, without pydantic (the read commands' budget
    has no room for it); the same errors as `parse_settings`."""
    value = _settings_table(raw, where).get("tijdzone", DEFAULT_TIJDZONE)
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(
            f"{where} is onleesbaar: onbekende tijdzone {value!r}; verwacht bijv. "
            f"{DEFAULT_TIJDZONE}; los dit eerst op"
        ) from exc


@dataclass(frozen=True)
class Klok:
    """What every judgement of a day needs from `bedcap.toml`: zone, deadline, days off."""

    zone: ZoneInfo
    deadline: dt.time
    regeling: calendar.Werkdagregeling


def _dates(value: object, key: str, where: str) -> frozenset[dt.date]:
    """A TOML list of dates, written as dates (2026-05-15) or as text ("2026-05-15")."""
    try:
        if not isinstance(value, list):
            raise ValueError(key)
        return frozenset(
            d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in value
        )
    except ValueError as exc:
        raise SettingsError(
            f"{where} is onleesbaar: {key} moet een lijst datums zijn, zoals "
            "[2026-05-15]; los dit eerst op"
        ) from exc


def parse_klok(raw: bytes, where: str = SETTINGS) -> Klok:
    """Zone, deadline and working-day rule of `bedcap.toml` without pydantic (the read
    commands' budget has no room for it); the same errors as `parse_settings`."""
    table = _settings_table(raw, where)
    deadline = str(table.get("deadline", "12:00"))
    naam = str(table.get("werkdagen", calendar.ALGEMENE_TERMIJNENWET))
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", deadline):
        raise SettingsError(f"{where} is onleesbaar: deadline {deadline!r}; verwacht UU:MM")
    if naam not in calendar.REGELINGEN:
        raise SettingsError(
            f"{where} is onleesbaar: werkdagen {naam!r}; verwacht een van: "
            + ", ".join(calendar.REGELINGEN)
        )
    regeling = calendar.Werkdagregeling(
        naam,
        _dates(table.get("extra_vrije_dagen", []), "extra_vrije_dagen", where),
        _dates(table.get("extra_werkdagen", []), "extra_werkdagen", where),
    )
    return Klok(parse_tijdzone(raw, where), dt.time.fromisoformat(deadline), regeling)


def locate(path: str | os.PathLike[str]) -> tuple[Path, str] | None:
    """The repository `path` names as written, and the path in it; None outside any.

    The path is walked the way the system reads it (`..` after a symlink goes where the
    system goes) until a symlink under a repository's `data/`: that link is the answer,
    judged there as a link (a provider folder linked elsewhere is `ongeldig-pad`), never
    what it leads to. Every other link is followed (`--repo` by a link, a link beside
    `data/`). The root is the real folder that holds `data/bedcap.toml` (of any kind)
    and does not itself lie in another root's `data/`."""
    raw = os.fspath(path)
    if not os.path.isabs(raw):
        try:
            raw = os.path.join(os.getcwd(), raw)
        except FileNotFoundError:
            return None  # the working folder was removed (a checkout, say)
    here = Path(os.sep)
    for part in (p for p in raw.split(os.sep) if p not in ("", ".")):
        if part == "..":
            here = here.parent
            continue
        step = here / part
        if os.path.islink(step):
            found = _in_root(step)  # the link itself, not followed
            if found is not None and found[1].split("/")[0] == DATA:
                return found
            step = Path(os.path.realpath(step))
        here = step
    return _in_root(here)


def _in_root(folder: Path) -> tuple[Path, str] | None:
    """The root `folder` lies in, and its path there ("." for the root)."""
    roots = [f for f in (folder, *folder.parents) if os.path.lexists(f / SETTINGS)]
    for nearest in roots:  # a stray `data/bedcap.toml` under a root's data/ is no root
        if not any(nearest.is_relative_to(outer / DATA) for outer in roots):
            return nearest, folder.relative_to(nearest).as_posix()
    return None


@dataclass(frozen=True)
class DataRepo:
    """A data repository on disk: its root and every path of the layout."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> DataRepo:
        """The repository containing `start` (default: the working directory), as
        `locate` reads it."""
        found = locate(start or ".")
        if found is not None:
            return cls(found[0])
        try:
            where = start or Path.cwd()
            where.absolute()  # a relative path needs the working folder too
        except FileNotFoundError:  # a checkout removed the folder the shell stands in
            raise NotADataRepositoryError(
                "de huidige map bestaat niet meer; ga naar de datarepository en probeer het opnieuw"
            ) from None
        raise NotADataRepositoryError(
            f"{where} is geen bedcap-datarepository (geen {SETTINGS} gevonden); "
            "maak er een met 'bedcap init' of 'bedcap demo'"
        )

    def path(self, rel: str) -> Path:
        return self.root / rel

    def rel(self, path: Path) -> str:
        """The repository-relative POSIX path of `path`, as `locate` reads it; ValueError
        when it names another place."""
        found = locate(path)
        if found is None or found[0] != self.root:
            raise ValueError(f"{path} ligt niet in {self.root}")
        return found[1]

    def settings(self) -> Instellingen:
        """The parsed `data/bedcap.toml`; unreadable settings stop every command.

        Reading them puts the repository's working-day rule in force (`calendar`)."""
        raw = self._settings_bytes()
        settings = parse_settings(raw)
        self._in_force(parse_klok(raw).regeling)
        return settings

    def tijdzone(self) -> ZoneInfo:
        """The repository's time zone, in which "today" and every deadline are read."""
        return self.klok().zone

    def klok(self) -> Klok:
        """Zone, deadline and days off, light; puts the working-day rule in force."""
        klok = parse_klok(self._settings_bytes())
        self._in_force(klok.regeling)
        return klok

    def _in_force(self, regeling: calendar.Werkdagregeling) -> None:
        """The working-day rule for every question from now on, its days off taken from
        this repository's cache (`files.daysoff`) before they are worked out."""
        calendar.stel_werkdagen_in(regeling)
        calendar.feestdagen_bron(self.days_off)

    def days_off(self, jaar: int) -> None:
        """Seed the calendar with the days off around `jaar` from `.bedcap/`."""
        from bedcap.files import daysoff

        daysoff.seed(self.cache_dir, self.tmp_dir, range(jaar - 1, jaar + 2))

    def _settings_bytes(self) -> bytes:
        from bedcap.files.regular import MAX_TEXT_BYTES, read_regular

        try:
            return read_regular(self.path(SETTINGS), MAX_TEXT_BYTES)  # never a FIFO
        except OSError as exc:
            raise SettingsError(f"{SETTINGS} is onleesbaar: {exc}; los dit eerst op") from exc

    def locatie_path(self, aanbieder: str, locatie: str) -> str:
        return f"{LOCATIES}/{aanbieder}/{locatie}.yaml"

    def snapshot_path(self, aanbieder: str, peildatum: dt.date) -> str:
        return f"{SNAPSHOTS}/{aanbieder}/{peildatum.year}/{peildatum.isoformat()}.parquet"

    def financiering_path(self, aanbieder: str, kwartaal: str, *, versleuteld: bool = True) -> str:
        """Where a provider's financing file is stored: encrypted (`.yaml.age`) by default."""
        return f"{FINANCIERING}/{kwartaal}/{aanbieder}.yaml" + (AGE if versleuteld else "")

    def logboek_path(self, aanbieder: str, maand: str, *, versleuteld: bool = True) -> str:
        """Where a provider's logbook export is stored: encrypted (`.yaml.age`) by default."""
        return f"{LOGBOEK}/{maand}/{aanbieder}.yaml" + (AGE if versleuteld else "")

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def tmp_dir(self) -> Path:
        """Temporary files of atomic writes: gitignored, on the same file system as data/."""
        return self.root / CACHE_DIR / "tmp"

    def owner_folder(self, top: str, aanbieder: str) -> str:
        """A provider's own folder under `top` (`data/locaties` or `data/snapshots`)."""
        return f"{top}/{aanbieder}"

    def owner_folders(self, top: str) -> list[os.DirEntry[str]]:
        """The owner folders under `top` (`data/locaties` or `data/snapshots`), by name.

        The one walk over owners: real folders only, a symlink is never followed (it is
        validate's finding), and a missing `top` has no owners.
        """
        try:
            entries = list(os.scandir(self.path(top)))
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted((e for e in entries if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)

    def snapshot_dates(self, aanbieder: str, since: dt.date | None = None) -> list[dt.date]:
        """A provider's snapshot dates (on or after `since`) from the paths alone, newest
        last; `since` spares listing ten years of folders when only a window matters."""
        base = self.path(self.owner_folder(SNAPSHOTS, aanbieder))
        if not base.is_dir():
            return []
        days = []
        first = since.isoformat() if since else ""
        for year in sorted(p.name for p in base.iterdir() if _YEAR.match(p.name)):
            if year < first[:4]:
                continue
            # A plain comparison first: a window of 20 days in a year of 250 files.
            for name in sorted(n for n in os.listdir(base / year) if n >= first):
                stem = name.removesuffix(".parquet")
                if name.endswith(".parquet") and _DATE.match(stem) and stem >= first:
                    try:
                        days.append(dt.date.fromisoformat(stem))
                    except ValueError:
                        continue
        return days

    def iter_data_files(
        self, under: str = DATA, skip: Container[str] = frozenset()
    ) -> Iterator[str]:
        """Every file below `under` as a relative path, symlinks included, never followed;
        folders named in `skip` (relative paths) are not entered. A folder named like a data
        file (`2021-07-01.parquet/`) is listed too, so the rules say it is no file: an empty
        one was passed by `validate` while `available` called it unreadable and left its
        provider out."""
        top = self.path(under)
        if top.is_file() or top.is_symlink():
            yield under
            return
        if under.endswith(_FILE_SUFFIXES) and top.is_dir():
            yield under
        for folder, dirs, files in os.walk(top):
            base = Path(folder).relative_to(self.root).as_posix()
            if skip:
                dirs[:] = [d for d in dirs if f"{base}/{d}" not in skip]
            dirs.sort()
            for name in sorted(files):
                yield f"{base}/{name}"
            for name in [d for d in dirs if (Path(folder) / d).is_symlink()]:
                yield f"{base}/{name}"
            for name in [d for d in dirs if d.endswith(_FILE_SUFFIXES)]:
                if not (Path(folder) / name).is_symlink():
                    yield f"{base}/{name}"
