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
