"""Working days with Dutch holidays, quarters, and BEDCAP_VANDAAG."""

from __future__ import annotations

import datetime as dt

import pytest

from bedcap import calendar
from bedcap.calendar import InvalidDateError, Kwartaal

D = dt.date


@pytest.mark.parametrize(
    "day",
    [
        D(2021, 4, 27),
        D(2021, 5, 13),
        D(2021, 5, 24),
        D(2021, 4, 5),
        D(2021, 12, 27) - dt.timedelta(days=2),
        D(2021, 5, 1),
    ],
)
def test_holidays_and_weekends_are_not_working_days(day: dt.date) -> None:
    assert not calendar.is_werkdag(day)


def test_working_days_of_2021q2() -> None:
    q = Kwartaal.parse("2021Q2")
    days = calendar.werkdagen(q.begin, q.eind)
    weekdays = [q.begin + dt.timedelta(days=i) for i in range((q.eind - q.begin).days + 1)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    # Algemene termijnenwet (issue 14): Paasmaandag, Koningsdag, Bevrijdingsdag (every
    # year), Hemelvaart, Pinkstermaandag; Goede Vrijdag (2 April) is a working day
    off = {D(2021, 4, 5), D(2021, 4, 27), D(2021, 5, 5), D(2021, 5, 13), D(2021, 5, 24)}
    assert days == [d for d in weekdays if d not in off]
    assert len(days) == 60
    assert D(2021, 4, 2) in days and D(2021, 5, 5) not in days


def test_previous_working_day_skips_koningsdag_and_weekend() -> None:
    assert calendar.vorige_werkdag(D(2021, 4, 28)) == D(2021, 4, 26)
    assert calendar.vorige_werkdag(D(2021, 5, 3)) == D(2021, 4, 30)
    assert calendar.werkdagen_terug(D(2021, 7, 1), 10) == D(2021, 6, 17)


def test_covering_working_day_carries_over_weekend() -> None:
    assert calendar.dekkende_werkdag(D(2021, 5, 15)) == D(2021, 5, 14)
    assert calendar.dekkende_werkdag(D(2021, 5, 24)) == D(2021, 5, 21)
    assert calendar.dekkende_werkdag(D(2021, 5, 25)) == D(2021, 5, 25)


def test_quarters() -> None:
    q = Kwartaal.parse("2021Q1")
    assert (q.begin, q.eind, str(q.vorige), str(q.volgende)) == (
        D(2021, 1, 1),
        D(2021, 3, 31),
        "2020Q4",
        "2021Q2",
    )
    assert Kwartaal.van(D(2021, 12, 31)) == Kwartaal(2021, 4)
    for bad in ("2021Q5", "2021-Q1", "Q5 2021", "Q1 21", "Q12021", ""):
        with pytest.raises(InvalidDateError, match="geen kwartaal"):
            Kwartaal.parse(bad)
    # The form the reports print is read back as the key; a line never breaks inside it.
    assert Kwartaal.parse("Q1 2021") == Kwartaal.parse(" Q1\u00a02021 ") == q
    assert (q.tekst, str(q)) == ("Q1 2021", "2021Q1")
    assert calendar.kwartalen_heel("t/m Q1 2021, niet Q5 2021 of EQ1 2021") == (
        "t/m Q1\u00a02021, niet Q5 2021 of EQ1 2021"
    )
    assert calendar.week_tekst(2021, 5) == "week 5 van 2021"


def test_today_can_be_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEDCAP_VANDAAG", "2021-04-27")
    assert calendar.vandaag() == D(2021, 4, 27)
    assert calendar.nu().date() == D(2021, 4, 27)
    monkeypatch.setenv("BEDCAP_VANDAAG", "27-04-2021")
    with pytest.raises(InvalidDateError, match="verwacht: JJJJ-MM-DD"):
        calendar.vandaag()


def test_today_and_moments_are_read_in_the_given_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    from zoneinfo import ZoneInfo

    monkeypatch.delenv(calendar.VANDAAG_ENV, raising=False)
    tokyo = ZoneInfo("Asia/Tokyo")
    assert calendar.nu(tokyo).utcoffset() == dt.timedelta(hours=9)
    assert calendar.vandaag(tokyo) == dt.datetime.now(tokyo).date()
    moment = calendar.parse_tijdstip("2021-06-15T14:00", tokyo)
    assert moment.utcoffset() == dt.timedelta(hours=9)
    end_of_day = calendar.parse_tijdstip("2021-06-15", tokyo)
    assert end_of_day.tzinfo is tokyo and end_of_day.time() == dt.time.max
    assert calendar.parse_tijdstip("2021-06-15T14:00").utcoffset() == dt.timedelta(hours=2)
