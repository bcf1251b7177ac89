"""A generated repository with real git history, and real life on top of it (issue 14).

`bedcap demo`, then each step a commit: a ward closes (its provider's later files leave
it out), a provider closes all its wards and stops, a new provider joins and has not
submitted yet. The figures the tests expect are computed here from the Parquet files
(pyarrow), the YAML files and git, never through bedcap's query code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import IDENTITY, invoke

VANDAAG = dt.date(2026, 5, 20)  # a Wednesday; the demo has counts up to 19 May
OCHTEND = f"{VANDAAG.isoformat()}T09:00"  # before the 12:00 deadline
MIDDAG = f"{VANDAAG.isoformat()}T14:00"  # after it
SLUIT_AFDELING = dt.date(2026, 5, 12)  # one ward's last day
SLUIT_AANBIEDER = dt.date(2026, 5, 8)  # a Friday: a provider's last day
NIEUW = "nieuwe-zorg-zeewolde"
NIEUW_VANAF = dt.date(2026, 5, 18)
COUNTS = ("capaciteit", "bezet", "beschikbaar", "gereserveerd", "buiten_gebruik")


def _rows_of(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()


def _rewrite(path: Path, keep: Any) -> None:
    table = pq.read_table(path)
    rows = [r for r in table.to_pylist() if keep(r)]
    out = pa.Table.from_pylist(rows, schema=table.schema)
    pq.write_table(out, path)


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _NoAliases(yaml.SafeDumper):
    """The contract refuses YAML anchors; PyYAML writes them for a repeated object."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump_yaml(path: Path, data: Any) -> None:
    text = yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


STAPPEN = f"{(VANDAAG - dt.timedelta(days=1)).isoformat()}T18:00:00+02:00"
"""When the steps after the demo are committed: the evening after its last submissions,
before `VANDAAG`. Fixed, so no figure depends on the clock of the machine running it."""


def commit_at(repo: Path, message: str, when: str) -> None:
    """Everything in the tree as one commit, authored and committed at `when`."""
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(["git", *IDENTITY, "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", *IDENTITY, "commit", "-qm", message], cwd=repo, check=True, env=env)


def _commit(repo: Path, message: str) -> None:
    commit_at(repo, message, STAPPEN)


def _providers_with_wards(repo: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((repo / "data/locaties").glob("*/*.yaml")):
        found[path.parent.name].append(path)
    return found


@pytest.fixture(scope="session")
def life_template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo, then a ward closing, a provider leaving and a new one joining (commits)."""
    root = tmp_path_factory.mktemp("life") / "repo"
    mp = pytest.MonkeyPatch()
    mp.setenv("BEDCAP_VANDAAG", OCHTEND)  # before the deadline: counts up to 19 May
    mp.setenv("NO_COLOR", "1")
    try:
        result = invoke(CliRunner(), "demo", str(root))
    finally:
        mp.undo()
    assert result.exit_code == 0, result.stdout + result.stderr
    stale = "fictieve-zorggroep-vennebroek"  # the demo's provider that stopped 3 days ago
    locs = _providers_with_wards(root)
    multi = sorted(
        a
        for a, paths in locs.items()
        if a != stale and sum(len(_load_yaml(p)["afdelingen"]) for p in paths) >= 2
    )
    closing_provider, leaving = multi[0], multi[1]

    # 1. One ward of `closing_provider` closes; its later files leave it out.
    loc_path = locs[closing_provider][0]
    loc = _load_yaml(loc_path)
    ward = loc["afdelingen"][0]
    ward["actief_tot"] = SLUIT_AFDELING
    _dump_yaml(loc_path, loc)
    for snap in sorted((root / f"data/snapshots/{closing_provider}").glob("*/*.parquet")):
        if dt.date.fromisoformat(snap.stem) > SLUIT_AFDELING:
            _rewrite(snap, lambda r: (r["locatie"], r["afdeling"]) != (loc["id"], ward["id"]))
    _commit(root, f"{closing_provider}: afdeling {ward['id']} gesloten")

    # 2. `leaving` closes every ward on a Friday and stops submitting.
    for path in locs[leaving]:
        data = _load_yaml(path)
        for afd in data["afdelingen"]:
            afd["actief_tot"] = SLUIT_AANBIEDER
        _dump_yaml(path, data)
    for snap in (root / f"data/snapshots/{leaving}").glob("*/*.parquet"):
        if dt.date.fromisoformat(snap.stem) > SLUIT_AANBIEDER:
            snap.unlink()
    _commit(root, f"{leaving}: alle afdelingen gesloten")

    # 3. A new provider joins with one location and has not submitted yet.
    deelnemers = _load_yaml(root / "data/deelnemers.yaml")
    deelnemers["deelnemers"].append(
        {
            "id": NIEUW,
            "naam": "Nieuwe Zorg Zeewolde (voorbeeld)",
            "rollen": ["aanbieder"],
            "beheerders": [],
            "deelname_vanaf": NIEUW_VANAF,
        }
    )
    _dump_yaml(root / "data/deelnemers.yaml", deelnemers)
    template = _load_yaml(locs[closing_provider][-1])
    template.update(id="kliniek-zeewolde", aanbieder=NIEUW, naam="Kliniek Zeewolde")
    template["afdelingen"] = [
        {
            **{k: v for k, v in template["afdelingen"][-1].items() if k != "actief_tot"},
            "id": "zeewolde-1",
            "naam": "Zeewolde 1",
            "actief_vanaf": NIEUW_VANAF,
        }
    ]
    (root / f"data/locaties/{NIEUW}").mkdir()
    _dump_yaml(root / f"data/locaties/{NIEUW}/kliniek-zeewolde.yaml", template)
    _commit(root, f"{NIEUW} neemt deel")
    return {
        "root": root,
        "closing_provider": closing_provider,
        "closed_ward": (loc["id"], ward["id"]),
        "leaving": leaving,
        "stale": stale,
    }


@pytest.fixture
def life(tmp_path: Path, life_template: dict[str, Any]) -> dict[str, Any]:
    target = tmp_path / "repo"
    shutil.copytree(life_template["root"], target, symlinks=True)
    return {**life_template, "root": target}


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BEDCAP_VANDAAG", OCHTEND)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    return CliRunner()


def run_json(runner: CliRunner, repo: Path, *args: str, code: int | None = 0) -> Any:
    result = invoke(runner, *args, "--format", "json", cwd=repo)
    assert "Traceback" not in result.stderr
    assert code is None or result.exit_code == code, result.stdout + result.stderr
    return json.loads(result.stdout)


def report_json(runner: CliRunner, repo: Path, *args: str) -> Any:
    """`bedcap report --format json` written next to the repository, then read."""
    target = repo.parent / "rapport.json"
    result = invoke(runner, "report", *args, "--format", "json", "--uit", str(target), cwd=repo)
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(target.read_text(encoding="utf-8"))


# ---- figures computed here, from the files alone -------------------------------------


def ward_facts(repo: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    found = {}
    for path in (repo / "data/locaties").glob("*/*.yaml"):
        loc = _load_yaml(path)
        for afd in loc["afdelingen"]:
            found[(path.parent.name, path.stem, afd["id"])] = {**afd, "regio": loc["regio"]}
    return found


def participation(repo: Path) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in _load_yaml(repo / "data/deelnemers.yaml")["deelnemers"]}


def _between(facts: dict[str, Any], day: dt.date, prefix: str) -> bool:
    vanaf, tot = facts.get(f"{prefix}_vanaf"), facts.get(f"{prefix}_tot")
    return (vanaf is None or day >= vanaf) and (tot is None or day <= tot)


def counted_rows(repo: Path, day: dt.date) -> list[dict[str, Any]]:
    """Per provider its newest file on or before `day`; rows of wards active that day."""
    wards, people = ward_facts(repo), participation(repo)
    rows = []
    for folder in sorted((repo / "data/snapshots").iterdir()):
        files = sorted(
            p for p in folder.glob("*/*.parquet") if dt.date.fromisoformat(p.stem) <= day
        )
        if not files or not _between(people.get(folder.name, {}), day, "deelname"):
            continue
        for row in _rows_of(files[-1]):
            facts = wards.get((row["aanbieder"], row["locatie"], row["afdeling"]))
            if facts is None or _between(facts, day, "actief"):
                rows.append(row)
    return rows


def totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {m: sum(r[m] or 0 for r in rows) for m in COUNTS}


# Days off under the Algemene termijnenwet, written out by hand for the demo's period.
FREE = {
    dt.date(2025, 12, 25),
    dt.date(2025, 12, 26),
    dt.date(2026, 1, 1),
    dt.date(2026, 4, 6),  # Tweede Paasdag (Goede Vrijdag 3 April is a working day)
    dt.date(2026, 4, 27),  # Koningsdag
    dt.date(2026, 5, 5),  # Bevrijdingsdag, every year
    dt.date(2026, 5, 14),  # Hemelvaartsdag
    dt.date(2026, 5, 25),  # Tweede Pinksterdag
}


def is_working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in FREE


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if is_working(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def previous_working(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not is_working(day):
        day -= dt.timedelta(days=1)
    return day
