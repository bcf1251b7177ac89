"""The benchmark generator's shapes: gaps, uneven wards, corrections, one commit a provider-day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bedcap.files.repo import DataRepo
from bedcap.rules.validate import validate_repo
from tests.conftest import git, load_bench

TOT = dt.date(2026, 11, 20)


def load_generator():  # noqa: ANN201
    return load_bench("generate")


def test_a_small_shape_has_the_irregularities_and_a_realistic_history(tmp_path: Path) -> None:
    gen = load_generator()
    root = tmp_path / "bench"
    gen.generate(root, gen.VORMEN["klein"], 1, TOT, workers=1)
    snaps = root / "data/snapshots"
    per_provider = {
        d.name: sorted(dt.date.fromisoformat(p.stem) for p in d.glob("*/*.parquet"))
        for d in snaps.iterdir()
    }
    files = sum(len(days) for days in per_provider.values())
    # One commit per provider-day, one per correction, one for the static data.
    log = git(root, "log", "--format=%(trailers:key=Bedcap-Correctie,valueonly)%x1e")
    corrections = [r for r in log.split("\x1e") if r.strip()]
    assert int(git(root, "rev-list", "--count", "HEAD")) == files + len(corrections) + 1
    assert corrections, "a year of ten providers has corrections"
    assert git(root, "status", "--porcelain") == ""
    gaps = [
        max((b - a).days for a, b in zip(days, days[1:], strict=False))
        for days in per_provider.values()
    ]
    assert sum(gap >= 28 for gap in gaps) == 1  # one provider silent for four weeks
    newest = {o: days[-1] for o, days in per_provider.items()}
    assert sum(day < TOT - dt.timedelta(days=60) for day in newest.values()) == 1  # stopped
    starts = {o: days[0] for o, days in per_provider.items()}
    assert sum(day > min(starts.values()) + dt.timedelta(days=100) for day in starts.values()) == 1
    wards = [
        len(yaml.safe_load(p.read_text(encoding="utf-8"))["afdelingen"])
        for p in (root / "data/locaties").glob("*/*.yaml")
    ]
    assert min(wards) == 1 and max(wards) >= 4
    # A correction is a later commit that changes a file committed before.
    commit, rel = git(
        root, "log", "-1", "--format=%H", "--name-only", "--grep=Bedcap-Correctie"
    ).split()
    assert git(root, "rev-parse", f"{commit}^:{rel}") != git(root, "rev-parse", f"{commit}:{rel}")
    assert validate_repo(DataRepo(root), today=dt.date(2026, 11, 23)).geldig


def test_the_pandas_writer_shape_is_valid_and_cleared_by_the_vectorised_pass(
    tmp_path: Path,
) -> None:
    """Issue 18, twelfth pass: `--schrijver pandas` writes the types another tool writes
    (int64, nanoseconds, nullable fields, pandas' metadata, dictionaries and statistics);
    such a repository is valid, and its history is cleared many files at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bedcap.files.repo import Bestandsoort, classify
    from bedcap.rules.bulk import check_chunk
    from bedcap.rules.validate import whole_context

    gen = load_generator()
    root = tmp_path / "pandas"
    gen.generate(root, gen.VORMEN["klein"], 1, TOT, workers=1, schrijver="pandas")
    first = next((root / "data/snapshots").glob("*/*/*.parquet"))
    schema = pq.read_schema(first)
    assert schema.field("capaciteit").type == pa.int64() and schema.field("peildatum").nullable
    assert b"pandas" in (schema.metadata or {})
    assert pq.ParquetFile(first).metadata.row_group(0).column(1).statistics is not None
    assert validate_repo(DataRepo(root), today=dt.date(2026, 11, 23)).geldig
    repo = DataRepo(root)
    pads = [classify(r) for r in repo.iter_data_files("data/snapshots")]
    pads = [p for p in pads if p.soort is Bestandsoort.SNAPSHOT][:300]
    chunk = check_chunk(root, pads, whole_context(repo, dt.date(2031, 1, 6)))
    assert (chunk.findings, chunk.clean) == ([], len(pads))


def test_the_duckdb_writer_shape_is_valid_and_cleared_by_the_vectorised_pass(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--schrijver duckdb` writes as a generator in SQL would (`COPY … TO`): no Arrow
    schema in the footer, optional fields, the schema version as key-value metadata. Such
    a repository is valid, cleared many files at a time, and its history is the history
    of bedcap's own files of the same rows."""
    import pyarrow.parquet as pq

    from bedcap.files.repo import Bestandsoort, classify
    from bedcap.rules.bulk import check_chunk
    from bedcap.rules.validate import whole_context
    from tests.conftest import invoke

    gen = load_generator()
    roots = {w: tmp_path / w for w in ("bedcap", "duckdb")}
    for writer, root in roots.items():
        gen.generate(root, gen.VORMEN["klein"], 1, TOT, workers=1, schrijver=writer)
    first = next((roots["duckdb"] / "data/snapshots").glob("*/*/*.parquet"))
    meta = pq.read_metadata(first)
    assert meta.created_by.startswith("DuckDB")
    assert meta.metadata == {b"bedcap.schema_version": b"1"}  # no ARROW:schema
    repo = DataRepo(roots["duckdb"])
    assert validate_repo(repo, today=dt.date(2026, 11, 23)).geldig
    pads = [classify(r) for r in repo.iter_data_files("data/snapshots")]
    pads = [p for p in pads if p.soort is Bestandsoort.SNAPSHOT][:300]
    chunk = check_chunk(roots["duckdb"], pads, whole_context(repo, dt.date(2031, 1, 6)))
    assert (chunk.findings, chunk.clean) == ([], len(pads))
    monkeypatch.setenv("BEDCAP_VANDAAG", "2026-11-23T09:00")
    span = ("--van", "2025-11-21", "--tot", TOT.isoformat())
    answers = [
        invoke(runner, "history", "--per", "week", *span, "--format", "csv", cwd=root).stdout
        for root in roots.values()
    ]
    assert answers[0] == answers[1] and len(answers[0].splitlines()) > 50
