"""The rules a snapshot row must meet on its own, and the free-text check of any note.

Split from `snapshots.py`, which compares rows with the static data: these rules need
nothing but the row and the file's path, so `submit` applies them to typed input too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from bedcap.contract.patterns import SNAPSHOT_TOELICHTING_MAX
from bedcap.contract.vocab import (
    VOORZIENINGEN,
    Beveiligingsniveau,
    Specialisme,
    Voorziening,
    Zorgtype,
)
from bedcap.files.repo import Pad
from bedcap.files.snapshots import COLUMNS, COUNT_COLUMNS, TYPE_NAMES
from bedcap.files.textsafe import control_character
from bedcap.findings.catalogue import Finding, finding
from bedcap.rules.privacy import scan

ZORGTYPEN = frozenset(z.value for z in Zorgtype)
SPECIALISMEN = frozenset(s.value for s in Specialisme)
VOORZIENINGEN_SET = frozenset(v.value for v in Voorziening)
NIVEAUS = frozenset(int(n) for n in Beveiligingsniveau)


def row_rules(rel: str, pad: Pad, cols: dict[str, list[Any]], i: int) -> Iterator[Finding]:
    """The rules a row must meet on its own, whatever the static data says."""
    row = i + 1
    yield from _identity(rel, pad, cols, i, row)
    yield from _vocabulary(rel, cols, i, row)
    yield from _counts(rel, cols, i, row)
    note = cols["toelichting"][i]
    if note is not None:
        assert pad.peildatum is not None  # a snapshot's path always names its day
        yield from check_toelichting(rel, note, pad.peildatum, rij=row)


def _identity(
    rel: str, pad: Pad, cols: dict[str, list[Any]], i: int, row: int
) -> Iterator[Finding]:
    """Every value present; the day and provider those of the file's path."""
    for name in COLUMNS:
        if name != "toelichting" and cols[name][i] is None:
            yield finding("waarde-ontbreekt", rel, rij=row, veld=name, verwacht=TYPE_NAMES[name])
    if cols["peildatum"][i] not in (None, pad.peildatum):
        yield finding(
            "peildatum-wijkt-af",
            rel,
            rij=row,
            veld="peildatum",
            gevonden=cols["peildatum"][i],
            verwacht=pad.peildatum,
        )
    if cols["aanbieder"][i] not in (None, pad.aanbieder):
        yield finding(
            "aanbieder-wijkt-af",
            rel,
            rij=row,
            veld="aanbieder",
            gevonden=cols["aanbieder"][i],
            verwacht=pad.aanbieder,
        )


def _vocabulary(rel: str, cols: dict[str, list[Any]], i: int, row: int) -> Iterator[Finding]:
    """Care type, specialism, facility and level from the vocabularies, and a valid pair."""
    for name, allowed in (
        ("zorgtype", ZORGTYPEN),
        ("specialisme", SPECIALISMEN),
        ("voorziening", VOORZIENINGEN_SET),
    ):
        value = cols[name][i]
        if value is not None and value not in allowed:
            yield finding(
                "onbekende-waarde",
                rel,
                rij=row,
                veld=name,
                gevonden=repr(value),
                verwacht=", ".join(sorted(allowed)),
            )
    niveau = cols["beveiligingsniveau"][i]
    if niveau is not None and niveau not in NIVEAUS:
        yield finding(
            "onbekend-beveiligingsniveau", rel, rij=row, veld="beveiligingsniveau", gevonden=niveau
        )
    specialisme, voorziening = cols["specialisme"][i], cols["voorziening"][i]
    if specialisme in SPECIALISMEN and voorziening in VOORZIENINGEN_SET:
        allowed_v = [v.value for v in VOORZIENINGEN[Specialisme(specialisme)]]
        if voorziening not in allowed_v:
            yield finding(
                "voorziening-past-niet",
                rel,
                rij=row,
                veld="voorziening",
                gevonden=voorziening,
                specialisme=specialisme,
                verwacht=", ".join(allowed_v),
            )


def _counts(rel: str, cols: dict[str, list[Any]], i: int, row: int) -> Iterator[Finding]:
    """No negative count; occupied + available + reserved + out of use = capacity."""
    counts = {name: cols[name][i] for name in COUNT_COLUMNS}
    for name, value in counts.items():
        if value is not None and value < 0:
            yield finding("negatief-aantal", rel, rij=row, veld=name, gevonden=value)
    if None not in counts.values():
        parts = (
            counts["bezet"]
            + counts["beschikbaar"]
            + counts["gereserveerd"]
            + counts["buiten_gebruik"]
        )
        if parts != counts["capaciteit"]:
            yield finding(
                "som-klopt-niet",
                rel,
                rij=row,
                veld="capaciteit",
                gevonden=parts,
                verwacht=counts["capaciteit"],
                **{k: counts[k] for k in COUNT_COLUMNS if k != "capaciteit"},
            )


def check_toelichting(
    rel: str,
    note: str,
    peildatum: dt.date,
    *,
    rij: int | None = None,
    regel: int | None = None,
    veld: str = "toelichting",
    max_len: int = SNAPSHOT_TOELICHTING_MAX,
) -> Iterator[Finding]:
    """Length, control characters and the privacy guard, for any free-text note."""
    if (teken := control_character(note)) is not None:  # issue 13
        yield finding("stuurteken", rel, rij=rij, regel=regel, veld=veld, gevonden=teken)
    if len(note) > max_len:
        yield finding(
            "toelichting-te-lang",
            rel,
            rij=rij,
            regel=regel,
            veld=veld,
            gevonden=len(note),
            verwacht=max_len,
        )
    for hit in scan(note, peildatum):
        yield finding(hit.code, rel, rij=rij, regel=regel, veld=veld, gevonden=hit.gevonden)
