"""The static side of fictitious data: providers, locations, wards and the registries.

Everything follows from the seed (`Opzet.seed`), so the same seed gives the same world;
`counts` moves the daily numbers of this world and `demo` writes both as a repository.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
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
from bedcap.files.repo import CONTRA_INDICATIES, DEELNEMERS, REGIOS
from bedcap.scaffold.demokeys import demo_key, public_line

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


def slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:40].rstrip("-")


def lcbb_key(seed: int) -> Any:
    """The LCBB's demo key: the first of its own seeded stream (scaffold/demokeys)."""
    return demo_key(random.Random(f"{seed}-lcbb"))


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
    uiterlijk: dt.datetime | None = None  # no submission or commit later than this (now)

    def hooguit(self, moment: dt.datetime) -> dt.datetime:
        """`moment`, or `uiterlijk` when that is earlier: the demo of an afternoon has
        today's counts, and none of its times may lie ahead of the clock."""
        return moment if self.uiterlijk is None else min(moment, self.uiterlijk)

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
    sleutel: Any = None  # the private half of `signing_key` (scaffold/demokeys)


@dataclass
class Wereld:
    """The static side of a generated repository."""

    aanbieders: list[Aanbieder]
    stil: str | None = None  # the provider that stopped submitting
    nieuw: tuple[str, str, dt.date] | None = None  # (aanbieder, afdeling, actief_vanaf)

    @property
    def locaties(self) -> list[Locatie]:
        return [loc for a in self.aanbieders for loc in a.locaties]


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` positive numbers of roughly equal size."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    mean = total / parts
    return [max(1, round((s + mean) / 2)) for s in sizes]


def build_wereld(opzet: Opzet) -> Wereld:
    """Providers, locations and wards; every specialism and facility type appears."""
    rng = random.Random(opzet.seed)
    voorzieningen = list(Voorziening)
    loc_counts = spread(opzet.locaties, opzet.aanbieders, rng)
    loc_counts = [min(c, 6) for c in loc_counts]
    ward_counts = spread(opzet.afdelingen, sum(loc_counts), rng)
    names: set[str] = set()
    aanbieders = []
    w = 0
    for i in range(opzet.aanbieders):
        naam = _provider_name(i, names)
        ident = slug(naam)
        key = demo_key(rng)
        a = Aanbieder(ident, naam, f"beheer@{ident}.example", public_line(key), sleutel=key)
        for j in range(loc_counts[i]):
            place = _PLACES[(i * 3 + j * 7 + 5) % len(_PLACES)]
            first = voorzieningen[w % len(voorzieningen)]
            wards = [
                _afdeling(first if k == 0 else None, k, place, rng)
                for k in range(min(ward_counts[w], 8))
            ]
            w += 1
            a.locaties.append(_locatie(i, j, ident, place, wards, rng))
        aanbieders.append(a)
    wereld = Wereld(aanbieders)
    if opzet.nieuwe_afdeling:
        wereld.nieuw = _open_new_ward(aanbieders[1 % len(aanbieders)], opzet)
    if opzet.stille_aanbieder:
        wereld.stil = aanbieders[-1].id
    return wereld


def _provider_name(i: int, names: set[str]) -> str:
    """The `i`-th provider's name, unique among `names` (which it joins)."""
    place = _PLACES[i % len(_PLACES)]
    naam = f"{_KINDS[i % len(_KINDS)]} {place}" + (
        f" {i // len(_PLACES) + 1}" if i >= len(_PLACES) else ""
    )
    while naam in names:
        naam += " II"
    names.add(naam)
    return naam


def _afdeling(v: Voorziening | None, k: int, place: str, rng: random.Random) -> Afdeling:
    """The `k`-th ward of a location: facility type `v`, or one drawn by how common it is."""
    if v is None:
        voorzieningen = list(Voorziening)
        v = rng.choices(voorzieningen, weights=[_GEWICHT[x] for x in voorzieningen])[0]
    specialisme = next(s for s, vs in VOORZIENINGEN.items() if v in vs)
    niveau, zorg = _PROFIEL[v]
    zorgtypen = list(zorg[: rng.choice((1, 1, 2))]) if len(zorg) > 1 else list(zorg)
    if rng.random() < 0.1:
        niveau = max(2, min(4, niveau + rng.choice((-1, 1))))
    return Afdeling(
        id=f"{v.value}-{k + 1}",
        naam=f"{v.value.upper()} {place} {k + 1}",
        beveiligingsniveau=Beveiligingsniveau(niveau),
        specialisme=specialisme,
        voorziening=v,
        zorgtypen=zorgtypen,
        capaciteit=rng.randint(8, 18),
        contra_indicaties=["zedendelict"] if rng.random() < 0.15 else None,
        rechtskaders=[Rechtskader.WFZ, Rechtskader.WVGGZ] if v is Voorziening.FPC else None,
    )


def _locatie(
    i: int, j: int, ident: str, place: str, afdelingen: list[Afdeling], rng: random.Random
) -> Locatie:
    """Provider `i`'s `j`-th location, in `place`, with its wards."""
    loc_naam = f"Kliniek {place}" + (f" {j + 1}" if j else "")
    return Locatie(
        id=slug(loc_naam),
        aanbieder=ident,
        naam=loc_naam,
        regio=REGIOS_DEMO[(i + j) % len(REGIOS_DEMO)][0],
        adres=Adres(
            straat=_STREETS[j % len(_STREETS)],
            huisnummer=str(10 + j),
            postcode=f"{1000 + (i * 97 + j * 13) % 8900} {'ABCDEFGHJK'[j % 10]}B",
            plaats=place,
        ),
        telefoon=f"+31 20 {5550000 + i * 100 + j:07d}"[:15],
        email=f"opname@{ident}.example",
        bereikbaarheid="ma–vr 8.30–17.00; daarbuiten via de crisisdienst",
        rechtskaders=list(Rechtskader),
        contra_indicaties=["brandstichting"] if rng.random() < 0.3 else [],
        afdelingen=afdelingen,
    )


def _open_new_ward(a: Aanbieder, opzet: Opzet) -> tuple[str, str, dt.date]:
    """A ward that opens mid-period, on the first working day of a month."""
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
    return (a.id, "fpk-nieuw", opening)


def registries(
    wereld: Wereld, seed: int, deelname_vanaf: dt.date | None = None
) -> dict[str, dict[str, Any]]:
    """deelnemers, regios and contra-indicaties as plain data for YAML.

    `deelname_vanaf`: the day the providers' participation began (their first counts).
    """
    lcbb = public_line(lcbb_key(seed))
    deelnemers: list[dict[str, Any]] = [
        {
            "id": "lcbb",
            "naam": "Landelijk Coördinatiepunt Beveiligde Bedden (voorbeeld)",
            "rollen": [Rol.LCBB.value],
            "beheerders": [{"email": "beheer@lcbb.example", "signing_key": lcbb}],
        }
    ]
    for a in wereld.aanbieders:
        deelnemers.append(
            {
                "id": a.id,
                "naam": a.naam,
                "rollen": [Rol.AANBIEDER.value],
                "beheerders": [{"email": a.email, "signing_key": a.signing_key}],
                # A date object of its own: a shared one would be written as a YAML anchor.
                **({"deelname_vanaf": deelname_vanaf.replace()} if deelname_vanaf else {}),
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
