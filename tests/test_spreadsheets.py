"""Workbooks read back with openpyxl: description sheet, widths, frozen headers, filters,
real date cells, number and percentage formats; `available` and `history` as xlsx."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from bedcap.files.repo import DataRepo
from bedcap.store import statics
from tests.conftest import invoke
from tests.test_report import report


@pytest.fixture(autouse=True)
def lcbb_reads(monkeypatch: pytest.MonkeyPatch, example_keys: dict[str, Path]) -> None:
    """The LCBB's key: the report reads the example's encrypted financing files (issue 15)."""
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(example_keys["lcbb"]))


def test_report_workbook_opens_right(runner: CliRunner, example: Path) -> None:
    data = json.loads(report(runner, example, "json").read_text(encoding="utf-8"))
    book = load_workbook(report(runner, example, "xlsx"))
    over = book.worksheets[0]
    assert over.title == "Over dit bestand"
    info = {r[0].value: r[1] for r in over.iter_rows(min_row=3) if r[0].value}
    assert info["Doelgroep"].value == "LCBB"
    assert info["Periode"].value.startswith("Q2 2021")
    assert info["Gemaakt op"].is_date and info["Gemaakt op"].value.date() == dt.date(2021, 7, 1)
    assert info["Van"].value.date() == dt.date(2021, 4, 1)
    assert "Gegevensversie" in info and "313,7" in info["Kerncijfers"].value
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes in ("A3", "B3"), sheet.title
        assert sheet.auto_filter.ref.startswith("A2:"), sheet.title
        for cell in sheet[2]:  # every header word fits its column
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= max(len(w) for w in str(cell.value).split()), (sheet.title, cell.value)
    # A level is a name in every table that has one, as in the capacity table
    levels = [
        c.value
        for sheet in book.worksheets[1:]
        for i, head in enumerate(sheet[2])
        if head.value == "Niveau"
        for c in sheet[get_column_letter(i + 1)][2:]
        if c.value is not None
    ]
    assert len(levels) > 10 and all(str(v).startswith("Niveau ") for v in levels), levels
    days = book["per_werkdag"]
    assert days["A2"].value == "Periode"
    first = days["A3"]
    assert first.is_date and first.value.date() == dt.date(2021, 4, 1)
    assert first.number_format == "[$-413]d mmmm yyyy"
    assert days["B3"].number_format == "#,##0.0" and days["B3"].value == 307.0
    assert days.column_dimensions["A"].width >= 16  # "30 september 2021" fits
    share = book["dagen_zonder_vrij_bed"]
    header = [c.value for c in share[2]]
    pct = share.cell(row=3, column=header.index("Aandeel") + 1)
    expected = data["dagen_zonder_vrij_bed"][0]["aandeel_pct"]
    assert pct.number_format == "0.0%" and abs(pct.value - expected / 100) < 1e-9
    regio = share.cell(row=3, column=header.index("Regio") + 1).value
    assert regio == "Midden-Nederland"  # names, not slugs
    money = book["financiering_landelijk"]
    assert money["A3"].value == "Wlz" and money["B3"].number_format == "#,##0"
    assert isinstance(money["B3"].value, int)


def _history_sheet(runner: CliRunner, example: Path, *args: str) -> Any:
    """`history --per maand` to 30 June 2021 as a workbook; its data sheet."""
    book = example.parent / "verloop.xlsx"
    done = invoke(
        runner,
        "history",
        *("--tot", "2021-06-30", "--per", "maand", *args, "-f", "xlsx", "--uit", str(book)),
        cwd=example,
    )
    assert done.exit_code == 0, done.stderr
    return load_workbook(book)["gegevens"]


def test_available_and_history_write_xlsx(runner: CliRunner, example: Path) -> None:
    target = example.parent / "vrij.xlsx"
    done = invoke(runner, "available", "--format", "xlsx", "--uit", str(target), cwd=example)
    assert done.exit_code == 0, done.stderr
    assert "geschreven" in done.stdout
    book = load_workbook(target)
    assert book.sheetnames == ["Over dit bestand", "gegevens"]
    sheet = book["gegevens"]
    header = [c.value for c in sheet[2]]
    assert "Peildatum" in header and "Vrij" in header and "Telefoon" in header
    peildatum = sheet.cell(row=3, column=header.index("Peildatum") + 1)
    assert peildatum.is_date and peildatum.number_format == "[$-413]d mmmm yyyy"
    free = sheet.cell(row=3, column=header.index("Vrij") + 1)
    assert isinstance(free.value, int) and free.number_format == "#,##0"
    assert sheet.freeze_panes == "B3" and sheet.auto_filter.ref.startswith("A2:")
    # A person's workbook, as the report's: names, not the keys the machine formats carry
    column = {
        h: [c.value for c in sheet[get_column_letter(i + 1)][2:]] for i, h in enumerate(header)
    }
    statisch = statics.load(DataRepo(example))
    assert set(column["Aanbieder"]) <= set(statisch.aanbieders.values())
    assert "voorbeeld-ggz-noorderzand" not in column["Aanbieder"]
    assert not [v for v in column["Regio"] if v and "-" in v and v.islower()], column["Regio"]
    assert not [v for v in column["Zorgtype"] if v and v.islower()], column["Zorgtype"]
    assert all(v and v.islower() for v in column["Locatie"])  # ids: the names have a column
    sheet = _history_sheet(runner, example, "--van", "2021-04-01")
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["Periode", "Gebied", "Van"]
    assert "Capaciteit, gemiddeld" in header
    assert sheet.max_row == 2 + 3  # April, May, June
    assert sheet["C3"].is_date
    assert [sheet[f"A{r}"].value for r in (3, 4, 5)] == ["april 2021", "mei 2021", "juni 2021"]
    # A quarter as a Dutch reader writes it; the machine formats keep the key.
    quarters = _history_sheet(runner, example, "--van", "2021-04-01", "--per", "kwartaal")
    assert quarters["A3"].value == "Q2 2021" and quarters.max_row == 3
    keys = invoke(
        runner,
        "history",
        "--van",
        "2021-04-01",
        "--tot",
        "2021-06-30",
        "--per",
        "kwartaal",
        "-f",
        "json",
        cwd=example,
    )
    assert [r["periode"] for r in json.loads(keys.stdout)] == ["2021Q2"]
    occupancy = sheet.cell(row=3, column=header.index("Bezettingsgraad, gemiddeld") + 1)
    assert occupancy.number_format.endswith("%") and 0.5 < occupancy.value < 1, occupancy.value
    sheet = _history_sheet(runner, example, "--van", "2021-06-01", "--naar", "niveau")
    assert sheet["B2"].value == "Niveau"
    assert {sheet[f"B{r}"].value for r in range(3, sheet.max_row + 1)} <= {
        "Niveau 2",
        "Niveau 3",
        "Niveau 4",
    }
    missing = invoke(runner, "available", "--format", "xlsx", cwd=example)
    assert missing.exit_code == 2 and "--uit" in missing.stderr
