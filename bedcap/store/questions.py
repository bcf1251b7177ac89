"""One function per read command: which day, which files, which rows.

`available` and `history` ask the same store in two ways (now, or "as known at" a moment
from git); the choice of day and source is made here so the command line only parses and
renders, and a test or a benchmark asks exactly what the command asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from bedcap.errors import UsageError
from bedcap.files import daysoff
from bedcap.files.repo import DataRepo
from bedcap.store import freshness, sources
from bedcap.store.cache import Progress, Sync
from bedcap.store.query import DEADLINE, Bron, Filter, Naar, Per, beschikbaar, geschiedenis

HISTORY_DAYS = 365
"""Without `--van`, history covers this many days before `--tot`."""


@dataclass
class Antwoord:
    """The rows a read command shows, with the source they came from."""

    bron: Bron
    records: list[dict[str, Any]]
    van: dt.date
    tot: dt.date
    moment: dt.datetime | None
    melding: str = ""  # a running period: where counting stopped, for the header


def check_ids(bron: Bron, filt: Filter) -> None:
    """Unknown region or provider ids are typing errors, not an empty answer."""
    known_regios = {loc["regio"] for loc in bron.statisch.locaties.values()}
    known_aanbieders = {key.split("/")[0] for key in bron.statisch.locaties}
    for option, values, known in (
        ("--regio", filt.regio, known_regios),
        ("--aanbieder", filt.aanbieder, known_aanbieders),
    ):
        for value in values:
            if value not in known:
                raise UsageError(
                    f"{option} {value!r} is onbekend; bekend: {', '.join(sorted(known))}"
                )


@contextmanager
def available(
    repo: DataRepo,
    filt: Filter,
    *,
    vandaag: dt.date,
    zone: dt.tzinfo,
    op: dt.date | None = None,
    zoals_bekend_op: dt.datetime | None = None,
    nu: dt.datetime | None = None,
    deadline: dt.time = DEADLINE,
) -> Iterator[Antwoord]:
    """Per provider its newest snapshot on or before the day: `op`, else the day of
    `zoals_bekend_op` in the repository's zone, else today. A future day is refused.

    Freshness is judged at `nu` for today (before or after `deadline`), at the end of
    the day for a past day, and as known at a moment at that moment (before its day's
    deadline, the day before's counts were not yet stale then)."""
    moment = zoals_bekend_op.astimezone(zone) if zoals_bekend_op else None  # shown on its clock
    if op is not None:
        dag = op
    elif moment is not None:
        dag = moment.astimezone(zone).date()
    else:
        dag = vandaag
    if dag > vandaag:
        optie = "--op" if op is not None else "de dag van --zoals-bekend-op"
        raise UsageError(f"{optie} {dag} ligt in de toekomst; vandaag is {vandaag}")
    context = (
        sources.current(repo, dag, {dag.year, dag.year - 1})
        if moment is None
        else sources.current_known_at(repo, moment, dag, {dag.year, dag.year - 1})
    )
    with context as bron:
        check_ids(bron, filt)
        referentie: dt.date | dt.datetime = nu if nu is not None and dag == vandaag else dag
        if moment is not None and op is None:
            referentie = moment if nu is None else min(moment, nu)
        records = beschikbaar(bron, dag, filt, referentie, deadline, zone)
        yield Antwoord(bron, records, dag, dag, moment)


@contextmanager
def history(
    repo: DataRepo,
    filt: Filter,
    *,
    vandaag: dt.date,
    per: Per,
    naar: Naar,
    van: dt.date | None = None,
    tot: dt.date | None = None,
    zoals_bekend_op: dt.datetime | None = None,
    zone: dt.tzinfo,
    geen_cache: bool = False,
    progress: Progress | None = None,
    report: Callable[[Sync], None] | None = None,
    nu: dt.datetime | None = None,
    deadline: dt.time = DEADLINE,
) -> Iterator[Antwoord]:
    """Working-day statistics from `van` to `tot` (default: the year up to today, or up
    to the day of `zoals_bekend_op` in `zone`, as `available` takes it), from the cache,
    or as committed at `zoals_bekend_op`.

    With `nu`, a range that runs into today stops at the last day that has passed or is
    due (`freshness.afkappen`): no counts are carried into days that have not happened."""
    eind = tot or vandaag
    if zoals_bekend_op is not None:
        zoals_bekend_op = zoals_bekend_op.astimezone(zone)  # shown on the repository's clock
        dag = zoals_bekend_op.astimezone(zone).date()
        if dag > vandaag:  # as `available` refuses it
            raise UsageError(
                f"de dag van --zoals-bekend-op {dag} ligt in de toekomst; vandaag is {vandaag}"
            )
        eind = tot or dag
    begin = van or eind - dt.timedelta(days=HISTORY_DAYS)
    if begin > eind:
        grens = "--tot" if tot or zoals_bekend_op is None else "de dag van --zoals-bekend-op"
        raise UsageError(f"--van {begin} ligt na {grens} {eind}")
    melding = ""
    jaren = set(range(begin.year, eind.year + 1))
    if nu is not None:
        # As known at a moment, the period ran then: cut where the dashboard cut it.
        klok = nu if zoals_bekend_op is None else min(nu, zoals_bekend_op)
        # Cutting at today asks about today's year: seed it with the rest, from one file.
        daysoff.seed(repo.cache_dir, repo.tmp_dir, jaren | {klok.year - 1, klok.year, nu.year})
        cut = freshness.afkappen(eind, klok, deadline, zone)
        eind, melding = cut.tot, cut.melding
    context: AbstractContextManager[Bron]
    if zoals_bekend_op is None:
        context = sources.cached(
            repo,
            vandaag=vandaag,
            geen_cache=geen_cache,
            progress=progress,
            report=report,
            jaren=jaren,
        )
    else:
        context = sources.history_known_at(
            repo,
            zoals_bekend_op,
            eind,
            vandaag=vandaag,
            geen_cache=geen_cache,
            progress=progress,
            jaren=jaren,
        )
    with context as bron:
        check_ids(bron, filt)
        records = geschiedenis(bron, begin, eind, per, naar, filt) if begin <= eind else []
        yield Antwoord(bron, records, begin, eind, zoals_bekend_op, melding)
