"""`git diff` shows a changed Parquet snapshot as text through `bedcap textconv`."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from bedcap.files.snapshots import to_bytes, to_table
from tests.conftest import git, invoke

SNAP = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-30.parquet"


def test_git_diff_shows_rows(example_git: Path) -> None:
    git(example_git, "config", "diff.bedcap-parquet.textconv", "bedcap textconv")
    rows = pq.read_table(example_git / SNAP).to_pylist()
    rows[0].update(bezet=rows[0]["bezet"] - 1, beschikbaar=rows[0]["beschikbaar"] + 1)
    (example_git / SNAP).write_bytes(to_bytes(to_table(rows)))
    diff = git(example_git, "diff", SNAP)
    removed = [line for line in diff.splitlines() if line.startswith("-2021")]
    added = [line for line in diff.splitlines() if line.startswith("+2021")]
    assert len(removed) == len(added) == 1
    assert "\tfpa-1\tcrisis\t" in added[0]


def test_textconv_on_garbage_is_a_clear_error(runner, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"geen parquet")
    result = invoke(runner, "textconv", str(bad))
    assert result.exit_code == 1
    assert "kan" in result.stderr and "niet lezen als Parquet" in result.stderr
