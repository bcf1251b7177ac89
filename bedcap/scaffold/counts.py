"""The moving side of fictitious data: daily counts, submission times, financing, logbooks.

Each provider's series has its own random stream (`seed-aanbieder`), so providers can be
generated in parallel (the benchmark does) and still give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bedcap import calendar
from bedcap.contract.model import Afdeling, Locatie, Voorziening, Zorgtype
from bedcap.scaffold.world import Aanbieder, Opzet, Wereld, spread

_FINANCIERING: dict[Voorziening, tuple[float, float, float, float]] = {  # wlz zvw wfz overig
    Voorziening.FPA: (0.0, 0.45, 0.5, 0.05),
    Voorziening.FPK: (0.0, 0.35, 0.6, 0.05),
    Voorziening.FPC: (0.0, 0.05, 0.9, 0.05),
    Voorziening.BORG: (0.7, 0.0, 0.25, 0.05),
    Voorziening.KIB: (0.5, 0.3, 0.2, 0.0),
    Voorziening.LIZ: (0.8, 0.0, 0.2, 0.0),
    Voorziening.FVA: (0.0, 0.5, 0.45, 0.05),
    Voorziening.FVK: (0.0, 0.55, 0.4, 0.05),
}
_NOTES = [
    "2 bedden buiten gebruik wegens renovatie",
    "Opname na overleg met dienstdoende arts",
    "Crisisbed alleen overdag beschikbaar",
    "Tijdelijk beperkte bezetting door personeelstekort",
    "Reservering voor overplaatsing binnen de regio",
    "Kamer in onderhoud tot volgende week",
]


@dataclass
class _Reeks:
    """One (ward, care type) series and its moving counts."""

    locatie: Locatie
    afdeling: Afdeling
    zorgtype: Zorgtype
    capaciteit: int
    doel: float
    bezet: int
    buiten_gebruik: int = 0
    bg_dagen: int = 0

    def stap(self, rng: random.Random) -> tuple[int, int, int, int]:
        """Next working day's (bezet, beschikbaar, gereserveerd, buiten_gebruik)."""
        if self.bg_dagen > 0:
            self.bg_dagen -= 1
            if self.bg_dagen == 0:
                self.buiten_gebruik = 0
        elif rng.random() < 0.01:
            self.buiten_gebruik = min(2, self.capaciteit - 1)
            self.bg_dagen = rng.randint(3, 15)
        target = self.doel * self.capaciteit
        drift = 1 if self.bezet < target - 1 else -1 if self.bezet > target + 1 else 0
        self.bezet += drift * (rng.random() < 0.5) + rng.choice((-1, 0, 0, 0, 1))
        room = self.capaciteit - self.buiten_gebruik
        self.bezet = max(0, min(room, self.bezet))
        gereserveerd = min(room - self.bezet, rng.choice((0, 0, 0, 0, 0, 1, 1, 2)))
        return self.bezet, room - self.bezet - gereserveerd, gereserveerd, self.buiten_gebruik


def _reeksen(aanbieder: Aanbieder, rng: random.Random) -> list[_Reeks]:
    out = []
    for loc in aanbieder.locaties:
        for afd in loc.afdelingen:
            shares = (
                spread(afd.capaciteit, len(afd.zorgtypen), rng)
                if len(afd.zorgtypen) > 1
                else [afd.capaciteit]
            )
            shares[-1] = afd.capaciteit - sum(shares[:-1])
            for zorgtype, cap in zip(afd.zorgtypen, shares, strict=True):
                doel = rng.uniform(0.8, 1.0)
                out.append(_Reeks(loc, afd, zorgtype, cap, doel, round(doel * cap)))
    return out


def _submitted_at(day: dt.date, rng: random.Random) -> dt.datetime:
    """Mostly in the morning, before the deadline; one in twenty late."""
    minutes = (
        rng.randint(8 * 60, 11 * 60 + 50)
        if rng.random() > 0.05
        else rng.randint(12 * 60 + 5, 16 * 60)
    )
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), calendar.TIJDZONE)
    return local.astimezone(dt.UTC)


@dataclass(frozen=True)
class Dag:
    """One provider-day: the rows of its snapshot and when it was submitted."""

    aanbieder: Aanbieder
    peildatum: dt.date
    ingediend_op: dt.datetime
    rijen: list[dict[str, Any]]


def provider_days(wereld: Wereld, opzet: Opzet, aanbieder: Aanbieder) -> Iterator[Dag]:
    """The daily snapshots of one provider, in date order."""
    rng = random.Random(f"{opzet.seed}-{aanbieder.id}")
    reeksen = _reeksen(aanbieder, rng)
    days = calendar.werkdagen(opzet.begin, opzet.tot)
    stop = days[-3] if wereld.stil == aanbieder.id and len(days) > 3 else None
    for day in days:
        when = opzet.hooguit(_submitted_at(day, rng))
        rows = []
        for r in reeksen:
            counts = r.stap(rng)
            if not r.afdeling.is_active(day):
                continue
            note = rng.choice(_NOTES) if rng.random() < 0.01 else None
            if r.buiten_gebruik and note is None and rng.random() < 0.2:
                note = _NOTES[0].replace("2", str(r.buiten_gebruik), 1)
            rows.append(
                {
                    "peildatum": day,
                    "aanbieder": aanbieder.id,
                    "locatie": r.locatie.id,
                    "afdeling": r.afdeling.id,
                    "zorgtype": r.zorgtype.value,
                    "regio": r.locatie.regio,
                    "specialisme": r.afdeling.specialisme.value,
                    "voorziening": r.afdeling.voorziening.value,
                    "beveiligingsniveau": int(r.afdeling.beveiligingsniveau),
                    "capaciteit": r.capaciteit,
                    "bezet": counts[0],
                    "beschikbaar": counts[1],
                    "gereserveerd": counts[2],
                    "buiten_gebruik": counts[3],
                    "toelichting": note,
                    "ingediend_op": when,
                }
            )
        if stop is not None and day >= stop:
            continue
        yield Dag(aanbieder, day, when, rows)


def financiering_data(
    aanbieder: Aanbieder,
    kwartaal: calendar.Kwartaal,
    bezet: dict[tuple[str, str], dict[dt.date, int]],
    seed: int,
    afwijking: float = 0.0,
) -> dict[str, Any]:
    """Reported bed-days per financing basis, matching the snapshots within a small noise."""
    rng = random.Random(f"{seed}-{aanbieder.id}-{kwartaal}")
    locaties = []
    for i, loc in enumerate(aanbieder.locaties):
        sums = [0.0, 0.0, 0.0, 0.0]
        for afd in loc.afdelingen:
            series = bezet.get((loc.id, afd.id), {})
            days = sum(
                series.get(calendar.dekkende_werkdag(d), 0)
                for d in calendar.dagen(kwartaal.begin, kwartaal.eind)
            )
            for k, share in enumerate(_FINANCIERING[afd.voorziening]):
                sums[k] += days * share
        total = sum(sums) * (1 + (afwijking if i == 0 else rng.uniform(-0.004, 0.004)))
        scale = total / sum(sums) if sum(sums) else 0
        parts = [int(s * scale) for s in sums]
        parts[max(range(4), key=lambda k: sums[k])] += round(total) - sum(parts)
        locaties.append(
            {
                "locatie": loc.id,
                "ligdagen": dict(zip(("wlz", "zvw", "wfz", "overig"), parts, strict=True)),
            }
        )
    return {"aanbieder": aanbieder.id, "kwartaal": str(kwartaal), "locaties": locaties}


_UITKOMSTEN = {"geweigerd": 5, "moeizaam": 3, "opgeschaald_regio": 2, "alsnog_opgenomen": 2}
_REDENEN = {"geen_bed": 4, "geen_passend_aanbod": 3, "ten_koste_van_anderen": 2, "financiering": 1}


def logboek_data(
    aanbieder: Aanbieder, maand: str, rng: random.Random, drempel: int = 3
) -> dict[str, Any]:
    """A month's logbook export, counted from fictitious entries as `logbook export` does."""
    from bedcap.submission.logbook import Regel
    from bedcap.submission.logcounts import tellingen

    def one(weights: dict[Any, int]) -> Any:
        return rng.choices(list(weights), list(weights.values()))[0]

    dag = dt.date.fromisoformat(f"{maand}-01")
    regels = [
        Regel(
            aanbieder=aanbieder.id,
            datum=dag,
            locatie="voorbeeld",
            uitkomst=one(_UITKOMSTEN),
            redenen=tuple(dict.fromkeys(one(_REDENEN) for _ in range(one({1: 3, 2: 1})))),
            niveau=one({3: 3, 4: 1}),
            specialisme=one({"psychiatrie": 3, "verslaving": 1}),
            rechtskader=one({"wvggz": 3, "wfz": 2, "wzd": 1}),
        )
        for _ in range(rng.randint(12, 24))
    ]
    return {"aanbieder": aanbieder.id, "maand": maand, **tellingen(regels, drempel)}


def full_quarters(opzet: Opzet) -> list[calendar.Kwartaal]:
    out = []
    q = calendar.Kwartaal.van(opzet.begin)
    while q.eind <= opzet.tot:
        if q.begin >= opzet.begin:
            out.append(q)
        q = q.volgende
    return out


def months(opzet: Opzet) -> list[str]:
    out = []
    day = opzet.begin.replace(day=1)
    while day <= opzet.tot:
        nxt = (day + dt.timedelta(days=32)).replace(day=1)
        if nxt - dt.timedelta(days=1) <= opzet.tot:
            out.append(f"{day.year}-{day.month:02d}")
        day = nxt
    return out
