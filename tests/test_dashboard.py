"""The dashboard in a real headless Chromium: filters, console, accessibility, no host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from typer.testing import CliRunner

from tests.conftest import invoke
from tests.test_query import TODAY, newest_rows, wards

AXE = Path(__file__).parent / "node/node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1600",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def site(runner: CliRunner, example: Path) -> tuple[Path, Path]:
    out = example.parent / "site"
    result = invoke(runner, "dashboard", "--uit", str(out), cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "Dashboard gebouwd" in result.stdout
    return example, out


def visible(driver: webdriver.Chrome) -> set[tuple[str, ...]]:
    rows = driver.find_elements("css selector", "#beschikbaarheid tbody tr")
    return {
        tuple(
            row.get_attribute(f"data-{k}") for k in ("aanbieder", "locatie", "afdeling", "zorgtype")
        )
        for row in rows
        if row.is_displayed()
    }


def severe_console(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


FILTERS: list[tuple[str, Any]] = [
    ("", lambda r, w: True),
    ("niveau=3", lambda r, w: r["beveiligingsniveau"] == 3),
    ("specialisme=verslaving", lambda r, w: r["specialisme"] == "verslaving"),
    ("voorziening=fpk", lambda r, w: r["voorziening"] == "fpk"),
    ("zorgtype=crisis", lambda r, w: r["zorgtype"] == "crisis"),
    ("regio=noord-holland", lambda r, w: r["regio"] == "noord-holland"),
    ("rechtskader=wzd", lambda r, w: "wzd" in w["rechtskaders"]),
    ("zonder-contra-indicatie=brandstichting", lambda r, w: "brandstichting" not in w["contra"]),
    ("alleen-vrij=1", lambda r, w: r["beschikbaar"] > 0),
    (
        "niveau=2&zorgtype=behandeling&alleen-vrij=1",
        lambda r, w: (
            r["beveiligingsniveau"] == 2 and r["zorgtype"] == "behandeling" and r["beschikbaar"] > 0
        ),
    ),
]


def test_each_filter_shows_exactly_the_expected_rows(
    browser: webdriver.Chrome, site: tuple[Path, Path]
) -> None:
    repo, out = site
    facts = wards(repo)
    rows = newest_rows(repo, TODAY)
    all_rows = {tuple(r[k] for k in ("aanbieder", "locatie", "afdeling", "zorgtype")) for r in rows}
    for query, keep in FILTERS:
        expected = {
            tuple(r[k] for k in ("aanbieder", "locatie", "afdeling", "zorgtype"))
            for r in rows
            if keep(r, facts[(r["aanbieder"], r["locatie"], r["afdeling"])])
        }
        browser.get((out / "index.html").as_uri() + (f"?{query}" if query else ""))
        assert visible(browser) == expected, query
        assert expected and (expected != all_rows or query == "")
        count = browser.find_element("id", "aantal").text
        assert count.startswith(f"{len(expected)} van {len(all_rows)}"), count
        assert severe_console(browser) == []


def test_controls_are_named_after_the_cli_options_and_drive_the_table(
    browser: webdriver.Chrome, site: tuple[Path, Path]
) -> None:
    _, out = site
    browser.get((out / "index.html").as_uri())
    names = {
        e.get_attribute("name") for e in browser.find_elements("css selector", "#filters [name]")
    }
    assert names == {
        "niveau",
        "specialisme",
        "voorziening",
        "zorgtype",
        "regio",
        "rechtskader",
        "zonder-contra-indicatie",
        "alleen-vrij",
    }
    from selenium.webdriver.support.ui import Select

    before = visible(browser)
    Select(browser.find_element("name", "niveau")).select_by_value("4")
    after = visible(browser)
    assert after and after < before
    assert all(
        row.get_attribute("data-beveiligingsniveau") == "4"
        for row in browser.find_elements("css selector", "#beschikbaarheid tbody tr")
        if row.is_displayed()
    )
    assert "niveau=4" in browser.current_url  # a filtered view can be linked
    # Sorting by free beds, by keyboard: focus the header button and press Enter.
    from selenium.webdriver.common.keys import Keys

    button = browser.find_element("css selector", 'button[data-sorteer="beschikbaar"]')
    button.send_keys(Keys.ENTER)
    free = [
        int(r.get_attribute("data-beschikbaar"))
        for r in browser.find_elements("css selector", "#beschikbaarheid tbody tr")
        if r.is_displayed()
    ]
    assert free == sorted(free)
    header = button.find_element("xpath", "..")
    assert header.get_attribute("aria-sort") == "ascending"


def test_rows_carry_the_snapshot_columns_as_data_attributes(site: tuple[Path, Path]) -> None:
    _, out = site
    html = (out / "index.html").read_text(encoding="utf-8")
    row = re.search(r"<tr data-peildatum=[^>]*>", html)
    assert row is not None
    for column in (
        "peildatum",
        "aanbieder",
        "locatie",
        "afdeling",
        "zorgtype",
        "regio",
        "specialisme",
        "voorziening",
        "beveiligingsniveau",
        "capaciteit",
        "bezet",
        "beschikbaar",
        "gereserveerd",
        "buiten_gebruik",
    ):
        assert f'data-{column}="' in row.group(0)


def test_no_serious_accessibility_violations_and_a_screenshot(
    browser: webdriver.Chrome, site: tuple[Path, Path], tmp_path: Path
) -> None:
    assert AXE.is_file(), "npm ci --prefix tests/node"
    _, out = site
    pages = [out / "index.html", next((out / "locaties").rglob("*.html"))]
    for page in pages:
        browser.get(page.as_uri())
        browser.execute_script(AXE.read_text(encoding="utf-8"))
        results = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
        )
        serious = [
            (v["id"], v["impact"], v["help"])
            for v in results
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], page
        assert severe_console(browser) == []
    shot = tmp_path / "dashboard.png"
    browser.get((out / "index.html").as_uri())
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_site_references_no_external_host(site: tuple[Path, Path]) -> None:
    _, out = site
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 5
    external = re.compile(
        r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""",
        re.I,
    )
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not external.search(text), path
        assert "http://" not in text and "https://" not in text, path


def test_location_page_shows_contact_wards_and_trend(
    browser: webdriver.Chrome, site: tuple[Path, Path]
) -> None:
    repo, out = site
    page = out / "locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.html"
    browser.get(page.as_uri())
    body = browser.find_element("tag name", "body").text
    assert "+31 20 5550000" in body and "ma–vr 8.30–17.00" in body
    assert "FPA Kroonstede 1" in body and "FPC Kroonstede 2" in body
    assert "brandstichting" in body and "geen plaatsingsinstrument" in body.lower()
    points = browser.find_elements("css selector", "svg.trend polyline")
    assert len(points) == 2
    assert len(points[1].get_attribute("points").split()) > 50  # a point per working day
    link = browser.find_element("link text", "Overzicht")
    link.click()
    assert browser.current_url.endswith("index.html")


def test_without_javascript_the_table_is_complete(site: tuple[Path, Path]) -> None:
    repo, out = site
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count("<tr data-peildatum=") == len(newest_rows(repo, TODAY))
    assert '<form id="filters" class="filters" hidden' in html  # appears only with script


def test_every_date_a_person_reads_is_written_the_dutch_way(
    site: tuple[Path, Path], browser: webdriver.Chrome
) -> None:
    """Headings, the stale list, the footer and the age banner say `30 juni 2021`, never
    `2021-06-30` (ISO stays in the data attributes and the JSON/CSV for scripts)."""
    _, out = site
    pages = [out / "index.html", *sorted((out / "locaties").rglob("*.html"))[:2]]
    for page in pages:
        browser.get(page.as_uri())
        text = browser.find_element("tag name", "body").text
        assert not re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text), page.name
        assert re.search(
            r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|"
            r"september|oktober|november|december) \d{4}\b",
            text,
        ), page.name
    browser.get((out / "index.html").as_uri())
    assert (
        browser.find_element("id", "kop-overzicht").text == "Overzicht op 1 juli 2021"
    )  # EXAMPLE_TODAY


def test_dashboard_refuses_to_overwrite_a_foreign_folder(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "iets"
    foreign.mkdir()
    (foreign / "belangrijk.txt").write_text("niet weggooien")
    result = invoke(runner, "dashboard", "--uit", str(foreign), cwd=example)
    assert result.exit_code == 2 and "niet leeg" in result.stderr
    assert (foreign / "belangrijk.txt").read_text() == "niet weggooien"
    inside = invoke(runner, "dashboard", "--uit", str(example / "data/site"), cwd=example)
    assert inside.exit_code == 2 and "ligt in data/" in inside.stderr
