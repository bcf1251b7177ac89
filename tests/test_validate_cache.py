"""`validate` remembers snapshot findings in `.bedcap/` and re-checks only what changed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bedcap.files.repo import DataRepo
from bedcap.findings.finding import Finding
from bedcap.rules import resultcache
from bedcap.rules.validate import correctable_from, load_settings, validate_repo
from tests.conftest import EXAMPLE_TODAY, invoke

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
PROVIDER = "voorbeeld-ggz-noorderzand"
LOCATION = f"data/locaties/{PROVIDER}/kliniek-kroonstede.yaml"
SNAP = f"data/snapshots/{PROVIDER}/2021/2021-06-29.parquet"


def run(repo: Path, cache: bool = True) -> tuple[list[Finding], list[str]]:
    checked: list[str] = []
    result = validate_repo(DataRepo(repo), today=TODAY, cache=cache, herbekeken=checked)
    return sorted(result.problems, key=lambda f: (f.sort_key(), f.melding)), sorted(checked)


def snapshots_of(repo: Path, provider: str, since: dt.date = dt.date.min) -> list[str]:
    return sorted(
        p.relative_to(repo).as_posix()
        for p in (repo / "data/snapshots" / provider).glob("*/*.parquet")
        if dt.date.fromisoformat(p.stem) >= since
    )


def correct(path: Path, n: int) -> None:
    """A correction: `n` beds moved from occupied to available in the first row."""
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["bezet"] -= n
    rows[0]["beschikbaar"] += n
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


def rename_ward(path: Path, afdeling: str) -> None:
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["afdeling"] = afdeling
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


@pytest.fixture
def flawed(example: Path) -> Path:
    """The example with findings in the window and before it: a broken file, a bad count."""
    (example / "data/snapshots/voorbeeldzorg-westerduin/2021/2021-06-30.parquet").write_bytes(b"x")
    correct(example / f"data/snapshots/{PROVIDER}/2021/2021-04-06.parquet", 1000)
    rename_ward(example / f"data/snapshots/{PROVIDER}/2021/2021-04-07.parquet", "fpa-7")
    correct(example / SNAP, 1000)
    return example


def test_results_are_identical_cold_warm_and_without_cache(flawed: Path) -> None:
    plain, _ = run(flawed, cache=False)
    cold, cold_checked = run(flawed)
    warm, warm_checked = run(flawed)
    assert plain and {f.ernst for f in plain} == {"fout", "waarschuwing"}
    assert cold == plain
    assert warm == plain
    assert len(cold_checked) == len(list((flawed / "data/snapshots").glob("*/*/*.parquet")))
    assert warm_checked == []
    assert (flawed / ".bedcap" / resultcache.CACHE_NAME).is_file()


def test_the_command_gives_the_same_report_warm(runner, flawed: Path) -> None:  # noqa: ANN001
    first = invoke(runner, "validate", "--format", "json", cwd=flawed)
    second = invoke(runner, "validate", "--format", "json", cwd=flawed)
    assert first.exit_code == second.exit_code == 1
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert json.loads(first.stdout)["fouten"] > 0


def test_a_changed_or_new_file_is_rechecked_alone(flawed: Path) -> None:
    run(flawed)
    correct(flawed / SNAP, -1000)
    new = f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
    shutil.copy(flawed / SNAP, flawed / new)  # its peildatum column is wrong: a finding
    found, checked = run(flawed)
    assert checked == sorted([SNAP, new])
    assert found == run(flawed, cache=False)[0]
    assert not [f for f in found if f.bestand == SNAP]
    assert [f for f in found if f.bestand == new]


def test_a_capacity_change_rechecks_the_providers_window_only(flawed: Path) -> None:
    run(flawed)
    loc = flawed / LOCATION
    loc.write_text(loc.read_text().replace("capaciteit: 16", "capaciteit: 2"))
    found, checked = run(flawed)
    window = correctable_from(load_settings(DataRepo(flawed))[0], TODAY)
    assert checked == snapshots_of(flawed, PROVIDER, window)
    assert 0 < len(checked) < len(snapshots_of(flawed, PROVIDER))
    assert found == run(flawed, cache=False)[0]
    # 16 beds on a ward of 2 nominal: past the hard bound (2 × nominal + 10, issue 13)
    assert any(f.code == "capaciteit-boven-grens" for f in found)


def test_a_ward_change_rechecks_the_providers_history(flawed: Path) -> None:
    run(flawed)
    loc = flawed / LOCATION
    loc.write_text(loc.read_text().replace("id: fpa-1", "id: fpa-9"))
    found, checked = run(flawed)
    assert checked == snapshots_of(flawed, PROVIDER)
    assert found == run(flawed, cache=False)[0]
    assert {f.ernst for f in found if f.code == "onbekende-afdeling"} == {"fout", "waarschuwing"}


def test_a_rule_version_bump_rechecks_everything(
    flawed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = run(flawed)
    monkeypatch.setattr(resultcache, "REGELVERSIE", resultcache.REGELVERSIE + 1)
    found, checked = run(flawed)
    assert len(checked) == len(list((flawed / "data/snapshots").glob("*/*/*.parquet")))
    assert found == first
    assert run(flawed)[1] == []


def test_the_window_moving_on_rechecks_the_days_that_leave_it(flawed: Path) -> None:
    run(flawed)
    later = TODAY + dt.timedelta(days=1)  # a Friday: one working day leaves the window
    checked: list[str] = []
    validate_repo(DataRepo(flawed), today=later, cache=True, herbekeken=checked)
    settings = load_settings(DataRepo(flawed))[0]
    left = {correctable_from(settings, TODAY) + dt.timedelta(days=d) for d in range(7)}
    left = {d for d in left if d < correctable_from(settings, later)}
    assert checked and {dt.date.fromisoformat(Path(p).stem) for p in checked} == left


def test_a_corrupt_cache_is_rebuilt(flawed: Path) -> None:
    first, _ = run(flawed)
    (flawed / ".bedcap" / resultcache.CACHE_NAME).write_bytes(b"geen database")
    found, checked = run(flawed)
    assert found == first
    assert len(checked) > 0
    assert run(flawed)[1] == []
