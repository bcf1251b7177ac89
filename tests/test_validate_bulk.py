"""The vectorised pass over many snapshots gives exactly the file-by-file findings (issue 18).

Every case of the bad-input corpus is applied to the example, and all its snapshots are
checked both ways, once with today's correction window and once as old history (where
the vectorised pass clears files without `check_snapshot`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bedcap.files.repo import Bestandsoort, DataRepo, Pad, classify
from bedcap.rules.bulk import blob_id, check_chunk, check_many
from bedcap.rules.snapshots import check_snapshot
from bedcap.rules.validate import whole_context
from tests.conftest import EXAMPLE_TODAY
from tests.test_bad_inputs import CASES, Case

LATER = dt.date(2031, 1, 6)  # every day of the example is history then


def _snapshots(repo: DataRepo) -> list[Pad]:
    pads = [classify(rel) for rel in repo.iter_data_files("data/snapshots")]
    return [p for p in pads if p.soort is Bestandsoort.SNAPSHOT]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_same_findings_as_file_by_file(case: Case, example: Path) -> None:
    case.mutate(example)
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    for today in (dt.date.fromisoformat(EXAMPLE_TODAY), LATER):
        ctx = whole_context(repo, today)
        one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
        for fast in (True, False):  # polars for bedcap's own files (issue 18), or pyarrow
            chunk = check_chunk(repo.root, pads, ctx, fast)
            assert chunk.findings == one_by_one


def test_the_vectorised_pass_clears_history_and_hashes_as_git(example: Path) -> None:
    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    chunk = check_chunk(repo.root, pads, whole_context(repo, LATER))
    assert chunk.findings == []
    assert chunk.clean == len(pads) > 100
    rel = pads[0].pad
    assert chunk.blobs[rel] == blob_id((example / rel).read_bytes())
    # Inside the correction window every file goes to the full rules.
    ctx = whole_context(repo, dt.date.fromisoformat(EXAMPLE_TODAY))
    assert check_chunk(repo.root, pads, ctx).clean < len(pads)


def test_bad_rows_in_history_are_not_cleared(example: Path) -> None:
    """A broken row, a duplicate, a missing ward or a wrong day each send their file to
    the full rules; a note only meets the privacy guard. In worker processes, as at
    national scale."""
    import pyarrow.parquet as pq

    from bedcap.files.snapshots import to_bytes

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    changed = {}
    for n, change in enumerate(("som", "dubbel", "weg", "noot", "dag")):
        rel = pads[10 + n].pad
        table = pq.read_table(example / rel)
        rows = table.to_pylist()
        if change == "som":
            rows[0]["bezet"] += 1
        elif change == "dubbel":
            rows.append(dict(rows[0]))
        elif change == "weg":
            rows.pop()
        elif change == "noot":
            rows[0]["toelichting"] = "Bel 06-12345678 voor overleg"
        else:
            rows[0]["peildatum"] = rows[0]["peildatum"] - dt.timedelta(days=1)
        (example / rel).write_bytes(to_bytes(table.from_pylist(rows, schema=table.schema)))
        changed[rel] = change
    ctx = whole_context(repo, LATER)
    one_by_one = [f for pad in pads for f in check_snapshot(repo.root, pad, ctx)]
    many = check_many(repo.root, pads, ctx, chunk=len(pads) // 3)
    assert many.findings == one_by_one
    assert {f.bestand for f in one_by_one} == set(changed)
    assert many.clean == len(pads) - len(changed) + 1  # the note's file is cleared
    assert [f.code for f in one_by_one if changed[f.bestand] == "noot"] == ["privacy-telefoon"]


def test_bedcaps_own_files_go_through_polars_with_the_same_outcome(example: Path) -> None:
    """Every example snapshot has bedcap's footer, so the polars path decodes them all;
    its verdicts, findings and blob ids are those of the pyarrow path."""
    from bedcap.files.fastdecode import read_many, row_count, signature

    repo = DataRepo.find(example)
    pads = _snapshots(repo)
    known = signature()
    assert known is not None
    datas = [(example / p.pad).read_bytes() for p in pads]
    assert all(row_count(data, known) for data in datas)
    assert read_many(datas) is not None
    ctx = whole_context(repo, LATER)
    fast, slow = check_chunk(repo.root, pads, ctx), check_chunk(repo.root, pads, ctx, False)
    assert (fast.findings, fast.blobs, fast.clean) == (slow.findings, slow.blobs, slow.clean)
    assert fast.clean == len(pads) > 100
