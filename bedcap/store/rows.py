"""Snapshot rows from Parquet files into DuckDB tables, and the small helpers to join.

Shared by the cache (`cache`), the files chosen for a question (`sources`) and the
gate's state check: one cast per column, derived from the column table.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bedcap.contract.columns import KOLOMMEN, duckdb_select

if TYPE_CHECKING:
    import duckdb

BATCH = 2000
"""Files per `read_parquet` call: fewer calls, and one broken file costs only its batch."""

SNAPSHOT_SELECT = duckdb_select()


def _escape(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_sql(root: Path, batch: Sequence[str]) -> str:
    """The one SELECT that reads snapshot files (repository-relative) into the cache's
    columns, each row with its file's path (the numbers of its file record and its ward
    are the cache's to give).

    The files of a batch take their columns from the first one (DuckDB still matches them
    by name), so a file that lacks a column or does not fit fails the whole batch, and
    `load_files` reads it alone, where it fails again: a batch gives exactly the rows and
    verdicts its files give one by one, and DuckDB need not read every schema first.
    Reading by union of names filled a column one file lacks with empty values, so whether
    such a file counted depended on its batch (review of issue 18). Never as a Hive
    dataset: a folder above the repository named like `regio=noord` would overwrite a
    column."""
    prefix = str(root) + os.sep
    files = "[" + ", ".join(_escape(prefix + rel) for rel in batch) + "]"
    return (
        f"SELECT substr(filename, {len(prefix) + 1}) AS pad, {SNAPSHOT_SELECT}, "
        "NULL::INTEGER AS bestand_nr, NULL::INTEGER AS afdeling_nr "
        f"FROM read_parquet({files}, filename = true, union_by_name = false, "
        "hive_partitioning = false)"
    )


def refusals() -> tuple[type[BaseException], ...]:
    import duckdb

    # DuckDB quotes a damaged file's bytes in its message; bytes that are no UTF-8 then
    # reach Python as a UnicodeDecodeError instead of the duckdb.Error they describe. The
    # floor of the pinned range (1.3) lets a damaged footer's Thrift error through as a
    # bare RuntimeError.
    return (duckdb.Error, UnicodeDecodeError, RuntimeError)


READ_SETTINGS = {"async_threads": "0", "enable_external_file_cache": "false"}
"""For a connection that reads thousands of tiny local files and nothing else (a cold
build's worker): no I/O threads beside the one reading, and no copy of each file's bytes
in DuckDB's file cache: a national cold build (150,585 files) took 29–33 s of the
workers' CPU instead of 36 s (docs/decisions.md). Settings this DuckDB does not know are
left alone (`async_threads` is from 2.0)."""


def tune_for_reading(con: duckdb.DuckDBPyConnection) -> None:
    known = {r[0] for r in con.execute("SELECT name FROM duckdb_settings()").fetchall()}
    for name, value in READ_SETTINGS.items():
        if name in known:
            con.execute(f"SET {name} = {value}")


def load_files(
    con: duckdb.DuckDBPyConnection,
    table: str,
    root: Path,
    rels: Sequence[str],
    advance: Callable[[int], None] | None = None,
) -> list[str]:
    """Insert the rows of `rels` (repository-relative) into `table`; returns unreadable ones.

    One `read_parquet` per batch (`read_sql`); when a batch fails, its files are read one
    by one so a single broken file costs only itself. Every column is cast to the cache's
    type. A file with a row that leaves a required column empty is unreadable too, and
    none of its rows reach `table` (`holes_in`); `table`'s other rows are never touched.
    """
    bad: list[str] = []
    refused = refusals()
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_READ} AS SELECT * FROM {table} LIMIT 0")

    def insert(batch: Sequence[str]) -> None:
        con.execute(f"INSERT INTO {_READ} {read_sql(root, batch)}")

    for start in range(0, len(rels), BATCH):
        batch = rels[start : start + BATCH]
        try:
            insert(batch)
        except refused:
            for rel in batch:
                try:
                    insert([rel])
                except refused:
                    bad.append(rel)
        if advance is not None:
            advance(len(batch))
    holes = holes_in(con, _READ)
    try:
        con.execute(
            f"INSERT INTO {table} SELECT * FROM {_READ} "
            "WHERE pad NOT IN (SELECT unnest(?::VARCHAR[]))",
            [holes],
        )
    finally:
        con.execute(f"DROP TABLE {_READ}")
    return sorted(bad + holes)


_READ = "gelezen_rijen"
"""The temporary table a call of `load_files` reads into before its rows join `table`."""


# Every column a row needs to be placed and counted; a missing submission time only makes
# its freshness unknown, as the figures already show.
_HOLES = " OR ".join(
    f"{k.naam} IS NULL" for k in KOLOMMEN if not k.leeg_mag and k.familie != "tijdstip"
)


def holes_in(con: duckdb.DuckDBPyConnection, rows: str) -> list[str]:
    """The files of `rows` (a table, or a registered Arrow table) with a row that leaves
    empty a column the contract requires: such a row has no place in any figure (a damaged
    file DuckDB still reads, say), so the file counts as unreadable, as one DuckDB refuses;
    `validate` says what is wrong with it."""
    return sorted(
        r[0] for r in con.execute(f"SELECT DISTINCT pad FROM {rows} WHERE {_HOLES}").fetchall()
    )


def insert_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[tuple[object, ...]],
    names: Sequence[str] = (),
) -> None:
    """Insert rows as one statement of unnested lists (`executemany` goes row by row);
    into the columns `names` when given, the others left empty."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    unnests = ", ".join("unnest(?)" for _ in columns)
    into = f"{table} ({', '.join(names)})" if names else table
    con.execute(f"INSERT INTO {into} SELECT {unnests}", columns)


NOG_GEEN = "DATE '9999-12-31'"
"""`volgende` of a provider's newest file: no next file yet."""


def volgende_sql(bestanden: str, where: str = "TRUE") -> str:
    """The one rule of how long a file stands: from its own day until its provider's next
    file (`volgende`, exclusive). Gives `(pad, peildatum, volgende)` for the file records of
    `bestanden` that match `where`. Ties on a day (two files of one provider and peildatum)
    are broken by path, so the cache and a read without it pick the same file."""
    return f"""SELECT pad, peildatum, lead(peildatum, 1, {NOG_GEEN})
                OVER (PARTITION BY aanbieder ORDER BY peildatum, pad) AS volgende
            FROM {bestanden} WHERE {where}"""


def temp_list(con: duckdb.DuckDBPyConnection, name: str, values: Sequence[str]) -> str:
    """`values` as a one-column temp table `name(waarde)`, to join against (a list parameter
    in `list_contains` is scanned once per row)."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT unnest(?::VARCHAR[]) AS waarde",
        [list(values)],
    )
    return name
