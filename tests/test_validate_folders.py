"""Whole year folders of history answered from `.bedcap/` without listing them (issue 18).

The example's 2021 folders are history when "today" is in 2023. Folder mtimes are set
back with `os.utime` where a test would otherwise wait two seconds for the racy window.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bedcap.files.repo import DataRepo
from bedcap.findings.catalogue import Result
from bedcap.rules.validate import validate_repo

LATER = dt.date(2023, 1, 10)
PROVIDER = "voorbeeld-ggz-noorderzand"
FOLDER = f"data/snapshots/{PROVIDER}/2021"


def settle(repo: Path) -> None:
    """Every snapshot folder a minute older: out of the racy window, as time would make it."""
    past = time.time() - 60
    for folder in (repo / "data/snapshots").glob("*/*"):
        os.utime(folder, (past, past))


def run(repo: Path, cache: bool = True) -> tuple[Result, list[str]]:
    checked: list[str] = []
    result = validate_repo(DataRepo(repo), today=LATER, cache=cache, herbekeken=checked)
    return result, checked


def same(one: Result, other: Result) -> bool:
    def key(r: Result) -> list[tuple[str, ...]]:
        return sorted((f.bestand, str(f.rij), str(f.veld), f.code, f.melding) for f in r.problems)

    return key(one) == key(other) and one.bestanden == other.bestanden


@pytest.fixture
def flawed(example: Path) -> Path:
    """History with a finding in it (a bad count), so remembered folders carry findings."""
    path = example / f"{FOLDER}/2021-04-06.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["bezet"] += 1000
    path.unlink()  # replaced, not overwritten: the folder's mtime moves, as with git
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    settle(example)
    return example


def test_a_warm_run_reads_no_remembered_folder_and_finds_the_same(flawed: Path) -> None:
    uncached, _ = run(flawed, cache=False)
    assert any(f.code == "som-klopt-niet" for f in uncached.problems)
    first, checked = run(flawed)
    assert len(checked) == len(list((flawed / "data/snapshots").glob("*/*/*.parquet"))) > 200
    second, checked = run(flawed)
    assert checked == []
    assert same(first, uncached) and same(second, uncached)


def test_a_replaced_file_reopens_only_its_folder(flawed: Path) -> None:
    run(flawed)
    path = flawed / f"{FOLDER}/2021-05-03.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["afdeling"] = "bestaat-niet"
    path.unlink()
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    settle(flawed)
    result, checked = run(flawed)
    assert checked == [f"{FOLDER}/2021-05-03.parquet"]  # the rest of the folder: per file
    assert any(f.code == "onbekende-afdeling" for f in result.problems)
    assert same(result, run(flawed, cache=False)[0])
    assert run(flawed)[1] == []


def test_changed_static_data_reopens_the_providers_folders(flawed: Path) -> None:
    run(flawed)
    location = flawed / f"data/locaties/{PROVIDER}/kliniek-eikenburg-2.yaml"
    text = location.read_text(encoding="utf-8")
    # A capacity is compared inside the correction window only: history stays remembered.
    location.write_text(text.replace("capaciteit: 10\n", "capaciteit: 11\n", 1))
    assert run(flawed)[1] == []
    # A ward that closed: its provider's history is read again, and warns.
    location.write_text(
        text.replace("capaciteit: 10\n", "capaciteit: 10\n    actief_tot: 2021-05-31\n", 1)
    )
    result, checked = run(flawed)
    assert checked and {rel.rsplit("/", 1)[0] for rel in checked} == {FOLDER}
    assert any(f.code == "afdeling-niet-actief" for f in result.problems)
    assert same(result, run(flawed, cache=False)[0])


def test_a_folder_with_a_subfolder_or_a_stray_file_is_never_remembered(flawed: Path) -> None:
    (flawed / FOLDER / "extra").mkdir()
    (flawed / FOLDER / "extra" / "x.parquet").write_bytes(b"x")
    (flawed / FOLDER / "lees-mij.txt").write_text("x")
    settle(flawed)
    run(flawed)
    result, checked = run(flawed)
    codes = {(f.bestand, f.code) for f in result.problems}
    assert (f"{FOLDER}/extra/x.parquet", "ongeldig-pad") in codes
    assert (f"{FOLDER}/lees-mij.txt", "ongeldig-pad") in codes
    assert same(result, run(flawed, cache=False)[0])
    # Files added later inside the subfolder are still seen: the folder is walked each time.
    (flawed / FOLDER / "extra" / "y.parquet").write_bytes(b"y")
    assert (f"{FOLDER}/extra/y.parquet", "ongeldig-pad") in {
        (f.bestand, f.code) for f in run(flawed)[0].problems
    }
