"""`bedcap demo`: a realistic, deterministic, valid repository with history."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bedcap import calendar
from bedcap.contract.model import Specialisme, Voorziening, Zorgtype
from bedcap.files.agefile import decrypt, load_identities
from bedcap.files.repo import DataRepo
from bedcap.rules.validate import validate_repo
from tests.conftest import git, invoke

TODAY = "2026-11-23T09:00"  # a Monday morning: the demo runs up to Friday 2026-11-20


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("demo") / "demo"
    mp = pytest.MonkeyPatch()
    mp.setenv("BEDCAP_VANDAAG", TODAY)
    mp.setenv("COLUMNS", "200")
    result = CliRunner().invoke(__import__("bedcap.cli").cli.app, ["demo", str(path)])
    mp.undo()
    assert result.exit_code == 0, result.output
    return path, result.stdout


def _rows(path: Path) -> list[dict]:
    table = pq.read_table(sorted((path / "data/snapshots").rglob("*.parquet"))[-1])
    return table.to_pylist()


def test_demo_prints_what_to_try(demo: tuple[Path, str]) -> None:
    path, out = demo
    assert f"Demo-repository gemaakt in {path}" in out
    assert "bedcap validate" in out
    assert "van 1 april 2026 t/m 20 november 2026 in " in out  # dates and numbers, Dutch
    assert "(samen 1.913)" in out and re.search(r"\b\d\.\d{3} dagsnapshots", out)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", out.split("Probeer nu")[0]), out


def test_demo_validates(demo: tuple[Path, str]) -> None:
    result = validate_repo(DataRepo(demo[0]), today=dt.date.fromisoformat(TODAY[:10]))
    assert result.problems == []


def test_demo_covers_the_domain(demo: tuple[Path, str]) -> None:
    path = demo[0]
    import pyarrow.dataset as ds

    table = ds.dataset(path / "data/snapshots", format="parquet").to_table()
    assert len(set(table.column("aanbieder").to_pylist())) >= 12
    assert len(set(table.column("regio").to_pylist())) >= 6
    assert set(table.column("specialisme").to_pylist()) == {s.value for s in Specialisme}
    assert set(table.column("voorziening").to_pylist()) == {v.value for v in Voorziening}
    assert set(table.column("zorgtype").to_pylist()) == {z.value for z in Zorgtype}
    assert set(table.column("beveiligingsniveau").to_pylist()) == {2, 3, 4}
    last = table.filter(ds.field("peildatum") == dt.date(2026, 11, 17))
    beds = dict.fromkeys((2, 3, 4), 0)
    for row in last.to_pylist():
        beds[row["beveiligingsniveau"]] += row["capaciteit"]
    assert 1200 <= beds[2] + beds[3] <= 2300, beds  # about 1,700 in 2022
    occupancy = sum(last.column("bezet").to_pylist()) / sum(last.column("capaciteit").to_pylist())
    assert 0.8 <= occupancy <= 1.0
    assert sum(last.column("gereserveerd").to_pylist()) > 0
    assert sum(table.column("buiten_gebruik").to_pylist()) > 0


def test_one_provider_stopped_three_working_days_ago(demo: tuple[Path, str]) -> None:
    path = demo[0]
    newest = {p.name: max(p.rglob("*.parquet")).stem for p in (path / "data/snapshots").iterdir()}
    stale = {a: d for a, d in newest.items() if d != "2026-11-20"}
    assert list(stale.values()) == ["2026-11-17"]  # 18, 19 and 20 November are missing
    assert f"{next(iter(stale))} leverde de laatste 3 werkdagen niets aan" in demo[1]


def test_a_ward_opens_mid_period(demo: tuple[Path, str]) -> None:
    path = demo[0]
    texts = [p.read_text() for p in (path / "data/locaties").rglob("*.yaml")]
    opening = [t for t in texts if "actief_vanaf:" in t]
    assert len(opening) == 1
    day = dt.date.fromisoformat(opening[0].split("actief_vanaf: ")[1][:10])
    assert dt.date(2026, 4, 1) < day < dt.date(2026, 11, 20)


def test_one_commit_per_provider_day_by_its_provider(demo: tuple[Path, str]) -> None:
    path = demo[0]
    files = len(list((path / "data/snapshots").rglob("*.parquet")))
    log = git(path, "log", "--format=@@%ae|%s", "--name-only").split("@@")[1:]
    snapshot_commits = [entry for entry in log if "|Snapshot " in entry]
    assert len(snapshot_commits) == files
    for entry in snapshot_commits[:50]:
        header, changed = [line for line in entry.splitlines() if line]
        email, subject = header.split("|")
        provider = subject.split()[-1]
        assert email == f"beheer@{provider}.example"
        assert changed.startswith(f"data/snapshots/{provider}/")
    assert git(path, "status", "--porcelain") == ""
    assert "Bedcap-Peildatum: 2026-11-20" in git(path, "log", "-1", "--format=%B")


def test_financing_for_two_full_quarters(demo: tuple[Path, str]) -> None:
    quarters = sorted(p.name for p in (demo[0] / "data/financiering").iterdir())
    assert quarters == ["2026Q2", "2026Q3"]


def test_demo_is_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo: tuple[Path, str]
) -> None:
    monkeypatch.setenv("BEDCAP_VANDAAG", TODAY)
    runner = CliRunner()
    app = __import__("bedcap.cli").cli.app
    assert runner.invoke(app, ["demo", str(tmp_path / "a")]).exit_code == 0
    assert runner.invoke(app, ["demo", str(tmp_path / "b"), "--seed", "7"]).exit_code == 0

    # Same seed, same files, except the ciphertexts of the confidential files: age draws
    # fresh randomness for every encryption, as it must (issue 15). Their plaintext agrees.
    def tree(path: Path) -> list[str]:
        lines = git(path, "ls-tree", "-r", "HEAD").splitlines()
        return [line for line in lines if not line.endswith(".age")]

    assert tree(tmp_path / "a") == tree(demo[0])
    assert tree(tmp_path / "b") != tree(demo[0])
    rel = "data/financiering/2026Q2"
    for name in sorted(p.name for p in (demo[0] / rel).iterdir()):
        keys = load_identities([demo[0] / ".bedcap/sleutels/lcbb"])
        plain = [
            decrypt((root / rel / name).read_bytes(), keys) for root in (demo[0], tmp_path / "a")
        ]
        assert plain[0] is not None and plain[0] == plain[1]


def test_demo_refuses_a_non_empty_folder(runner, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "bestaand.txt").write_text("blijf af")
    result = invoke(runner, "demo", str(tmp_path))
    assert result.exit_code == 3
    assert "is niet leeg" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["bestaand.txt"]


def test_working_days_in_demo_skip_holidays(demo: tuple[Path, str]) -> None:
    days = {p.stem for p in (demo[0] / "data/snapshots").rglob("*.parquet")}
    assert "2026-05-14" not in days  # Hemelvaart
    assert "2026-05-25" not in days  # Pinkstermaandag
    assert calendar.is_werkdag(dt.date(2026, 5, 15)) and "2026-05-15" in days


def test_a_demo_made_after_the_deadline_has_todays_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made in the afternoon, the demo has today's counts, all submitted before now, and
    shows one stale provider, as in the morning; without them `available` called every
    provider stale, and the dashboard listed all fourteen."""
    monkeypatch.setenv("BEDCAP_VANDAAG", "2026-11-23T12:30")
    monkeypatch.setenv("COLUMNS", "200")
    path = tmp_path / "middag"
    result = invoke(CliRunner(), "demo", str(path))
    assert result.exit_code == 0, result.stderr
    newest = {p.name: max(p.rglob("*.parquet")).stem for p in (path / "data/snapshots").iterdir()}
    stale = {a: d for a, d in newest.items() if d != "2026-11-23"}
    assert list(stale.values()) == ["2026-11-18"], stale  # 19, 20 and 23 November missing
    now = dt.datetime(2026, 11, 23, 12, 30, tzinfo=calendar.TIJDZONE)
    for snapshot in (path / "data/snapshots").rglob("2026-11-23.parquet"):
        submitted = pq.read_table(snapshot).column("ingediend_op").to_pylist()
        assert max(submitted) <= now, (snapshot.name, max(submitted))
    times = git(path, "log", "--format=%cI").split()
    assert max(dt.datetime.fromisoformat(t) for t in times) <= now
    shown = invoke(CliRunner(), "available", "--format", "json", cwd=path)
    late = {r["aanbieder"] for r in json.loads(shown.stdout) if r["verouderd"]}
    assert late == set(stale), late
