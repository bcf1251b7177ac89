"""The rules for daily snapshot files, run per file (in worker processes at national scale).

Rules that compare a snapshot with today's static data (which wards exist, are active
and offer which care types) are errors inside the correction window and warnings before
it: old history cannot be corrected any more, and static data may have changed since.
"""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bedcap.contract.columns import PER_NAAM, accepts
from bedcap.contract.vocab import VOORZIENINGEN
from bedcap.files.repo import Pad
from bedcap.files.snapshots import (
    COLUMNS,
    COUNT_COLUMNS,
    PYTHON_ONLEESBAAR,
    TYPE_NAMES,
    decode,
    python_onleesbaar,
    read_snapshot,
    reden_onleesbaar,
    schema_version,
    times_in_range,
)
from bedcap.findings.catalogue import Ernst, Finding, finding
from bedcap.rules.snapshot_rows import NIVEAUS, ZORGTYPEN, check_toelichting, row_rules

if TYPE_CHECKING:
    from bedcap.contract.model import Locatie


@dataclass(frozen=True)
class Ward:
    """What a snapshot row is compared with: one ward of today's static data."""

    locatie: str
    afdeling: str
    zorgtypen: tuple[str, ...]
    vanaf: dt.date | None
    tot: dt.date | None
    regio: str
    specialisme: str
    voorziening: str
    niveau: int
    capaciteit: int

    def is_active(self, day: dt.date) -> bool:
        return (self.vanaf is None or day >= self.vanaf) and (self.tot is None or day <= self.tot)

    @property
    def periode(self) -> str:
        return f"actief van {self.vanaf or 'altijd'} tot {self.tot or 'nu'}"


@dataclass(frozen=True)
class SnapshotContext:
    """Everything a worker needs, picklable: known providers and regions, wards per provider."""

    aanbieders: frozenset[str]
    regios: frozenset[str]
    wards: dict[str, dict[tuple[str, str], Ward]] = field(default_factory=dict)
    correctable_from: dt.date = dt.date.min

    @staticmethod
    def wards_of(locaties: dict[str, Locatie]) -> dict[tuple[str, str], Ward]:
        """Wards by (locatie, afdeling); the location id is its file name, as rows use it."""
        return {
            (loc_id, afd.id): Ward(
                loc_id,
                afd.id,
                tuple(z.value for z in afd.zorgtypen),
                afd.actief_vanaf,
                afd.actief_tot,
                loc.regio,
                afd.specialisme.value,
                afd.voorziening.value,
                int(afd.beveiligingsniveau),
                afd.capaciteit,
            )
            for loc_id, loc in locaties.items()
            for afd in loc.afdelingen
        }


def _check_schema(rel: str, table: Any) -> list[Finding]:
    found = []
    version = schema_version(table)
    if version != "1":
        shown = "afwezig" if version is None else repr(version)
        found.append(finding("parquet-schemaversie", rel, gevonden=shown, verwacht="'1'"))
    counts = collections.Counter(table.column_names)
    found += [
        finding("kolom-dubbel", rel, veld=name, gevonden=name, aantal=n)
        for name, n in counts.items()
        if n > 1
    ]
    if len(counts) < len(table.column_names):
        return found  # which of two columns would count: nothing more can be said
    present = set(table.column_names)
    for name in COLUMNS:
        if name not in present:
            found.append(finding("kolom-ontbreekt", rel, veld=name, verwacht=TYPE_NAMES[name]))
            continue
        kind = table.schema.field(name).type
        if not accepts(PER_NAAM[name], kind):
            found.append(
                finding("kolom-type", rel, veld=name, gevonden=str(kind), verwacht=TYPE_NAMES[name])
            )
    for name in table.column_names:
        if name not in COLUMNS:
            found.append(finding("kolom-onbekend", rel, veld=name, gevonden=name))
    return found


_SCHEMA: Any = None
_PAIRS = frozenset((s.value, v.value) for s, vs in VOORZIENINGEN.items() for v in vs)


def _expected_schema() -> Any:
    global _SCHEMA
    if _SCHEMA is None:
        from bedcap.files.snapshots import arrow_schema

        _SCHEMA = arrow_schema()
    return _SCHEMA


_EPOCH = dt.date(1970, 1, 1)
_PLAIN = tuple(c for c in COLUMNS if c not in ("peildatum", "ingediend_op"))


def _rows_clean(pad: Pad, cols: dict[str, list[Any]], days: list[int | None]) -> bool:
    """Whole-file checks with builtins: when they pass, no row rule can fire (3x faster).

    Only the privacy guard on notes still runs row by row.
    """
    if None in days or any(None in cols[name] for name in _PLAIN if name != "toelichting"):
        return False
    if not cols["locatie"]:
        return True
    assert pad.peildatum is not None
    if set(days) != {(pad.peildatum - _EPOCH).days} or set(cols["aanbieder"]) != {pad.aanbieder}:
        return False
    if not (
        set(cols["zorgtype"]) <= ZORGTYPEN
        and set(cols["beveiligingsniveau"]) <= NIVEAUS
        and set(zip(cols["specialisme"], cols["voorziening"], strict=True)) <= _PAIRS
    ):
        return False
    if min(min(cols[name]) for name in COUNT_COLUMNS) < 0:
        return False
    return all(
        b + f + g + o == c
        for b, f, g, o, c in zip(
            cols["bezet"],
            cols["beschikbaar"],
            cols["gereserveerd"],
            cols["buiten_gebruik"],
            cols["capaciteit"],
            strict=True,
        )
    )


def _matches_static(
    cols: dict[str, list[Any]],
    wards: dict[tuple[str, str], Ward],
    day: dt.date,
    regios: frozenset[str],
) -> bool:
    """True when the rows are exactly the active (ward, care type) pairs, each once."""
    expected = {
        (w.locatie, w.afdeling, z) for w in wards.values() if w.is_active(day) for z in w.zorgtypen
    }
    keys = list(zip(cols["locatie"], cols["afdeling"], cols["zorgtype"], strict=True))
    return len(keys) == len(expected) and set(keys) == expected and set(cols["regio"]) <= regios


def static_rules(
    rel: str, pad: Pad, cols: dict[str, list[Any]], ctx: SnapshotContext, ernst: Ernst
) -> Iterator[Finding]:
    """Rows against today's static data of the provider: wards, activity, care types."""
    assert pad.aanbieder is not None and pad.peildatum is not None
    wards = ctx.wards.get(pad.aanbieder, {})
    day = pad.peildatum
    if ernst is Ernst.WAARSCHUWING and _matches_static(cols, wards, day, ctx.regios):
        return  # old history that matches exactly: nothing to say, at a fraction of the cost
    seen: dict[tuple[str, str, str], int] = {}
    per_ward: dict[tuple[str, str], int] = {}
    for i in range(len(cols["locatie"])):
        row = i + 1
        key = (cols["locatie"][i], cols["afdeling"][i], cols["zorgtype"][i])
        if key in seen:
            yield finding(
                "dubbele-rij",
                rel,
                rij=row,
                veld="afdeling",
                gevonden="/".join(map(str, key)),
                verwacht=seen[key],
            )
            continue
        seen[key] = row
        ward = wards.get((key[0], key[1]))
        if ward is None:
            yield finding(
                "onbekende-afdeling",
                rel,
                rij=row,
                veld="afdeling",
                ernst=ernst,
                gevonden=f"{key[0]}/{key[1]}",
                verwacht=", ".join(f"{loc}/{afd}" for loc, afd in sorted(wards)) or "-",
            )
            continue
        yield from _ward_rules(rel, cols, i, ward, ctx, ernst, day)
        if ernst is Ernst.FOUT:
            per_ward[(key[0], key[1])] = per_ward.get((key[0], key[1]), 0) + (
                cols["capaciteit"][i] or 0
            )
    yield from _ward_totals(rel, per_ward, wards)
    yield from _missing_rows(rel, set(seen), wards, day, ernst)


def _ward_rules(
    rel: str,
    cols: dict[str, list[Any]],
    i: int,
    ward: Ward,
    ctx: SnapshotContext,
    ernst: Ernst,
    day: dt.date,
) -> Iterator[Finding]:
    """One row against its ward: active, care type offered, region, the static columns."""
    row, gevonden = i + 1, f"{cols['locatie'][i]}/{cols['afdeling'][i]}"
    if not ward.is_active(day):
        yield finding(
            "afdeling-niet-actief",
            rel,
            rij=row,
            veld="afdeling",
            ernst=ernst,
            gevonden=gevonden,
            datum=day,
            periode=ward.periode,
        )
    if cols["zorgtype"][i] not in ward.zorgtypen:
        yield finding(
            "zorgtype-niet-aangeboden",
            rel,
            rij=row,
            veld="zorgtype",
            ernst=ernst,
            gevonden=cols["zorgtype"][i],
            verwacht=", ".join(ward.zorgtypen),
        )
    if cols["regio"][i] is not None and cols["regio"][i] not in ctx.regios:
        yield finding(
            "onbekende-regio",
            rel,
            rij=row,
            veld="regio",
            ernst=ernst,
            gevonden=cols["regio"][i],
            verwacht=", ".join(sorted(ctx.regios)),
        )
    if ernst is not Ernst.FOUT:
        return  # static data may have changed since: only correctable days must match it
    for name, expected in (
        ("regio", ward.regio),
        ("specialisme", ward.specialisme),
        ("voorziening", ward.voorziening),
        ("beveiligingsniveau", ward.niveau),
    ):
        if cols[name][i] is not None and cols[name][i] != expected:
            yield finding(
                "statisch-wijkt-af",
                rel,
                rij=row,
                veld=name,
                gevonden=cols[name][i],
                verwacht=expected,
            )


def capacity_bound(nominal: int) -> int:
    """The most beds a ward's rows may add up to: twice its nominal capacity plus 10."""
    return 2 * nominal + 10


def _ward_totals(
    rel: str, per_ward: dict[tuple[str, str], int], wards: dict[tuple[str, str], Ward]
) -> Iterator[Finding]:
    """A ward's capacity: above nominal a warning, above `capacity_bound` an error."""
    for (loc, afd), total in sorted(per_ward.items()):
        nominal = wards[(loc, afd)].capaciteit
        if total > capacity_bound(nominal):
            yield finding(
                "capaciteit-boven-grens",
                rel,
                veld=f"{loc}/{afd}",
                gevonden=total,
                verwacht=capacity_bound(nominal),
                nominaal=nominal,
            )
        elif total > nominal:
            yield finding(
                "capaciteit-boven-nominaal",
                rel,
                veld=f"{loc}/{afd}",
                gevonden=total,
                verwacht=wards[(loc, afd)].capaciteit,
            )


def _missing_rows(
    rel: str,
    present: set[tuple[str, str, str]],
    wards: dict[tuple[str, str], Ward],
    day: dt.date,
    ernst: Ernst,
) -> Iterator[Finding]:
    """Every active (ward, care type) must have its row."""
    for (loc, afd), ward in sorted(wards.items()):
        if ward.is_active(day):
            for zorgtype in ward.zorgtypen:
                if (loc, afd, zorgtype) not in present:
                    yield finding(
                        "snapshot-onvolledig",
                        rel,
                        veld="afdeling",
                        ernst=ernst,
                        gevonden=f"locatie {loc}, afdeling {afd}, zorgtype {zorgtype}",
                    )


def check_snapshot(
    root: Path, pad: Pad, ctx: SnapshotContext, data: bytes | None = None
) -> list[Finding]:
    """Every finding for one snapshot file; for `data` when given, the bytes the caller
    read from it as a regular file (without following a link) and filed under their blob
    id, so the findings are about those bytes even if the file changed since."""
    rel = pad.pad
    path = root / rel
    if data is None and path.is_symlink():
        return [finding("bestand-symlink", rel)]
    if pad.aanbieder not in ctx.aanbieders:
        return [finding("onbekende-aanbieder", rel, veld="aanbieder", gevonden=pad.aanbieder)]
    try:
        table = read_snapshot(path) if data is None else decode(data)
    except Exception as exc:  # noqa: BLE001 - any corruption is a finding, not a crash
        return [finding("parquet-onleesbaar", rel, reden=reden_onleesbaar(exc))]
    try:
        found = (
            []
            if table.schema.equals(_expected_schema(), check_metadata=True)
            else _check_schema(rel, table)
        )
        if any(p.code in ("kolom-ontbreekt", "kolom-type", "kolom-dubbel") for p in found):
            return found
        return found + _rules(pad, table, ctx)
    except PYTHON_ONLEESBAAR:
        return [finding("parquet-onleesbaar", rel, reden=python_onleesbaar(table))]


def _rules(pad: Pad, table: Any, ctx: SnapshotContext) -> list[Finding]:
    """The row and static rules of a file whose schema fits."""
    rel = pad.pad
    found: list[Finding] = []
    if not times_in_range(table.column("ingediend_op")):  # the rest need only its presence
        return [finding("parquet-onleesbaar", rel, reden=python_onleesbaar(table))]
    # Dates and timestamps are slow to turn into Python objects; the fast path reads the
    # peildatum as days since 1970 and only counts missing submission times.
    cols = {name: table.column(name).to_pylist() for name in _PLAIN}
    days = table.column("peildatum").cast("int32").to_pylist()
    assert pad.peildatum is not None
    if table.column("ingediend_op").null_count == 0 and _rows_clean(pad, cols, days):
        for i, note in enumerate(cols["toelichting"]):
            if note is not None:
                found.extend(check_toelichting(rel, note, pad.peildatum, rij=i + 1))
    else:
        # The submission time only has to be there (its range is checked above, the
        # moment is the gate's, `gate.records`): as Python values a time in nanoseconds
        # that is not a whole microsecond, which the contract accepts, was a traceback.
        cols = table.select(list(_PLAIN) + ["peildatum"]).to_pydict()
        present = table.column("ingediend_op").is_valid().to_pylist()
        cols["ingediend_op"] = [True if ok else None for ok in present]
        for i in range(table.num_rows):
            found.extend(row_rules(rel, pad, cols, i))
    ernst = Ernst.FOUT if pad.peildatum >= ctx.correctable_from else Ernst.WAARSCHUWING
    found.extend(static_rules(rel, pad, cols, ctx, ernst))
    return found


def check_snapshots(
    root: Path, pads: list[Pad], ctx: SnapshotContext, progress: Any = None, chunk: int = 1500
) -> list[Finding]:
    """All snapshot files; many at once in worker processes, vectorised (`bulk`)."""
    from bedcap.rules.bulk import check_many

    return check_many(root, pads, ctx, progress, chunk).findings
