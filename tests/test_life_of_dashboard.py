"""Issue 14, item 5: an old page says it is old, in a real Chromium with the reader's clock
set by the test (the page's own script is not touched: `Date` is replaced before it runs).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from typer.testing import CliRunner

from tests.conftest import invoke
from tests.lifedata import is_working, previous_working, working_days
from tests.test_dashboard import browser  # noqa: F401 - the fixture

FAKE_CLOCK = """
(function () {
  var fixed = new Date("%s").getTime();
  var Real = Date;
  function Fake() {
    if (!(this instanceof Fake)) { return new Real(fixed).toString(); }
    var args = Array.prototype.slice.call(arguments);
    return args.length ? new (Function.prototype.bind.apply(Real, [null].concat(args)))()
                       : new Real(fixed);
  }
  Fake.prototype = Real.prototype;
  Fake.now = function () { return fixed; };
  Fake.UTC = Real.UTC;
  Fake.parse = Real.parse;
  window.Date = Fake;
})();
"""


def open_at(driver: webdriver.Chrome, page: Path, moment_utc: str) -> None:
    driver.get("about:blank")
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": FAKE_CLOCK % moment_utc}
    )
    try:
        driver.get(page.as_uri())
    finally:
        driver.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )


MAANDEN = "januari februari maart april mei juni juli augustus september oktober november december"
MAANDEN = MAANDEN.split()


def shown(driver: webdriver.Chrome) -> dict[tuple[str, str, str, str], tuple[str, str, str]]:
    found = {}
    for row in driver.find_elements("css selector", "#beschikbaarheid tbody tr"):
        cells = row.find_elements("css selector", "[data-versheid-peildatum]")
        if not cells:
            continue
        key = tuple(
            row.get_attribute(f"data-{k}") or ""
            for k in ("aanbieder", "locatie", "afdeling", "zorgtype")
        )
        peildatum = cells[0].get_attribute("data-versheid-peildatum") or ""
        found[key] = (peildatum, cells[0].text, row.get_attribute("data-verouderd") or "")
    return found  # type: ignore[return-value]


def expected_text(peildatum: dt.date, now: dt.datetime) -> tuple[str, bool]:
    """Age and staleness worked out here, with the days off written out by hand."""
    today = now.date()
    oud = len(working_days(peildatum + dt.timedelta(days=1), today))
    due = today if is_working(today) and now.time() >= dt.time(12) else previous_working(today)
    if peildatum == today:
        tekst = "vandaag"
    else:
        tekst = "laatste werkdag" if oud == 0 else f"{oud} werkdag{'' if oud == 1 else 'en'} oud"
    stale = peildatum < due
    dag = f"{peildatum.day} {MAANDEN[peildatum.month - 1]} {peildatum.year}"  # as people read it
    return f"{dag} · {tekst}{' (verouderd)' if stale else ''}", stale


@pytest.mark.parametrize(
    ("utc", "local"),
    [
        ("2026-05-20T08:00:00Z", dt.datetime(2026, 5, 20, 10, 0)),  # as built
        ("2026-05-20T11:30:00Z", dt.datetime(2026, 5, 20, 13, 30)),  # after the deadline
        ("2026-05-22T07:00:00Z", dt.datetime(2026, 5, 22, 9, 0)),  # two days later
    ],
)
def test_the_page_works_out_ages_from_the_readers_clock(
    browser: webdriver.Chrome,  # noqa: F811
    cli: CliRunner,
    life: dict[str, Any],
    utc: str,
    local: dt.datetime,
) -> None:
    repo = life["root"]
    site = repo.parent / "site"
    assert invoke(cli, "dashboard", "--uit", str(site), cwd=repo).exit_code == 0
    open_at(browser, site / "index.html", utc)
    rows = shown(browser)
    assert rows
    for key, (iso, text, stale) in rows.items():
        peildatum = dt.date.fromisoformat(iso)
        want_text, want_stale = expected_text(peildatum, local)
        assert (text, stale) == (want_text, "ja" if want_stale else "nee"), key
    banner = browser.find_element("id", "bedcap-leeftijd").text
    assert "20 mei 2026 om 09:00" in banner  # the day as people read it, never ISO
    assert ("2 werkdagen geleden" in banner) is (local.date() == dt.date(2026, 5, 22))
