"""`git diff` shows a changed Parquet snapshot as text through `bedcap textconv`: the shared
fields once in a header, one line per ward, so a correction shows only the changed counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq

from bedcap.files.snapshots import render_text, to_bytes, to_table
from tests.conftest import git, invoke

SNAP = "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-30.parquet"


def test_text_has_a_header_and_one_line_per_ward(example: Path) -> None:
    rows = pq.read_table(example / SNAP).to_pylist()
    text = render_text(example / SNAP)
    head, body = text.split("\n\n", 1)
    assert head.splitlines()[1:] == [
        "peildatum: 2021-06-30",
        "aanbieder: voorbeeld-ggz-noorderzand",
        f"ingediend_op: {rows[0]['ingediend_op'].isoformat()}",
    ]
    lines = body.splitlines()
    assert len(lines) == len(rows)
    first = min(rows, key=lambda r: (r["locatie"], r["afdeling"], r["zorgtype"]))
    key = f"{first['locatie']}/{first['afdeling']}/{first['zorgtype']}"
    assert lines[0].startswith(key)
    counts = " ".join(
        f"{n}={first[n]}" for n in ("capaciteit", "bezet", "beschikbaar", "gereserveerd")
    )
    assert counts in lines[0]
    assert "2021-06-30" not in body  # the shared fields are not repeated per ward


def test_a_correction_diff_shows_only_the_changed_counts(example_git: Path) -> None:
    git(example_git, "config", "diff.bedcap-parquet.textconv", "bedcap textconv")
    rows = pq.read_table(example_git / SNAP).to_pylist()
    rows[0].update(bezet=rows[0]["bezet"] - 1, beschikbaar=rows[0]["beschikbaar"] + 1)
    later = rows[0]["ingediend_op"] + dt.timedelta(days=1)
    for r in rows:
        r["ingediend_op"] = later
    (example_git / SNAP).write_bytes(to_bytes(to_table(rows)))
    diff = git(example_git, "diff", "-U0", SNAP)
    removed = [x for x in diff.splitlines() if x.startswith("-") and not x.startswith("---")]
    added = [x for x in diff.splitlines() if x.startswith("+") and not x.startswith("+++")]
    assert len(removed) == len(added) == 2  # the submission time and the one ward
    assert removed[0].startswith("-ingediend_op:") and added[0].startswith("+ingediend_op:")
    ward = f"{rows[0]['locatie']}/{rows[0]['afdeling']}/{rows[0]['zorgtype']}"
    assert added[1].startswith(f"+{ward}") and f"bezet={rows[0]['bezet']} " in added[1]


def test_textconv_on_garbage_is_a_clear_error(runner, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"geen parquet")
    result = invoke(runner, "textconv", str(bad))
    assert result.exit_code == 1
    assert "kan" in result.stderr and "niet lezen als Parquet" in result.stderr
