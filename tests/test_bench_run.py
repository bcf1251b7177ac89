"""The bench's floor of the cold work: DuckDB reading every column of every snapshot.

The cold targets are seconds on a shared machine whose speed moves from hour to hour;
`bench/run.py` times DuckDB's own read of every file just before each cold measurement
and states the ratio. These tests keep that floor honest: it names every column of the
contract and reads every row of a real repository, and the sentence pairs each cold
figure with the read timed beside it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from bedcap.files.snapshots import COLUMNS
from tests.conftest import load_bench


def load_run():  # noqa: ANN201
    return load_bench("run")


def test_the_floor_reads_every_column_of_every_file(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = load_run()
    for column in COLUMNS:
        assert f"({column})" in bench.FULL_READ_SQL, column
    files = sorted((example / "data/snapshots").rglob("*.parquet"))
    rows = sum(pq.read_metadata(f).num_rows for f in files)
    monkeypatch.chdir(example)
    assert duckdb.execute(bench.FULL_READ_SQL).fetchall()[0][0] == rows > 0
    # and the script the bench times runs as it stands
    subprocess.run([sys.executable, "-c", bench.FULL_READ], cwd=example, check=True)


def test_each_cold_figure_is_set_against_the_read_timed_next_to_it() -> None:
    bench = load_run()
    timings = [
        bench.Timing("cache: cold build (1,000 files)", "bedcap history", [99.0], "≤ 20 s"),
        bench.Timing(bench.FULL_READ_NAME + "cold build again", "read", [40.0], "floor"),
        bench.Timing("cache: cold build again, the files just read", "history", [30.0], "≤ 20 s"),
        bench.Timing("validate: whole repository, cold", "bedcap validate", [45.0], "≤ 20 s"),
        bench.Timing(bench.FULL_READ_NAME + "cold validation", "read", [50.0], "floor"),
    ]
    (sentence,) = [line for line in bench.cold_sentence(timings) if line]
    assert "the cold build again 30.0 s, 0.75 × " in sentence
    assert "next to it (40.0 s)" in sentence
    assert "the cold validation 45.0 s, 0.90 × " in sentence
    assert "(50.0 s)" in sentence
    assert bench.cold_sentence(timings[:1]) == []
