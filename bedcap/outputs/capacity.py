"""The capacity tables of the report: statistics per dimension, per week, per working day.

Statistics are over working days of the daily totals from the query layer, so the report
and `bedcap history` give the same number for the same question.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bedcap.outputs import summary
from bedcap.outputs.report import Tabel, pct
from bedcap.store.query import Naar, Per, dagen_zonder_vrij_bed, geschiedenis

MATEN = ("capaciteit", "beschikbaar", "gereserveerd", "bezet")
STAT_KOLOMMEN = [
    "groep",
    "werkdagen",
    *(
        f"{m}_{s}"
        for m in ("capaciteit", "beschikbaar", "gereserveerd")
        for s in ("gem", "min", "max")
    ),
    "bezet_gem",
    "bezettingsgraad",
]
DIMENSIES = [
    ("landelijk", Naar.LANDELIJK, "Landelijk"),
    ("regio", Naar.REGIO, "Per regio"),
    ("niveau", Naar.NIVEAU, "Per beveiligingsniveau"),
    ("specialisme", Naar.SPECIALISME, "Per specialisme"),
    ("zorgtype", Naar.ZORGTYPE, "Per zorgtype"),
    (
        "rechtskader",
        Naar.RECHTSKADER,
        "Per rechtskader (een afdeling telt bij elk kader dat ze aanneemt)",
    ),
]
LOCATIE = ("locatie", Naar.LOCATIE, "Per locatie")  # only for the LCBB


def stats(daily: list[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> list[dict]:
    """Average, minimum and maximum of the daily totals per group, over working days."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in daily:
        groups[key(r)].append(r)
    out = []
    for groep, rows in sorted(groups.items()):
        rec: dict[str, Any] = {"groep": groep, "werkdagen": len(rows)}
        for m in MATEN:
            values = [r[f"{m}_gem"] for r in rows]
            rec[f"{m}_gem"] = round(sum(values) / len(values), 1)
            rec[f"{m}_min"] = int(min(values))
            rec[f"{m}_max"] = int(max(values))
        usable = sum(r["capaciteit_gem"] - r["buiten_gebruik_gem"] for r in rows)
        bezet = sum(r["bezet_gem"] for r in rows)
        rec["bezettingsgraad"] = round(100 * bezet / usable, 1) if usable else None
        out.append(rec)
    return out


def capacity_tables(bron: Any, van: dt.date, tot: dt.date, lcbb: bool) -> list[Tabel]:
    """Statistics per dimension (per location for the LCBB only), per week and per day."""
    tables = []
    for naam, naar, titel in [*DIMENSIES, LOCATIE] if lcbb else DIMENSIES:
        daily = geschiedenis(bron, van, tot, Per.DAG, naar)
        tables.append(
            Tabel(
                f"capaciteit_{naam}",
                f"Bedden {titel.lower()}: gemiddelde, minimum en maximum over werkdagen",
                STAT_KOLOMMEN,
                stats(daily, lambda r: str(r["groep"])),
            )
        )
    weekly = geschiedenis(bron, van, tot, Per.WEEK, Naar.LANDELIJK)
    week_kolommen = ["periode", "werkdagen", "capaciteit_gem", "beschikbaar_gem"]
    week_kolommen += ["beschikbaar_min", "beschikbaar_max", "gereserveerd_gem"]
    tables.append(Tabel("per_week", "Landelijk per week", week_kolommen, weekly))
    daily_nl = geschiedenis(bron, van, tot, Per.DAG, Naar.LANDELIJK)
    dag_kolommen = ["periode", "capaciteit_gem", "bezet_gem", "beschikbaar_gem", "gereserveerd_gem"]
    tables.append(Tabel("per_werkdag", "Landelijk per werkdag", dag_kolommen, daily_nl))
    return tables


BEZETTING = "bezettingsgraad"
"""Occupied beds over the beds in use, in percent (README); a row of the comparison too."""

# The comparison's columns by kind of period (issue 14: a month and a range compare too).
KOLOMMEN_VERGELIJKING = summary.KOLOMMEN


def comparison_table(
    bron: Any, vorige: tuple[dt.date, dt.date], now: list[dict[str, Any]], eenheid: str = "kwartaal"
) -> Tabel:
    """This period's national averages against the previous one's of its kind."""
    dit, vorig = KOLOMMEN_VERGELIJKING[eenheid]
    prev = stats(geschiedenis(bron, *vorige, Per.DAG, Naar.LANDELIJK), lambda r: "x")
    rows = []
    for m in ("capaciteit_gem", "beschikbaar_gem", "gereserveerd_gem", "bezet_gem", BEZETTING):
        a: float | None = now[0][m] if now else None
        b: float | None = prev[0][m] if prev else None
        verschil = round(a - b, 1) if a is not None and b is not None else None
        rows.append(
            {
                "maat": m,
                dit: a,
                vorig: b,
                "verschil": verschil,
                # occupancy is a percentage already: its difference is in points, and a
                # percentage of a percentage would mislead
                "verschil_pct": pct(a - b, b)
                if a is not None and b is not None and m != BEZETTING
                else None,
            }
        )
    return Tabel(
        "vergelijking",
        f"Vergelijking met {'de vorige' if eenheid in ('maand', 'periode') else 'het vorige'} "
        f"{eenheid} (landelijk)",
        ["maat", dit, vorig, "verschil", "verschil_pct"],
        rows,
    )


def no_free_bed_table(bron: Any, van: dt.date, tot: dt.date) -> Tabel:
    """Working days on which a level × specialism × region group had no free bed."""
    zonder = dagen_zonder_vrij_bed(bron, van, tot)
    for r in zonder:
        r["aandeel_pct"] = pct(r["dagen_zonder_vrij_bed"], r["werkdagen"])
    return Tabel(
        "dagen_zonder_vrij_bed",
        "Werkdagen zonder één vrij bed, per niveau × specialisme × regio",
        [
            "beveiligingsniveau",
            "specialisme",
            "regio",
            "werkdagen",
            "dagen_zonder_vrij_bed",
            "aandeel_pct",
        ],
        zonder,
    )
