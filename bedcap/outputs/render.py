"""The report in each format: HTML, PDF, Markdown, XLSX, CSV and JSON, from one `Rapport`.

`RENDERERS` is the one definition of what each `Rapportformaat` produces; `make_report`
is the core of `bedcap report`: the period, the report and its files in one call.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from bedcap.contract.vocab import Doelgroep, Rapportformaat
from bedcap.files.repo import DataRepo
from bedcap.files.yamlio import atomic_write, write_output
from bedcap.outputs import dutch
from bedcap.outputs.cells import cell
from bedcap.outputs.labels import DOELGROEPEN
from bedcap.outputs.report import Periode, Rapport, Voortgang, build, periode


def _context(rapport: Rapport) -> dict[str, object]:
    """What both document templates show besides the report: the period and audience in words."""
    from bedcap.outputs.charts import TITELS

    return {
        "rapport": rapport,
        "periode": f"{dutch.datum(rapport.van)} t/m {dutch.datum(rapport.tot)}",
        "doelgroep": DOELGROEPEN[rapport.doelgroep],
        "gemaakt_op": dutch.datum(dt.date.fromisoformat(rapport.gemaakt_op)),
        "bijschriften": TITELS,
    }


def html(rapport: Rapport, repo: DataRepo | None = None) -> str:
    from bedcap.outputs.dashboard import Pagina
    from bedcap.outputs.templating import environment

    context = _context(rapport)
    pagina = Pagina(
        rapport.titel,
        str(context["gemaakt_op"]),
        f"de gedeelde data tot en met {dutch.datum(rapport.tot)}",
    )
    charts = {name: Markup(svg) for name, svg in rapport.grafieken.items()}
    return (
        environment(repo)
        .get_template("rapport.html.j2")
        .render(pagina=pagina, grafieken=charts, **context)
    )


def markdown(rapport: Rapport, repo: DataRepo | None = None) -> str:
    from bedcap.outputs.templating import environment

    text = environment(repo).get_template("rapport.md.j2").render(**_context(rapport))
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


def xlsx(rapport: Rapport) -> bytes:
    """A description sheet, then one sheet per table (`outputs.spreadsheet`)."""
    from bedcap.distribution import require

    require("openpyxl", waarvoor="een rapport in xlsx")
    from bedcap.outputs.spreadsheet import report_workbook

    return report_workbook(rapport)


def csv_files(rapport: Rapport) -> dict[str, bytes]:
    """One CSV file per table, named after its stable key."""
    out = {}
    for t in rapport.tabellen:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(t.kolommen)
        for r in t.rijen:
            writer.writerow([cell(r.get(k), Rapportformaat.CSV) for k in t.kolommen])
        out[f"{t.naam}.csv"] = buffer.getvalue().encode("utf-8")
    return out


def _pdf(rapport: Rapport, repo: DataRepo) -> bytes:
    from bedcap.distribution import require

    HTML = require("weasyprint", waarvoor="een rapport in pdf").HTML  # noqa: N806
    page = HTML(string=html(rapport, repo), base_url=str(repo.root))
    return page.write_pdf()  # type: ignore[no-any-return]


# The one definition of the single-file formats: what each writes. CSV is a folder.
RENDERERS: dict[Rapportformaat, Callable[[Rapport, DataRepo], bytes]] = {
    Rapportformaat.HTML: lambda r, repo: html(r, repo).encode("utf-8"),
    Rapportformaat.PDF: _pdf,
    Rapportformaat.MD: lambda r, repo: markdown(r, repo).encode("utf-8"),
    Rapportformaat.XLSX: lambda r, repo: xlsx(r),
    Rapportformaat.JSON: lambda r, repo: (
        json.dumps(r.data(), ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8"),
}


def default_target(per: Periode, doelgroep: Doelgroep, formaat: Rapportformaat) -> Path:
    """`rapport-<periode>-<doelgroep>.<formaat>` (CSV: a folder without suffix)."""
    suffix = "" if formaat is Rapportformaat.CSV else f".{formaat}"
    return Path(f"rapport-{per.naam.replace(' ', '_').replace('/', '-')}-{doelgroep}{suffix}")


def check_target(repo: DataRepo, uit: Path, *, folder: bool) -> None:
    """`--uit` may not lead into `data/` (also not through `..` or a link), may not be a
    link, and must be a file for a file and a folder for CSV (issue 13)."""
    from bedcap.errors import UsageError

    data = (repo.root / "data").resolve()
    where = uit.resolve()
    if where == data or data in where.parents:
        raise UsageError(f"{uit} ligt in data/; kies een plek buiten de data")
    if uit.is_symlink():
        raise UsageError(f"{uit} is een symbolische link; kies een gewoon bestand of map")
    if folder and uit.exists() and not uit.is_dir():
        raise UsageError(f"{uit} is een bestand; verwacht: een map voor de CSV-bestanden")
    if not folder and uit.is_dir():
        raise UsageError(f"{uit} is een map; verwacht: een bestandsnaam")


def write(rapport: Rapport, formaat: Rapportformaat, uit: Path, repo: DataRepo) -> list[Path]:
    """Write the report; returns the files written (CSV: a folder of files)."""
    from bedcap.files.yamlio import write_error

    try:
        (uit if formaat is Rapportformaat.CSV else uit.parent).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(uit, exc) from None
    if formaat is Rapportformaat.CSV:
        from bedcap.outputs.datapackage import DESCRIPTOR, descriptor

        written = []
        for name, data in csv_files(rapport).items():
            atomic_write(uit / name, data)
            written.append(uit / name)
        files = {p.stem: p.name for p in written}
        atomic_write(uit / DESCRIPTOR, descriptor(rapport, files).encode("utf-8"))
        return [*written, uit / DESCRIPTOR]
    write_output(uit, RENDERERS[formaat](rapport, repo))
    return [uit]


@dataclass(frozen=True)
class Geschreven:
    """What `make_report` wrote: the period's name, the target and the files in it."""

    periode: str
    doel: Path
    bestanden: list[Path]
    niet_gelezen: int = 0  # confidential files left out: no key that could read them


def make_report(
    repo_pad: Path | None,
    kwartaal: str | None,
    maand: str | None,
    van: str | None,
    tot: str | None,
    *,
    doelgroep: Doelgroep,
    formaat: Rapportformaat,
    uit: Path | None,
    vandaag: dt.date,
    jaar: str | None = None,
    nu: dt.datetime | None = None,
    progress: Voortgang | None = None,
    step: Callable[[str], None] | None = None,
    identiteit: Path | None = None,
) -> Geschreven:
    """Build the report for one period and write it in one format.

    `repo_pad`: the data repository (None: found from the working directory).
    `kwartaal`/`maand`/`jaar`/`van`+`tot`: exactly one period, as typed (`UsageError`
    otherwise); a quarter or a year is compared with the one before.
    `doelgroep`: `beleid` gets no table naming a provider or location.
    `uit`: the file (CSV: folder) to write; None: `default_target`.
    `vandaag`: today, read once by the caller; no later day is counted.
    `nu`: now, read once by the caller; a running period stops at its last due day.
    `progress`/`step`: told about the cache build and each part of the report.
    `identiteit`: a private key (OpenSSH) that decrypts the confidential files.
    """
    per = periode(kwartaal, maand, van, tot, jaar)
    repo = DataRepo.find(repo_pad)
    target = uit or default_target(per, doelgroep, formaat)
    check_target(repo, target, folder=formaat is Rapportformaat.CSV)
    rapport = build(
        repo, per, doelgroep, vandaag, nu=nu, progress=progress, step=step, identiteit=identiteit
    )
    if step:
        step(f"schrijven: {formaat}")
    written = write(rapport, formaat, target, repo)
    return Geschreven(per.leesbaar, target, written, rapport.niet_gelezen)
