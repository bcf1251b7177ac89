"""The one judgement of a day (issue 14, item 4): due day, staleness, running periods."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from bedcap import calendar
from bedcap.store.freshness import afkappen, beoordeel, einde_dag, laatste_verplichte_dag
from tests.conftest import invoke

NOON = dt.time(12, 0)
AMS = calendar.TIJDZONE


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(
        dt.date.fromisoformat(day), dt.time.fromisoformat(hhmm), calendar.TIJDZONE
    )


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (at("2026-05-20", "11:59"), "2026-05-19"),  # Wednesday before the deadline
        (at("2026-05-20", "12:00"), "2026-05-20"),  # at the deadline today is due
        (at("2026-05-18", "09:00"), "2026-05-15"),  # Monday morning: Friday
        (at("2026-05-23", "15:00"), "2026-05-22"),  # Saturday: Friday
        (at("2026-05-15", "13:00"), "2026-05-15"),  # Friday after Hemelvaart
        (at("2026-05-14", "13:00"), "2026-05-13"),  # Hemelvaart is no working day
    ],
)
def test_last_due_day(moment: dt.datetime, due: str) -> None:
    assert laatste_verplichte_dag(moment, NOON, AMS).isoformat() == due


def test_a_utc_moment_is_judged_in_amsterdam() -> None:
    # 11:30 UTC is 13:30 in Amsterdam in May: past the deadline.
    moment = dt.datetime(2026, 5, 20, 11, 30, tzinfo=dt.UTC)
    assert laatste_verplichte_dag(moment, NOON, AMS) == dt.date(2026, 5, 20)


def test_yesterdays_counts_go_stale_at_the_deadline() -> None:
    yesterday = dt.date(2026, 5, 19)
    before = beoordeel(yesterday, at("2026-05-20", "11:00"), NOON, AMS)
    after = beoordeel(yesterday, at("2026-05-20", "12:30"), NOON, AMS)
    assert (before.verouderd, before.tekst) == (False, "1 werkdag oud")
    assert (after.verouderd, after.tekst) == (True, "1 werkdag oud (verouderd)")
    assert before.werkdagen_oud == after.werkdagen_oud == 1
    saturday = beoordeel(dt.date(2026, 5, 22), at("2026-05-23", "15:00"), NOON, AMS)
    assert (saturday.verouderd, saturday.tekst) == (False, "laatste werkdag")


def test_texts_and_never_submitted() -> None:
    moment = at("2026-05-20", "09:00")
    assert beoordeel(dt.date(2026, 5, 20), moment, NOON, AMS).tekst == "vandaag"
    assert beoordeel(dt.date(2026, 5, 15), moment, NOON, AMS).tekst == "3 werkdagen oud (verouderd)"
    never = beoordeel(None, moment, NOON, AMS)
    assert (never.verouderd, never.tekst, never.werkdagen_oud) == (True, "geen aanlevering", None)


def test_a_past_day_is_judged_at_its_end() -> None:
    end = einde_dag(dt.date(2026, 5, 19), AMS)
    assert beoordeel(dt.date(2026, 5, 18), end, NOON, AMS).verouderd is True
    assert beoordeel(dt.date(2026, 5, 19), end, NOON, AMS).verouderd is False


@pytest.mark.parametrize(
    ("moment", "tot", "lopend"),
    [
        (at("2026-05-20", "09:00"), "2026-05-19", True),  # today not yet due
        (at("2026-05-20", "12:30"), "2026-05-20", True),  # today due
        (at("2026-05-18", "09:00"), "2026-05-17", True),  # Monday: the weekend has passed
        (at("2026-06-02", "09:00"), "2026-05-31", False),  # the month is over
    ],
)
def test_a_running_period_stops_at_the_last_passed_or_due_day(
    moment: dt.datetime, tot: str, lopend: bool
) -> None:
    cut = afkappen(dt.date(2026, 5, 31), moment, NOON, AMS)
    assert (cut.tot.isoformat(), cut.lopend) == (tot, lopend)
    assert bool(cut.melding) is lopend
    if lopend:
        said = f"geteld t/m {int(tot[8:])} mei 2026"  # as people read a date
        assert said in cut.melding and "gevraagd t/m 31 mei 2026" in cut.melding


KRALENDIJK = ZoneInfo("America/Kralendijk")  # Bonaire: UTC-4, no summer time


def test_the_deadline_is_the_repositorys_own_clock() -> None:
    """07:00 in Kralendijk is 13:00 in Amsterdam in summer: before the 12:00 deadline
    there, after it here. Freshness used to be judged in Amsterdam whatever the zone."""
    morning = dt.datetime(2026, 5, 20, 7, 0, tzinfo=KRALENDIJK)
    assert laatste_verplichte_dag(morning, NOON, KRALENDIJK) == dt.date(2026, 5, 19)
    assert laatste_verplichte_dag(morning, NOON, AMS) == dt.date(2026, 5, 20)
    assert beoordeel(dt.date(2026, 5, 19), morning, NOON, KRALENDIJK).verouderd is False
    cut = afkappen(dt.date(2026, 5, 31), morning, NOON, KRALENDIJK)
    assert cut.tot == dt.date(2026, 5, 19)
    # A moment given in UTC is read on the repository's clock, not on its own offset.
    utc = morning.astimezone(dt.UTC)
    assert laatste_verplichte_dag(utc, NOON, KRALENDIJK) == dt.date(2026, 5, 19)
    late = dt.datetime(2026, 5, 20, 23, 0, tzinfo=KRALENDIJK)  # 21 May in Amsterdam
    assert beoordeel(dt.date(2026, 5, 20), late, NOON, KRALENDIJK).tekst == "vandaag"
    assert einde_dag(dt.date(2026, 5, 19), KRALENDIJK).utcoffset() == dt.timedelta(hours=-4)


def test_available_judges_freshness_on_the_repositorys_clock(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example in Kralendijk at 07:00 on 1 July 2021: the counts of 30 June are the
    last due, so none is stale (Amsterdam's clock said 13:00, past the deadline)."""
    settings = example / "data/bedcap.toml"
    text = settings.read_text("utf-8")
    assert 'tijdzone = "Europe/Amsterdam"' in text
    settings.write_text(text.replace("Europe/Amsterdam", "America/Kralendijk"), "utf-8")
    monkeypatch.setenv("BEDCAP_VANDAAG", "2021-07-01T07:00")
    result = invoke(runner, "available", "--format", "json", cwd=example)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and {r["peildatum"] for r in rows} == {"2021-06-30"}
    assert not any(r["verouderd"] for r in rows)
    monkeypatch.setenv("BEDCAP_VANDAAG", "2021-07-01T12:30")  # past the deadline there
    later = json.loads(invoke(runner, "available", "--format", "json", cwd=example).stdout)
    assert later and all(r["verouderd"] for r in later)
