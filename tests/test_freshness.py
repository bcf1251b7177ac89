"""The one judgement of a day (issue 14, item 4): due day, staleness, running periods."""

from __future__ import annotations

import datetime as dt

import pytest

from bedcap import calendar
from bedcap.store.freshness import afkappen, beoordeel, einde_dag, laatste_verplichte_dag

NOON = dt.time(12, 0)


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
    assert laatste_verplichte_dag(moment, NOON).isoformat() == due


def test_a_utc_moment_is_judged_in_amsterdam() -> None:
    # 11:30 UTC is 13:30 in Amsterdam in May: past the deadline.
    moment = dt.datetime(2026, 5, 20, 11, 30, tzinfo=dt.UTC)
    assert laatste_verplichte_dag(moment, NOON) == dt.date(2026, 5, 20)


def test_yesterdays_counts_go_stale_at_the_deadline() -> None:
    yesterday = dt.date(2026, 5, 19)
    before = beoordeel(yesterday, at("2026-05-20", "11:00"), NOON)
    after = beoordeel(yesterday, at("2026-05-20", "12:30"), NOON)
    assert (before.verouderd, before.tekst) == (False, "1 werkdag oud")
    assert (after.verouderd, after.tekst) == (True, "1 werkdag oud (verouderd)")
    assert before.werkdagen_oud == after.werkdagen_oud == 1
    saturday = beoordeel(dt.date(2026, 5, 22), at("2026-05-23", "15:00"), NOON)
    assert (saturday.verouderd, saturday.tekst) == (False, "laatste werkdag")


def test_texts_and_never_submitted() -> None:
    moment = at("2026-05-20", "09:00")
    assert beoordeel(dt.date(2026, 5, 20), moment, NOON).tekst == "vandaag"
    assert beoordeel(dt.date(2026, 5, 15), moment, NOON).tekst == "3 werkdagen oud (verouderd)"
    never = beoordeel(None, moment, NOON)
    assert (never.verouderd, never.tekst, never.werkdagen_oud) == (True, "geen aanlevering", None)


def test_a_past_day_is_judged_at_its_end() -> None:
    end = einde_dag(dt.date(2026, 5, 19))
    assert beoordeel(dt.date(2026, 5, 18), end, NOON).verouderd is True
    assert beoordeel(dt.date(2026, 5, 19), end, NOON).verouderd is False


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
    cut = afkappen(dt.date(2026, 5, 31), moment, NOON)
    assert (cut.tot.isoformat(), cut.lopend) == (tot, lopend)
    assert bool(cut.melding) is lopend
    if lopend:
        assert tot in cut.melding and "2026-05-31" in cut.melding
