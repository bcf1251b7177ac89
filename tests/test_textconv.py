"""`git diff` shows a changed Parquet snapshot as text through `bedcap textconv`: the shared
fields once in a header, one line per ward, so a correction shows only the changed counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from bedcap.files.snapshots import render_text, to_bytes, to_table
from tests.conftest import git, invoke
from tests.test_cli_dutch import ENGLISH

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


def _parquet_cases() -> list[Any]:
    from tests.test_bad_inputs import CASES

    return [pytest.param(c, id=c.id) for c in CASES if c.bestand.endswith(".parquet")]


@pytest.mark.parametrize("case", _parquet_cases())
def test_textconv_on_every_bad_snapshot_shows_it_or_says_why_in_dutch(
    case: Any,
    example: Path,
    runner,  # noqa: ANN001
) -> None:
    """git shows whatever textconv prints beside a diff: each snapshot of the bad-input
    corpus is shown as text, or refused with the reason `validate` gives, never with the
    reader's English (a time in nanoseconds was "Nanosecond resolution temporal type ...")."""
    case.mutate(example)
    result = invoke(runner, "textconv", str(example / case.bestand))
    said = " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert not ENGLISH.search(said), said
    if case.code == "parquet-onleesbaar" and "-sinds-1970" in result.stdout:
        assert result.exit_code == 0  # a date or time Python cannot hold, shown as its count
    elif case.code == "parquet-onleesbaar":
        assert result.exit_code == 1, result.stdout[:200]
        reason = case.melding.removeprefix("kan Parquet niet lezen: ")
        assert said.endswith(f"niet lezen als Parquet-snapshot: {' '.join(reason.split())}")
    elif result.exit_code == 0:
        assert result.stdout.startswith("# bedcap snapshot · "), result.stdout[:200]
        assert not said
    else:  # not a file to read: a folder, a pipe, a link to nowhere
        assert result.exit_code == 1 and "niet lezen als Parquet-snapshot: " in said, said


@pytest.mark.parametrize(
    ("unit", "count", "shown"),
    [
        ("ns", 1_625_040_000_000_000_001, "1625040000000000001ns-sinds-1970"),
        ("us", 320_000_000_000_000_000, "320000000000000000us-sinds-1970"),
    ],
)
def test_a_time_python_cannot_hold_is_shown_as_its_count(
    example: Path,
    runner,  # noqa: ANN001
    unit: str,
    count: int,
    shown: str,
) -> None:
    """Another writer may store nanoseconds, and a damaged file a year past 9999: the diff
    still shows the submission time, as its count since 1970."""
    from tests.test_gate_attacks import snapshot_submitted_raw

    snapshot_submitted_raw(example, SNAP, count, unit)
    result = invoke(runner, "textconv", str(example / SNAP))
    assert result.exit_code == 0, result.stderr
    assert f"ingediend_op: {shown}\n" in result.stdout


def test_times_and_durations_python_cannot_hold_are_shown_as_counts(
    example: Path,
    runner,  # noqa: ANN001
) -> None:
    """A time of day or a duration in nanoseconds (extra columns another writer could
    add), and a date past 9999: pyarrow's English and a traceback before."""
    import pyarrow as pa

    table = pq.read_table(example / SNAP)
    n = table.num_rows
    table = table.append_column("tijd", pa.array([1] * n, pa.int64()).cast(pa.time64("ns")))
    table = table.append_column("duur", pa.array([1] * n, pa.int64()).cast(pa.duration("ns")))
    days = pa.array([3_000_000] * n, pa.int32()).cast(pa.date32())
    index = table.schema.get_field_index("peildatum")
    table = table.set_column(index, pa.field("peildatum", pa.date32()), days)
    pq.write_table(table, example / SNAP)
    result = invoke(runner, "textconv", str(example / SNAP))
    assert result.exit_code == 0, result.stderr
    assert "peildatum: 3000000d-sinds-1970\n" in result.stdout
    assert "tijd=1ns-sinds-1970 duur=1ns-sinds-1970" in result.stdout
