"""The cold cache build reads batches by position of the first file's columns (issue 18);
files that do not fit still give exactly the rows a read by column name gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bedcap.store.cache import TABLES
from bedcap.store.rows import load_files


def _rows(root: Path, rels: list[str], alone: bool = False) -> tuple[list[tuple], list[str]]:
    """What `load_files` keeps of `rels` read as one call, or (`alone`) file by file: the
    reference a batch must equal whatever its other files are."""
    con = duckdb.connect()
    con.execute(TABLES)
    if alone:
        bad = sorted(b for rel in rels for b in load_files(con, "snapshots", root, [rel]))
    else:
        bad = load_files(con, "snapshots", root, rels)
    return con.execute("SELECT * FROM snapshots ORDER BY ALL").fetchall(), bad


def _records(rels: list[str]) -> dict[str, tuple[object, ...]]:
    """File records as a refresh hands them to `load_forked`, each with its number."""
    return {rel: (rel, "map", "aanbieder", None, 0, 0, 100 + n) for n, rel in enumerate(rels)}


def _forked_rows(con: duckdb.DuckDBPyConnection, records: dict[str, tuple[object, ...]]) -> list:
    """The cache's rows as `_rows` gives them (no file number), after checking that each
    row carries its file record's number."""
    numbers = con.execute("SELECT DISTINCT pad, bestand_nr FROM snapshots").fetchall()
    assert all(records[pad][6] == nr for pad, nr in numbers)
    return con.execute(
        "SELECT * EXCLUDE (bestand_nr, afdeling_nr), NULL, NULL FROM snapshots ORDER BY ALL"
    ).fetchall()


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
    alone, bad_alone = _rows(example, rels, alone=True)
    first, bad_first = _rows(example, rels)
    assert first == alone
    assert bad_first == bad_alone == sorted([rels[2], rels[5]])
    assert len(first) > 100
    # A clean batch loads in one statement, and the same.
    clean = rels[6:]
    assert _rows(example, clean) == _rows(example, clean, alone=True)


def test_forked_decoding_gives_the_same_rows_as_duckdb(example: Path) -> None:
    """The worker path of a cold build against `read_parquet` by name, on odd files:
    missing, extra, retyped and reordered columns, broken and empty files."""
    from bedcap.store.decode import decode_batch, load_forked

    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )[:60]
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
        rels[5]: lambda t: t.slice(0, 0),
        rels[6]: lambda t: t.set_column(
            t.schema.get_field_index("ingediend_op"),
            "ingediend_op",
            pc.cast(t["ingediend_op"], pa.timestamp("ms", tz="UTC")),
        ),
    }
    for rel, change in odd.items():
        pq.write_table(change(pq.read_table(example / rel)), example / rel)
    (example / rels[7]).write_bytes(b"geen parquet")
    (example / rels[8]).write_bytes(b"")
    expected, bad_expected = _rows(example, rels, alone=True)

    table, unreadable_alone = decode_batch(str(example), rels)
    assert unreadable_alone == sorted([rels[2], rels[7], rels[8]])
    assert sorted(table.to_pylist(), key=str) == sorted(
        (dict(zip(table.column_names, row, strict=True)) for row in expected), key=str
    )
    con = duckdb.connect()
    con.execute(TABLES)
    records = _records(rels)
    batches = [rels[:25], rels[25:]]
    bad = load_forked(con, example, batches, 2, records, None)
    assert _forked_rows(con, records) == expected
    assert bad == bad_expected == sorted([rels[2], rels[7], rels[8]])
    unreadable = con.execute("SELECT pad FROM bestanden WHERE NOT leesbaar ORDER BY pad")
    assert [r[0] for r in unreadable.fetchall()] == bad
    assert len(expected) > 200


def test_a_cold_build_through_the_workers_equals_one_in_process(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sync` takes the worker path from `FORK_FROM` files on, and fills both tables the
    same as the in-process readers (a broken file included)."""
    import datetime as dt

    from bedcap.files.repo import DataRepo
    from bedcap.store import cache, decode

    monkeypatch.setattr(cache, "BATCH", 16)
    broken = sorted((example / "data/snapshots").rglob("*.parquet"))[3]
    broken.write_bytes(b"PAR1 kapot")

    def build(fork_from: int) -> tuple[list[tuple], list[tuple], list[str]]:
        monkeypatch.setattr(decode, "FORK_FROM", fork_from)
        shutil.rmtree(example / ".bedcap", ignore_errors=True)
        found: list[cache.Sync] = []
        with cache.open_store(
            DataRepo.find(example), vandaag=dt.date(2026, 11, 20), report=found.append
        ) as con:
            rows = con.execute("SELECT * FROM snapshots ORDER BY ALL").fetchall()
            files = con.execute("SELECT * FROM bestanden ORDER BY ALL").fetchall()
        return rows, files, found[0].onleesbaar

    assert decode.worker_count(10**6) >= 2  # this machine really forks
    forked = build(1)
    assert forked == build(10**9)
    assert forked[2] == [broken.relative_to(example).as_posix()]
    assert len(forked[0]) > 100


def test_footer_counts_and_damaged_pages_give_duckdbs_rows(example: Path) -> None:
    """Review of issue 18's polars path, which sliced a batch by the footers' row counts
    and read damaged pages DuckDB refuses: two files whose footers claim offsetting counts
    (one row too few, one too many) and one with a damaged page keep, in the forked build,
    exactly the rows and verdicts of `read_parquet` by name."""
    from bedcap.store.decode import load_forked
    from tests.parquetfooter import with_num_rows

    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )[:40]
    for rel, delta in ((rels[0], -1), (rels[1], 1)):
        rows = pq.ParquetFile(example / rel).metadata.num_rows
        (example / rel).write_bytes(with_num_rows((example / rel).read_bytes(), rows + delta))
    damaged = bytearray((example / rels[2]).read_bytes())
    damaged[12] = 23
    (example / rels[2]).write_bytes(bytes(damaged))
    expected, bad_expected = _rows(example, rels, alone=True)
    con = duckdb.connect()
    con.execute(TABLES)
    records = _records(rels)
    bad = load_forked(con, example, [rels[:20], rels[20:]], 2, records, None)
    assert _forked_rows(con, records) == expected
    assert bad == bad_expected
    per_file = dict(con.execute("SELECT pad, count(*) FROM snapshots GROUP BY pad").fetchall())
    for rel in rels[:2]:
        assert per_file[rel] == pq.read_table(example / rel).num_rows


@pytest.mark.parametrize("seed", [3, 6])  # each told the third pass's workers apart
def test_damaged_files_get_one_verdict_on_every_path(seed: int, example: Path) -> None:
    """A fixed-seed set of damaged snapshots: the forked cold build and the in-process
    read keep the same rows and call the same files unreadable. (The pyarrow workers of
    the third pass did not: pyarrow reads some damage DuckDB refuses, and back.)"""
    import random

    from bedcap.store.decode import load_forked

    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )
    rng = random.Random(seed)
    for rel in rng.sample(rels, 120):
        data = bytearray((example / rel).read_bytes())
        for _ in range(rng.choice((1, 2, 4))):
            data[rng.randrange(4, len(data) - 8)] = rng.randrange(256)
        (example / rel).write_bytes(bytes(data))
    in_process, bad_in_process = _rows(example, rels)
    con = duckdb.connect()
    con.execute(TABLES)
    records = _records(rels)
    batches = [rels[i : i + 60] for i in range(0, len(rels), 60)]
    bad = load_forked(con, example, batches, 2, records, None)
    assert _forked_rows(con, records) == in_process
    assert bad == sorted(bad_in_process)
    assert 20 < len(bad) < 120  # most damage makes a file unreadable, not all of it


def test_a_row_without_its_place_makes_its_file_unreadable(example: Path, runner) -> None:  # noqa: ANN001
    """An empty `locatie` or count (a damaged file DuckDB still reads) has no place in any
    figure: the file counts as unreadable and is named, on the forked path as in process,
    and `available` and the dashboard answer without it instead of failing."""
    from bedcap.store.decode import load_forked
    from tests.conftest import invoke

    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )
    holes = {rels[-1]: "locatie", rels[-2]: "bezet"}
    for rel, name in holes.items():
        t = pq.read_table(example / rel)
        values = t.column(name).to_pylist()
        values[0] = None
        field = t.schema.field(name).with_nullable(True)
        index = t.schema.get_field_index(name)
        t = t.set_column(index, field, pa.array(values, field.type))
        pq.write_table(t, example / rel)
    _, bad_in_process = _rows(example, rels)
    assert bad_in_process == sorted(holes)
    con = duckdb.connect()
    con.execute(TABLES)
    records = _records(rels)
    assert load_forked(con, example, [rels[:40], rels[40:]], 2, records, None) == sorted(holes)
    for args in (["available", "--op", "2021-06-30"], ["dashboard", "--uit", "site"]):
        result = invoke(runner, *args, cwd=example)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
    assert "onleesbaar" in invoke(runner, "available", "--op", "2021-06-30", cwd=example).output


def test_a_clean_batch_goes_straight_to_arrow(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's fast path: a batch DuckDB reads whole and without empty required
    columns is never read a second time, and gives `load_files`'s rows; a batch with a
    broken file is read again by `load_files`, which names the file."""
    from bedcap.store import decode

    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )[:30]
    expected, _ = _rows(example, rels)
    calls: list[int] = []

    def counted(*args: object, **kwargs: object) -> list[str]:
        calls.append(1)
        return load_files(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(decode, "load_files", counted)
    decoded, bad = decode.decode_batch(str(example), rels)
    assert calls == [] and bad == []
    con = duckdb.connect()
    con.register("decoded", decoded)
    assert con.execute("SELECT * FROM decoded ORDER BY ALL").fetchall() == expected
    (example / rels[4]).write_bytes(b"PAR1 kapot")
    decoded, bad = decode.decode_batch(str(example), rels)
    assert calls == [1] and bad == [rels[4]]
    assert decoded.num_rows == len(expected) - sum(1 for r in expected if r[0] == rels[4])


def test_the_reading_settings_take_on_every_duckdb_of_the_range() -> None:
    """`READ_SETTINGS` that this DuckDB knows are set (the floor of the pinned range knows
    the file cache, 2.0 also the I/O threads); unknown ones are no error."""
    from bedcap.store.rows import READ_SETTINGS, tune_for_reading

    con = duckdb.connect()
    tune_for_reading(con)
    known = dict(con.execute("SELECT name, value FROM duckdb_settings()").fetchall())
    assert "enable_external_file_cache" in known
    for name, value in READ_SETTINGS.items():
        if name in known:
            assert known[name] == value, name
    assert known["enable_external_file_cache"] == "false"


def test_the_fast_path_reads_odd_but_whole_files_by_name(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files that all read, but with reordered, renamed-in-place or retyped columns, stay on
    the fast path and give the rows a read by column name gives (a read by position would
    swap `capaciteit` and `bezet` in the third file)."""
    from bedcap.store import decode

    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )[:30]
    t = pq.read_table(example / rels[3])
    pq.write_table(t.select(list(reversed(t.column_names))), example / rels[3])
    t = pq.read_table(example / rels[5])
    index = t.schema.get_field_index("bezet")
    pq.write_table(t.set_column(index, "bezet", pc.cast(t["bezet"], pa.int64())), example / rels[5])
    t = pq.read_table(example / rels[7])
    names = t.column_names
    i, j = names.index("capaciteit"), names.index("bezet")
    names[i], names[j] = names[j], names[i]
    pq.write_table(t.rename_columns(names), example / rels[7])
    expected, bad_expected = _rows(example, rels, alone=True)
    fallbacks: list[int] = []
    monkeypatch.setattr(decode, "load_files", lambda *a, **k: fallbacks.append(1) or [])
    decoded, bad = decode.decode_batch(str(example), rels)
    assert fallbacks == [] and bad == bad_expected == []
    con = duckdb.connect()
    con.register("decoded", decoded)
    assert con.execute("SELECT * FROM decoded ORDER BY ALL").fetchall() == expected


def test_a_folder_above_the_repository_named_like_a_partition_changes_no_column(
    example: Path, tmp_path: Path
) -> None:
    """Review of issue 18: `read_parquet` took a folder `regio=noord` above the repository
    for a Hive partition and overwrote every row's `regio` with `noord`."""
    from bedcap.store import decode

    root = tmp_path / "regio=noord" / "repo"
    shutil.copytree(example / "data", root / "data")
    rels = sorted(
        p.relative_to(root).as_posix() for p in (root / "data/snapshots").rglob("*.parquet")
    )[:20]
    regions = sorted({v for rel in rels for v in pq.read_table(root / rel)["regio"].to_pylist()})
    assert "noord" not in regions
    for alone in (True, False):
        rows, bad = _rows(root, rels, alone=alone)
        assert bad == [] and sorted({r[6] for r in rows}) == regions
    decoded, bad = decode.decode_batch(str(root), rels)
    assert bad == [] and sorted(set(decoded["regio"].to_pylist())) == regions


@pytest.mark.parametrize("where", [0, 7])
def test_a_file_without_an_optional_column_counts_alike_in_every_batch(
    example: Path, where: int
) -> None:
    """Review of issue 18: a snapshot without `toelichting` read by union of names got empty
    notes in a batch and was unreadable alone, so `available` (its batch of newest files)
    and `history` (the cache) disagreed. Now it is unreadable wherever it sits, as the gate
    refuses it (the schema must be exact)."""
    from bedcap.store import decode

    rels = sorted(
        p.relative_to(example).as_posix() for p in (example / "data/snapshots").rglob("*.parquet")
    )[:20]
    odd = example / rels[where]
    pq.write_table(pq.read_table(odd).drop_columns(["toelichting"]), odd)
    alone, bad_alone = _rows(example, rels, alone=True)
    assert bad_alone == [rels[where]]
    assert _rows(example, rels) == (alone, bad_alone)
    decoded, bad = decode.decode_batch(str(example), rels)
    assert bad == bad_alone and decoded.num_rows == len(alone)
