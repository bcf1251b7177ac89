"""Issue 14 on the gate's side: corrections are not late, the correction window, participation.

The generated repository of `tests/lifedata.py`; every expected figure comes from git
(`git log` of the files' first arrival on main) and the YAML/Parquet files, not from
bedcap's code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bedcap import calendar
from tests.conftest import IDENTITY, git, invoke
from tests.lifedata import NIEUW, _dump_yaml, _load_yaml, commit_at, report_json, run_json

DEADLINE = dt.time(12, 0)
CORRECTED_DAY = dt.date(2026, 5, 18)


def correct(repo: Path, provider: str, day: dt.date, when: dt.datetime) -> None:
    """Rewrite `provider`'s file of `day` with one bed moved from free to occupied."""
    path = repo / f"data/snapshots/{provider}/{day.year}/{day.isoformat()}.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    row = next(r for r in rows if r["beschikbaar"] > 0)
    row["beschikbaar"] -= 1
    row["bezet"] += 1
    for r in rows:
        r["ingediend_op"] = when.astimezone(dt.UTC)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    commit_at(
        repo,
        f"Correctie {day} {provider}\n\nBedcap-Aanbieder: {provider}\n"
        f"Bedcap-Peildatum: {day}\nBedcap-Correctie: telfout hersteld",
        when.isoformat(),
    )


def first_arrival(repo: Path, rel: str) -> dt.datetime:
    """When the file first reached main: the committer time of the commit that added it."""
    out = git(repo, "log", "--first-parent", "--diff-filter=A", "--format=%ct", "main", "--", rel)
    return dt.datetime.fromtimestamp(int(out.split()[-1]), dt.UTC)


def on_time_days(repo: Path, provider: str, days: list[dt.date]) -> list[dt.date]:
    found = []
    for day in days:
        rel = f"data/snapshots/{provider}/{day.year}/{day.isoformat()}.parquet"
        if not (repo / rel).exists():
            continue
        limit = dt.datetime.combine(day, DEADLINE, calendar.TIJDZONE)
        if first_arrival(repo, rel) <= limit:
            found.append(day)
    return found


def test_a_correction_never_makes_an_on_time_day_late(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    provider = life["closing_provider"]
    rel = f"data/snapshots/{provider}/2026/{CORRECTED_DAY.isoformat()}.parquet"
    assert first_arrival(repo, rel) <= dt.datetime.combine(
        CORRECTED_DAY, DEADLINE, calendar.TIJDZONE
    ), "the demo must have submitted this day on time"
    correct(
        repo, provider, CORRECTED_DAY, dt.datetime(2026, 5, 19, 15, 0, tzinfo=calendar.TIJDZONE)
    )
    state = run_json(cli, repo, "check", "--peildatum", "2026-05-19", code=None)
    mine = next(a for a in state["aanbieders"] if a["aanbieder"] == provider)
    window = [dt.date.fromisoformat(d) for d in mine["verwacht_dagen"]]
    expected = on_time_days(repo, provider, window)
    assert CORRECTED_DAY in expected
    assert mine["op_tijd"] == len(expected)
    assert CORRECTED_DAY.isoformat() not in mine["te_laat"]
    assert mine["correcties"] == 1
    doc = report_json(cli, repo, "--van", "2026-05-04", "--tot", "2026-05-19")
    row = next(r for r in doc["volledigheid"] if r["aanbieder"] == provider)
    days = [d for d in calendar.werkdagen(dt.date(2026, 5, 4), dt.date(2026, 5, 19))]
    assert row["op_tijd"] == len(on_time_days(repo, provider, days))
    assert row["correcties"] == 1


# ---- 6. the correction window ----------------------------------------------------------


def _correction_change(repo: Path, provider: str, day: dt.date) -> str:
    base = git(repo, "rev-parse", "HEAD").strip()
    correct(repo, provider, day, dt.datetime(2026, 5, 22, 9, 0, tzinfo=calendar.TIJDZONE))
    return base


def working_days_before(day: dt.date, until: dt.date) -> int:
    """Working days from `day` up to but not including `until` (May 2026 holidays known)."""
    free = {dt.date(2026, 5, 5), dt.date(2026, 5, 14), dt.date(2026, 5, 25)}
    n, d = 0, day
    while d < until:
        n += d.weekday() < 5 and d not in free
        d += dt.timedelta(days=1)
    return n


@pytest.mark.parametrize(
    ("made_on", "day", "allowed"),
    [
        ("2026-05-22", "2026-05-07", True),  # Friday: 10 working days before
        ("2026-05-23", "2026-05-07", False),  # Saturday: 11 working days before
        ("2026-05-23", "2026-05-08", True),
        ("2026-05-24", "2026-05-08", True),  # Sunday
        ("2026-05-25", "2026-05-08", True),  # Tweede Pinksterdag
        ("2026-05-25", "2026-05-07", False),
    ],
)
def test_the_correction_window_counts_the_same_working_days_any_day(
    cli: CliRunner,
    life: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    made_on: str,
    day: str,
    allowed: bool,
) -> None:
    repo = life["root"]
    target = dt.date.fromisoformat(day)
    assert (working_days_before(target, dt.date.fromisoformat(made_on)) <= 10) is allowed
    base = _correction_change(repo, life["closing_provider"], target)
    monkeypatch.setenv("BEDCAP_VANDAAG", f"{made_on}T10:00")
    doc = run_json(cli, repo, "check", "--base", base, "--head", "HEAD", code=None)
    codes = {f["code"] for f in doc["bevindingen"]}
    assert ("buiten-correctievenster" not in codes) is allowed


# ---- 7. participation dates ----------------------------------------------------------


def test_no_day_before_participation_counts_as_missing(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    joined = dt.date(2026, 5, 11)
    provider = life["closing_provider"]
    registry = _load_yaml(repo / "data/deelnemers.yaml")
    for d in registry["deelnemers"]:
        if d["id"] == provider:
            d["deelname_vanaf"] = joined
    _dump_yaml(repo / "data/deelnemers.yaml", registry)
    for path in (repo / f"data/snapshots/{provider}").glob("*/*.parquet"):
        if dt.date.fromisoformat(path.stem) < joined:
            path.unlink()
    git(repo, *IDENTITY, "add", "-A")
    git(repo, *IDENTITY, "commit", "-qm", "deelname sinds 11 mei")
    valid = invoke(cli, "validate", "data/deelnemers.yaml", cwd=repo)
    assert valid.exit_code == 0, valid.stdout
    state = run_json(cli, repo, "check", "--peildatum", "2026-05-19", code=None)
    mine = next(a for a in state["aanbieders"] if a["aanbieder"] == provider)
    expected = [d for d in calendar.werkdagen(joined, dt.date(2026, 5, 19))]
    assert mine["verwacht_dagen"] == [d.isoformat() for d in expected]
    assert mine["ontbrekend"] == []
    new = next(a for a in state["aanbieders"] if a["aanbieder"] == NIEUW)
    assert new["verwacht_dagen"] == ["2026-05-18", "2026-05-19"]
    assert new["ontbrekend"] == ["2026-05-18", "2026-05-19"]


def test_participation_ending_before_it_began_is_refused(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    registry = _load_yaml(repo / "data/deelnemers.yaml")
    registry["deelnemers"][-1]["deelname_tot"] = dt.date(2026, 5, 1)
    _dump_yaml(repo / "data/deelnemers.yaml", registry)
    doc = run_json(cli, repo, "validate", "data/deelnemers.yaml", code=1)
    last = len(registry["deelnemers"]) - 1
    assert [f["veld"] for f in doc["bevindingen"]] == [f"deelnemers.{last}.deelname_tot"]


def test_demo_fills_in_participation(life: dict[str, Any]) -> None:
    registry = _load_yaml(life["root"] / "data/deelnemers.yaml")
    providers = [d for d in registry["deelnemers"] if "aanbieder" in d["rollen"]]
    first_files = {
        d["id"]: min(
            dt.date.fromisoformat(p.stem)
            for p in (life["root"] / f"data/snapshots/{d['id']}").glob("*/*.parquet")
        )
        for d in providers
        if d["id"] != NIEUW
    }
    for d in providers:
        if d["id"] in first_files:
            assert d["deelname_vanaf"] <= first_files[d["id"]]
