"""The small-cell rule, one place for every output that must not show a single case.

Used by the report's `beleid` audience (no provider recognisable, issue 13) and by the
logbook export (no admission recognisable, issue 14): a cell below the threshold is
suppressed (primary), then more cells, smallest first, until the suppressed cells are at
least two and together reach the threshold, so none follows from a total by subtraction
(complementary).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def chosen(
    rows: Sequence[dict[str, Any]],
    size: Callable[[dict[str, Any]], int],
    drempel: int,
    also: Callable[[dict[str, Any]], bool] = lambda r: False,
) -> set[int]:
    """Indexes of the rows to suppress: primary (and `also`: rows another table with the
    same figure suppresses), then complementary (smallest first)."""
    picked = {i for i, r in enumerate(rows) if size(r) < drempel or also(r)}
    if not picked:
        return picked
    rest = sorted((i for i in range(len(rows)) if i not in picked), key=lambda i: size(rows[i]))
    while rest and (len(picked) < 2 or sum(size(rows[i]) for i in picked) < drempel):
        picked.add(rest.pop(0))
    return picked
