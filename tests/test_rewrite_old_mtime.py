"""A file rewritten with its old size and its old mtime put back (`cp -p`, `touch -r`,
`rsync -a`, `tar x`) is seen by every derived cache: only its ctime tells
(`files.regular.changed_ns`). Before, `validate` kept the old verdict of a broken file,
`history` the old rows and `available` the old name of a ward."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from bedcap.files.repo import DataRepo
from bedcap.files.snapshots import read_snapshot, to_bytes
from bedcap.rules.validate import validate_repo
from tests.conftest import EXAMPLE_TODAY, invoke
from tests.test_known_at_memory import wait_out_ctime
from tests.test_query import history_json

PROVIDER = "voorbeeld-ggz-noorderzand"
NEWEST = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"
LOCATION = "data/locaties/fictief-forensisch-centrum-oosterveld/kliniek-heidewijk.yaml"


@pytest.fixture
def aged(example: Path) -> Path:
    """The example, every file and folder an hour old by its mtime, its ctimes outside the
    racy window. The newest snapshot is written as bedcap writes one, so that a change of
    one value can keep its size."""
    (example / NEWEST).write_bytes(to_bytes(read_snapshot(example / NEWEST)))
    when = os.path.getmtime(example / NEWEST) - 3600
    for path in [example / "data", *(example / "data").rglob("*")]:
        os.utime(path, (when, when), follow_symlinks=False)
    wait_out_ctime(example / "data")
    return example


def put_back(path: Path, data: bytes) -> None:
    """`data` written over `path` in place, with the same size, and the old times set back."""
    before = path.stat()
    assert len(data) == before.st_size and data != path.read_bytes()
    with open(path, "r+b") as out:  # in place: the folder is not touched
        out.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def capacity_one_less(path: Path) -> bytes:
    """The snapshot with one row's `capaciteit` one less, in a file of the same size."""
    table = read_snapshot(path)
    column = table.schema.get_field_index("capaciteit")
    values = table.column("capaciteit").to_pylist()
    for row in range(len(values)):
        changed = [v - (i == row) for i, v in enumerate(values)]
        field = table.schema.field("capaciteit")  # not null, as the contract has it
        data = to_bytes(table.set_column(column, field, pa.array(changed, pa.int32())))
        if len(data) == path.stat().st_size:
            return data
    raise AssertionError("no row gives a file of the same size")


def findings(repo: Path, cache: bool = True) -> set[tuple[str, str | None]]:
    import datetime as dt

    today = dt.date.fromisoformat(EXAMPLE_TODAY)
    result = validate_repo(DataRepo(repo), today=today, cache=cache)
    return {(f.code, f.bestand) for f in result.problems}


def test_validate_sees_a_snapshot_put_back_with_its_old_mtime(aged: Path) -> None:
    assert ("som-klopt-niet", NEWEST) not in findings(aged)  # remembered: clean
    put_back(aged / NEWEST, capacity_one_less(aged / NEWEST))
    found = findings(aged)
    assert ("som-klopt-niet", NEWEST) in found
    assert found == findings(aged, cache=False)


def test_history_follows_a_snapshot_put_back_with_its_old_mtime(
    runner: CliRunner, aged: Path
) -> None:
    args = ("--van", "2021-06-30", "--tot", "2021-06-30", "--per", "dag", "--naar", "aanbieder")
    before = history_json(runner, aged, *args)
    put_back(aged / NEWEST, capacity_one_less(aged / NEWEST))
    after = history_json(runner, aged, *args)
    assert after == history_json(runner, aged, *args, "--geen-cache")
    assert after != before
    mine = [r for r in after if r["groep"] == PROVIDER]
    old = [r for r in before if r["groep"] == PROVIDER]
    assert mine and old and mine[0]["capaciteit_gem"] == old[0]["capaciteit_gem"] - 1


def names(runner: CliRunner, repo: Path) -> set[Any]:
    result = invoke(runner, "available", "--format", "json", cwd=repo)
    assert result.exit_code == 0, result.stderr
    return {row["naam"] for row in json.loads(result.stdout)}


def test_available_reads_a_location_put_back_with_its_old_mtime(
    runner: CliRunner, aged: Path
) -> None:
    assert "Kliniek Heidewijk" in names(runner, aged)  # the static facts are cached now
    text = (aged / LOCATION).read_bytes()
    put_back(aged / LOCATION, text.replace(b"naam: Kliniek Heidewijk", b"naam: Kliniek Heidewijq"))
    found = names(runner, aged)
    assert "Kliniek Heidewijq" in found and "Kliniek Heidewijk" not in found
