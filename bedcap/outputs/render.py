"""The report in each format: HTML, PDF, Markdown, XLSX, CSV and JSON, from one `Rapport`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from markupsafe import Markup

from bedcap.contract.vocab import Rapportformaat
from bedcap.files.repo import DataRepo
from bedcap.files.yamlio import atomic_write
from bedcap.outputs.report import Rapport


def html(rapport: Rapport, repo: DataRepo | None = None) -> str:
    from bedcap.outputs.dashboard import Pagina
    from bedcap.outputs.templating import environment

    pagina = Pagina(rapport.titel, rapport.gemaakt_op, f"de gedeelde data tot en met {rapport.tot}")
    charts = {name: Markup(svg) for name, svg in rapport.grafieken.items()}
    return (
        environment(repo)
        .get_template("rapport.html.j2")
        .render(rapport=rapport, pagina=pagina, grafieken=charts)
    )


def markdown(rapport: Rapport, repo: DataRepo | None = None) -> str:
    from bedcap.outputs.templating import environment

    text = environment(repo).get_template("rapport.md.j2").render(rapport=rapport)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


def xlsx(rapport: Rapport) -> bytes:
    """One sheet per table, the stable key as sheet name (Excel allows 31 characters)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for t in rapport.tabellen:
        sheet = book.create_sheet(t.naam[:31])
        sheet.append(t.kolommen)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r in t.rijen:
            sheet.append([_cell(r.get(k)) for k in t.kolommen])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return value


def csv_files(rapport: Rapport) -> dict[str, bytes]:
    out = {}
    for t in rapport.tabellen:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(t.kolommen)
        for r in t.rijen:
            row = []
            for k in t.kolommen:
                v = _cell(r.get(k))
                row.append(
                    "" if v is None else ("true" if v is True else "false" if v is False else v)
                )
            writer.writerow(row)
        out[f"{t.naam}.csv"] = buffer.getvalue().encode("utf-8")
    return out


def write(rapport: Rapport, formaat: Rapportformaat, uit: Path, repo: DataRepo) -> list[Path]:
    """Write the report; returns the files written (CSV: a folder of files)."""
    if formaat is Rapportformaat.CSV:
        uit.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in csv_files(rapport).items():
            atomic_write(uit / name, data)
            written.append(uit / name)
        return written
    uit.parent.mkdir(parents=True, exist_ok=True)
    if formaat is Rapportformaat.HTML:
        data = html(rapport, repo).encode("utf-8")
    elif formaat is Rapportformaat.MD:
        data = markdown(rapport, repo).encode("utf-8")
    elif formaat is Rapportformaat.JSON:
        data = (json.dumps(rapport.data(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif formaat is Rapportformaat.XLSX:
        data = xlsx(rapport)
    else:
        from weasyprint import HTML

        data = HTML(string=html(rapport, repo), base_url=str(repo.root)).write_pdf()
    atomic_write(uit, data)
    return [uit]
