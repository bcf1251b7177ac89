"""Small cells in the `beleid` audience: no provider recognisable (issue 13).

A figure built from fewer locations than `onderdrukking_drempel_locaties` (bedcap.toml,
default 3) would show one provider's beds to an audience that should see none. Such a
cell is suppressed (its figures left out, `onderdrukt` true): primary suppression. As
statistics offices do, more cells are suppressed (the smallest first) until the
suppressed cells of a table are at least two and together come from at least the
threshold, so no suppressed figure follows from a total by subtraction: complementary
suppression. A capacity table then gets one row `onderdrukt (samen)` with the additive
averages of the suppressed groups together, so the rows still add up to the national
figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bedcap.outputs.report import Rapport, Tabel
from bedcap.rules.smallcells import chosen

ONDERDRUKT = "onderdrukt"
SAMEN = "onderdrukt (samen)"
ADDITIVE = ("capaciteit_gem", "beschikbaar_gem", "gereserveerd_gem", "bezet_gem")
# table key → the snapshot columns of its groups
CAPACITY = {
    "capaciteit_regio": ("regio",),
    "capaciteit_niveau": ("beveiligingsniveau",),
    "capaciteit_specialisme": ("specialisme",),
    "capaciteit_zorgtype": ("zorgtype",),
}
NO_FREE_BED = ("beveiligingsniveau", "specialisme", "regio")
NO_FREE_BED_HIDDEN = ("dagen_zonder_vrij_bed", "aandeel_pct")

Key = tuple[str, ...]


def _mark(tabel: Tabel, picked: set[int], hidden: Sequence[str]) -> None:
    """Leave out the figures of the picked rows and say which rows are suppressed."""
    for i, row in enumerate(tabel.rijen):
        row[ONDERDRUKT] = i in picked
        if i in picked:
            row.update(dict.fromkeys(hidden))
    if ONDERDRUKT not in tabel.kolommen:  # a new list: column lists are shared constants
        tabel.kolommen = [*tabel.kolommen, ONDERDRUKT]


def _capacity(tabel: Tabel, counts: dict[Key, int], national: dict[str, Any], drempel: int) -> None:
    """Suppress a capacity table's small groups; their sum goes in one row, so the rows
    still add up to the national averages."""
    picked = chosen(tabel.rijen, lambda r: counts.get((str(r["groep"]),), 0), drempel)
    visible = {
        m: sum(float(r[m]) for i, r in enumerate(tabel.rijen) if i not in picked) for m in ADDITIVE
    }
    _mark(tabel, picked, [k for k in tabel.kolommen if k not in ("groep", "werkdagen")])
    if picked:
        samen: dict[str, Any] = dict.fromkeys(tabel.kolommen)
        samen.update(groep=SAMEN, werkdagen=national.get("werkdagen"), onderdrukt=True)
        samen.update({m: round(float(national[m]) - visible[m], 1) for m in ADDITIVE})
        tabel.rijen.append(samen)


def apply(rapport: Rapport, bron: Any, van: dt.date, tot: dt.date, drempel: int) -> None:
    """Suppress the small cells of a `beleid` report's tables, in place."""
    from bedcap.store.query import locaties_per_groep

    national = (rapport.tabel("capaciteit_landelijk").rijen or [{}])[0]
    for naam, kolommen in CAPACITY.items():
        tabel = next((t for t in rapport.tabellen if t.naam == naam), None)
        if tabel is not None and national:
            _capacity(tabel, locaties_per_groep(bron, van, tot, kolommen), national, drempel)
    tabel = next((t for t in rapport.tabellen if t.naam == "dagen_zonder_vrij_bed"), None)
    if tabel is not None:
        counts = locaties_per_groep(bron, van, tot, NO_FREE_BED)
        picked = chosen(
            tabel.rijen, lambda r: counts.get(tuple(str(r[k]) for k in NO_FREE_BED), 0), drempel
        )
        _mark(tabel, picked, NO_FREE_BED_HIDDEN)
