"""The static dashboard site: an overview, the availability table and a page per location.

Every figure comes from the query layer (`query.beschikbaar`, `query.geschiedenis`), so
the site shows what `bedcap available` and `bedcap history` show. The site is plain
files: no external host, the table readable without JavaScript (filters and sorting are
an enhancement), ready for GitHub or GitLab Pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedcap import calendar
from bedcap.contract.patterns import SNAPSHOT_COLUMNS
from bedcap.contract.vocab import Rechtskader, Specialisme, Voorziening, Zorgtype
from bedcap.files.repo import DataRepo
from bedcap.outputs import dutch
from bedcap.outputs.labels import load_namen
from bedcap.outputs.sitefiles import check_target, write_site
from bedcap.store import sources
from bedcap.store.query import Filter, Naar, Per, beschikbaar, geschiedenis

TREND_DAGEN = 90
# The columns the rows carry as data- attributes, named as in the snapshot.
DATA_KOLOMMEN = tuple(c for c in SNAPSHOT_COLUMNS if c not in ("toelichting", "ingediend_op"))


@dataclass(frozen=True)
class Pagina:
    titel: str
    gemaakt_op: str
    bron: str
    # The build moment, deadline and days off, for ages worked out in the browser.
    klok: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Totaal:
    label: str
    capaciteit: int
    beschikbaar: int
    gereserveerd: int


@dataclass(frozen=True)
class Trend:
    """A 90-day line chart as SVG coordinates with axes, and its numbers for screen readers."""

    breedte: int
    hoogte: int
    capaciteit: str  # polyline points
    beschikbaar: str
    van: str
    tot: str
    max_capaciteit: int
    gem_beschikbaar: float
    min_beschikbaar: int
    max_beschikbaar: int
    links: int = 0  # the plotting area: left, right, top and bottom edges
    rechts: int = 0
    boven: int = 0
    onder: int = 0
    y_ticks: tuple[tuple[float, str], ...] = ()  # (y, label)
    x_ticks: tuple[tuple[float, str], ...] = ()  # (x, Dutch date)
    laatste: tuple[tuple[float, float, str], ...] = ()  # the last values: (x, y, label)


@dataclass
class LocatiePagina:
    pagina: Pagina
    aanbieder: str
    aanbieder_naam: str
    locatie: str
    naam: str
    regio: str
    adres: str
    telefoon: str
    email: str
    bereikbaarheid: str
    rechtskaders: list[str]
    contra_indicaties: list[str]
    rijen: list[dict[str, Any]]
    trend: Trend | None
    terug: str = "../../index.html"


@dataclass
class Overzicht:
    pagina: Pagina
    peildatum: str
    totaal: Totaal
    per_niveau: list[Totaal]
    verouderd: list[dict[str, str]]
    rijen: list[dict[str, Any]]
    keuzes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # value, label
    data_kolommen: tuple[str, ...] = DATA_KOLOMMEN
    peildatum_tekst: str = ""  # the day as people read it, `29 november 2026`


def _totaal(label: str, rows: list[dict[str, Any]]) -> Totaal:
    """Rows without counts ("geen aanlevering") add nothing."""
    return Totaal(
        label,
        sum(r["capaciteit"] or 0 for r in rows),
        sum(r["beschikbaar"] or 0 for r in rows),
        sum(r["gereserveerd"] or 0 for r in rows),
    )


def _trend(series: list[dict[str, Any]], van: dt.date, tot: dt.date) -> Trend | None:
    if not series:
        return None

    breedte, hoogte = 640, 200
    links, rechts, boven, onder = 44, breedte - 96, 12, hoogte - 28
    top = max(r["capaciteit_max"] for r in series) or 1
    span = max((tot - van).days, 1)

    def x_of(day: dt.date) -> float:
        return round(links + (day - van).days / span * (rechts - links), 1)

    def y_of(value: float) -> float:
        return round(onder - value / top * (onder - boven), 1)

    def points(key: str) -> str:
        return " ".join(f"{x_of(r['van'])},{y_of(r[key])}" for r in series)

    free = [r["beschikbaar_gem"] for r in series]
    last = series[-1]
    days = [van + dt.timedelta(days=round(span * i / 3)) for i in range(4)]
    return Trend(
        breedte,
        hoogte,
        points("capaciteit_gem"),
        points("beschikbaar_gem"),
        dutch.datum(van),
        dutch.datum(tot),
        int(top),
        round(sum(free) / len(free), 1),
        int(min(free)),
        int(max(free)),
        links,
        rechts,
        boven,
        onder,
        tuple((y_of(v), dutch.getal(v)) for v in (0, round(top / 2), int(top))),
        tuple((x_of(d), dutch.kort(d)) for d in days),
        (
            (
                x_of(last["van"]),
                y_of(last["capaciteit_gem"]),
                f"capaciteit {dutch.getal(last['capaciteit_gem'])}",
            ),
            (
                x_of(last["van"]),
                y_of(last["beschikbaar_gem"]),
                f"vrij {dutch.getal(last['beschikbaar_gem'])}",
            ),
        ),
    )


def _rows(records: list[dict[str, Any]], namen: Any) -> list[dict[str, Any]]:
    """The records with what a person reads: names, labels, freshness, the page link."""
    from bedcap.outputs import dutch
    from bedcap.outputs.labels import WAARDEN

    rows = []
    for r in records:
        rows.append(
            {
                **r,
                "pagina": f"locaties/{r['aanbieder']}/{r['locatie']}.html",
                "regio_naam": namen.regio.get(r["regio"], r["regio"]),
                "specialisme_naam": WAARDEN["specialisme"].get(r["specialisme"], r["specialisme"]),
                "voorziening_naam": WAARDEN["voorziening"].get(r["voorziening"], r["voorziening"]),
                "zorgtype_naam": WAARDEN["zorgtype"].get(r["zorgtype"], r["zorgtype"]),
                "peildatum_tekst": dutch.datum(r["peildatum"]) if r["peildatum"] else "",
            }
        )
    return rows


def _klok(nu: dt.datetime, op: dt.date, klok: Any) -> dict[str, Any]:
    """What the page's script needs to judge ages with the reader's clock (issue 14)."""
    vrij = [
        d.isoformat()
        for d in calendar.dagen(dt.date(op.year - 1, 1, 1), dt.date(op.year + 1, 12, 31))
        if d.weekday() < 5 and not calendar.is_werkdag(d)
    ]
    return {
        "gebouwd": nu.astimezone(dt.UTC).isoformat(),
        "deadline": klok.deadline.strftime("%H:%M"),
        "tijdzone": str(klok.zone),
        "vrije_dagen": vrij,
    }


def build(
    repo_pad: Path | None,
    uit: Path,
    *,
    nu: dt.datetime,
    op: dt.date | None = None,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> int:
    """Write the site to `uit`; returns the number of files written.

    `repo_pad`: the data repository (None: found from the working directory).
    `nu`: the moment of the build, read once by the caller (its date is today).
    `op`: the day whose state the site shows (default: today).
    `progress`: told about the cache build for the 90-day trends.
    """
    repo = DataRepo.find(repo_pad)
    klok = repo.klok()
    op = op or nu.date()
    check_target(repo, uit)
    jaren = {op.year, op.year - 1}
    with sources.current(repo, op, jaren) as current:
        referentie = nu if op == nu.date() else op
        records = beschikbaar(current, op, Filter(), referentie, klok.deadline, klok.zone)
        statisch = current.statisch
    namen = load_namen(statisch)
    rows = _rows(records, namen)
    van = op - dt.timedelta(days=TREND_DAGEN)
    with sources.cached(
        repo, vandaag=nu.date(), geen_cache=False, progress=progress, jaren=jaren
    ) as bron:
        trend_rows = geschiedenis(bron, van, op, Per.DAG, Naar.LOCATIE)
    series: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in trend_rows:
        series[r["groep"]].append(r)
    pagina = Pagina(
        "Beschikbare beveiligde bedden",
        dutch.moment(nu),
        f"de snapshots tot en met {dutch.datum(op)}",
        _klok(nu, op, klok),
    )
    overzicht = _overzicht(pagina, op, rows, statisch, namen)
    pages = _location_pages(pagina, rows, statisch, series, van, op)
    return write_site(repo, uit, overzicht, pages, records)


def _overzicht(
    pagina: Pagina, op: dt.date, rows: list[dict[str, Any]], statisch: Any, namen: Any
) -> Overzicht:
    """The front page: totals, stale providers, every row and the filter choices."""
    stale: dict[str, str] = {}
    for r in rows:
        if r["verouderd"]:
            stale[r["aanbieder"]] = dutch.datum(r["peildatum"]) if r["peildatum"] else r["versheid"]
    return Overzicht(
        pagina=pagina,
        peildatum=op.isoformat(),
        peildatum_tekst=dutch.datum(op),
        totaal=_totaal("Landelijk", rows),
        per_niveau=[
            _totaal(f"Niveau {n}", [r for r in rows if r["beveiligingsniveau"] == n])
            for n in sorted({r["beveiligingsniveau"] for r in rows})
        ],
        verouderd=[
            {"aanbieder": statisch.aanbieders.get(a, a), "peildatum": d}
            for a, d in sorted(stale.items())
        ],
        rijen=rows,
        keuzes={
            "niveau": [(n, f"Niveau {n}") for n in ("2", "3", "4")],
            "specialisme": _choices("specialisme", Specialisme),
            "voorziening": _choices("voorziening", Voorziening),
            "zorgtype": _choices("zorgtype", Zorgtype),
            "regio": sorted(
                {(r["regio"], r["regio_naam"]) for r in rows}, key=lambda kv: kv[1] or ""
            ),
            "rechtskader": _choices("rechtskader", Rechtskader),
            "zonder-contra-indicatie": [
                (c, c) for c in sorted({c for r in rows for c in r["contra_indicaties"]})
            ],
        },
    )


def _choices(kind: str, enum: Any) -> list[tuple[str, str]]:
    """A vocabulary as (value, label) pairs for a select: the value stays the CLI's."""
    from bedcap.outputs.labels import WAARDEN

    return [(str(v), WAARDEN[kind].get(str(v), str(v))) for v in enum]


def _location_pages(
    pagina: Pagina,
    rows: list[dict[str, Any]],
    statisch: Any,
    series: dict[str, list[dict[str, Any]]],
    van: dt.date,
    op: dt.date,
) -> list[LocatiePagina]:
    """One page per location with rows, in (aanbieder, locatie) order."""
    by_location: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_location[(r["aanbieder"], r["locatie"])].append(r)
    pages = []
    for (aanbieder, locatie), loc_rows in sorted(by_location.items()):
        facts = statisch.locatie(aanbieder, locatie) or {}
        pages.append(
            LocatiePagina(
                pagina=Pagina(
                    facts.get("naam", locatie), pagina.gemaakt_op, pagina.bron, pagina.klok
                ),
                aanbieder=aanbieder,
                aanbieder_naam=statisch.aanbieders.get(aanbieder, aanbieder),
                locatie=locatie,
                naam=facts.get("naam", locatie),
                regio=loc_rows[0]["regio_naam"],
                adres=facts.get("adres", ""),
                telefoon=facts.get("telefoon", ""),
                email=facts.get("email", ""),
                bereikbaarheid=facts.get("bereikbaarheid", ""),
                rechtskaders=facts.get("rechtskaders", []),
                contra_indicaties=facts.get("contra_indicaties", []),
                rijen=loc_rows,
                trend=_trend(series.get(f"{aanbieder}/{locatie}", []), van, op),
            )
        )
    return pages
