"""A warm command never imports `holidays` (0.05–0.14 s): the days off come from
`.bedcap/feestdagen.json` (`files.daysoff`), which the first run of any command seeds.

Each command runs twice in a fresh interpreter; the second must answer without the
package. `submit`, `report` and `dashboard` imported it until the seventh pass of issue
18: each command seeded the days off itself, and these did not. Now the repository
hands the calendar its cache as it puts the working-day rule in force.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ENV, PROVIDER
from tests.test_cli_submit import csv_text, previous_rows

PROBE = """
import sys
from bedcap.cli import main
sys.argv = ["bedcap", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
print("holidays geladen" if "holidays" in sys.modules else "zonder holidays", file=sys.stderr)
sys.exit(code)
"""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["available"],
        ["history", "--van", "2021-04-01", "--tot", "2021-06-30"],
        ["validate"],
        ["validate", f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"],
        ["check"],
        ["report", "--kwartaal", "2021Q2", "--uit", "r.html"],
        ["dashboard", "--uit", "site"],
    ],
    ids=" ".join,
)
def test_a_warm_question_answers_without_holidays(example_git: Path, args: list[str]) -> None:
    first = run(example_git, *args)
    assert first.returncode in (0, 1), first.stderr
    again = run(example_git, *args)
    assert again.returncode == first.returncode, again.stderr
    assert again.stderr.strip().endswith("zonder holidays"), again.stderr
    assert _untimed(again.stdout) == _untimed(first.stdout)


def _untimed(text: str) -> str:
    return re.sub(r"\d+[.,]\d+ s\b", "… s", text)  # `in 0.7 s`: how long it took


def test_a_submission_answers_without_holidays(provider: tuple[Path, Path], tmp_path: Path) -> None:
    work, _ = provider
    assert run(work, "validate").returncode == 0  # any command seeds the days off
    (tmp_path / "vandaag.csv").write_text(csv_text(previous_rows(work)))
    done = run(work, "submit", str(tmp_path / "vandaag.csv"), "--no-push")
    assert done.returncode == 0, done.stderr
    assert "Ingediend:" in done.stdout
    assert done.stderr.strip().endswith("zonder holidays"), done.stderr


def test_a_commit_check_reads_its_snapshot_without_the_dataset_layer(example_git: Path) -> None:
    """`pq.read_table` loads pyarrow's dataset layer (60 ms of a 0.7 s one-commit check on
    national data); reading a snapshot's `ingediend_op` needs only the file reader."""
    import pyarrow.parquet as pq

    from tests.conftest import git

    snapshot = sorted((example_git / "data/snapshots" / PROVIDER).rglob("*.parquet"))[-1]
    pq.write_table(pq.read_table(snapshot), snapshot, compression="zstd")  # other bytes
    who = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    git(example_git, *who, "commit", "-qam", "opnieuw geschreven")
    probe = PROBE.replace(
        'print("holidays geladen" if "holidays" in sys.modules else "zonder holidays", ',
        'print(*(m for m in ("pyarrow", "pyarrow.dataset") if m in sys.modules), ',
    )
    assert probe != PROBE  # the probe asks about pyarrow now
    done = subprocess.run(
        [sys.executable, "-c", probe, "check", "--base", "HEAD~1", "--head", "HEAD"],
        cwd=example_git,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr.strip().splitlines()[-1] == "pyarrow", done.stderr  # read, not by dataset
