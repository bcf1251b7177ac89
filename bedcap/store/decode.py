"""A cold cache build decoded in forked worker processes (issue 18).

DuckDB spent 0.33 ms of CPU opening each of 150,000 tiny Parquet files; pyarrow decodes
one from a buffer in about 0.19 ms, and processes use every core without contending over
one DuckDB instance. A worker decodes a batch, keeps the files whose columns are exactly
the contract's (extra columns are dropped, as `read_parquet` ignores them), converts them
to the cache's types and sends one Arrow table back; the parent appends it in one
`INSERT … SELECT`. Every other file (unreadable, empty bytes, a column missing or of
another type) goes back by name to `rows.load_files`, so its rows and its verdict are
exactly those of the in-process path. The parent appends some batches per transaction
(`GROUP_ROWS`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bedcap.contract.columns import KOLOMMEN, arrow_type
from bedcap.files.snapshots import decode
from bedcap.store.rows import load_files

FORK_FROM = 2000
"""Below this many files a refresh stays in process: starting workers costs more."""


def worker_count(files: int) -> int:
    """Processes to decode `files` with: one per core, none (0) when too few files."""
    cores = os.cpu_count() or 1
    return min(cores, 8) if files >= FORK_FROM and cores >= 2 else 0


def _cache_types() -> list[tuple[str, Any, Any]]:
    """Each column's name, its exact Arrow type in a file, and its type in the cache."""
    import pyarrow as pa

    cached = {"DATE": pa.date32(), "VARCHAR": pa.string(), "INTEGER": pa.int32()}
    cached |= {"BIGINT": pa.int64(), "TIMESTAMP": pa.timestamp("us")}
    # The timestamp drops its zone but keeps its UTC instant: `AT TIME ZONE 'UTC'`.
    return [(k.naam, arrow_type(k), cached[k.duckdb]) for k in KOLOMMEN]


def decode_batch(root: str, rels: Sequence[str]) -> tuple[Any, list[str]]:
    """The cache rows of the files of `rels` that fit the contract exactly, as one Arrow
    table (`pad` first), and the files left for DuckDB to read by name."""
    columns = _cache_types()
    decoded: list[Any] = []
    for rel in rels:
        try:
            with open(os.path.join(root, rel), "rb") as handle:
                decoded.append(decode(handle.read()))
        except Exception:  # noqa: BLE001 - DuckDB reads it alone and says whether it can
            decoded.append(None)
    whole = _one_schema(decoded, columns)
    others: list[str] = []
    if whole is not None:
        kept, sizes = list(rels), [t.num_rows for t in decoded]
    else:
        whole, kept, sizes, others = _file_by_file(rels, decoded, columns)
    if whole.num_rows and not _valid_text(whole):
        # Text that is no UTF-8: DuckDB refuses the Arrow rows, so the batch goes by name.
        return _table(columns, _expected(columns).empty_table(), [], []), list(rels)
    return _table(columns, whole, kept, sizes), others


def _expected(columns: list[tuple[str, Any, Any]]) -> Any:
    import pyarrow as pa

    return pa.schema([(name, kind) for name, kind, _ in columns])


def _fits(schema: Any, columns: list[tuple[str, Any, Any]]) -> bool:
    """Whether every column of the contract is there with exactly its Arrow type."""
    return all(
        schema.get_field_index(name) >= 0 and schema.field(name).type == kind
        for name, kind, _ in columns
    )


def _one_schema(decoded: Sequence[Any], columns: list[tuple[str, Any, Any]]) -> Any:
    """The common case in one step: every file decoded, all with one schema that fits.
    `concat_tables` checks the schemas are equal (names, order, types, nullability) in C++
    (a per-file comparison in Python cost 0.01–0.03 ms a file); None when not so."""
    import pyarrow as pa

    if not decoded or any(t is None for t in decoded) or not _fits(decoded[0].schema, columns):
        return None
    try:
        whole = pa.concat_tables(decoded)
    except pa.ArrowInvalid:
        return None
    return whole.select([name for name, _, _ in columns])


def _file_by_file(
    rels: Sequence[str], decoded: Sequence[Any], columns: list[tuple[str, Any, Any]]
) -> tuple[Any, list[str], list[int], list[str]]:
    """A batch of mixed files: the fitting ones (extra columns dropped, as `read_parquet`
    ignores them) as one table, their names and row counts, and the files left for DuckDB."""
    import pyarrow as pa

    names = [name for name, _, _ in columns]
    fits: Any = None
    parts: list[Any] = []
    kept: list[str] = []
    others: list[str] = []
    for rel, table in zip(rels, decoded, strict=True):
        if table is None:
            others.append(rel)
            continue
        if fits is None or not table.schema.equals(fits):
            if not _fits(table.schema, columns):
                others.append(rel)
                continue
            table = table.select(names)
            # The first fitting file's schema (nullability included) stands for the
            # batch: the common case is then one comparison, and all concatenate.
            fits = fits or table.schema
            table = table.cast(fits)
        parts.append(table)
        kept.append(rel)
    whole = pa.concat_tables(parts) if parts else _expected(columns).empty_table()
    return whole, kept, [t.num_rows for t in parts], others


def _valid_text(table: Any) -> bool:
    """Whether every text column holds UTF-8 (pyarrow does not check on reading)."""
    import pyarrow as pa

    try:
        for column in table.columns:
            if pa.types.is_string(column.type):
                column.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _table(
    columns: list[tuple[str, Any, Any]], whole: Any, kept: Sequence[str], sizes: Sequence[int]
) -> Any:
    """The cache's table: `pad` (dictionary-encoded: one string per file, not per row),
    then every column in the cache's type."""
    import numpy as np
    import pyarrow as pa

    index = np.repeat(np.arange(len(kept), dtype=np.int32), np.asarray(sizes, dtype=np.int64))
    pads = pa.DictionaryArray.from_arrays(pa.array(index), pa.array(list(kept), pa.string()))
    whole = whole.combine_chunks()
    arrays = [pads] + [whole.column(name).cast(target) for name, _, target in columns]
    return pa.Table.from_arrays(arrays, names=["pad", *(name for name, _, _ in columns)])


_ROOT: str | None = None


def _worker_batch(rels: list[str]) -> tuple[Any, list[str]]:
    assert _ROOT is not None
    return decode_batch(_ROOT, rels)


def decoded(
    root: Path, batches: Sequence[list[str]], workers: int
) -> Iterator[tuple[list[str], Any, list[str]]]:
    """Each batch with its decoded table and the files left over, in batch order, from
    `workers` forked processes (fork: the workers need nothing but the paths)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    mp = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=mp, initializer=_init_worker, initargs=(str(root),)
    ) as pool:
        for batch, (table, others) in zip(batches, pool.map(_worker_batch, batches), strict=True):
            yield batch, table, others


def append_table(con: Any, target: str, table: Any) -> None:
    """Append a decoded table to `target` (columns by name, in the table's order)."""
    con.register("gedecodeerd", table)
    try:
        names = ", ".join(table.column_names)
        con.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM gedecodeerd")
    finally:
        con.unregister("gedecodeerd")


GROUP_ROWS = 250_000
"""Rows per transaction of a forked load: above DuckDB's row group (122,880 rows) a
transaction writes its rows straight to the table instead of through the write-ahead log
(a cold build: 1.0 s of CPU against 3.3 s with a commit per batch of 2,000 files)."""


def _init_worker(root: str) -> None:
    import gc

    global _ROOT
    _ROOT = root
    # A worker only makes Arrow tables and lists that die young: nothing for the cycle
    # collector to find, and it ran every few hundred files.
    gc.disable()


def load_forked(
    con: Any,
    root: Path,
    batches: Sequence[list[str]],
    workers: int,
    records: Mapping[str, Sequence[object]],
    advance: Callable[[int], None] | None,
) -> list[str]:
    """Read `batches` into the cache through `workers` decoding processes; rows and file
    records go in together, some batches to a transaction. Returns the unreadable files."""
    bad: list[str] = []
    group: list[tuple[list[str], Any, list[str]]] = []
    rows = 0
    # The workers have both cores; DuckDB's own threads would only contend with them.
    con.execute("SET threads = 1")
    try:
        for batch, table, others in decoded(root, batches, workers):
            group.append((batch, table, others))
            rows += table.num_rows
            if rows >= GROUP_ROWS:
                bad += _flush(con, root, group, records)
                group, rows = [], 0
            if advance is not None:
                advance(len(batch))
        bad += _flush(con, root, group, records)
    finally:
        con.execute("RESET threads")
    return sorted(bad)


def _flush(
    con: Any,
    root: Path,
    group: Sequence[tuple[list[str], Any, list[str]]],
    records: Mapping[str, Sequence[object]],
) -> list[str]:
    """Append a group of decoded batches in one transaction; the unreadable files. Should
    DuckDB refuse any decoded rows, each batch goes again on its own (`_move`)."""
    import duckdb
    import pyarrow as pa

    if not group:
        return []
    files = [rel for batch, _, _ in group for rel in batch]
    others = [rel for _, _, left in group for rel in left]
    try:
        broken = _move(con, root, files, pa.concat_tables(t for _, t, _ in group), others, records)
    except duckdb.Error:
        return [
            rel
            for batch, table, left in group
            for rel in _batch(con, root, batch, table, left, records)
        ]
    return [rel for rel in files if rel in broken]


def _batch(
    con: Any,
    root: Path,
    batch: Sequence[str],
    table: Any,
    others: Sequence[str],
    records: Mapping[str, Sequence[object]],
) -> list[str]:
    """One batch in its own transaction; should DuckDB refuse its decoded rows, by name."""
    import duckdb

    try:
        broken = _move(con, root, batch, table, others, records)
    except duckdb.Error:
        broken = _move(con, root, batch, None, batch, records)
    return [rel for rel in batch if rel in broken]


def _move(
    con: Any,
    root: Path,
    batch: Sequence[str],
    table: Any,
    others: Sequence[str],
    records: Mapping[str, Sequence[object]],
) -> set[str]:
    """Append decoded rows, the rows DuckDB reads of `others` and the file records of
    `batch` in one transaction; the unreadable files of the batch."""
    broken: set[str] = set()
    if others:
        # Read outside the transaction (a failed read would abort it), then move all.
        con.execute("CREATE OR REPLACE TEMP TABLE laden AS SELECT * FROM snapshots LIMIT 0")
        broken = set(load_files(con, "laden", root, others))
    con.execute("BEGIN TRANSACTION")
    try:
        if table is not None:
            append_table(con, "snapshots", table)
        if others:
            con.execute("INSERT INTO snapshots SELECT * FROM laden")
        _insert_records(con, [(*records[rel], rel not in broken) for rel in batch])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return broken


def _insert_records(con: Any, rows: Sequence[tuple[object, ...]]) -> None:
    """File records into `bestanden` through Arrow: Python lists bound as DuckDB list
    parameters (`insert_columns`) cost 1.4 s of a cold build's 150,000 records."""
    import pyarrow as pa

    if not rows:
        return
    names = ["pad", "map", "aanbieder", "peildatum", "grootte", "mtime_ns", "leesbaar"]
    kinds = [pa.string(), pa.string(), pa.string(), pa.date32(), pa.int64(), pa.int64()]
    columns = list(zip(*rows, strict=True))
    arrays = [pa.array(c, k) for c, k in zip(columns, [*kinds, pa.bool_()], strict=True)]
    append_table(con, "bestanden", pa.Table.from_arrays(arrays, names=names))
