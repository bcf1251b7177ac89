"""The completeness and bottleneck tables of the report.

Completeness is the `bedcap check` rule over the period's working days, asked of the
gate through one plain function (`gate.state.stands`), the one `outputs → gate` edge.
Corrections are snapshots for a day in the period changed by a commit with a
`Bedcap-Correctie` trailer, counted for the owner the path names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from bedcap import calendar
from bedcap.files.repo import LOGBOEK, DataRepo
from bedcap.outputs.report import Tabel

if TYPE_CHECKING:
    from bedcap.outputs.confidential import Lezer

TELLINGEN = ("verwacht", "ontvangen", "op_tijd", "te_laat", "ontbrekend", "correcties")


def completeness_table(
    repo: DataRepo,
    van: dt.date,
    tot: dt.date,
    settings: Any,
    vandaag: dt.date,
    ingediend: dict[str, float],
    lcbb: bool,
) -> Tabel:
    """Expected, received, on time, late, missing and corrected per provider (or national)."""
    from bedcap.gate.state import stands

    dagen = calendar.werkdagen(van, tot)
    vol: list[dict[str, Any]] = [
        {
            "aanbieder": s.aanbieder,
            "verwacht": len(s.verwacht),
            "ontvangen": len(s.ontvangen),
            "op_tijd": len(s.op_tijd),
            "te_laat": len(s.te_laat),
            "ontbrekend": len(s.ontbrekend),
            "correcties": s.correcties,
        }
        for s in stands(repo, dagen, settings, vandaag, ingediend)
    ]
    if lcbb:
        return Tabel(
            "volledigheid",
            "Volledigheid en tijdigheid per aanbieder",
            ["aanbieder", *TELLINGEN],
            vol,
        )
    totals = {k: sum(r[k] for r in vol) for k in TELLINGEN}
    return Tabel(
        "volledigheid_landelijk",
        "Volledigheid en tijdigheid, landelijk",
        list(totals),
        [totals],
    )


def bottleneck_table(
    repo: DataRepo, van: dt.date, tot: dt.date, lezer: Lezer, drempel: int | None = None
) -> Tabel:
    """The logbook exports' counts of outcome × reason, summed nationally; with `drempel`
    (`beleid`), a cell from fewer providers is suppressed (an export names no location)."""
    tally: dict[tuple[str, str], int] = defaultdict(int)
    bronnen: dict[tuple[str, str], set[str]] = defaultdict(set)
    months = sorted({d.strftime("%Y-%m") for d in calendar.dagen(van, tot)})
    for maand in months:
        for aanbieder, data in lezer.files(repo, f"{LOGBOEK}/{maand}").items():
            for item in data.get("aantallen") or []:
                if isinstance(item, dict) and isinstance(item.get("aantal"), int):
                    cel = (str(item.get("uitkomst")), str(item.get("reden")))
                    tally[cel] += item["aantal"]
                    bronnen[cel].add(aanbieder)
    logbook = [
        {"uitkomst": u, "reden": r, "aantal": n}
        for (u, r), n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    tabel = Tabel(
        "knelpunten",
        "Knelpunten uit de logboeken: uitkomst × reden",
        ["uitkomst", "reden", "aantal"],
        logbook,
        ""
        if logbook
        else "Logboekexports niet gelezen (versleuteld); zie niet_leesbaar."
        if any(rel.startswith(f"{LOGBOEK}/") for rel in lezer.onleesbaar)
        else "Geen logboekexports in deze periode.",
    )
    if drempel is not None:
        from bedcap.outputs.suppression import additive

        additive(tabel, lambda r: len(bronnen[(r["uitkomst"], r["reden"])]), drempel)
    return tabel
