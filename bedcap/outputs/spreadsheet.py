"""Workbooks that open right in Excel and LibreOffice: the report, `available`, `history`.

A first sheet says what the workbook is (period, audience, generated at, data version);
each table sheet has its title, one frozen header row with an autofilter, columns as wide
as their header and values, real date and number cells with number formats (Excel shows
them with the reader's separators: `1.913`, `26,6`), and percentages as percentages.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bedcap.files.textsafe import starts_formula, strip_control
from bedcap.outputs import labels

HELE_GETALLEN = "#,##0"
DECIMAAL = "#,##0.0"
PROCENT = "0.0%"
# `[$-413]` is the Dutch (nl-NL) locale: month names read "1 juli 2021" in every
# Excel and LibreOffice, whatever the reader's own language.
DATUM = "[$-413]d mmmm yyyy"
MOMENT = "[$-413]d mmmm yyyy hh:mm"
MAX_BREEDTE = 60
PASSEND_BREED = 200  # characters of column width that still print legibly on one page
PAGINA_BREED = 120  # characters of column width on one landscape A4 page at 100 %
REGELHOOGTE = 15.0  # points per line of the default 11-point font
_ISO_DAG = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Blad:
    """One table sheet: a stable name (31 characters at most), a title, keys, labels, rows."""

    naam: str
    titel: str
    kolommen: list[str]
    koppen: list[str]
    rijen: list[dict[str, Any]]
    tekst: Callable[[str, dict[str, Any]], str] | None = None  # how a text cell reads


def _cell(kolom: str, value: Any, procent: bool = False) -> tuple[Any, str | None]:
    """A report value as an Excel value and its number format (`procent`: the cell holds
    a percentage, `labels.is_procent`)."""
    if isinstance(value, bool) or value is None:
        return ("ja" if value else "nee") if isinstance(value, bool) else None, None
    if isinstance(value, int | float):
        if procent:
            return value / 100.0, PROCENT
        return value, HELE_GETALLEN if isinstance(value, int) else DECIMAAL
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None), MOMENT
    if isinstance(value, dt.date):
        return value, DATUM
    if isinstance(value, str) and _ISO_DAG.match(value):
        return dt.date.fromisoformat(value), DATUM
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    if isinstance(value, str):  # no control characters; no formula: see `_put`
        return strip_control(value), None
    return value, None


def _put(sheet: Any, row: int, column: int, value: Any, fmt: str | None = None) -> Any:
    """Write one cell. Text is stored as text, never as a formula (issue 13: OWASP), and
    text a formula could start with is marked "quote prefix": Excel and Calc show it as
    written and keep it text when edited. The CSV guard's apostrophe (`neutralise_cell`)
    showed in the cell here ("'+31 20 5550601")."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if starts_formula(value):
            cell.quotePrefix = True
    if fmt:
        cell.number_format = fmt
    return cell


def _shown_width(value: Any, fmt: str | None) -> int:
    """Roughly how many characters a cell shows, to fit its column."""
    if fmt == DATUM:
        return 17
    if fmt == MOMENT:
        return 23
    if fmt == PROCENT:
        return 7
    if isinstance(value, float):
        return len(f"{value:,.1f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value or ""))


def _table_sheet(book: Any, blad: Blad) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(blad.naam[:31])
    sheet.append([blad.titel])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(blad.koppen)
    widths = [max(len(w) for w in k.split()) + 2 if k else 4 for k in blad.koppen]
    widths = [max(w, min(len(k), 14) + 2) for w, k in zip(widths, blad.koppen, strict=True)]
    for c in sheet[2]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="bottom")
    for r, rij in enumerate(blad.rijen, start=3):
        for c, kolom in enumerate(blad.kolommen, start=1):
            raw = rij.get(kolom)
            if blad.tekst is not None and (
                (isinstance(raw, str) and not _ISO_DAG.match(raw))
                or (raw is not None and labels.is_niveau(kolom))  # "Niveau 3", as in `toon`
            ):
                raw = blad.tekst(kolom, rij)
            value, fmt = _cell(kolom, raw, labels.is_procent(kolom, rij))
            _put(sheet, r, c, value, fmt)
            widths[c - 1] = max(widths[c - 1], _shown_width(value, fmt) + 2)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width, MAX_BREEDTE)
    last = get_column_letter(max(len(blad.kolommen), 1))
    sheet.freeze_panes = "B3" if len(blad.kolommen) > 4 else "A3"
    sheet.auto_filter.ref = f"A2:{last}{max(len(blad.rijen) + 2, 2)}"
    sheet.row_dimensions[2].height = REGELHOOGTE * max(
        _lines(k, min(w, MAX_BREEDTE)) for k, w in zip(blad.koppen, widths, strict=True)
    )
    widths = [min(w, MAX_BREEDTE) for w in widths]
    _title_row(sheet, blad.titel, widths)
    _print_setup(sheet, blad.titel, sum(widths))


def _title_row(sheet: Any, titel: str, widths: list[int]) -> None:
    """The title wrapped over the columns of the first printed page: left to overflow,
    a title wider than its table is cut where the page ends."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    span, breedte = 0, 0
    for width in widths:
        if span and breedte + width > PAGINA_BREED:
            break
        span, breedte = span + 1, breedte + width
    if sum(widths) <= PASSEND_BREED:  # printed one page wide: the whole width
        span, breedte = len(widths), sum(widths)
    if span > 1:
        sheet.merge_cells(f"A1:{get_column_letter(span)}1")
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 18.0 * _lines(titel, breedte * 0.85)


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped cell needs: LibreOffice keeps the stored row height of
    an xlsx file, so a wrapped cell without one overlaps the next row in print."""
    lines = 0
    for paragraph in str(text).split("\n"):
        line, count = 0, 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > width - 2:
                count, line = count + 1, len(word)
            else:
                line += (1 if line else 0) + len(word)
        lines += count
    return max(lines, 1)


def _print_setup(sheet: Any, titel: str, breedte: float) -> None:
    """A4 landscape with the title and page numbers; a sheet that fits prints one page
    wide, a wider one repeats its header row and first column on every page."""
    from openpyxl.utils import get_column_letter

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "2:2"
    if breedte <= PASSEND_BREED:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    else:  # split by columns: the title row would be cut; the running header has it
        sheet.print_title_cols = "A:A"
        sheet.print_area = f"A2:{get_column_letter(sheet.max_column)}{max(sheet.max_row, 2)}"
    sheet.oddHeader.center.text = titel.replace("&", "&&")
    sheet.oddFooter.center.text = "Pagina &P van &N"


def _info_sheet(book: Any, titel: str, info: Sequence[tuple[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet("Over dit bestand")
    sheet.append([titel])
    sheet["A1"].font = Font(bold=True, size=14)
    for row, (label, value) in enumerate(info, start=3):  # under the title and a blank row
        cell_value, fmt = _cell("", value)
        label_cell = _put(sheet, row, 1, label)
        label_cell.font = Font(bold=True)
        label_cell.alignment = Alignment(vertical="top")
        cell = _put(sheet, row, 2, cell_value, fmt)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if isinstance(cell_value, str):
            sheet.row_dimensions[row].height = REGELHOOGTE * _lines(cell_value, 80)
    sheet.column_dimensions["A"].width = max(len(k) for k, _ in info) + 4
    sheet.column_dimensions["B"].width = 80
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.oddFooter.center.text = "Pagina &P van &N"


def workbook(titel: str, info: Sequence[tuple[str, Any]], bladen: Sequence[Blad]) -> bytes:
    """The workbook: the description sheet first, then one sheet per table."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _info_sheet(book, titel, info)
    for blad in bladen:
        _table_sheet(book, blad)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_workbook(rapport: Any) -> bytes:
    """The report: what it is, then every table with Dutch headers and names."""
    bladen = []
    for t in rapport.tabellen:

        def tekst(kolom: str, rij: dict[str, Any], naam: str = t.naam) -> str:
            return labels.toon(naam, kolom, rij, rapport.namen)

        bladen.append(
            Blad(
                t.naam,
                t.titel,
                t.kolommen,
                [labels.kop(k, t.naam) for k in t.kolommen],
                t.rijen,
                tekst,
            )
        )
    info: list[tuple[str, Any]] = [
        ("Periode", rapport.periode_tekst or rapport.periode),
        ("Van", rapport.van),
        ("Tot en met", rapport.tot),
        ("Doelgroep", labels.DOELGROEPEN[str(rapport.doelgroep)]),
        ("Gemaakt op", dt.date.fromisoformat(rapport.gemaakt_op)),
        ("Gegevensversie", rapport.gegevensversie or "geen git-versie bekend"),
        ("Kerncijfers", " ".join(rapport.zinnen)),
    ]
    info += [(f"Blad {t.naam[:31]}", t.titel) for t in rapport.tabellen]
    return workbook(rapport.titel, info, bladen)


def records_workbook(
    titel: str,
    info: Sequence[tuple[str, Any]],
    records: Sequence[dict[str, Any]],
    fields: Sequence[str],
    namen: labels.Namen | None = None,
    groep: str = "",
) -> bytes:
    """`available` or `history` as a workbook: the description sheet and one table.

    With `namen`, a person's workbook as the report's: providers, regions and vocabulary
    by name, a month as "april 2026", the group column named after what it holds (`groep`:
    `history --naar`). A location keeps its id: its name has a column of its own."""
    tabel = f"gegevens_{groep}" if groep else "gegevens"
    tekst = None
    if namen is not None:
        found = namen

        def tekst(kolom: str, rij: dict[str, Any]) -> str:
            if kolom == "locatie" and "naam" in rij:
                return str(rij[kolom])
            return labels.toon(tabel, kolom, rij, found)

    koppen = [labels.kop(f, tabel) for f in fields]
    blad = Blad("gegevens", titel, list(fields), koppen, list(records), tekst)
    return workbook(titel, info, [blad])
