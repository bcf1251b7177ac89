"""The dashboard on call, in a real Chromium: a 390-px phone without sideways scrolling,
cards with the free beds and a tel: link first, the provider's note, names instead of
slugs, charts with axes, every row and no dead control without JavaScript, and the
machine files beside index.html."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from selenium import webdriver
from typer.testing import CliRunner

from bedcap.files.snapshots import to_bytes, to_table
from tests.conftest import invoke
from tests.test_dashboard import AXE, browser, severe_console  # noqa: F401 - the fixture
from tests.test_query import TODAY, newest_rows

SNAP = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-30.parquet"
NOTE = "Afdeling tijdelijk beperkt door verbouwing; bel vooraf."


@pytest.fixture
def site(runner: CliRunner, example: Path) -> tuple[Path, Path]:
    """The example with a provider's note on one row, built into a site."""
    rows = pq.read_table(example / SNAP).to_pylist()
    rows[0]["toelichting"] = NOTE
    (example / SNAP).write_bytes(to_bytes(to_table(rows)))
    out = example.parent / "site"
    result = invoke(runner, "dashboard", "--uit", str(out), cwd=example)
    assert result.exit_code == 0, result.stderr
    return example, out


@pytest.fixture
def phone(browser: webdriver.Chrome) -> Iterator[webdriver.Chrome]:  # noqa: F811
    metrics = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def no_script(browser: webdriver.Chrome) -> Iterator[webdriver.Chrome]:  # noqa: F811
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def overflow(driver: webdriver.Chrome) -> tuple[int, int]:
    return driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_a_phone_shows_cards_without_sideways_scrolling(
    phone: webdriver.Chrome, site: tuple[Path, Path]
) -> None:
    _, out = site
    pages = [out / "index.html", *sorted((out / "locaties").rglob("*.html"))]
    for page in pages:
        phone.get(page.as_uri())
        assert phone.execute_script("return window.innerWidth") == 390
        scroll, client = overflow(phone)
        assert scroll <= client, (page.name, scroll, client)
        assert severe_console(phone) == []
    phone.get((out / "index.html").as_uri())
    card = phone.find_element("css selector", "#beschikbaarheid tbody tr")
    cells = card.find_elements("css selector", "td")
    order = sorted(cells, key=lambda c: c.location["y"])
    assert [c.get_attribute("data-label") for c in order[:3]] == ["Vrij", "Telefoon", "Locatie"]
    before = phone.execute_script(
        "return getComputedStyle(arguments[0], '::before').content", order[0]
    )
    assert before == '"Vrij" ": "' or "Vrij" in before
    tel = card.find_element("css selector", "td.bellen a")
    assert tel.get_attribute("href").startswith("tel:+31")
    assert card.size["width"] <= 390
    body = phone.find_element("tag name", "body").text
    assert NOTE in body  # the provider's note is visible


def test_names_notes_and_chart_axes_on_the_desktop(
    browser: webdriver.Chrome,  # noqa: F811
    site: tuple[Path, Path],
) -> None:
    _, out = site
    browser.get((out / "index.html").as_uri())
    body = browser.find_element("tag name", "body").text
    assert "Noord-Holland" in body and "Psychiatrie (FPK)" in body and NOTE in body
    assert "noord-holland" not in body and "psychiatrie (fpk)" not in body
    assert "30 juni 2021" in body
    option = browser.find_element(
        "css selector", 'select[name="regio"] option[value="noord-holland"]'
    )
    assert option.text == "Noord-Holland"
    browser.get((out / "locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.html").as_uri())
    svg = browser.find_element("css selector", "svg.trend")
    labels = [t.text for t in svg.find_elements("css selector", "text")]
    assert "bedden" in labels and "0" in labels
    assert any(t.endswith("apr") for t in labels) and any(t.endswith("jun") for t in labels)
    assert any(t.startswith("vrij ") for t in labels) and any(
        t.startswith("capaciteit ") for t in labels
    )
    assert "Wvggz" in browser.find_element("tag name", "body").text


def test_without_javascript_every_row_and_no_dead_control(
    no_script: webdriver.Chrome, site: tuple[Path, Path]
) -> None:
    repo, out = site
    no_script.get((out / "index.html").as_uri())
    rows = no_script.find_elements("css selector", "#beschikbaarheid tbody tr")
    assert len(rows) == len(newest_rows(repo, TODAY))
    assert all(r.is_displayed() for r in rows)
    assert not no_script.find_element("id", "filters").is_displayed()
    buttons = no_script.find_elements("css selector", "#beschikbaarheid th button")
    assert buttons and not any(b.is_displayed() for b in buttons)
    headers = [h.text for h in no_script.find_elements("css selector", "#beschikbaarheid th")]
    assert "Vrij" in headers and "Locatie" in headers


def test_axe_has_nothing_to_say_on_a_phone(
    phone: webdriver.Chrome, site: tuple[Path, Path]
) -> None:
    _, out = site
    for page in (out / "index.html", next((out / "locaties").rglob("*.html"))):
        phone.get(page.as_uri())
        phone.execute_script(AXE.read_text(encoding="utf-8"))
        violations = phone.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
        )
        assert [(v["id"], v["help"]) for v in violations] == [], page


def test_machine_files_beside_the_site(runner: CliRunner, site: tuple[Path, Path]) -> None:
    repo, out = site
    published = json.loads((out / "beschikbaar.json").read_text(encoding="utf-8"))
    answered = invoke(runner, "available", "--format", "json", cwd=repo)
    assert answered.exit_code == 0, answered.stderr
    assert published == json.loads(answered.stdout)
    as_csv = invoke(runner, "available", "--format", "csv", cwd=repo)
    assert (out / "beschikbaar.csv").read_text(encoding="utf-8") == as_csv.stdout
    assert any(r["toelichting"] == NOTE for r in published)


LONG_NOTE = "Personeelstekortcompensatieregelingsonderhandelingen" * 2  # one word, 104 letters

TABLE = "#beschikbaarheid"
FREE = (
    "return [...document.querySelectorAll('#beschikbaarheid tbody tr')]"
    ".map(r => r.dataset.beschikbaar).filter(v => v !== '').map(Number)"
)
FITS = """
const main = document.querySelector('main');
const inner = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
return [...document.querySelectorAll('table.kaarten')].map(t => {
  const box = t.closest('.tabelrol');
  return {
    kaarten: getComputedStyle(t.querySelector('tbody tr')).display === 'flex',
    buiten: Math.round(t.getBoundingClientRect().right - inner),
    schuift: box.scrollWidth > box.clientWidth + 1,
  };
});
"""


def test_the_table_fits_from_a_tablet_to_a_wide_screen(
    browser: webdriver.Chrome,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo's twelve columns, with a note of one long word: cards up to a tablet's
    width, and from a laptop of 1,280 px the whole table inside the page, nothing cut off.
    At 1,400 px the front page scrolled sideways and its last column was cut off; at 1,920
    px the table ran past the page's column. The page itself never scrolls sideways."""
    monkeypatch.setenv("BEDCAP_VANDAAG", "2026-11-23T09:00")
    runner = CliRunner()
    repo = tmp_path / "demo"
    assert invoke(runner, "demo", str(repo)).exit_code == 0
    snapshot = max((repo / "data/snapshots").rglob("2026-11-20.parquet"))
    rows = pq.read_table(snapshot).to_pylist()
    rows[0]["toelichting"] = LONG_NOTE
    snapshot.write_bytes(to_bytes(to_table(rows)))
    out = tmp_path / "site"
    result = invoke(runner, "dashboard", "--uit", str(out), cwd=repo)
    assert result.exit_code == 0, result.stderr
    pages = [out / "index.html", *sorted((out / "locaties").rglob("*.html"))[:3]]
    try:
        for width in (768, 1024, 1100, 1280, 1400, 1920):
            metrics = {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False}
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            for page in pages:
                browser.get(page.as_uri())
                scroll, client = overflow(browser)
                assert scroll <= client, (width, page.name, scroll, client)
                for table in browser.execute_script(FITS):
                    assert table["kaarten"] == (width <= 1024), (width, page.name, table)
                    if width >= 1280:
                        assert table["buiten"] <= 1 and not table["schuift"], (width, table)
        # On a tablet the cards keep the sort buttons, as a bar above them
        metrics = {"width": 800, "height": 1000, "deviceScaleFactor": 1, "mobile": False}
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        browser.get((out / "index.html").as_uri())
        button = browser.find_element(
            "css selector", f"{TABLE} th button[data-sorteer=beschikbaar]"
        )
        assert button.is_displayed()
        before = browser.execute_script(FREE)
        assert before not in (sorted(before), sorted(before, reverse=True))
        button.click()
        after = browser.execute_script(FREE)
        assert after in (sorted(before), sorted(before, reverse=True)), after
        # Printed, a table is never cut at the edge of its scroll box
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        boxes = browser.execute_script(
            "return [...document.querySelectorAll('.tabelrol')]"
            ".map(b => getComputedStyle(b).overflowX)"
        )
        assert boxes and set(boxes) == {"visible"}, boxes
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get((out / "index.html").as_uri())
    assert LONG_NOTE in browser.page_source
    # The stale list says the rule it applies, the deadline's part too
    heading = browser.find_element("css selector", ".verouderd-lijst h3").text
    assert heading.endswith("ouder dan de vorige werkdag, of na 12:00 ouder dan vandaag)")
