"""The gate on the state: per provider, what was expected, received, on time and late.

A working day is due once its deadline has passed in the repository's time zone; the
window is `volledigheidsvenster_werkdagen` of `bedcap.toml`. The same rule counts
completeness in the quarterly report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bedcap import calendar
from bedcap.files.repo import SNAPSHOTS, DataRepo
from bedcap.findings.catalogue import Ernst, Finding, Result, finding
from bedcap.gate.confidential import check_recipients


@dataclass
class Stand:
    """One provider's submissions over the window."""

    aanbieder: str
    verwacht: list[dt.date] = field(default_factory=list)
    ontvangen: list[dt.date] = field(default_factory=list)
    op_tijd: list[dt.date] = field(default_factory=list)
    te_laat: list[dt.date] = field(default_factory=list)
    ontbrekend: list[dt.date] = field(default_factory=list)
    nieuwste: dt.date | None = None
    verouderd: bool = False
    correcties: int = 0

    def record(self) -> dict[str, Any]:
        return {
            "aanbieder": self.aanbieder,
            "verwacht": len(self.verwacht),
            "verwacht_dagen": [d.isoformat() for d in self.verwacht],
            "ontvangen": len(self.ontvangen),
            "op_tijd": len(self.op_tijd),
            "te_laat": [d.isoformat() for d in self.te_laat],
            "ontbrekend": [d.isoformat() for d in self.ontbrekend],
            "nieuwste": self.nieuwste.isoformat() if self.nieuwste else None,
            "verouderd": self.verouderd,
            "correcties": self.correcties,
        }


@dataclass(frozen=True)
class Periode:
    """When a ward is active or a participant takes part: both ends included, None open."""

    vanaf: dt.date | None
    tot: dt.date | None

    def geldt(self, dag: dt.date) -> bool:
        return (self.vanaf is None or self.vanaf <= dag) and (self.tot is None or dag <= self.tot)

    @classmethod
    def van(cls, vanaf: str | None, tot: str | None) -> Periode:
        return cls(
            dt.date.fromisoformat(vanaf) if vanaf else None,
            dt.date.fromisoformat(tot) if tot else None,
        )


def _expected_periods(
    repo: DataRepo, jaren: Iterable[int]
) -> tuple[dict[str, list[Periode]], dict[str, Periode]]:
    """Every provider's wards' active periods and every participant's participation.

    From the static facts kept in `.bedcap/` (`store.statics`: a warm run parses no YAML
    and imports neither pydantic's models nor the holiday calendar, which `jaren` seeds);
    a location file that does not validate is left out (`bedcap validate` reports it).
    """
    from bedcap.store import statics

    feiten = statics.load(repo, jaren)
    wards: dict[str, list[Periode]] = {}
    for key, loc in feiten.locaties.items():
        periods = [
            Periode.van(a["actief_vanaf"], a["actief_tot"]) for a in loc["afdelingen"].values()
        ]
        wards.setdefault(key.partition("/")[0], []).extend(periods)
    people = {
        wie: Periode.van(d.get("deelname_vanaf"), d.get("deelname_tot"))
        for wie, d in feiten.deelname.items()
    }
    return wards, people


def _submitted_at(repo: DataRepo, rels: list[str]) -> dict[str, float]:
    """Earliest `ingediend_op` of each readable file, as a POSIX time."""
    if not rels:
        return {}
    from bedcap.store.cache import in_memory
    from bedcap.store.rows import load_files

    con = in_memory()
    try:
        load_files(con, "snapshots", repo.root, rels)
        rows = con.execute(
            "SELECT pad, epoch(min(ingediend_op)) FROM snapshots GROUP BY pad"
        ).fetchall()
    finally:
        con.close()
    return {rel: float(t) for rel, t in rows if t is not None}


def due_days(settings: Any, now: dt.datetime) -> list[dt.date]:
    """The working days of the window whose deadline has passed, oldest first."""
    from bedcap.store.freshness import laatste_verplichte_dag

    last = laatste_verplichte_dag(now, settings.deadline_tijd, ZoneInfo(settings.tijdzone))
    first = calendar.werkdagen_terug(last, settings.volledigheidsvenster_werkdagen - 1)
    return calendar.werkdagen(first, last)


def stands(
    repo: DataRepo,
    days: list[dt.date],
    settings: Any,
    today: dt.date,
    submitted: dict[str, float] | None = None,
) -> list[Stand]:
    """Per provider: expected, received, on time and late over `days`, oldest first.

    Only files dated on or before `today` count (the state as it was that day). A day is
    expected while the provider takes part and one of its wards is active. On time means
    the file first reached the branch by the deadline (`punctuality.arrivals`); without
    git history its earliest `ingediend_op` decides: `submitted` (path → POSIX time) from
    the cache when a caller has it, otherwise the window's files are read.
    """
    from bedcap.gate import punctuality

    wards, people = _expected_periods(repo, {d.year for d in (*days, today)})
    found: list[tuple[Stand, list[str]]] = []
    for aanbieder in sorted(wards):
        stand = Stand(aanbieder)
        # The window's dates; all of them only when none is that recent (for `nieuwste`).
        dates = (repo.snapshot_dates(aanbieder, days[0]) if days else []) or (
            repo.snapshot_dates(aanbieder)
        )
        dates = [d for d in dates if d <= today]
        stand.nieuwste = max(dates) if dates else None
        have = set(dates)
        person = people.get(aanbieder)
        stand.verwacht = [
            d
            for d in days
            if any(w.geldt(d) for w in wards[aanbieder]) and (person is None or person.geldt(d))
        ]
        stand.ontvangen = [d for d in stand.verwacht if d in have]
        stand.ontbrekend = [d for d in stand.verwacht if d not in have]
        last_due = days[-1] if days else None
        active_now = any(w.geldt(today) for w in wards[aanbieder]) and (
            person is None or person.geldt(today)
        )
        stand.verouderd = bool(
            active_now and last_due and (stand.nieuwste is None or stand.nieuwste < last_due)
        )
        found.append((stand, [repo.snapshot_path(aanbieder, d) for d in stand.ontvangen]))
    arrived = punctuality.arrivals(repo, days)
    if submitted is None:  # one read of all the window's files, not one per provider
        rels = [rel for _, rels in found for rel in rels if rel not in arrived]
        submitted = _submitted_at(repo, rels)
    corrected = punctuality.corrections(repo, days[0], days[-1]) if days else {}
    deadline, zone = settings.deadline_tijd, ZoneInfo(settings.tijdzone)
    for stand, rels in found:
        stand.correcties = corrected.get(stand.aanbieder, 0)
        for day, rel in zip(stand.ontvangen, rels, strict=True):
            limit = dt.datetime.combine(day, deadline, zone).timestamp()
            when = arrived.get(rel, submitted.get(rel))
            if when is not None and when <= limit:
                stand.op_tijd.append(day)
            else:
                stand.te_laat.append(day)
    return [stand for stand, _ in found]


def check_state(repo: DataRepo, now: dt.datetime) -> tuple[list[Stand], Result]:
    """Freshness and completeness of every provider over the window of `bedcap.toml`."""
    from bedcap.store import statics

    settings = repo.settings()
    now = now.astimezone(ZoneInfo(settings.tijdzone))
    statics.load(repo, {now.year - 1, now.year})  # seeds the days off from `.bedcap/`
    found = stands(repo, due_days(settings, now), settings, now.date())
    result = Result()
    for stand in found:
        result.extend(_state_findings(repo, stand))
    result.extend(check_recipients(repo))  # issue 15: plaintext, or keys changed since
    result.bestanden = sum(len(s.ontvangen) for s in found)
    return found, result


def _state_findings(repo: DataRepo, stand: Stand) -> Iterable[Finding]:
    for day in stand.ontbrekend:
        yield finding(
            "aanlevering-ontbreekt",
            repo.snapshot_path(stand.aanbieder, day),
            gevonden=day,
            aanbieder=stand.aanbieder,
        )
    if stand.verouderd:
        yield finding(
            "aanbieder-verouderd",
            f"{SNAPSHOTS}/{stand.aanbieder}/",
            gevonden=stand.nieuwste or "geen",
            aanbieder=stand.aanbieder,
        )
    for day in stand.te_laat:
        yield finding(
            "aanlevering-te-laat",
            repo.snapshot_path(stand.aanbieder, day),
            gevonden=day,
            ernst=Ernst.WAARSCHUWING,
        )
