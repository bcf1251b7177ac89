"""Which days are working days (issue 14, item 13): the Algemene termijnenwet by default,
another rule or the LCBB's own exceptions from `bedcap.toml`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedcap import calendar

D = dt.date


@pytest.fixture(autouse=True)
def default_rule() -> Iterator[None]:
    yield
    calendar.stel_werkdagen_in(calendar.Werkdagregeling())


@pytest.mark.parametrize("year", [2021, 2024, 2025, 2026, 2027, 2030])
def test_algemene_termijnenwet_every_year(year: int) -> None:
    may5 = D(year, 5, 5)
    assert may5.weekday() >= 5 or not calendar.is_werkdag(may5)
    from dateutil.easter import easter

    good_friday = easter(year) - dt.timedelta(days=2)
    assert calendar.is_werkdag(good_friday)
    assert not calendar.is_werkdag(easter(year) + dt.timedelta(days=1))  # Tweede Paasdag
    assert not calendar.is_werkdag(D(year, 12, 25)) or D(year, 12, 25).weekday() >= 5


def test_the_holidays_package_rule_keeps_good_friday_off() -> None:
    calendar.stel_werkdagen_in(calendar.Werkdagregeling(calendar.FEESTDAGEN_NL))
    assert not calendar.is_werkdag(D(2026, 4, 3))
    assert calendar.is_werkdag(D(2026, 5, 5))
    assert "Goede Vrijdag" in calendar.werkdagregeling().omschrijving


def test_extra_days_off_and_on() -> None:
    rule = calendar.Werkdagregeling(
        extra_vrij=frozenset({D(2026, 5, 15)}), extra_werk=frozenset({D(2026, 5, 14)})
    )
    calendar.stel_werkdagen_in(rule)
    assert not calendar.is_werkdag(D(2026, 5, 15))
    assert calendar.is_werkdag(D(2026, 5, 14))
    assert calendar.feestdag_naam(D(2026, 5, 15)) == "vrije dag volgens bedcap.toml"
    assert "ook vrij: 2026-05-15" in rule.omschrijving
    assert "toch werkdag: 2026-05-14" in rule.omschrijving


def test_names_of_days_off() -> None:
    assert calendar.feestdag_naam(D(2026, 5, 5)) == "Bevrijdingsdag"
    assert calendar.feestdag_naam(D(2026, 4, 3)) is None
    assert calendar.feestdag_naam(D(2026, 5, 14)) == "Hemelvaartsdag"


@pytest.mark.parametrize(
    ("made_on", "first"),
    [
        (D(2026, 5, 22), D(2026, 5, 7)),  # Friday
        (D(2026, 5, 23), D(2026, 5, 8)),  # Saturday: like the next working day
        (D(2026, 5, 24), D(2026, 5, 8)),  # Sunday
        (D(2026, 5, 25), D(2026, 5, 8)),  # Tweede Pinksterdag
        (D(2026, 5, 26), D(2026, 5, 8)),  # Tuesday
    ],
)
def test_the_correction_window_has_ten_working_days_before_any_day(
    made_on: dt.date, first: dt.date
) -> None:
    assert calendar.correctievenster_begin(made_on, 10) == first
    before = [d for d in calendar.werkdagen(first, made_on) if d < made_on]
    assert len(before) == 10
    assert calendar.correctievenster_begin(made_on, 0) == made_on


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # it only resets the rule
@given(
    st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    st.integers(min_value=-10, max_value=900),
)
def test_a_snapshots_age_counts_the_working_days_it_lists(dag: dt.date, dagen: int) -> None:
    """`werkdagen_na` counts arithmetically; it must agree with the days `werkdagen` lists."""
    tot = dag + dt.timedelta(days=dagen)
    listed = calendar.werkdagen(dag + dt.timedelta(days=1), tot) if tot > dag else []
    assert calendar.werkdagen_na(dag, tot) == len(listed)
