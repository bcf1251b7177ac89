"""The terminal's Babel-free Dutch dates and numbers equal Babel's (CLDR) exactly."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bedcap.outputs import dutch


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_a_day_reads_as_babel_writes_it(day: dt.date) -> None:
    assert dutch.datum_snel(day) == dutch.datum(day)


@given(
    st.one_of(
        st.integers(-10_000_000, 10_000_000),
        st.floats(-1e7, 1e7, allow_nan=False).map(lambda x: round(x, 3)),
    ),
    st.integers(0, 2),
)
def test_a_number_reads_as_babel_writes_it(value: float, decimalen: int) -> None:
    assert dutch.getal_snel(value, decimalen) == dutch.getal(value, decimalen)
