"""The quarterly report as a document people can hand out: labels, names, Dutch numbers,
a first page in words, charts that read, a PDF that fits and HTML without overflow."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.test_dashboard import browser, severe_console  # noqa: F401 - the fixture
from tests.test_report import GOLDEN, report


@pytest.fixture(autouse=True)
def lcbb_reads(monkeypatch: pytest.MonkeyPatch, example_keys: dict[str, Path]) -> None:
    """The LCBB's key: the report reads the example's encrypted financing files (issue 15)."""
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(example_keys["lcbb"]))


TODAY = dt.date(2021, 7, 1)


def test_labels_grouped_headers_and_acronyms() -> None:
    from bedcap.outputs.labels import Namen, kop, koppen, toon

    assert kop("capaciteit_gem") == "Capaciteit, gemiddeld"
    assert kop("groep", "capaciteit_regio") == "Regio"
    assert kop("iets_nieuws_pct") == "Iets nieuws"  # an unknown key still reads
    boven, onder = koppen(["groep", "capaciteit_gem", "capaciteit_min", "capaciteit_max", "x"])
    assert [(k.label, k.span, k.rijen) for k in boven] == [
        ("Groep", 1, 2),
        ("Capaciteit", 3, 1),
        ("X", 1, 2),
    ]
    assert [k.label for k in onder] == ["gemiddeld", "minimum", "maximum"]
    namen = Namen({"noord-holland": "Noord-Holland"}, {"a": "Zorg A"}, {"a/k": "Kliniek K"})
    row = {"groep": "a/k", "grondslag": "wfz", "n": 1913, "f": 26.6, "aandeel_pct": 45.2}
    assert toon("capaciteit_locatie", "groep", row, namen) == "Kliniek K (Zorg A)"
    assert toon("t", "grondslag", row, namen) == "Wfz"
    assert [toon("t", k, row, namen) for k in ("n", "f", "aandeel_pct")] == [
        "1.913",
        "26,6",
        "45,2%",
    ]
    assert toon("t", "voorziening", {"voorziening": "borg"}, namen) == "BORG"
    assert toon("t", "rechtskader", {"rechtskader": "wvggz"}, namen) == "Wvggz"
    assert toon("t", "d", {"d": dt.date(2026, 11, 29)}, namen) == "29 nov 2026"
    # occupancy: its name in the comparison, its sign in every column, points as difference
    occupancy = {"maat": "bezettingsgraad", "dit_kwartaal": 87.8, "verschil": -0.5}
    assert toon("vergelijking", "maat", occupancy, namen) == "Bezettingsgraad"
    assert toon("vergelijking", "dit_kwartaal", occupancy, namen) == "87,8%"
    assert toon("vergelijking", "verschil", occupancy, namen) == "−0,5 %-punt"
    assert toon("t", "bezettingsgraad_max", {"bezettingsgraad_max": 91.0}, namen) == "91,0%"
    # a change in percent is signed as every difference, with one minus sign
    assert toon("t", "verschil_pct", {"verschil_pct": -0.24}, namen) == "−0,2%"
    assert toon("t", "afwijking_pct", {"afwijking_pct": 6.0}, namen) == "+6,0%"


def test_key_figures_in_words_against_the_previous_quarter() -> None:
    from bedcap.outputs import dutch, summary

    assert dutch.datum(dt.date(2026, 11, 29)) == "29 november 2026"
    nu = {"capaciteit": 313.8, "beschikbaar": 29.2, "bezettingsgraad": 85.7}
    nu |= {"dagen_zonder_vrij_bed": 347, "volledigheid": 98.5, "aandeel_forensisch": 47.7}
    vorig = {"capaciteit": 300.0, "beschikbaar": 31.0, "bezettingsgraad": 85.7}
    vorig |= {"dagen_zonder_vrij_bed": 350, "volledigheid": None}
    tabel = summary.figures(nu, vorig)
    assert [r["kerncijfer"] for r in tabel.rijen][:2] == ["capaciteit", "beschikbaar"]
    assert summary.sentences(tabel, "2021Q2", "2021Q1") == [
        "Er waren gemiddeld 313,8 beveiligde bedden per werkdag, 13,8 meer dan in 2021Q1 (300,0).",
        "Gemiddeld waren er 29,2 bedden vrij, 1,8 minder dan in 2021Q1 (31,0).",
        "De bezettingsgraad was 85,7%, evenveel als in 2021Q1 (85,7%).",
        "Op 347 groepsdagen (niveau × specialisme × regio × werkdag) was er geen enkel bed "
        "vrij, 3 minder dan in 2021Q1 (350).",
        "Van de verwachte dagelijkse aanleveringen kwam 98,5% binnen.",
        "Van de bezette ligdagen werd 47,7% gefinancierd uit de Wfz.",
    ]
    maand = summary.sentences(summary.figures({"capaciteit": 1913.0}, {}), "2021-05", None)
    assert maand == [
        "Er waren gemiddeld 1.913,0 beveiligde bedden per werkdag.",
        "Voor 2021-05 is er geen vorig kwartaal om mee te vergelijken.",
    ]


def test_golden_first_page_sentences(runner: CliRunner, example: Path) -> None:
    text = report(runner, example, "md").read_text(encoding="utf-8")
    block = text.split("## Kerncijfers", 1)[1].split("\n|", 1)[0]
    sentences = "\n".join(line[2:] for line in block.splitlines() if line.startswith("- ")) + "\n"
    golden = GOLDEN / "rapport-2021Q2-lcbb-kerncijfers.txt"
    if os.environ.get("BEDCAP_GOLDEN_BIJWERKEN"):
        golden.write_text(sentences, encoding="utf-8")
    assert sentences == golden.read_text(encoding="utf-8")
    for raw in ("capaciteit_gem", "midden-nederland", "313.7", "2021-04-01 t/m"):
        assert raw not in text, raw


def _built(example: Path) -> Any:
    from bedcap.contract.vocab import Doelgroep
    from bedcap.files.repo import DataRepo
    from bedcap.outputs.report import build, periode

    per = periode("2021Q2", None, None, None)
    key = Path(os.environ["BEDCAP_IDENTITEIT"])  # the LCBB's, as the CLI reads it (lcbb_reads)
    return build(DataRepo.find(example), per, Doelgroep.LCBB, TODAY, identiteit=key)


def test_charts_have_titles_axes_and_legends_off_the_lines(example: Path) -> None:
    import matplotlib.pyplot as plt

    from bedcap.outputs.charts import TITELS, figures

    rapport = _built(example)
    figs = figures(rapport)
    assert set(figs) == set(TITELS)
    for name, fig in figs.items():
        fig.canvas.draw()
        (ax,) = fig.axes
        assert ax.get_title(loc="left") == TITELS[name]
        assert ax.get_xlabel() and ax.get_ylabel()
        legend = fig.legends[0].get_window_extent()
        assert not legend.overlaps(ax.get_window_extent()), name
        title = ax._left_title.get_window_extent()  # the title ran under the legend
        assert not legend.overlaps(title), name
        plt.close(fig)
    svg = rapport.grafieken["vrij_per_werkdag"]
    for text in ("Bedden", "Werkdag", "1 mei", TITELS["vrij_per_werkdag"]):
        assert text in svg  # text stays text: readable and searchable


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_pdf_fits_every_table_header_on_its_page(runner: CliRunner, example: Path) -> None:
    import pdfplumber

    from bedcap.outputs.labels import koppen

    data = json.loads(report(runner, example, "json").read_text(encoding="utf-8"))
    pdf_path = report(runner, example, "pdf")
    rapport = _built(example)
    with pdfplumber.open(pdf_path) as pdf:
        pages = [_squash(p.extract_text() or "") for p in pdf.pages]
        for page in pdf.pages:
            outside = [
                c["text"]
                for c in page.chars
                if c["x0"] < 0 or c["x1"] > page.width or c["top"] < 0 or c["bottom"] > page.height
            ]
            assert outside == [], page.page_number
            # One typeface: the running title and page number were in a serif font
            serif = {c["fontname"] for c in page.chars if "Serif" in c["fontname"]}
            assert not serif, (page.page_number, serif)
            assert "pagina" in pages[page.page_number - 1]
            assert f"van {len(pdf.pages)}" in pages[page.page_number - 1]
        landscape = {i for i, p in enumerate(pdf.pages) if p.width > p.height}
    assert "Inhoud" in pages[1] and "Kerncijfers" in pages[0]
    assert "doelgroep LCBB" in pages[3] and "1 april 2021 t/m 30 juni 2021" in pages[3]
    checked = 0
    for t in rapport.tabellen:
        if t.naam == "kerncijfers" or not t.rijen:
            continue
        assert data[t.naam]
        found = [i for i, text in enumerate(pages) if i > 1 and _squash(t.titel) in text]
        assert found, t.titel
        boven, onder = koppen(t.kolommen, t.naam)
        words = set(pages[found[0]].split())
        for kop in boven + onder:  # a header may wrap inside its cell: each word is there
            assert set(kop.label.split()) <= words, (t.naam, kop.label)
        if len(t.kolommen) > 8:
            assert found[0] in landscape, t.naam
        checked += 1
    assert checked >= 15


def test_html_on_a_phone_scrolls_tables_not_the_page(
    runner: CliRunner,
    example: Path,
    browser,  # noqa: F811 - the fixture
) -> None:
    """At 390 px every wide table scrolls inside its own box, the key figures too; the
    page itself never sideways (it did: 546 px, by the key figures' table)."""
    target = report(runner, example, "html")
    metrics = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        browser.get(target.as_uri())
        assert browser.execute_script("return window.innerWidth") == 390
        scroll, client = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, (scroll, client)
        key = browser.execute_script(
            "const t = document.querySelector('section.kerncijfers table');"
            "return [t.parentElement.className, t.parentElement.clientWidth <= 390]"
        )
        assert key == ["tabelrol", True]
        assert severe_console(browser) == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_html_has_no_horizontal_overflow_at_1400_px(
    runner: CliRunner,
    example: Path,
    browser,  # noqa: F811 - the fixture
) -> None:
    target = report(runner, example, "html")
    browser.set_window_size(1400, 1000)
    try:
        browser.get(target.as_uri())
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        wide = browser.execute_script(
            "return [...document.querySelectorAll('.tabelrol')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.parentNode.id)"
        )
        assert wide == []
        body = browser.find_element("tag name", "body").text
        for label in ("Kerncijfers", "Inhoud", "gemiddeld", "Midden-Nederland", "Wfz"):
            assert label in body
        assert not re.search(r"\b(capaciteit_gem|midden-nederland|wfz)\b", body)
        assert severe_console(browser) == []
    finally:
        browser.set_window_size(1280, 1600)


def test_numbers_align_by_their_column_header_and_suppressed_cells_too() -> None:
    """A column of numbers is right-aligned whole: its header, and a suppressed or empty
    cell ("–"), which was left-aligned by its own value and read as "66 –" beside it."""
    import datetime as dt
    import re

    from bedcap.contract.vocab import Doelgroep
    from bedcap.outputs import summary
    from bedcap.outputs.render import html, markdown
    from bedcap.outputs.report import Rapport, Tabel

    rows = [
        {"regio": "noord", "werkdagen": None, "dagen_zonder_vrij_bed": None},
        {"regio": "zuid", "werkdagen": 66, "dagen_zonder_vrij_bed": 4},
    ]
    table = Tabel("dagen", "Dagen", ["regio", "werkdagen", "dagen_zonder_vrij_bed"], rows)
    day = dt.date(2021, 6, 30)
    kern = summary.figures({"capaciteit": 10.0}, {})
    rapport = Rapport("Rapport", "2021Q2", day, day, Doelgroep.BELEID, "2021-07-01", [kern, table])
    rapport.werkdagen = {"regeling": "x", "omschrijving": "maandag tot en met vrijdag"}
    page = html(rapport)
    section = page.split('id="dagen"', 1)[1].split("</table>", 1)[0]
    heads = re.findall(r'<th scope="col"([^>]*)>', section)
    assert heads == ["", ' class="getal"', ' class="getal"'], heads
    first = re.search(r"<tr><th scope=\"row\">[^<]*</th>(.*?)</tr>", section)
    assert first is not None
    assert re.findall(r"<td([^>]*)>", first.group(1)) == [' class="getal"'] * 2
    assert "|---|--:|--:|" in markdown(rapport)
