"""What a person reads instead of keys and slugs: column labels, grouped headers, names.

The report's data keeps its stable keys (JSON, CSV, the column of a `Tabel`); the formats
people read (HTML, PDF, Markdown, XLSX) show the labels and names from here. A key
without a label reads as itself with spaces, so a new column is never hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from bedcap import calendar
from bedcap.outputs import dutch

DOELGROEPEN = {"lcbb": "LCBB", "beleid": "beleid"}  # how an audience is written
MATEN = {
    "capaciteit": "Capaciteit",
    "beschikbaar": "Vrij",
    "gereserveerd": "Gereserveerd",
    "bezet": "Bezet",
    "buiten_gebruik": "Buiten gebruik",
    "bezettingsgraad": "Bezettingsgraad",
}
STATISTIEK = {"gem": "gemiddeld", "min": "minimum", "max": "maximum"}

KOLOMMEN = {
    "groep": "Groep",
    "werkdagen": "Werkdagen",
    "periode": "Periode",
    "maat": "Maat",
    "dit_kwartaal": "Dit kwartaal",
    "vorig_kwartaal": "Vorig kwartaal",
    "verschil": "Verschil",
    "verschil_pct": "Verschil (%)",
    "beveiligingsniveau": "Niveau",
    "specialisme": "Specialisme",
    "voorziening": "Voorziening",
    "zorgtype": "Zorgtype",
    "regio": "Regio",
    "rechtskader": "Rechtskader",
    "aanbieder": "Aanbieder",
    "locatie": "Locatie",
    "dagen_zonder_vrij_bed": "Dagen zonder vrij bed",
    "aandeel_pct": "Aandeel",
    "grondslag": "Grondslag",
    "ligdagen": "Ligdagen",
    "wlz": "Wlz",
    "zvw": "Zvw",
    "wfz": "Wfz",
    "overig": "Overig",
    "totaal": "Totaal",
    "ligdagen_gemeld": "Ligdagen gemeld",
    "ligdagen_berekend": "Ligdagen berekend",
    "afwijking_pct": "Afwijking",
    "buiten_tolerantie": "Buiten tolerantie",
    "kwartaal": "Kwartaal",
    "forensisch_wfz": "Forensisch (Wfz)",
    "civiel": "Civiel (Wlz, Zvw, overig)",
    "aandeel_forensisch_pct": "Aandeel forensisch",
    "verwacht": "Verwacht",
    "ontvangen": "Ontvangen",
    "op_tijd": "Op tijd",
    "te_laat": "Te laat",
    "ontbrekend": "Ontbrekend",
    "correcties": "Correcties",
    "uitkomst": "Uitkomst",
    "reden": "Reden",
    "aantal": "Aantal",
    "peildatum": "Peildatum",
    "afdeling": "Afdeling",
    "toelichting": "Toelichting",
    "naam": "Locatie (naam)",
    "afdeling_naam": "Afdeling (naam)",
    "telefoon": "Telefoon",
    "email": "E-mail",
    "bereikbaarheid": "Bereikbaarheid",
    "rechtskaders": "Rechtskaders",
    "contra_indicaties": "Contra-indicaties",
    "ingediend_op": "Ingediend op",
    "van": "Van",
    "tot": "Tot en met",
    "verouderd": "Verouderd",
    "versheid": "Actualiteit",
    "dit_jaar": "Dit jaar",  # issue 14: every period compares with the one before
    "vorig_jaar": "Vorig jaar",
    "deze_maand": "Deze maand",
    "vorige_maand": "Vorige maand",
    "deze_periode": "Deze periode",
    "vorige_periode": "Vorige periode",
    "opnames": "Opnames",  # issue 14: the logbook's admissions, each once
    "kader": "Civiel/forensisch",
}

# Vocabulary values as written: acronyms in their own spelling (Wfz, FPK, BORG).
WAARDEN: dict[str, dict[str, str]] = {
    "specialisme": {
        "psychiatrie": "Psychiatrie",
        "verslaving": "Verslaving",
        "sglvg": "SGLVG",
        "ontwrichting": "Ernstig ontwrichtend gedrag",
    },
    "voorziening": {
        v: v.upper() for v in ("fpa", "fpk", "fpc", "borg", "kib", "liz", "fva", "fvk")
    },
    "zorgtype": {"crisis": "Crisis", "behandeling": "Behandeling", "langdurig": "Langdurig"},
    "rechtskader": {"wfz": "Wfz", "wvggz": "Wvggz", "wzd": "Wzd", "vrijwillig": "Vrijwillig"},
    "grondslag": {
        "wlz": "Wlz",
        "zvw": "Zvw",
        "wfz": "Wfz",
        "overig": "Overig",
        "totaal": "Totaal",
    },
    "uitkomst": {
        "geweigerd": "Geweigerd",
        "moeizaam": "Moeizaam",
        "opgeschaald_regio": "Opgeschaald naar de regio",
        "opgeschaald_lcbb": "Opgeschaald naar het LCBB",
        "alsnog_opgenomen": "Alsnog opgenomen",
        "totaal": "Totaal",  # issue 14: the logbook's admissions table
    },
    "reden": {
        "geen_bed": "Geen bed",
        "financiering": "Financiering",
        "geen_passend_aanbod": "Geen passend aanbod",
        "ten_koste_van_anderen": "Ten koste van anderen",
        "contra_indicatie": "Contra-indicatie",
        "rechtskader": "Rechtskader",
        "regiogebonden": "Regiogebonden",
        "personeel": "Personeel",
        "overig": "Overig",
    },
    "kader": {"civiel": "Civiel", "forensisch": "Forensisch"},  # issue 14
    "maat": {f"{m}_gem": f"{label}, gemiddeld" for m, label in MATEN.items()}
    | {"bezettingsgraad": "Bezettingsgraad"},
    "landelijk": {"landelijk": "Landelijk"},
    "kerncijfer": {
        "capaciteit": "Bedden (capaciteit), gemiddeld",
        "beschikbaar": "Vrije bedden, gemiddeld",
        "gereserveerd": "Gereserveerde bedden, gemiddeld",
        "bezettingsgraad": "Bezettingsgraad",
        "dagen_zonder_vrij_bed": "Groepsdagen zonder vrij bed",
        "volledigheid": "Volledigheid van de aanleveringen",
        "aandeel_forensisch": "Aandeel Wfz in de ligdagen",
    },
}
SOORT_ALIAS = {"niveau": "beveiligingsniveau"}
_STAT = re.compile(r"^(?P<maat>.+)_(?P<stat>gem|min|max)$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_DAG = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAAND = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass
class Namen:
    """Names for slugs: regions, providers, and locations by `aanbieder/locatie`."""

    regio: dict[str, str] = field(default_factory=dict)
    aanbieder: dict[str, str] = field(default_factory=dict)
    locatie: dict[str, str] = field(default_factory=dict)


GROEPEN = {"landelijk": "Gebied", "locatie": "Locatie (aanbieder)"}


def load_namen(statisch: Any) -> Namen:
    """Names of regions, providers and locations, from the static facts
    (`store.statics`: `regios.yaml`, `deelnemers.yaml` and the location files)."""
    locaties = {k: str(v.get("naam") or k) for k, v in statisch.locaties.items()}
    return Namen(dict(statisch.regios), dict(statisch.aanbieders), locaties)


def kop(kolom: str, tabel: str = "") -> str:
    """A column's full Dutch label: `capaciteit_gem` → `Capaciteit, gemiddeld`.

    `groep` is named after what it holds in `tabel` (`capaciteit_regio`: Regio).
    """
    if kolom == "groep" and tabel:
        kind = soort(tabel, kolom)
        return GROEPEN.get(kind) or KOLOMMEN.get(kind) or kop(kind)
    if kolom in KOLOMMEN:
        return KOLOMMEN[kolom]
    m = _STAT.match(kolom)
    if m and m["maat"] in MATEN:
        return f"{MATEN[m['maat']]}, {STATISTIEK[m['stat']]}"
    if kolom in MATEN:
        return MATEN[kolom]
    text = kolom.removesuffix("_pct").replace("_", " ")
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Kop:
    """One header cell: its label and how many columns (span) or rows (rijen) it covers."""

    label: str
    span: int = 1
    rijen: int = 1


def koppen(kolommen: list[str], tabel: str = "") -> tuple[list[Kop], list[Kop]]:
    """Two header rows: gem/min/max of one measure under one heading, the rest spanning both.

    The second row is empty when no column is grouped.
    """
    groups: list[tuple[str, list[str]]] = []
    for k in kolommen:
        m = _STAT.match(k)
        maat = m["maat"] if m and m["maat"] in MATEN else None
        if maat and groups and groups[-1][0] == maat:
            groups[-1][1].append(k)
        else:
            groups.append((maat or "", [k]))
    if not any(maat and len(ks) > 1 for maat, ks in groups):
        return [Kop(kop(k, tabel)) for k in kolommen], []
    boven: list[Kop] = []
    onder: list[Kop] = []
    for maat, ks in groups:
        if maat and len(ks) > 1:
            boven.append(Kop(MATEN[maat], span=len(ks)))
            onder += [Kop(STATISTIEK[k.rsplit("_", 1)[1]]) for k in ks]
        else:
            boven += [Kop(kop(k, tabel), rijen=2) for k in ks]
    return boven, onder


def soort(tabel: str, kolom: str) -> str:
    """What a column holds: `groep` of `capaciteit_regio` holds regions."""
    if kolom == "groep" and "_" in tabel:
        kind = tabel.rsplit("_", 1)[1]
        return SOORT_ALIAS.get(kind, kind)
    return kolom


def is_getal(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_niveau(kolom: str) -> bool:
    """Whether a column holds security levels: a name ("Niveau 3"), never a count."""
    return SOORT_ALIAS.get(kolom, kolom) == "beveiligingsniveau"


def getalkolommen(kolommen: list[str], rijen: list[dict[str, Any]]) -> set[str]:
    """The columns that hold numbers: right-aligned whole, header and an empty or
    suppressed cell ("–") too, which read as "66 –" aligned by their own value."""
    return {
        k
        for k in kolommen
        if not is_niveau(k)  # "Niveau 3": a name (`toon`)
        and any(is_getal(r.get(k)) for r in rijen)
    }


def toon(tabel: str, kolom: str, rij: dict[str, Any], namen: Namen) -> str:
    """One cell as a person reads it: a name, a label, a Dutch number or date."""
    value = rij.get(kolom)
    if value is None:
        return dutch.LEEG
    if isinstance(value, bool):
        return "ja" if value else "nee"
    kind = soort(tabel, kolom)
    if is_niveau(kind):  # a level is a name, never a count
        return naam("beveiligingsniveau", str(value), rij, namen)
    if is_getal(value):
        return _number(kolom, value, rij)
    if isinstance(value, dt.date):
        return dutch.datum(value, lang=False)
    return naam(kind, str(value), rij, namen)


# This and the previous period's columns of the key figures (`summary.KOLOMMEN`).
_PERIODEN = ("dit_", "deze_", "vorig_", "vorige_")


_BEZETTING = re.compile(r"^bezettingsgraad(_gem|_min|_max)?$")
_VERSCHIL_PCT = ("verschil_pct", "afwijking_pct")  # changes in percent, not shares


def _procent_rij(rij: dict[str, Any]) -> bool:
    """A key figure or comparison row whose values are percentages."""
    return rij.get("eenheid") == "%" or rij.get("maat") == "bezettingsgraad"


def is_procent(kolom: str, rij: dict[str, Any]) -> bool:
    """Whether a cell holds a percentage: by its column (`_pct`, occupancy) or, in the key
    figures and the comparison, by its row. Occupancy was "87,8" without its sign."""
    if kolom.endswith("_pct") or _BEZETTING.match(kolom):
        return True
    return _procent_rij(rij) and kolom.startswith(_PERIODEN)


def _number(kolom: str, value: float, rij: dict[str, Any]) -> str:
    """A number by its column and row: a percentage with its sign, `verschil` signed."""
    if kolom == "verschil":
        points = " %-punt" if _procent_rij(rij) else ""
        return dutch.verschil(value, 0 if isinstance(value, int) else 1, points)
    if kolom in _VERSCHIL_PCT:  # signed as every other difference ("+1,5%", "−0,4%")
        return dutch.verschil(value, 1, "%")
    if is_procent(kolom, rij):
        return dutch.procent(value)
    return dutch.getal(value)


def naam(kind: str, value: str, rij: dict[str, Any], namen: Namen) -> str:
    """The name of a slug or vocabulary value of `kind`; the value itself when unknown."""
    if kind == "regio":
        return namen.regio.get(value, value)
    if kind == "aanbieder":
        return namen.aanbieder.get(value, value)
    if kind == "locatie":
        key = value if "/" in value else f"{rij.get('aanbieder')}/{value}"
        found = namen.locatie.get(key)
        if found is None:
            return value
        aanbieder = key.split("/", 1)[0]
        return f"{found} ({namen.aanbieder.get(aanbieder, aanbieder)})" if "/" in value else found
    if kind == "beveiligingsniveau":
        return f"Niveau {value}"
    if kind in WAARDEN:
        return WAARDEN[kind].get(value, value)
    if _DAG.match(value):
        return dutch.datum(dt.date.fromisoformat(value), lang=False)
    week = _WEEK.match(value)
    if week:
        return calendar.week_tekst(int(week[1]), int(week[2]))
    month = _MAAND.match(value)
    if month:
        return dutch.maand(dt.date(int(month[1]), int(month[2]), 1))
    if calendar.KWARTAALCODE.match(value):
        return calendar.Kwartaal.parse(value).tekst
    return value
