"""Working days, quarters and "today" in Europe/Amsterdam.

A working day is Monday to Friday and not a day off. Which days are off is set in
`bedcap.toml` (`werkdagen`, `extra_vrije_dagen`, `extra_werkdagen`); the default follows
the Algemene termijnenwet, the law that says which days a legal deadline skips:
the `holidays` package's NL calendar without Goede Vrijdag and with Bevrijdingsdag every
year (the package has it in lustrum years only). `BEDCAP_VANDAAG=YYYY-MM-DD` fixes
"today" for tests and replays.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

TIJDZONE = ZoneInfo("Europe/Amsterdam")
VANDAAG_ENV = "BEDCAP_VANDAAG"
KWARTAALCODE = re.compile(r"^(\d{4})Q([1-4])$")
"""A quarter's key: `--kwartaal`, folder and file names, JSON and CSV."""
_KWARTAAL_TEKST = re.compile(r"^Q([1-4])[ \u00a0]+(\d{4})$")  # as printed: "Q3 2026"
_KWARTAAL_IN_TEKST = re.compile(r"\bQ([1-4]) (\d{4})\b")
MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
"""CLDR's Dutch month names: for the layers below the outputs, which do not load Babel."""
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def datum_tekst(day: dt.date) -> str:
    """`29 november 2026`: a day as a person reads it (`outputs.dutch.datum` says the same
    through Babel)."""
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


def week_tekst(jaar: int, week: int) -> str:
    """`week 31 van 2026`: an ISO week as a person reads it (`2026-W31` is its key)."""
    return f"week {week} van {jaar}"


class InvalidDateError(ValueError):
    """A date, quarter or month written in a form bedcap does not read."""


@lru_cache(maxsize=1)
def _nl() -> type:
    """The NL calendar class, imported on first use (importing all of `holidays` costs 0.1 s)."""
    from holidays.countries.netherlands import Netherlands

    return Netherlands


_FEESTDAGEN: dict[int, frozenset[dt.date]] = {}

ALGEMENE_TERMIJNENWET = "algemene-termijnenwet"
FEESTDAGEN_NL = "feestdagen-nl"
REGELINGEN = {
    ALGEMENE_TERMIJNENWET: "Algemene termijnenwet: Nieuwjaarsdag, Tweede Paasdag, Koningsdag, "
    "Bevrijdingsdag (elk jaar), Hemelvaartsdag, Tweede Pinksterdag en beide Kerstdagen; "
    "Goede Vrijdag is een werkdag",
    FEESTDAGEN_NL: "de Nederlandse feestdagen van het holidays-pakket (met Goede Vrijdag; "
    "Bevrijdingsdag alleen in lustrumjaren)",
}


@dataclass(frozen=True)
class Werkdagregeling:
    """Which weekdays are no working day: a named rule plus the LCBB's own exceptions."""

    naam: str = ALGEMENE_TERMIJNENWET
    extra_vrij: frozenset[dt.date] = frozenset()
    extra_werk: frozenset[dt.date] = frozenset()

    @property
    def omschrijving(self) -> str:
        """Dutch, as the reports show it."""
        tekst = REGELINGEN[self.naam]
        if self.extra_vrij:
            tekst += "; ook vrij: " + ", ".join(d.isoformat() for d in sorted(self.extra_vrij))
        if self.extra_werk:
            tekst += "; toch werkdag: " + ", ".join(d.isoformat() for d in sorted(self.extra_werk))
        return tekst

    def sleutel(self) -> str:
        """A stable text naming the rule, for caches of holiday tables."""
        vrij = ",".join(sorted(d.isoformat() for d in self.extra_vrij))
        werk = ",".join(sorted(d.isoformat() for d in self.extra_werk))
        return f"{self.naam}|{vrij}|{werk}"


_REGELING = [Werkdagregeling()]


def stel_werkdagen_in(regeling: Werkdagregeling) -> None:
    """Use `regeling` (from `bedcap.toml`) for every working-day question from now on."""
    if regeling != _REGELING[0]:
        _REGELING[0] = regeling
        _FEESTDAGEN.clear()


def werkdagregeling() -> Werkdagregeling:
    """The rule in force (the Algemene termijnenwet unless `bedcap.toml` says otherwise)."""
    return _REGELING[0]


def _vrije_dagen(jaar: int, regeling: Werkdagregeling) -> frozenset[dt.date]:
    days = set(_nl()(years=jaar))
    if regeling.naam == ALGEMENE_TERMIJNENWET:
        from dateutil.easter import easter

        days.discard(easter(jaar) - dt.timedelta(days=2))  # Goede Vrijdag
        days.add(dt.date(jaar, 5, 5))  # Bevrijdingsdag, every year
    days |= {d for d in regeling.extra_vrij if d.year == jaar}
    days -= regeling.extra_werk
    return frozenset(days)


_BRON: list[Callable[[int], None] | None] = [None]


def feestdagen_bron(laad: Callable[[int], None] | None) -> None:
    """Where a year's days off come from before they are worked out: `laad(jaar)` may seed
    them (`feestdagen_laden`) from a repository's cache (`files.daysoff`), so no command
    that asks a working-day question imports `holidays` once its repository remembers
    the year. Set where the repository puts its working-day rule in force."""
    _BRON[0] = laad


def _feestdagen(jaar: int) -> frozenset[dt.date]:
    found = _FEESTDAGEN.get(jaar)
    if found is None and (laad := _BRON[0]) is not None:
        _BRON[0] = None  # the source may work out what it lacks through this very table
        try:
            laad(jaar)
        finally:
            _BRON[0] = laad
        found = _FEESTDAGEN.get(jaar)
    if found is None:
        found = _FEESTDAGEN[jaar] = _vrije_dagen(jaar, _REGELING[0])
    return found


def feestdagen(jaren: Iterable[int]) -> dict[int, list[str]]:
    """Holidays per year as ISO strings, for a cache that spares the next run the import."""
    return {jaar: sorted(d.isoformat() for d in _feestdagen(jaar)) for jaar in jaren}


def feestdagen_laden(bekend: Mapping[int | str, Iterable[str]]) -> None:
    """Seed the holiday table from a cache written by `feestdagen`."""
    for jaar, days in bekend.items():
        _FEESTDAGEN.setdefault(int(jaar), frozenset(map(dt.date.fromisoformat, days)))


def is_werkdag(dag: dt.date) -> bool:
    return dag.weekday() < 5 and dag not in _feestdagen(dag.year)


def feestdag_naam(dag: dt.date) -> str | None:
    """The holiday's name, for messages that explain why a day is not required."""
    if dag not in _feestdagen(dag.year):
        return None
    if dag in _REGELING[0].extra_vrij:
        return "vrije dag volgens bedcap.toml"
    if (dag.month, dag.day) == (5, 5):
        return "Bevrijdingsdag"
    name = _nl()(years=dag.year, language="nl").get(dag)
    return str(name) if name else None


def werkdagen(van: dt.date, tot: dt.date) -> list[dt.date]:
    """Working days from `van` up to and including `tot`."""
    days = []
    dag = van
    while dag <= tot:
        if is_werkdag(dag):
            days.append(dag)
        dag += dt.timedelta(days=1)
    return days


def vorige_werkdag(dag: dt.date) -> dt.date:
    """The last working day strictly before `dag`."""
    dag -= dt.timedelta(days=1)
    while not is_werkdag(dag):
        dag -= dt.timedelta(days=1)
    return dag


def correctievenster_begin(vandaag: dt.date, werkdagen_terug_: int) -> dt.date:
    """The oldest peildatum that may still be corrected on `vandaag`.

    The window is the same number of working days before the day the correction is made,
    whether that day is a working day or not: `werkdagen_terug_` working days before it,
    plus the day itself. A Saturday, Sunday or holiday thus has the window of the next
    working day, never one working day more.
    """
    if is_werkdag(vandaag):
        return werkdagen_terug(vandaag, werkdagen_terug_)
    dag = vandaag
    for _ in range(werkdagen_terug_):
        dag = vorige_werkdag(dag)
    return dag


def werkdagen_terug(dag: dt.date, aantal: int) -> dt.date:
    """The working day `aantal` working days before `dag` (0: `dag` itself or the one before)."""
    if not is_werkdag(dag):
        dag = vorige_werkdag(dag)
    for _ in range(aantal):
        dag = vorige_werkdag(dag)
    return dag


def parse_datum(tekst: str) -> dt.date:
    try:
        return dt.date.fromisoformat(tekst.strip())
    except ValueError as exc:
        raise InvalidDateError(f"{tekst!r} is geen datum; verwacht: JJJJ-MM-DD") from exc


def _vast() -> tuple[dt.date, dt.time | None] | None:
    """`BEDCAP_VANDAAG` as a day and, when given (`2026-05-20T09:00`), a clock time."""
    fixed = os.environ.get(VANDAAG_ENV)
    if not fixed:
        return None
    dag, _, tijd = fixed.strip().partition("T")
    try:
        return parse_datum(dag), dt.time.fromisoformat(tijd) if tijd else None
    except ValueError as exc:
        raise InvalidDateError(
            f"{VANDAAG_ENV}={fixed!r}; verwacht: JJJJ-MM-DD of JJJJ-MM-DDTUU:MM"
        ) from exc


def vandaag(zone: tzinfo = TIJDZONE) -> dt.date:
    """Today in `zone` (the repository's `tijdzone`), or `BEDCAP_VANDAAG` when set."""
    fixed = _vast()
    if fixed:
        return fixed[0]
    return dt.datetime.now(zone).date()


def nu(zone: tzinfo = TIJDZONE) -> dt.datetime:
    """Now in `zone`; with `BEDCAP_VANDAAG` set, that day at its time if it gives one (so
    a test stands before or after the deadline), else at the current clock time."""
    now = dt.datetime.now(zone)
    fixed = _vast()
    if fixed:
        dag, tijd = fixed
        clock = now.timetz() if tijd is None else tijd.replace(tzinfo=zone)
        now = dt.datetime.combine(dag, clock)
    return now


@dataclass(frozen=True, order=True)
class Kwartaal:
    jaar: int
    nummer: int

    @classmethod
    def parse(cls, tekst: str) -> Kwartaal:
        """The key (`2021Q2`), or the quarter as the reports print it (`Q2 2021`)."""
        match = KWARTAALCODE.match(tekst.strip())
        if match:
            return cls(int(match.group(1)), int(match.group(2)))
        printed = _KWARTAAL_TEKST.match(tekst.strip())
        if printed:
            return cls(int(printed.group(2)), int(printed.group(1)))
        raise InvalidDateError(
            f"{tekst!r} is geen kwartaal; verwacht: JJJJQn, zoals 2021Q2 (of Q2 2021)"
        )

    @classmethod
    def van(cls, dag: dt.date) -> Kwartaal:
        return cls(dag.year, (dag.month - 1) // 3 + 1)

    @property
    def begin(self) -> dt.date:
        return dt.date(self.jaar, 3 * self.nummer - 2, 1)

    @property
    def eind(self) -> dt.date:
        return self.volgende.begin - dt.timedelta(days=1)

    @property
    def vorige(self) -> Kwartaal:
        return (
            Kwartaal(self.jaar - 1, 4) if self.nummer == 1 else Kwartaal(self.jaar, self.nummer - 1)
        )

    @property
    def volgende(self) -> Kwartaal:
        return (
            Kwartaal(self.jaar + 1, 1) if self.nummer == 4 else Kwartaal(self.jaar, self.nummer + 1)
        )

    def __str__(self) -> str:
        return f"{self.jaar}Q{self.nummer}"

    @property
    def tekst(self) -> str:
        """As a Dutch reader writes it ("Q3 2026", which also reads after "in": "meer dan
        in Q2 2026"); `str` is the key of files, options and JSON."""
        return f"Q{self.nummer} {self.jaar}"


def kwartalen_heel(tekst: str) -> str:
    """`tekst` with each "Q3 2026" joined by a no-break space: a line of a page never ends
    between a quarter and its year (HTML and PDF; workbooks keep the plain space)."""
    return _KWARTAAL_IN_TEKST.sub("Q\\1\u00a0\\2", tekst)


def dekkende_werkdag(dag: dt.date) -> dt.date:
    """The working day whose counts stand for `dag`: itself, or the last one before it.

    A working day's `bezet` is carried over the following non-working days; this is the
    one rule behind every implied bed-day (ligdag) figure.
    """
    return dag if is_werkdag(dag) else vorige_werkdag(dag)


def dagen(van: dt.date, tot: dt.date) -> list[dt.date]:
    """Every calendar day from `van` up to and including `tot`."""
    return [van + dt.timedelta(days=i) for i in range((tot - van).days + 1)]


def _weekdagen_voor(dag: dt.date) -> int:
    """Mondays to Fridays before `dag` since 1 January of year 1 (a Monday)."""
    weken, rest = divmod(dag.toordinal() - 1, 7)
    return 5 * weken + min(rest, 5)


def werkdagen_na(dag: dt.date, tot: dt.date) -> int:
    """How many working days lie after `dag` up to and including `tot`: a snapshot's age.

    Counted, not listed: `available` asks it once per location (0.03 s for 460 listings)."""
    if tot <= dag:
        return 0
    een = dt.timedelta(days=1)
    weekdagen = _weekdagen_voor(tot + een) - _weekdagen_voor(dag + een)
    vrij = sum(
        1
        for jaar in range(dag.year, tot.year + 1)
        for d in _feestdagen(jaar)
        if dag < d <= tot and d.weekday() < 5
    )
    return weekdagen - vrij


def parse_tijdstip(tekst: str, zone: tzinfo = TIJDZONE) -> dt.datetime:
    """A moment as users write it; without a zone it is in `zone` (Amsterdam by default).

    A date alone means the end of that day: "as known on 15 June" includes everything
    committed that day.
    """
    value = tekst.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time.max, zone)
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidDateError(
            f"{tekst!r} is geen tijdstip; verwacht: JJJJ-MM-DD of JJJJ-MM-DDTUU:MM[:SS][+01:00]"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
