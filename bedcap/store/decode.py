"""A cold cache build read in forked worker processes (issue 18).

One DuckDB instance reading 150,000 tiny Parquet files with two threads spent most of its
time contending; processes use every core without it. Each worker is an in-memory DuckDB
on one thread, without I/O threads or file cache (`rows.READ_SETTINGS`), that reads its
batch with the SELECT of an in-process refresh (`rows.read_sql`) straight into one Arrow
table; a batch with a file DuckDB refuses or a row that leaves a required column empty is
read again by `rows.load_files` itself, which sorts the files out. The parent appends the
rows and the file records together, some batches per transaction (`GROUP_ROWS`). A file's
rows and its "unreadable" verdict are therefore the same on every path. A faster reader
was tried and gave other verdicts on damaged files (docs/decisions.md, "Cold decode").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bedcap.files.cores import usable
from bedcap.files.readahead import will_need
from bedcap.store.rows import holes_in, load_files, read_sql, refusals, tune_for_reading

FORK_FROM = 2000
"""Below this many files a refresh stays in process: starting workers costs more."""


def worker_count(files: int) -> int:
    """Processes to decode `files` with: one per core, none (0) when too few files."""
    cores = usable()
    return min(cores, 8) if files >= FORK_FROM and cores >= 2 else 0


def decode_batch(root: str, rels: Sequence[str]) -> tuple[Any, list[str]]:
    """The cache rows of the files of `rels` as one Arrow table in the cache's columns,
    and the files DuckDB could not read (as `load_files` in process decides).

    A batch whose files all read and whose rows leave no required column empty goes
    straight from `read_parquet` to Arrow: `load_files` would keep every row of it. Any
    other batch is read again by `load_files` itself, which sorts out the files to refuse;
    the same SELECT (`read_sql`) and the same rule (`holes_in`) decide on both paths."""
    import duckdb

    from bedcap.store.cache import TABLES

    will_need(os.path.join(root, rel) for rel in rels)
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        tune_for_reading(con)
        try:
            table = _arrow(con.sql(read_sql(Path(root), rels)))
            con.register("gelezen", table)
            if not holes_in(con, "gelezen"):
                return table, []
        except refusals():
            pass
        con.execute(TABLES)
        bad = load_files(con, "snapshots", Path(root), rels)
        return _arrow(con.sql("SELECT * FROM snapshots")), bad
    finally:
        con.close()


def _arrow(relation: Any) -> Any:
    # `to_arrow_table` from DuckDB 2.0 on, `fetch_arrow_table` before (deprecated since)
    table = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    return table()


_ROOT: str | None = None


def _worker_batch(rels: list[str]) -> tuple[Any, list[str]]:
    assert _ROOT is not None
    return decode_batch(_ROOT, rels)


def decoded(
    root: Path, batches: Sequence[list[str]], workers: int
) -> Iterator[tuple[list[str], Any, list[str]]]:
    """Each batch with its rows and its unreadable files, in batch order, from
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
                bad += _flush(con, group, records)
                group, rows = [], 0
            if advance is not None:
                advance(len(batch))
        bad += _flush(con, group, records)
    finally:
        con.execute("RESET threads")
    return sorted(bad)


def _flush(
    con: Any,
    group: Sequence[tuple[list[str], Any, list[str]]],
    records: Mapping[str, Sequence[object]],
) -> list[str]:
    """Append a group of read batches and their file records in one transaction; returns
    the unreadable files. The workers' verdicts are final (`decode_batch` gives those of
    `load_files`, the reader of an in-process refresh), so nothing is read again here."""
    import pyarrow as pa

    if not group:
        return []
    unreadable = [rel for _, _, bad in group for rel in bad]
    broken = set(unreadable)
    con.execute("BEGIN TRANSACTION")
    try:
        rels = [rel for batch, _, _ in group for rel in batch]
        rows = pa.concat_tables(t for _, t, _ in group)
        append_table(con, "snapshots", _numbered(rows, rels, [records[rel][6] for rel in rels]))
        _insert_records(con, [(*records[rel], rel not in broken) for rel in rels])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return unreadable


def _numbered(rows: Any, rels: Sequence[str], numbers: Sequence[object]) -> Any:
    """`rows` with each row's `bestand_nr`: the number of its file's record."""
    import pyarrow as pa
    import pyarrow.compute as pc

    where = pc.index_in(rows.column("pad"), value_set=pa.array(rels, pa.string()))
    found = pa.array(numbers, pa.int32()).take(where)
    return rows.set_column(rows.schema.get_field_index("bestand_nr"), "bestand_nr", found)


def _insert_records(con: Any, rows: Sequence[tuple[object, ...]]) -> None:
    """File records into `bestanden` through Arrow: Python lists bound as DuckDB list
    parameters (`insert_columns`) cost 1.4 s of a cold build's 150,000 records."""
    import pyarrow as pa

    if not rows:
        return
    from bedcap.store.cache import RECORD_COLUMNS

    kinds = [pa.string(), pa.string(), pa.string(), pa.date32(), pa.int64(), pa.int64()]
    kinds += [pa.int32(), pa.bool_()]
    columns = list(zip(*rows, strict=True))
    arrays = [pa.array(c, k) for c, k in zip(columns, kinds, strict=True)]
    append_table(con, "bestanden", pa.Table.from_arrays(arrays, names=list(RECORD_COLUMNS)))
