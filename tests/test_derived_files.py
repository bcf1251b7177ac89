"""What bedcap keeps in `.bedcap/` is derived: a FIFO or a folder in its place must never
hang a command or end it in a traceback.

A FIFO where a cache file should be made every command wait for a writer that never
came. The query cache then says in one Dutch line what is wrong and how to go on (exit 3);
the other caches are worked out again, and the command answers as it would with them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ENV

COMMANDS = {
    "cache.duckdb": ["history", "--per", "maand"],
    "geschiedenis.sqlite": ["check"],
    "validatie.sqlite": ["validate"],
    "validatie-vorm.json": ["validate"],
    "validatie-statisch.json": ["validate"],
    "statisch.json": ["available"],
    "feestdagen.json": ["available"],
}


def run(repo: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bedcap", *args],
        cwd=repo,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=120,  # a FIFO read would hang for ever; this turns it into a failure
    )


@pytest.mark.parametrize("kind", ["fifo", "map"])
def test_no_derived_file_in_the_wrong_shape_hangs_or_breaks_a_command(
    example_git: Path, kind: str
) -> None:
    example = example_git  # `check` keeps its history of arrivals only in a git repository
    healthy = {name: run(example, args) for name, args in COMMANDS.items()}
    assert {p.returncode for p in healthy.values()} <= {0, 1}
    assert set(COMMANDS) <= {p.name for p in (example / ".bedcap").iterdir()}
    for name, args in COMMANDS.items():
        target = example / ".bedcap" / name
        target.unlink()
        os.mkfifo(target) if kind == "fifo" else target.mkdir()
        done = run(example, args)
        assert "Traceback" not in done.stderr, (name, done.stderr)
        if name == "cache.duckdb":
            assert done.returncode == 3, done.stderr
            assert f"{target} is niet te gebruiken" in " ".join(done.stderr.split())
            assert "--geen-cache" in done.stderr
            assert run(example, [*args, "--geen-cache"]).returncode == 0
        else:
            assert done.returncode == healthy[name].returncode, (name, done.stderr)
            assert done.stdout == healthy[name].stdout, name
        target.rmdir() if kind == "map" else target.unlink()


BLOCK_START = 3 * 4096
"""DuckDB's file: a main header and two database headers of 4 KiB, then the blocks."""


def test_a_damaged_block_of_rows_found_by_the_question_is_one_dutch_line(example: Path) -> None:
    """DuckDB checks a block's checksum when it first reads it. The refresh reads the file
    records, the question the rows: a damaged block of rows shows after the refresh, in
    the middle of a question, and is still one Dutch line (exit 3), never a traceback."""
    import duckdb

    args = ["history", "--van", "2021-04-01", "--tot", "2021-06-30", "--format", "json"]
    healthy = run(example, args)
    assert healthy.returncode == 0, healthy.stderr
    cache = example / ".bedcap/cache.duckdb"
    with duckdb.connect(str(cache), read_only=True) as con:
        size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()
        blocks = {
            table: {r[0] for r in con.execute(
                "SELECT DISTINCT block_id FROM pragma_storage_info(?) WHERE block_id >= 0",
                [table],
            ).fetchall()}
            for table in ("snapshots", "bestanden", "mappen", "meta", "afdelingen")
        }  # fmt: skip
    assert size is not None
    others = set().union(*(ids for table, ids in blocks.items() if table != "snapshots"))
    rows_only = sorted(blocks["snapshots"] - others)
    assert rows_only, blocks
    with cache.open("r+b") as handle:
        handle.seek(BLOCK_START + rows_only[0] * size[0] + 64)
        handle.write(b"\xff" * 64)
    done = run(example, args)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 3, done.stderr
    said = " ".join(done.stderr.split())
    assert f"de cache {cache} is niet te gebruiken (" in said, said
    assert "verwijder de map" in said and "--geen-cache" in said
    assert done.stdout == ""
    again = run(example, [*args, "--geen-cache"])
    assert again.returncode == 0 and again.stdout == healthy.stdout
