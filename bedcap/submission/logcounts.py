"""The logbook's monthly counts, case-free: what may leave the provider's machine.

Each admission (an entry of the logbook: one opname that failed or went hard) counts
once in `opnames`, `per_uitkomst` and `per_groep` (level × specialism × civil/forensic);
the reasons are a separate breakdown in which an admission with two reasons counts
twice. No row may let a single admission be recognised: every breakdown goes through
the small-cell rule of the report (`rules.smallcells`, threshold
`onderdrukking_drempel_locaties` in bedcap.toml), the suppressed cells together in one
row marked `onderdrukt`, so each breakdown still adds up to its total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from bedcap.rules.smallcells import chosen

if TYPE_CHECKING:
    from bedcap.submission.logbook import Regel

# Civil or forensic follows the legal framework asked for: the Wfz is forensic care.
KADER = {"wfz": "forensisch", "wvggz": "civiel", "wzd": "civiel", "vrijwillig": "civiel"}


def kader(rechtskader: str | None) -> str | None:
    """`civiel` or `forensisch` for a framework; None when the entry names none."""
    return KADER.get(rechtskader) if rechtskader else None


def _order(key: tuple[Hashable, ...]) -> tuple[str, ...]:
    return tuple("" if k is None else str(k) for k in key)


def casefree(
    tally: Counter[tuple[Any, ...]], velden: Sequence[str], drempel: int
) -> list[dict[str, Any]]:
    """The rows of one breakdown; cells under `drempel` summed into one `onderdrukt` row."""
    rows = [
        {**dict(zip(velden, key, strict=True)), "aantal": n}
        for key, n in sorted(tally.items(), key=lambda kv: _order(kv[0]))
    ]
    picked = chosen(rows, lambda r: int(r["aantal"]), drempel)
    out = [r for i, r in enumerate(rows) if i not in picked]
    if picked:
        out.append({"aantal": sum(rows[i]["aantal"] for i in picked), "onderdrukt": True})
    return out


def tellingen(regels: Sequence[Regel], drempel: int) -> dict[str, Any]:
    """The export's counts of `regels` (one provider, one month)."""
    uitkomsten: Counter[tuple[Any, ...]] = Counter((r.uitkomst,) for r in regels)
    groepen: Counter[tuple[Any, ...]] = Counter(
        (r.niveau, r.specialisme, kader(r.rechtskader)) for r in regels
    )
    redenen: Counter[tuple[Any, ...]] = Counter(
        (reden,) for r in regels for reden in dict.fromkeys(r.redenen)
    )
    return {
        "opnames": len(regels),
        "per_uitkomst": casefree(uitkomsten, ("uitkomst",), drempel),
        "per_groep": casefree(groepen, ("niveau", "specialisme", "kader"), drempel),
        "redenen": casefree(redenen, ("reden",), drempel),
    }
