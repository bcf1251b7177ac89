"""The report's first page: its key figures against the previous quarter, in numbers and words.

The key figures are a `Tabel` like any other (so JSON, CSV and XLSX carry them too); the
sentences are made from that table only, so the words never say other than the numbers.
"""

from __future__ import annotations

from typing import Any

from bedcap.outputs import dutch
from bedcap.outputs.report import Tabel

NAAM = "kerncijfers"
PROCENT = "%"
# Named by the kind of period, as the comparison's columns are: a year report's JSON,
# CSV and XLSX say "dit_jaar", never "dit_kwartaal" (issue 14).
KOLOMMEN = {
    "kwartaal": ("dit_kwartaal", "vorig_kwartaal"),
    "jaar": ("dit_jaar", "vorig_jaar"),
    "maand": ("deze_maand", "vorige_maand"),
    "periode": ("deze_periode", "vorige_periode"),
}
NU, VORIG = 2, 3  # the positions of this and the previous period's column


def _row(
    kolommen: list[str], naam: str, eenheid: str, nu: float | None, vorig: float | None
) -> dict[str, Any]:
    diff = None if nu is None or vorig is None else round(nu - vorig, 1)
    return dict(zip(kolommen, (naam, eenheid, nu, vorig, diff), strict=True))


def figures(
    nu: dict[str, float | None], vorig: dict[str, float | None], soort: str = "kwartaal"
) -> Tabel:
    """The key figures table from this and the previous period's values by name."""
    eenheden = {
        "capaciteit": "bedden",
        "beschikbaar": "bedden",
        "gereserveerd": "bedden",
        "bezettingsgraad": PROCENT,
        "dagen_zonder_vrij_bed": "groepsdagen",
        "volledigheid": PROCENT,
        "aandeel_forensisch": PROCENT,
    }
    kolommen = ["kerncijfer", "eenheid", *KOLOMMEN[soort], "verschil"]
    rows = [
        _row(kolommen, naam, eenheid, nu.get(naam), vorig.get(naam))
        for naam, eenheid in eenheden.items()
        if nu.get(naam) is not None
    ]
    return Tabel(NAAM, "Kerncijfers", kolommen, rows)


def _value(value: float, eenheid: str) -> str:
    if eenheid == PROCENT:
        return dutch.procent(value)
    return dutch.getal(value, 0 if float(value).is_integer() and eenheid == "groepsdagen" else 1)


def _change(r: dict[str, Any], vorig: str, vorige: str | None) -> str:
    if r[vorig] is None:
        return ""
    eenheid = r["eenheid"]
    before = _value(r[vorig], eenheid)
    if r["verschil"] == 0:
        return f", evenveel als in {vorige} ({before})"
    unit = " procentpunt" if eenheid == PROCENT else ""
    way = "meer" if r["verschil"] > 0 else "minder"
    if eenheid == PROCENT:
        way = "hoger" if r["verschil"] > 0 else "lager"
    amount = dutch.getal(abs(r["verschil"]), 0 if eenheid == "groepsdagen" else 1)
    return f", {amount}{unit} {way} dan in {vorige} ({before})"


ZINNEN = {
    "capaciteit": "Er waren gemiddeld {v} beveiligde bedden per werkdag{c}.",
    "beschikbaar": "Gemiddeld waren er {v} bedden vrij{c}.",
    "gereserveerd": "Gemiddeld waren {v} bedden gereserveerd{c}.",
    "bezettingsgraad": "De bezettingsgraad was {v}{c}.",
    "dagen_zonder_vrij_bed": (
        "Op {v} groepsdagen (niveau × specialisme × regio × werkdag) was er geen enkel bed vrij{c}."
    ),
    "volledigheid": "Van de verwachte dagelijkse aanleveringen kwam {v} binnen{c}.",
    "aandeel_forensisch": "Van de bezette ligdagen werd {v} gefinancierd uit de Wfz{c}.",
}


DEELS = "Dit aantal telt alleen de groepen die dit rapport toont; kleine groepen zijn onderdrukt."
"""Said after a key figure summed over a table with suppressed cells (`beleid`): 9 days
beside the LCBB's 585 read as a contradiction."""


def sentences(
    tabel: Tabel,
    periode: str,
    vorige: str | None,
    deels: frozenset[str] = frozenset(),
    soort: str = "kwartaal",
) -> list[str]:
    """The key figures in words, one sentence each, with the change against `vorige`;
    `deels`: the figures that leave suppressed groups out, which the text then says. A
    range of days is "de periode …" after "in" ("meer dan in de periode 1 januari 2026
    t/m 30 juni 2026"); a quarter, month or year is named as it is."""
    if vorige is not None and soort == "periode":
        vorige = f"de periode {vorige}"
    out = []
    nu, vorig = tabel.kolommen[NU], tabel.kolommen[VORIG]
    for r in tabel.rijen:
        text = ZINNEN[r["kerncijfer"]].format(
            v=_value(r[nu], r["eenheid"]), c=_change(r, vorig, vorige)
        )
        out.append(f"{text} {DEELS}" if r["kerncijfer"] in deels else text)
    if vorige is None:
        out.append(f"Voor {periode} is er geen vorig kwartaal om mee te vergelijken.")
    elif all(r[vorig] is None for r in tabel.rijen):
        out.append(f"Over {vorige} zijn geen gegevens; er is niets om mee te vergelijken.")
    return out


def partial(tabellen: list[Tabel]) -> frozenset[str]:
    """The key figures `national` sums over a table with suppressed cells."""
    rows = next((t.rijen for t in tabellen if t.naam == "dagen_zonder_vrij_bed"), [])
    hidden = any(r["dagen_zonder_vrij_bed"] is None for r in rows)
    return frozenset({"dagen_zonder_vrij_bed"}) if hidden else frozenset()


def national(tabellen: list[Tabel]) -> dict[str, float | None]:
    """This period's key figures from the report's own tables."""
    by = {t.naam: t.rijen for t in tabellen}
    out: dict[str, float | None] = {}
    nl = by.get("capaciteit_landelijk") or []
    if nl:
        out |= {m: nl[0][f"{m}_gem"] for m in ("capaciteit", "beschikbaar", "gereserveerd")}
        # The table's own figure: occupied beds over the beds in use (README), never
        # recomputed here (it was over all capacity: 86,4 beside the table's 87,8).
        out["bezettingsgraad"] = nl[0]["bezettingsgraad"]
    # A suppressed cell (None, `beleid`) is left out of the sum: it is in no total either.
    out["dagen_zonder_vrij_bed"] = sum(
        r["dagen_zonder_vrij_bed"]
        for r in by.get("dagen_zonder_vrij_bed") or []
        if r["dagen_zonder_vrij_bed"] is not None
    )
    vol = by.get("volledigheid") or by.get("volledigheid_landelijk") or []
    out["volledigheid"] = completeness(vol)
    share = by.get("civiel_forensisch") or []
    out["aandeel_forensisch"] = share[-1]["aandeel_forensisch_pct"] if share else None
    return out


def completeness(rows: list[dict[str, Any]]) -> float | None:
    """Received as a percentage of expected snapshots."""
    verwacht = sum(r["verwacht"] for r in rows)
    return round(100.0 * sum(r["ontvangen"] for r in rows) / verwacht, 1) if verwacht else None
