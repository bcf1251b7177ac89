"""The workbooks opened in a real spreadsheet program: LibreOffice Calc (headless) prints
them to PDF, and the printed pages are read back with pdfplumber, as a coordinator who
opens and prints the file would see them: Dutch dates, every header on the page, no text
cut at the page edge, no wrapped text over the next row."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import invoke
from tests.test_report import report

ENGELS = ("January", "February", "March", "April", "June", "July", "August", "October")


@pytest.fixture(autouse=True)
def lcbb_reads(monkeypatch: pytest.MonkeyPatch, example_keys: dict[str, Path]) -> None:
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(example_keys["lcbb"]))


def printed(book: Path) -> Path:
    """The workbook as LibreOffice prints it (its own profile, so runs do not collide)."""
    profile = book.parent / "lo-profiel"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(book.parent / "gedrukt"),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = book.parent / "gedrukt" / f"{book.stem}.pdf"
    assert pdf.is_file()
    return pdf


def _overlapping(words: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of words on different lines whose boxes cross: wrapped text over a row."""
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if abs(a["top"] - b["top"]) < 1:  # the same line
                continue
            width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if width > 1 and height > 2:
                found.append((a["text"], b["text"]))
    return found


def check_pages(pdf: Path) -> str:
    """Every character inside the page box and no overlapping lines; the text returned."""
    texts = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            outside = [
                c["text"]
                for c in page.chars
                if c["x0"] < -0.5 or c["x1"] > page.width + 0.5 or c["bottom"] > page.height + 0.5
            ]
            assert not outside, (pdf.name, number, "".join(outside)[:60])
            words = page.extract_words()
            assert not _overlapping(words), (pdf.name, number, _overlapping(words)[:3])
            texts.append(page.extract_text() or "")
    return "\n".join(texts)


def test_report_workbook_prints_right_in_libreoffice(runner: CliRunner, example: Path) -> None:
    book = report(runner, example, "xlsx")
    text = check_pages(printed(book))
    first = text.split("Pagina 1 van")[0]
    assert "Managementinformatie beveiligde bedden Q2 2021" in first
    assert "1 april 2021" in first and "30 juni 2021" in first
    assert "Er waren gemiddeld 313,7 beveiligde bedden per werkdag." in first
    assert not [m for m in ENGELS if m in text]
    words = set(text.split())
    for sheet in load_workbook(book).worksheets[1:]:
        for cell in sheet[2]:
            missing = [w for w in str(cell.value).split() if w not in words]
            assert not missing, (sheet.title, cell.value)


def test_available_workbook_prints_right_in_libreoffice(runner: CliRunner, example: Path) -> None:
    book = example.parent / "vrij.xlsx"
    result = invoke(runner, "available", "-f", "xlsx", "--uit", str(book), cwd=example)
    assert result.exit_code == 0, result.stderr
    text = check_pages(printed(book))
    assert "30 juni 2021" in text and "1 juli 2021 09:00" in text
    assert not [m for m in ENGELS if m in text]
    headers = [str(c.value) for c in load_workbook(book)["gegevens"][2]]
    words = set(text.split())
    assert not [h for h in headers if not set(h.split()) <= words]
    # Phone numbers as written: the formula guard's apostrophe showed in the cell
    assert "+31" in text and "'+" not in text


def test_text_a_formula_could_start_with_is_shown_as_written_and_not_run(tmp_path: Path) -> None:
    """A cell's text that starts like a formula stays text in Calc: printed as written,
    without the apostrophe of the CSV guard, and never evaluated (the link's label alone)."""
    import datetime as dt

    from bedcap.contract.vocab import Doelgroep
    from bedcap.outputs.render import xlsx
    from bedcap.outputs.report import Rapport, Tabel
    from tests.test_hostile_values import FORMULA

    rows = [{"naam": FORMULA}, {"naam": "@SUM(1+1)"}, {"naam": "+31 20 5550601"}]
    day = dt.date(2021, 6, 30)
    table = Tabel("locaties", "Locaties", ["naam"], rows)
    rapport = Rapport("Rapport", "2021Q2", day, day, Doelgroep.LCBB, "2021-07-01", [table])
    book = tmp_path / "r.xlsx"
    book.write_bytes(xlsx(rapport))  # type: ignore[arg-type]
    lines = check_pages(printed(book)).splitlines()
    assert FORMULA in lines and "@SUM(1+1)" in lines and "+31 20 5550601" in lines, lines
    assert not [line for line in lines if line.startswith("'")], lines
