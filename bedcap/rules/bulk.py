"""Many snapshots at once: one vectorised pass finds the files no rule can fault (issue 18).

Checking 150,000 files one by one cost about 0.5 ms of CPU each, most of it turning tiny
Arrow tables into Python lists. Here a chunk of files is read and decoded once, the
tables that have exactly the contract's schema are concatenated, and every row rule and
the comparison with the static data run as Arrow and NumPy operations over all rows
together. A file that passes is clean by construction: it would pass each check of
`check_snapshot` too. Every other file (a rule fires, a note to scan, a day inside the
correction window, anything unusual) goes to `check_snapshot` itself, so the findings
are exactly those of the file-by-file rules.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from bedcap.files import cores
from bedcap.files.readahead import Gelezen, read_many
from bedcap.files.repo import Pad
from bedcap.files.snapshots import MAX_SNAPSHOT_BYTES, PYTHON_ONLEESBAAR
from bedcap.findings.catalogue import Finding


def blob_id(data: bytes) -> str:
    """The id git gives these bytes (`git hash-object`)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)  # not concatenated first: a copy of every file
    return digest.hexdigest()


class Blob(NamedTuple):
    """A file as the rules read it: its blob id, and its size and change time then."""

    id: str
    grootte: int
    mtime_ns: int
    changed_ns: int

    @classmethod
    def of(cls, read: Gelezen) -> Blob:
        return cls(blob_id(read.data), read.grootte, read.mtime_ns, read.changed_ns)


@dataclass
class Chunk:
    """The outcome of a chunk: its findings, and the blob of every file it could read."""

    findings: list[Finding]
    blobs: dict[str, Blob]
    clean: int = 0
    """How many files the vectorised pass cleared (the rest went to `check_snapshot`)."""


def check_chunk(root: Path, pads: Sequence[Pad], ctx: Any) -> Chunk:
    """Every finding for `pads`, the same as `check_snapshot` file by file gives."""
    from bedcap.rules.snapshots import check_snapshot

    blobs: dict[str, Blob] = {}
    datas: dict[str, bytes] = {}
    members = _Members()
    for pad, read in zip(pads, _read_all(root, pads), strict=True):
        if read is None:
            continue
        blobs[pad.pad] = Blob.of(read)
        datas[pad.pad] = read.data
        if _candidate(pad, ctx):
            members.add(pad, read.data)
    rows = members.rows()
    clean: dict[str, tuple[int, int]] = {}
    if rows is not None:
        starts = itertools.accumulate(members.sizes[:-1], initial=0)
        for pad, start, size, ok in zip(
            members.pads, starts, members.sizes, clean_files(members, rows, ctx), strict=True
        ):
            if ok:
                clean[pad.pad] = (start, size)
    findings = []
    for pad in pads:
        where = clean.get(pad.pad)
        notes = None
        if where is not None:
            assert rows is not None
            notes = _notes(pad, rows.slice(*where))
        # The bytes already read, never the file again: their blob id files the findings.
        findings += check_snapshot(root, pad, ctx, datas.get(pad.pad)) if notes is None else notes
    return Chunk(findings, blobs, len(clean))


_COMBINE = 50
"""Decoded files are joined into one table this many at a time. Keeping 1,500 small
tables alive until the end of a chunk and freeing them together cost about a tenth of a
worker's CPU (glibc's allocator has few freed blocks to reuse while they live)."""


class _Members:
    """The files the vectorised pass may clear, and their rows, joined as they come."""

    def __init__(self) -> None:
        self.pads: list[Pad] = []
        self.sizes: list[int] = []
        self._joined: list[Any] = []
        self._pending: list[tuple[Pad, Any]] = []

    def add(self, pad: Pad, data: bytes) -> None:
        """Decode one file with pyarrow, the reader `check_snapshot` uses, so a file it
        refuses is never cleared here. Files of one schema wait to be joined; a member
        when it has rows and the contract's schema or one the rules read the same way
        (`conformed`), else `check_snapshot` says what is wrong."""
        from bedcap.files.snapshots import decode

        try:
            table = decode(data)
        except Exception:  # noqa: BLE001 - check_snapshot says what is wrong
            return
        if not table.num_rows:
            return
        if self._pending and not table.schema.equals(
            self._pending[0][1].schema, check_metadata=True
        ):
            self._join()
        self._pending.append((pad, table))
        if len(self._pending) == _COMBINE:
            self._join()

    def _join(self) -> None:
        """The waiting files of one schema as one table in the contract's schema: cast
        once for all of them (per file, a cast cost as much as decoding), file by file
        only when that fails, the files that still fail left to `check_snapshot`."""
        import pyarrow as pa

        pending, self._pending = self._pending, []
        if not pending:
            return
        joined = _conformed_or_none(pending)
        if joined is None and len(pending) > 1:
            parts = [(pad, _conformed_or_none([(pad, table)])) for pad, table in pending]
            pending = [(pad, table) for pad, table in parts if table is not None]
            joined = pa.concat_tables([table for _, table in pending]) if pending else None
        if joined is None:
            return
        self.pads += [pad for pad, _ in pending]
        self.sizes += [table.num_rows for _, table in pending]
        self._joined.append(joined.combine_chunks())

    def rows(self) -> Any:
        """Every member's rows in one table of one chunk per column; None without members."""
        import pyarrow as pa

        self._join()
        if not self._joined:
            return None
        rows = pa.concat_tables(self._joined).combine_chunks()
        self._joined = []
        return rows


def _conformed_or_none(files: list[tuple[Pad, Any]]) -> Any:
    """The files' tables joined in the contract's schema; None for anything unusual (a
    column name that is no UTF-8, say), which `check_snapshot` then describes."""
    import pyarrow as pa

    try:
        return conformed(pa.concat_tables([table for _, table in files]))
    except Exception:  # noqa: BLE001 - check_snapshot says what is wrong
        return None


def conformed(table: Any) -> Any:
    """`table` in exactly the contract's schema, or None when `check_snapshot` must judge it.

    The contract lets readers accept any integer width, timestamp unit and spelling of
    UTC, large strings and string views, any column order and nullable fields (`accepts`);
    a file written by another tool (pandas: int64 and nullable everywhere) differs in
    some of these in every file, and sending each to the file-by-file rules made a cold
    validation of such a national repository twice as slow. A table those rules judge by
    its values alone (the contract's columns once each, types they accept, schema
    version 1) is cast here; a value the cast would change (an integer out of range, a
    time finer than a microsecond) leaves it to them.
    """
    import pyarrow as pa

    from bedcap.contract.columns import PER_NAAM, accepts
    from bedcap.files.snapshots import COLUMNS, schema_version
    from bedcap.rules.snapshots import _expected_schema

    expected = _expected_schema()
    if table.schema.equals(expected, check_metadata=True):
        return table
    names = table.column_names
    if len(names) != len(COLUMNS) or set(names) != set(COLUMNS):
        return None
    if schema_version(table) != "1":
        return None
    if not all(accepts(PER_NAAM[f.name], f.type) for f in table.schema):
        return None
    try:
        columns = [table.column(f.name).cast(f.type, safe=True) for f in expected]
    except pa.ArrowException:
        return None
    return pa.Table.from_arrays(columns, schema=expected)


def _notes(pad: Pad, table: Any) -> list[Finding] | None:
    """A clean file's findings: only what the privacy guard says of its notes, as in
    `check_snapshot`'s fast path. None when a note cannot be read as text: the file's
    own reading says why (its columns in its own order, not the contract's)."""
    from bedcap.rules.snapshot_rows import check_toelichting

    column = table.column("toelichting")
    if column.null_count == len(column):
        return []
    assert pad.peildatum is not None
    try:
        notes = column.to_pylist()
    except PYTHON_ONLEESBAAR:
        return None
    return [
        p
        for i, note in enumerate(notes)
        if note is not None
        for p in check_toelichting(pad.pad, note, pad.peildatum, rij=i + 1)
    ]


def _read_all(root: Path, pads: Sequence[Pad]) -> Any:
    return read_many([os.path.join(root, p.pad) for p in pads], limit=MAX_SNAPSHOT_BYTES)


def _candidate(pad: Pad, ctx: Any) -> bool:
    """Only history of known providers can be clean here; the correction window's days
    get the errors of the full static comparison, file by file."""
    return (
        pad.aanbieder in ctx.aanbieders
        and pad.peildatum is not None
        and pad.peildatum < ctx.correctable_from
    )


_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal(): Arrow dates count days from it
_SEP = "\x1f"  # joins the parts of a key; no id or vocabulary value contains it


def clean_files(members: _Members, rows: Any, ctx: Any) -> list[bool]:
    """Per member file: True when no row rule fires and its rows are exactly the
    provider's active (ward, care type) pairs of that day, each once, in known regions.

    The members have the contract's schema and at least one row each, their `rows` one
    after the other; they are history days of known providers (the warnings-only
    comparison of `static_rules`)."""
    import numpy as np

    pads, count = members.pads, len(members.pads)
    sizes = np.fromiter(members.sizes, dtype=np.int64, count=count)
    file_of = np.repeat(np.arange(count), sizes)
    days = np.fromiter((p.peildatum.toordinal() - _EPOCH_ORDINAL for p in pads), np.int64)  # type: ignore[union-attr]
    ok = _row_rules(rows, file_of, pads, days)
    slot, active = _static_slots(rows, file_of, pads, days, ctx)
    ok &= active
    bad = np.zeros(count, dtype=bool)
    bad[file_of[~ok]] = True
    bad |= _duplicates(file_of, slot, count)
    bad |= np.bincount(file_of, minlength=count) != _expected_counts(pads, days, ctx)
    return (~bad).tolist()


def _row_rules(rows: Any, file_of: Any, pads: Sequence[Pad], days: Any) -> Any:
    """Per row: what `_rows_clean` asks (a note is left to the privacy guard)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from bedcap.files.snapshots import COLUMNS, COUNT_COLUMNS, MICROS_RANGE
    from bedcap.rules.snapshot_rows import NIVEAUS, ZORGTYPEN
    from bedcap.rules.snapshots import _PAIRS

    def flags(array: Any) -> Any:
        return np.asarray(array.fill_null(False), dtype=bool)

    ok = np.ones(rows.num_rows, dtype=bool)
    for name in COLUMNS:
        if name != "toelichting" and rows[name].null_count:
            ok &= flags(pc.is_valid(rows[name]))
    ok &= rows["peildatum"].cast(pa.int32()).fill_null(-1).to_numpy() == days[file_of]
    providers = pa.array([p.aanbieder for p in pads], pa.string()).take(pa.array(file_of))
    ok &= flags(pc.equal(rows["aanbieder"], providers))
    ok &= flags(pc.is_in(rows["zorgtype"], value_set=pa.array(sorted(ZORGTYPEN))))
    levels = pa.array(sorted(NIVEAUS), rows["beveiligingsniveau"].type)
    ok &= flags(pc.is_in(rows["beveiligingsniveau"], value_set=levels))
    pairs = pc.binary_join_element_wise(rows["specialisme"], rows["voorziening"], _SEP)
    allowed = pa.array(sorted(f"{s}{_SEP}{v}" for s, v in _PAIRS))
    ok &= flags(pc.is_in(pairs, value_set=allowed))
    submitted = rows["ingediend_op"].cast(pa.int64()).fill_null(0).to_numpy()
    ok &= (MICROS_RANGE[0] <= submitted) & (submitted <= MICROS_RANGE[1])  # `times_in_range`
    counts = {name: rows[name].fill_null(0).to_numpy().astype(np.int64) for name in COUNT_COLUMNS}
    for values in counts.values():
        ok &= values >= 0
    total = counts["bezet"] + counts["beschikbaar"] + counts["gereserveerd"]
    ok &= total + counts["buiten_gebruik"] == counts["capaciteit"]
    return ok


_NEVER = (-(2**40), 2**40)  # a ward without start or end date: active from and until


def _ward_keys(ctx: Any) -> tuple[list[str], Any, Any]:
    """Every provider's (ward, care type) pairs as keys, with their active period in days."""
    import numpy as np

    keys, starts, ends = [], [], []
    for aanbieder, wards in ctx.wards.items():
        for (loc, afd), ward in wards.items():
            for zorgtype in ward.zorgtypen:
                keys.append(_SEP.join((aanbieder, loc, afd, zorgtype)))
                starts.append(_day(ward.vanaf, _NEVER[0]))
                ends.append(_day(ward.tot, _NEVER[1]))
    return keys, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _day(value: Any, default: int) -> int:
    return default if value is None else int(value.toordinal() - _EPOCH_ORDINAL)


def _static_slots(
    rows: Any, file_of: Any, pads: Sequence[Pad], days: Any, ctx: Any
) -> tuple[Any, Any]:
    """Per row: the index of its (ward, care type) pair (-1: none), and whether that pair
    is active on the file's day and the row's region is known."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    keys, starts, ends = _ward_keys(ctx)
    joined = pc.binary_join_element_wise(
        rows["aanbieder"], rows["locatie"], rows["afdeling"], rows["zorgtype"], _SEP
    )
    slot = pc.index_in(joined, value_set=pa.array(keys, pa.string())).fill_null(-1)
    slot = np.asarray(slot, dtype=np.int64)
    found = slot >= 0
    day = days[file_of]
    active = found & (starts[slot] <= day) & (day <= ends[slot]) if keys else found
    regios = pa.array(sorted(ctx.regios), pa.string())
    active &= np.asarray(pc.is_in(rows["regio"], value_set=regios).fill_null(False), dtype=bool)
    return slot, active


def _duplicates(file_of: Any, slot: Any, files: int) -> Any:
    """Per file: True when two of its rows name the same (ward, care type) pair."""
    import numpy as np

    combined = np.sort(file_of * (int(slot.max(initial=0)) + 2) + slot + 1)
    twice = combined[1:][combined[1:] == combined[:-1]]
    bad = np.zeros(files, dtype=bool)
    bad[twice // (int(slot.max(initial=0)) + 2)] = True
    return bad


def _expected_counts(pads: Sequence[Pad], days: Any, ctx: Any) -> Any:
    """Per file: how many (ward, care type) pairs of its provider are active on its day."""
    import numpy as np

    counts = np.zeros(len(pads), dtype=np.int64)
    by_provider: dict[str, list[int]] = {}
    for i, pad in enumerate(pads):
        by_provider.setdefault(pad.aanbieder or "", []).append(i)
    for aanbieder, members in by_provider.items():
        periods = [
            (_day(w.vanaf, _NEVER[0]), _day(w.tot, _NEVER[1]))
            for w in ctx.wards.get(aanbieder, {}).values()
            for _ in w.zorgtypen
        ]
        if not periods:
            continue
        start, end = np.array(periods, dtype=np.int64).T
        when = days[members][:, None]
        counts[members] = ((start <= when) & (when <= end)).sum(axis=1)
    return counts


IN_PROCESS_BELOW = 200
"""Fewer files than this are checked one by one: the vectorised pass's imports (NumPy,
Arrow compute) cost more than it saves."""

_WORKER: tuple[Path, Any, Sequence[Pad]] | None = None


def _init_worker(root: Path, ctx: Any, pads: Sequence[Pad]) -> None:
    """A forked worker inherits the files: a chunk is sent as its bounds, not pickled
    (pickling and unpickling 150,000 paths cost 0.55 s of CPU)."""
    import gc

    global _WORKER
    _WORKER = (root, ctx, pads)
    gc.disable()  # no cycle collector for tables that die young


def _worker_chunk(bounds: tuple[int, int]) -> Chunk:
    assert _WORKER is not None
    root, ctx, pads = _WORKER
    return check_chunk(root, pads[bounds[0] : bounds[1]], ctx)


Each = Callable[[Sequence[Pad], Chunk], None]
"""Told of each chunk's files and outcome in the main process, as they come back."""


def _one_by_one(root: Path, pads: Sequence[Pad], ctx: Any, progress: Any, each: Each) -> Chunk:
    from bedcap.rules.snapshots import check_snapshot

    out = Chunk([], {})
    for pad, read in zip(pads, _read_all(root, pads), strict=True):
        out.findings.extend(check_snapshot(root, pad, ctx, None if read is None else read.data))
        if read is not None:
            out.blobs[pad.pad] = Blob.of(read)
        if progress:
            progress(1)
    each(pads, out)
    return out


def check_many(
    root: Path,
    pads: Sequence[Pad],
    ctx: Any,
    progress: Any = None,
    chunk: int = 1500,
    each: Each | None = None,
) -> Chunk:
    """Every finding for `pads` and their blob ids; in forked worker processes when there
    are many (decoding Parquet is CPU), one vectorised chunk at a time. `each` may do its
    part of the work with a chunk while the workers go on with the next ones."""
    each = each or (lambda part, done: None)
    if len(pads) < IN_PROCESS_BELOW:
        return _one_by_one(root, pads, ctx, progress, each)
    bounds = [(i, min(i + chunk, len(pads))) for i in range(0, len(pads), chunk)]
    workers = min(cores.usable(), len(bounds), 8)
    out = Chunk([], {})
    if workers < 2:
        done = (check_chunk(root, pads[start:end], ctx) for start, end in bounds)
        return _gather(out, pads, bounds, done, progress, each)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    mp = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=mp, initializer=_init_worker, initargs=(root, ctx, pads)
    ) as pool:
        return _gather(out, pads, bounds, pool.map(_worker_chunk, bounds), progress, each)


def _gather(
    out: Chunk,
    pads: Sequence[Pad],
    bounds: list[tuple[int, int]],
    done: Any,
    progress: Any,
    each: Each,
) -> Chunk:
    for (start, end), result in zip(bounds, done, strict=True):
        out.findings.extend(result.findings)
        out.blobs.update(result.blobs)
        out.clean += result.clean
        each(pads[start:end], result)
        if progress:
            progress(end - start)
    return out
