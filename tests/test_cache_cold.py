"""The cold cache build reads batches by position of the first file's columns (issue 18);
files that do not fit still give exactly the rows a read by column name gives."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bedcap.store.cache import TABLES
from bedcap.store.rows import load_files


def _rows(root: Path, rels: list[str], by_name: bool) -> tuple[list[tuple], list[str]]:
    con = duckdb.connect()
    con.execute(TABLES)
    bad = load_files(con, "snapshots", root, rels, by_name=by_name)
    return con.execute("SELECT * FROM snapshots ORDER BY ALL").fetchall(), bad


def test_odd_files_in_a_batch_give_the_same_rows(example: Path) -> None:
    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )[:40]
    odd = {
        rels[0]: lambda t: t.append_column("extra", pa.array(["x"] * t.num_rows)),
        rels[1]: lambda t: t.set_column(
            t.schema.get_field_index("bezet"), "bezet", pc.cast(t["bezet"], pa.int64())
        ),
        rels[2]: lambda t: t.drop_columns(["regio"]),
        rels[3]: lambda t: t.select(list(reversed(t.column_names))),
        rels[4]: lambda t: t.set_column(
            t.schema.get_field_index("capaciteit"),
            "capaciteit",
            pc.cast(t["capaciteit"], pa.string()),
        ),
    }
    for rel, change in odd.items():
        pq.write_table(change(pq.read_table(example / rel)), example / rel)
    (example / rels[5]).write_bytes(b"geen parquet")
    by_name, bad_by_name = _rows(example, rels, by_name=True)
    first, bad_first = _rows(example, rels, by_name=False)
    assert first == by_name
    assert bad_first == bad_by_name == sorted([rels[2], rels[5]])
    assert len(first) > 100
    # A clean batch loads in one statement, and the same.
    clean = rels[6:]
    assert _rows(example, clean, by_name=False) == _rows(example, clean, by_name=True)
