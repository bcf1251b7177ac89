"""Realistic fictitious data: static data, daily counts that move plausibly, financing.

One generator serves `bedcap demo`, the example in this project's `data/`, the test
fixtures and the national-scale benchmark repository. Everything follows from the seed.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedcap import calendar
from bedcap.contract.model import (
    VOORZIENINGEN,
    Adres,
    Afdeling,
    Beveiligingsniveau,
    Locatie,
    Rechtskader,
    Rol,
    Specialisme,
    Voorziening,
    Zorgtype,
)
from bedcap.files import trailers
from bedcap.files.repo import CONTRA_INDICATIES, DEELNEMERS, REGIOS, DataRepo

REGIOS_DEMO = [
    ("noord-nederland", "Noord-Nederland"),
    ("oost-nederland", "Oost-Nederland"),
    ("midden-nederland", "Midden-Nederland"),
    ("noord-holland", "Noord-Holland"),
    ("zuid-holland", "Zuid-Holland"),
    ("brabant-zeeland", "Brabant en Zeeland"),
    ("limburg", "Limburg"),
    ("gelderland-zuid", "Gelderland-Zuid"),
]
CONTRA_DEMO = [
    ("brandstichting", "Brandstichting", "Recente brandstichting of dreiging daarmee"),
    ("zedendelict", "Zedendelict", "Veroordeling of verdenking van een zedendelict"),
    ("ernstig-geweld", "Ernstig geweld", "Ernstig geweld tegen personeel in de afgelopen maand"),
    ("actief-middelengebruik", "Actief middelengebruik", "Zonder detoxificatie"),
    ("somatische-zorg", "Intensieve somatische zorg", "Ziekenhuiszorg nodig"),
]
_PLACES = [
    "Noorderzand",
    "Oosterveld",
    "Westerduin",
    "Zuiderhof",
    "Middelwaard",
    "Kroonstede",
    "Lindenhorst",
    "Beukenrode",
    "Heidewijk",
    "Rivierdal",
    "Dijkzicht",
    "Wilgenoord",
    "Eikenburg",
    "Vennebroek",
    "Zandhove",
    "Molenkamp",
    "Lisdonk",
    "Hoogeweide",
]
_KINDS = [
    "Voorbeeld GGZ",
    "Fictief Forensisch Centrum",
    "Voorbeeldzorg",
    "Fictieve Zorggroep",
    "Voorbeeld Kliniek",
]
_STREETS = ["Voorbeeldlaan", "Proefweg", "Fictiefstraat", "Demoplein", "Testdreef"]
# Typical security level and care types per facility type.
_PROFIEL: dict[Voorziening, tuple[int, tuple[Zorgtype, ...]]] = {
    Voorziening.FPA: (2, (Zorgtype.CRISIS, Zorgtype.BEHANDELING)),
    Voorziening.FPK: (3, (Zorgtype.BEHANDELING, Zorgtype.CRISIS)),
    Voorziening.FPC: (4, (Zorgtype.BEHANDELING, Zorgtype.LANGDURIG)),
    Voorziening.BORG: (3, (Zorgtype.BEHANDELING, Zorgtype.LANGDURIG)),
    Voorziening.KIB: (3, (Zorgtype.CRISIS, Zorgtype.BEHANDELING)),
    Voorziening.LIZ: (4, (Zorgtype.LANGDURIG,)),
    Voorziening.FVA: (2, (Zorgtype.BEHANDELING,)),
    Voorziening.FVK: (3, (Zorgtype.CRISIS, Zorgtype.BEHANDELING)),
}
# How common each facility type is among wards (FPC and LIZ beds are few).
_GEWICHT = {
    Voorziening.FPA: 3,
    Voorziening.FPK: 4,
    Voorziening.FPC: 1,
    Voorziening.BORG: 2,
    Voorziening.KIB: 1,
    Voorziening.LIZ: 1,
    Voorziening.FVA: 2,
    Voorziening.FVK: 2,
}
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


def slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:40].rstrip("-")


def fake_signing_key(rng: random.Random) -> str:
    """A well-formed ed25519 public key line whose private half exists nowhere."""
    kind = b"ssh-ed25519"
    blob = struct.pack(">I", len(kind)) + kind + struct.pack(">I", 32) + rng.randbytes(32)
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} demo"


@dataclass(frozen=True)
class Opzet:
    """What to generate. Defaults: `bedcap demo` (14 providers, two full quarters)."""

    tot: dt.date
    van: dt.date | None = None
    aanbieders: int = 14
    locaties: int = 26
    afdelingen: int = 160
    seed: int = 2021
    stille_aanbieder: bool = True
    nieuwe_afdeling: bool = True
    financiering: bool = True
    logboek: bool = True

    @property
    def begin(self) -> dt.date:
        if self.van is not None:
            return self.van
        return calendar.Kwartaal.van(self.tot).vorige.vorige.begin


@dataclass
class Aanbieder:
    id: str
    naam: str
    email: str
    signing_key: str
    locaties: list[Locatie] = field(default_factory=list)


@dataclass
class Wereld:
    """The static side of a generated repository."""

    aanbieders: list[Aanbieder]
    stil: str | None = None  # the provider that stopped submitting
    nieuw: tuple[str, str, dt.date] | None = None  # (aanbieder, afdeling, actief_vanaf)

    @property
    def locaties(self) -> list[Locatie]:
        return [loc for a in self.aanbieders for loc in a.locaties]


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` positive numbers of roughly equal size."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    mean = total / parts
    return [max(1, round((s + mean) / 2)) for s in sizes]


def build_wereld(opzet: Opzet) -> Wereld:
    """Providers, locations and wards; every specialism and facility type appears."""
    rng = random.Random(opzet.seed)
    voorzieningen = list(Voorziening)
    loc_counts = _spread(opzet.locaties, opzet.aanbieders, rng)
    loc_counts = [min(c, 6) for c in loc_counts]
    ward_counts = _spread(opzet.afdelingen, sum(loc_counts), rng)
    names: set[str] = set()
    aanbieders = []
    w = 0
    for i in range(opzet.aanbieders):
        place = _PLACES[i % len(_PLACES)]
        naam = f"{_KINDS[i % len(_KINDS)]} {place}" + (
            f" {i // len(_PLACES) + 1}" if i >= len(_PLACES) else ""
        )
        while naam in names:
            naam += " II"
        names.add(naam)
        ident = slug(naam)
        a = Aanbieder(ident, naam, f"beheer@{ident}.example", fake_signing_key(rng))
        for j in range(loc_counts[i]):
            regio = REGIOS_DEMO[(i + j) % len(REGIOS_DEMO)][0]
            loc_place = _PLACES[(i * 3 + j * 7 + 5) % len(_PLACES)]
            loc_naam = f"Kliniek {loc_place}" + (f" {j + 1}" if j else "")
            afdelingen = []
            for k in range(min(ward_counts[w], 8)):
                v = (
                    voorzieningen[w % len(voorzieningen)]
                    if k == 0
                    else rng.choices(voorzieningen, weights=[_GEWICHT[x] for x in voorzieningen])[0]
                )
                specialisme = next(s for s, vs in VOORZIENINGEN.items() if v in vs)
                niveau, zorg = _PROFIEL[v]
                zorgtypen = list(zorg[: rng.choice((1, 1, 2))]) if len(zorg) > 1 else list(zorg)
                if rng.random() < 0.1:
                    niveau = max(2, min(4, niveau + rng.choice((-1, 1))))
                afdelingen.append(
                    Afdeling(
                        id=f"{v.value}-{k + 1}",
                        naam=f"{v.value.upper()} {loc_place} {k + 1}",
                        beveiligingsniveau=Beveiligingsniveau(niveau),
                        specialisme=specialisme,
                        voorziening=v,
                        zorgtypen=zorgtypen,
                        capaciteit=rng.randint(8, 18),
                        contra_indicaties=["zedendelict"] if rng.random() < 0.15 else None,
                        rechtskaders=[Rechtskader.WFZ, Rechtskader.WVGGZ]
                        if v is Voorziening.FPC
                        else None,
                    )
                )
            w += 1
            a.locaties.append(
                Locatie(
                    id=slug(loc_naam),
                    aanbieder=ident,
                    naam=loc_naam,
                    regio=regio,
                    adres=Adres(
                        straat=_STREETS[j % len(_STREETS)],
                        huisnummer=str(10 + j),
                        postcode=f"{1000 + (i * 97 + j * 13) % 8900} {'ABCDEFGHJK'[j % 10]}B",
                        plaats=loc_place,
                    ),
                    telefoon=f"+31 20 {5550000 + i * 100 + j:07d}"[:15],
                    email=f"opname@{ident}.example",
                    bereikbaarheid="ma–vr 8.30–17.00; daarbuiten via de crisisdienst",
                    rechtskaders=list(Rechtskader),
                    contra_indicaties=["brandstichting"] if rng.random() < 0.3 else [],
                    afdelingen=afdelingen,
                )
            )
        aanbieders.append(a)
    wereld = Wereld(aanbieders)
    if opzet.nieuwe_afdeling:
        # A ward that opens mid-period, on the first working day of a month.
        a = aanbieders[1 % len(aanbieders)]
        loc = a.locaties[0]
        opening = opzet.begin + (opzet.tot - opzet.begin) / 2
        opening = calendar.werkdagen(opening.replace(day=1), opening.replace(day=28))[0]
        nieuw = Afdeling(
            id="fpk-nieuw",
            naam=f"FPK {loc.naam} (nieuw)",
            beveiligingsniveau=Beveiligingsniveau.NIVEAU_3,
            specialisme=Specialisme.PSYCHIATRIE,
            voorziening=Voorziening.FPK,
            zorgtypen=[Zorgtype.BEHANDELING],
            capaciteit=10,
            actief_vanaf=opening,
        )
        a.locaties[0] = loc.model_copy(update={"afdelingen": [*loc.afdelingen, nieuw]})
        wereld.nieuw = (a.id, "fpk-nieuw", opening)
    if opzet.stille_aanbieder:
        wereld.stil = aanbieders[-1].id
    return wereld


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
                _spread(afd.capaciteit, len(afd.zorgtypen), rng)
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
        when = _submitted_at(day, rng)
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


def registries(wereld: Wereld, seed: int) -> dict[str, dict[str, Any]]:
    """deelnemers, regios and contra-indicaties as plain data for YAML."""
    rng = random.Random(f"{seed}-lcbb")
    deelnemers: list[dict[str, Any]] = [
        {
            "id": "lcbb",
            "naam": "Landelijk Coördinatiepunt Beveiligde Bedden (voorbeeld)",
            "rollen": [Rol.LCBB.value],
            "beheerders": [{"email": "beheer@lcbb.example", "signing_key": fake_signing_key(rng)}],
        }
    ]
    for a in wereld.aanbieders:
        deelnemers.append(
            {
                "id": a.id,
                "naam": a.naam,
                "rollen": [Rol.AANBIEDER.value],
                "beheerders": [{"email": a.email, "signing_key": a.signing_key}],
            }
        )
    deelnemers.append(
        {
            "id": "fpl",
            "naam": "Forensisch Plaatsingsloket (voorbeeld)",
            "rollen": [Rol.FPL.value],
            "beheerders": [],
        }
    )
    deelnemers.append(
        {
            "id": "zorgkantoor-voorbeeld",
            "naam": "Zorgkantoor Voorbeeld",
            "rollen": [Rol.ZORGKANTOOR.value],
            "beheerders": [],
        }
    )
    return {
        DEELNEMERS: {"deelnemers": deelnemers},
        REGIOS: {"regios": [{"id": i, "naam": n} for i, n in REGIOS_DEMO]},
        CONTRA_INDICATIES: {
            "contra_indicaties": [
                {"id": i, "naam": n, "omschrijving": o} for i, n, o in CONTRA_DEMO
            ]
        },
    }


def locatie_data(loc: Locatie) -> dict[str, Any]:
    """A location as YAML data in the contract's key order, without empty optionals."""
    data = loc.model_dump(mode="json", exclude_none=True)
    data["postadres"] = None
    order = [
        "id",
        "aanbieder",
        "naam",
        "regio",
        "adres",
        "postadres",
        "telefoon",
        "email",
        "bereikbaarheid",
        "rechtskaders",
        "contra_indicaties",
        "afdelingen",
    ]
    out = {k: data[k] for k in order if k in data}
    out["afdelingen"] = [{k: v for k, v in afd.items()} for afd in data["afdelingen"]]
    for afd, model in zip(out["afdelingen"], loc.afdelingen, strict=True):
        if model.actief_vanaf is not None:
            afd["actief_vanaf"] = model.actief_vanaf
    return out


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


def logboek_data(aanbieder: Aanbieder, maand: str, rng: random.Random) -> dict[str, Any]:
    pairs = [
        ("geweigerd", "geen_bed"),
        ("moeizaam", "geen_passend_aanbod"),
        ("geweigerd", "ten_koste_van_anderen"),
        ("opgeschaald_regio", "geen_bed"),
        ("alsnog_opgenomen", "financiering"),
        ("geweigerd", "contra_indicatie"),
    ]
    chosen = rng.sample(pairs, rng.randint(2, 4))
    return {
        "aanbieder": aanbieder.id,
        "maand": maand,
        "aantallen": [{"uitkomst": u, "reden": r, "aantal": rng.randint(1, 6)} for u, r in chosen],
    }


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


def target_repo(path: Path) -> DataRepo:
    return DataRepo(path.resolve())


@dataclass(frozen=True)
class Resultaat:
    """What was generated, for the summary `bedcap demo` prints."""

    root: Path
    aanbieders: int
    locaties: int
    afdelingen: int
    bedden: dict[int, int]
    snapshots: int
    commits: int
    van: dt.date
    tot: dt.date
    stil: str | None
    nieuw: tuple[str, str, dt.date] | None


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), calendar.TIJDZONE)


def generate(path: Path, opzet: Opzet, *, git: bool = True, progress: Any = None) -> Resultaat:
    """Create a data repository at `path` filled from `opzet`; git history when `git`."""
    from bedcap.files.gitops import Commit, fast_import
    from bedcap.files.snapshots import to_bytes, to_table
    from bedcap.files.yamlio import write_yaml
    from bedcap.scaffold.init import init_repo

    created = init_repo(path, git=git)
    root = created.root
    repo = DataRepo(root)
    wereld = build_wereld(opzet)
    commits: list[Commit] = []
    start = _at(opzet.begin - dt.timedelta(days=7), 10)
    for rel, data in registries(wereld, opzet.seed).items():
        write_yaml(root, rel, data, rel.removeprefix("data/").removesuffix(".yaml"))
    commits.append(
        Commit(
            start,
            "LCBB (voorbeeld)",
            "beheer@lcbb.example",
            "Nieuwe datarepository met registers\n",
            tuple(sorted([*created.bestanden])),
        )
    )
    for a in wereld.aanbieders:
        rels = []
        for loc in a.locaties:
            rel = repo.locatie_path(a.id, loc.id)
            write_yaml(root, rel, locatie_data(loc), "locatie")
            rels.append(rel)
        commits.append(
            Commit(
                start + dt.timedelta(days=2),
                f"Beheer {a.naam}",
                a.email,
                f"Locatiegegevens {a.naam}\n",
                tuple(rels),
            )
        )
    total_days = len(calendar.werkdagen(opzet.begin, opzet.tot)) * len(wereld.aanbieders)
    tick = progress(total_days) if progress else None
    snapshots = 0
    quarters = full_quarters(opzet)
    for a in wereld.aanbieders:
        bezet: dict[tuple[str, str], dict[dt.date, int]] = {}
        for dag in provider_days(wereld, opzet, a):
            rel = repo.snapshot_path(a.id, dag.peildatum)
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(to_bytes(to_table(dag.rijen)))
            snapshots += 1
            for row in dag.rijen:
                series = bezet.setdefault((row["locatie"], row["afdeling"]), {})
                series[dag.peildatum] = series.get(dag.peildatum, 0) + row["bezet"]
            commits.append(
                Commit(
                    dag.ingediend_op.astimezone(calendar.TIJDZONE),
                    f"Beheer {a.naam}",
                    a.email,
                    trailers.message(
                        f"Snapshot {dag.peildatum} {a.id}", trailers.Trailers(a.id, dag.peildatum)
                    ),
                    (rel,),
                )
            )
            if tick:
                tick(1)
        for i, q in enumerate(quarters if opzet.financiering else []):
            rel = repo.financiering_path(a.id, str(q))
            afwijking = (
                0.06 if a is wereld.aanbieders[2 % len(wereld.aanbieders)] and i == 0 else 0.0
            )
            write_yaml(
                root, rel, financiering_data(a, q, bezet, opzet.seed, afwijking), "financiering"
            )
            when = _at(
                min(
                    calendar.werkdagen_terug(q.volgende.begin + dt.timedelta(days=14), 0), opzet.tot
                ),
                15,
            )
            commits.append(
                Commit(when, f"Beheer {a.naam}", a.email, f"Financiering {q} {a.id}\n", (rel,))
            )
        if tick and wereld.stil == a.id:
            tick(3)
    if opzet.logboek:
        rng = random.Random(f"{opzet.seed}-logboek")
        for a in wereld.aanbieders[:4]:
            for maand in months(opzet):
                rel = repo.logboek_path(a.id, maand)
                write_yaml(root, rel, logboek_data(a, maand, rng), "logboek")
                first = dt.date(int(maand[:4]), int(maand[5:]), 28) + dt.timedelta(days=7)
                when = _at(min(calendar.werkdagen_terug(first, 0), opzet.tot), 16)
                commits.append(
                    Commit(
                        when, f"Beheer {a.naam}", a.email, f"Logboekexport {maand} {a.id}\n", (rel,)
                    )
                )
    commits.sort(key=lambda c: c.when)
    count = fast_import(root, commits) if git else 0
    bedden: dict[int, int] = {}
    for loc in wereld.locaties:
        for afd in loc.afdelingen:
            n = int(afd.beveiligingsniveau)
            bedden[n] = bedden.get(n, 0) + afd.capaciteit
    return Resultaat(
        root,
        len(wereld.aanbieders),
        len(wereld.locaties),
        sum(len(loc.afdelingen) for loc in wereld.locaties),
        dict(sorted(bedden.items())),
        snapshots,
        count,
        opzet.begin,
        opzet.tot,
        wereld.stil,
        wereld.nieuw,
    )
