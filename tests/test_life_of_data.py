"""Issue 14: right figures while wards, providers and days come and go.

Every figure bedcap prints as JSON is compared with one computed in `tests/lifedata.py`
from the Parquet files, the YAML files and git, never through bedcap's query code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke
from tests.lifedata import (
    COUNTS,
    MIDDAG,
    NIEUW,
    OCHTEND,
    VANDAAG,
    counted_rows,
    report_json,
    run_json,
    totals,
    working_days,
)

# ---- 1. closed is closed, new is visible --------------------------------------------


def test_closed_ward_and_provider_leave_available_new_provider_shows(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    records = run_json(cli, repo, "available", "--op", "2026-05-19")
    counted = [r for r in records if not r["geen_aanlevering"]]
    expected = counted_rows(repo, dt.date(2026, 5, 19))
    key = ("aanbieder", "locatie", "afdeling", "zorgtype")
    assert {tuple(r[k] for k in key) for r in counted} == {
        tuple(r[k] for k in key) for r in expected
    }
    assert totals(counted) == totals(expected)
    assert life["leaving"] not in {r["aanbieder"] for r in records}
    loc, ward = life["closed_ward"]
    assert not [r for r in records if (r["locatie"], r["afdeling"]) == (loc, ward)]
    new = [r for r in records if r["aanbieder"] == NIEUW]
    assert new and all(r["geen_aanlevering"] for r in new)
    assert all(r[m] is None for r in new for m in COUNTS)
    assert all(r["versheid"] == "geen aanlevering" and r["verouderd"] for r in new)
    # Their history before closing stays.
    before = run_json(cli, repo, "available", "--op", "2026-05-08")
    assert life["leaving"] in {r["aanbieder"] for r in before}
    assert [r for r in before if (r["locatie"], r["afdeling"]) == (loc, ward)]
    assert NIEUW not in {r["aanbieder"] for r in before}


def test_geen_aanlevering_on_every_channel(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    table = invoke(cli, "available", "--aanbieder", NIEUW, cwd=repo)
    assert table.exit_code == 0, table.stderr
    assert "Kliniek Zeewolde" in table.stdout and "geen aanlevering" in table.stdout
    csv = invoke(cli, "available", "--format", "csv", cwd=repo).stdout.splitlines()
    header = csv[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in csv[1:]]
    mine = [r for r in rows if r["aanbieder"] == NIEUW]
    assert mine and all(r["geen_aanlevering"] == "true" and r["beschikbaar"] == "" for r in mine)
    site = repo.parent / "site"
    built = invoke(cli, "dashboard", "--uit", str(site), cwd=repo)
    assert built.exit_code == 0, built.stderr
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Kliniek Zeewolde" in index and "geen aanlevering" in index
    assert (site / f"locaties/{NIEUW}/kliniek-zeewolde.html").is_file()
    assert not (site / f"locaties/{life['leaving']}").exists()


def test_history_per_day_equals_available_across_closing_and_joining(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    first, last = dt.date(2026, 5, 4), dt.date(2026, 5, 19)
    history = run_json(
        cli, repo, "history", "--per", "dag", "--van", str(first), "--tot", str(last)
    )
    by_day = {r["periode"]: r for r in history}
    assert sorted(by_day) == [d.isoformat() for d in working_days(first, last)]
    for day in working_days(first, last):
        expected = totals(counted_rows(repo, day))
        got = {m: by_day[day.isoformat()][f"{m}_gem"] for m in COUNTS}
        assert got == expected, day
        shown = [r for r in run_json(cli, repo, "available", "--op", str(day))]
        assert totals(shown) == expected, day


# ---- 3. no future in a running period ---------------------------------------------


def test_history_stops_at_the_last_due_day(
    cli: CliRunner, life: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = life["root"]
    morning = run_json(cli, repo, "history", "--per", "dag", "--van", "2026-05-18")
    assert [r["periode"] for r in morning] == ["2026-05-18", "2026-05-19"]
    monkeypatch.setenv("BEDCAP_VANDAAG", MIDDAG)
    afternoon = run_json(cli, repo, "history", "--per", "dag", "--van", "2026-05-18")
    assert [r["periode"] for r in afternoon][-1] == "2026-05-20"


def test_report_of_a_running_month_stops_and_says_so(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    doc = report_json(cli, repo, "--maand", "2026-05")
    assert doc["tot"] == "2026-05-19"
    assert doc["lopend"].startswith("Lopende periode: geteld t/m 19 mei 2026")
    days = [r["periode"] for r in doc["per_werkdag"]]
    assert days[-1] == "2026-05-19"
    for row in doc["per_werkdag"]:
        day = dt.date.fromisoformat(row["periode"])
        assert row["capaciteit_gem"] == totals(counted_rows(repo, day))["capaciteit"]


# ---- 4. one judgement of a day ------------------------------------------------------


def _snapshot_dates(repo: Path, provider: str) -> list[dt.date]:
    return sorted(
        dt.date.fromisoformat(p.stem)
        for p in (repo / f"data/snapshots/{provider}").glob("*/*.parquet")
    )


def test_check_peildatum_judges_as_on_that_day(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    stale = life["stale"]
    day = dt.date(2026, 5, 11)  # before the stale provider stopped (its newest: 13 May)
    doc = run_json(cli, repo, "check", "--peildatum", str(day), code=None)
    by = {a["aanbieder"]: a for a in doc["aanbieders"]}
    assert max(_snapshot_dates(repo, stale)) > day
    assert by[stale]["nieuwste"] == str(day) and by[stale]["verouderd"] is False
    assert NIEUW not in by or by[NIEUW]["verwacht"] == 0


def test_one_freshness_everywhere_before_and_after_the_deadline(
    cli: CliRunner, life: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = life["root"]
    stale = life["stale"]
    for moment, yesterday_stale in ((OCHTEND, False), (MIDDAG, True)):
        monkeypatch.setenv("BEDCAP_VANDAAG", moment)
        records = run_json(cli, repo, "available")
        fresh = {r["aanbieder"]: r["verouderd"] for r in records if not r["geen_aanlevering"]}
        newest = {a: _snapshot_dates(repo, a)[-1] for a in fresh}
        for aanbieder, verouderd in fresh.items():
            expected = newest[aanbieder] < dt.date(2026, 5, 19) or (
                yesterday_stale and newest[aanbieder] < VANDAAG
            )
            assert verouderd is expected, (moment, aanbieder)
        state = run_json(cli, repo, "check", code=1)
        by = {a["aanbieder"]: a["verouderd"] for a in state["aanbieders"]}
        for aanbieder, verouderd in fresh.items():
            assert by[aanbieder] is verouderd, (moment, aanbieder)
        assert by[stale] is True and by[NIEUW] is True
