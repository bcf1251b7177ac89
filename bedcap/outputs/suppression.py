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

Every other table the audience sees follows the same rule (`apply_rest`): the legal
framework table (a ward counts under each framework, so there is no sum row), the
financing and reconciliation tables (locations with a financing line), the civil/forensic
share per quarter, and the logbook's bottlenecks (counted in providers, as an export names
no location). When the whole country has fewer locations than the threshold, no figure is
shown at all (`hide_all`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
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
# columns that name a group, never a figure: they stay when the rest of a row is hidden
LABELS = frozenset(
    {"groep", "regio", "beveiligingsniveau", "specialisme", "zorgtype", "grondslag",
     "kwartaal", "periode", "maat", "kerncijfer", "eenheid", "uitkomst", "reden", "soort",
     "kader"}
)  # fmt: skip
TE_WEINIG = (
    "Minder dan {drempel} locaties in deze periode: voor deze doelgroep worden geen cijfers "
    "getoond, zodat geen aanbieder herkenbaar is."
)


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
        _mark(tabel, small_no_free_bed(tabel.rijen, bron, van, tot, drempel), NO_FREE_BED_HIDDEN)


def small_no_free_bed(
    rows: Sequence[dict[str, Any]], bron: Any, van: dt.date, tot: dt.date, drempel: int
) -> set[int]:
    """The rows of "days without a free bed" to suppress (also for the previous quarter's
    key figure, so both quarters' sums leave out the same kind of cell)."""
    from bedcap.store.query import locaties_per_groep

    counts = locaties_per_groep(bron, van, tot, NO_FREE_BED)
    return chosen(rows, lambda r: counts.get(tuple(str(r[k]) for k in NO_FREE_BED), 0), drempel)


def figures_of(tabel: Tabel) -> list[str]:
    """The columns of `tabel` that hold figures (everything but the group labels)."""
    return [k for k in tabel.kolommen if k not in LABELS and k != ONDERDRUKT]


def additive(
    tabel: Tabel,
    size: Callable[[dict[str, Any]], int],
    drempel: int,
    also: Callable[[dict[str, Any]], bool] = lambda r: False,
) -> None:
    """Suppress a table whose rows add up: one `onderdrukt (samen)` row holds the sums of
    the suppressed rows (together from at least `drempel`), so the total still adds up."""
    picked = chosen(tabel.rijen, size, drempel, also)
    hidden = figures_of(tabel)
    samen: dict[str, Any] = dict.fromkeys(tabel.kolommen)
    for k in hidden:
        values = [tabel.rijen[i][k] for i in picked]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        samen[k] = sum(numbers) if len(numbers) == len(values) else None
    label = next((k for k in tabel.kolommen if k in LABELS), tabel.kolommen[0])
    _mark(tabel, picked, hidden)
    if picked:
        tabel.rijen.append({**samen, label: SAMEN, ONDERDRUKT: True})


def per_row(tabel: Tabel, size: Callable[[dict[str, Any]], int], drempel: int) -> None:
    """Suppress rows that are no parts of one whole (quarters; frameworks that overlap):
    each small row alone, as no sum of rows is shown to subtract from."""
    _mark(tabel, {i for i, r in enumerate(tabel.rijen) if size(r) < drempel}, figures_of(tabel))


def hide_all(rapport: Rapport, drempel: int) -> None:
    """Too few locations in the whole country: every figure of every table is hidden."""
    for tabel in rapport.tabellen:
        if tabel.naam != "niet_leesbaar":  # counts of unread files: no provider's figure
            _mark(tabel, set(range(len(tabel.rijen))), figures_of(tabel))
            tabel.toelichting = TE_WEINIG.format(drempel=drempel)
    rapport.grafieken = {}
    rapport.zinnen = [TE_WEINIG.format(drempel=drempel)]


def apply_rest(rapport: Rapport, bron: Any, van: dt.date, tot: dt.date, drempel: int) -> None:
    """The legal framework table and the bottlenecks of a `beleid` report, in place
    (financing is suppressed where it is made, `financing.financing_tables`)."""
    from bedcap.store.query import locaties_per_groep

    tabel = next((t for t in rapport.tabellen if t.naam == "capaciteit_rechtskader"), None)
    if tabel is not None:
        counts = locaties_per_groep(bron, van, tot, ("rechtskader",))
        per_row(tabel, lambda r: counts.get((str(r["groep"]),), 0), drempel)
