"""The completeness table of the report (the logbook's tables are in `outputs.logbook`).

Completeness is the `bedcap check` rule over the period's working days, asked of the
gate through one plain function (`gate.state.stands`), the one `outputs → gate` edge.
Corrections are snapshots for a day in the period changed by a commit with a
`Bedcap-Correctie` trailer, counted for the owner the path names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bedcap import calendar
from bedcap.files.repo import DataRepo
from bedcap.outputs.report import Tabel

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
