"""Numbers and dates the Dutch way, through Babel (CLDR), for everything a person reads.

`1.913`, `26,6`, `45,2%`, `29 november 2026`: the locale's own patterns, never string
tricks, so thousands separators, decimal commas and month names stay right.
"""

from __future__ import annotations

import datetime as dt

from bedcap.calendar import MAANDEN as MAANDEN  # the month names live in `calendar`
from bedcap.calendar import datum_tekst

LOCALE = "nl_NL"
LEEG = "–"  # an empty cell


def getal(value: float | int | None, decimalen: int | None = None) -> str:
    """`1.913` for an int, `26,6` for a float (one decimal unless `decimalen` says otherwise)."""
    from babel.numbers import format_decimal

    if value is None:
        return LEEG
    if decimalen is None:
        decimalen = 0 if isinstance(value, int) else 1
    pattern = "#,##0" + ("." + "0" * decimalen if decimalen else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def procent(value: float | None, decimalen: int = 1) -> str:
    """A percentage given as 0–100: `45,2%`."""
    from babel.numbers import format_percent

    if value is None:
        return LEEG
    pattern = "#,##0" + ("." + "0" * decimalen if decimalen else "") + "%"
    return format_percent(value / 100.0, format=pattern, locale=LOCALE)


def datum(day: dt.date | None, lang: bool = True) -> str:
    """`29 november 2026` (lang) or `29 nov 2026` (in tables)."""
    from babel.dates import format_date

    if day is None:
        return LEEG
    return format_date(day, "long" if lang else "medium", locale=LOCALE)


def moment(when: dt.datetime) -> str:
    """`29 november 2026 om 13:05`."""
    from babel.dates import format_time

    return f"{datum(when.date())} om {format_time(when, 'HH:mm', locale=LOCALE)}"


def maand(day: dt.date) -> str:
    """`september 2026`: the month of `day`, as a report period."""
    from babel.dates import format_date

    return format_date(day, "MMMM yyyy", locale=LOCALE)


def kort(day: dt.date) -> str:
    """`29 nov`, for chart axes."""
    from babel.dates import format_date

    return format_date(day, "d MMM", locale=LOCALE)


def verschil(value: float | None, decimalen: int = 1, teken: str = "") -> str:
    """A signed change: `+1,5`, `−2`, `0`; `teken` is appended (such as ` procentpunt`)."""
    if value is None:
        return LEEG
    if round(value, decimalen) == 0:
        return getal(0, 0) + teken
    sign = "+" if value > 0 else "−"
    return sign + getal(abs(value), decimalen) + teken


# The terminal's tables (`available`, `history`, `check`) answer within about the time it
# takes to import DuckDB; Babel's import and locale data cost 0.04 s more. These two give
# exactly what `datum` and `getal` give for the forms those tables use
# (tests/test_dutch_fast.py compares them with Babel over many values).


def datum_snel(day: dt.date) -> str:
    """`29 november 2026`, as `datum(day)`, without Babel."""
    return datum_tekst(day)


def getal_snel(value: float | int, decimalen: int = 0) -> str:
    """`1.913` or `1.649,5`, as `getal(value, decimalen)`, without Babel: the decimal
    written is rounded half to even, as Babel rounds it."""
    from decimal import ROUND_HALF_EVEN, Decimal

    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimalen), ROUND_HALF_EVEN)
    text = f"{exact:,.{decimalen}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
