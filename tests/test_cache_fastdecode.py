"""The cold build's polars path (issue 18) takes only files whose footer is bedcap's own for
the contract, reads their row counts from it, and gives exactly pyarrow's rows."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bedcap.files.fastdecode import decode_known, row_count, signature
from bedcap.files.snapshots import to_bytes
from bedcap.store.decode import decode_batch


def _snapshots(example: Path) -> list[str]:
    return sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )


def _retyped(table: pa.Table, name: str, kind: pa.DataType) -> pa.Table:
    i = table.schema.get_field_index(name)
    field = pa.field(name, kind, table.schema.field(name).nullable)
    return table.set_column(i, field, pc.cast(table[name], kind))


def test_bedcap_files_match_and_give_their_row_counts(example: Path) -> None:
    known = signature()
    assert known is not None
    rels = _snapshots(example)
    assert len(rels) > 20
    for rel in rels:
        data = (example / rel).read_bytes()
        assert row_count(data, known) == pq.read_metadata(example / rel).num_rows
    empty = pq.read_table(example / rels[0]).slice(0, 0)
    assert row_count(bytes(to_bytes(empty)), known) == 0


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: _retyped(t, "ingediend_op", pa.timestamp("us")), id="zonder-zone"),
        pytest.param(lambda t: _retyped(t, "aanbieder", pa.large_string()), id="large-string"),
        pytest.param(lambda t: _retyped(t, "bezet", pa.int64()), id="int64"),
        pytest.param(lambda t: t.select(list(reversed(t.column_names))), id="volgorde"),
        pytest.param(lambda t: t.append_column("extra", pa.array([1] * t.num_rows)), id="extra"),
        pytest.param(lambda t: t.drop_columns(["regio"]), id="ontbreekt"),
        pytest.param(
            lambda t: t.replace_schema_metadata({b"bedcap.schema_version": b"2"}), id="versie"
        ),
        pytest.param(
            lambda t: t.cast(pa.schema([f.with_nullable(True) for f in t.schema])), id="nullable"
        ),
        pytest.param(
            lambda t: t.replace_schema_metadata({**t.schema.metadata, b"x": b"y"}),
            id="meer-metadata",
        ),
        pytest.param(lambda t: t.replace_schema_metadata(None), id="geen-metadata"),
    ],
)
def test_other_files_do_not_match(example: Path, change: object) -> None:
    known = signature()
    assert known is not None
    rel = _snapshots(example)[0]
    table = change(pq.read_table(example / rel))  # type: ignore[operator]
    assert row_count(bytes(to_bytes(table)), known) is None
    assert row_count(b"", known) is None
    assert row_count(b"PAR1 kapot PAR1", known) is None


def _plain(table: pa.Table) -> list[tuple]:
    table = table.set_column(0, "pad", table["pad"].cast(pa.string()))
    return sorted(zip(*(c.to_pylist() for c in table.columns), strict=True))


def test_polars_gives_pyarrows_rows(example: Path) -> None:
    rels = _snapshots(example)
    assert decode_known(str(example), rels) is not None  # the fast path really runs
    fast, fast_others = decode_batch(str(example), rels)
    slow, slow_others = decode_batch(str(example), rels, fast=False)
    assert fast_others == slow_others == []
    assert fast.schema == slow.schema
    assert _plain(fast) == _plain(slow)
    assert fast.num_rows > 100


def test_one_odd_file_sends_the_batch_to_pyarrow(example: Path) -> None:
    rels = _snapshots(example)[:30]
    odd = example / rels[4]
    pq.write_table(pq.read_table(odd).drop_columns(["regio"]), odd)
    assert decode_known(str(example), rels) is None
    table, others = decode_batch(str(example), rels)
    assert others == [rels[4]]
    assert rels[4] not in set(table["pad"].cast(pa.string()).to_pylist())


def test_text_that_is_no_utf8_goes_by_name(example: Path) -> None:
    """A file with bedcap's footer but bytes that are no UTF-8: polars refuses it, and the
    batch goes to DuckDB by name as before (which says the file is unreadable)."""
    rels = _snapshots(example)[:10]
    path = example / rels[2]
    table = pq.read_table(path)
    bad = pa.array([b"\xff\xfe"] * table.num_rows, pa.binary()).view(pa.string())
    i = table.schema.get_field_index("toelichting")
    path.write_bytes(bytes(to_bytes(table.set_column(i, table.schema.field(i), bad))))
    known = signature()
    assert known is not None and row_count(path.read_bytes(), known) == table.num_rows
    assert decode_known(str(example), rels) is None
    decoded, others = decode_batch(str(example), rels)
    assert others == rels
    assert decoded.num_rows == 0
