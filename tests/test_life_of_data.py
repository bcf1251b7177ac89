"""Issue 14: right figures while wards, providers and days come and go.

One generated repository with real git history (`bedcap demo`), then real life on top of
it, each step a commit: a ward closes (its provider's later files leave it out), a
provider closes all its wards and stops, a new provider joins and has not submitted yet.
Every figure bedcap prints as JSON is compared with one computed here from the Parquet
files (pyarrow), the YAML files and git, never through bedcap's query code.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import IDENTITY, git, invoke

# Switched on item by item as the features land (phase 2 of issue 14).
pytestmark = pytest.mark.skip(reason="issue 14: waits for the restructured query layer")

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
    import pyarrow as pa

    out = pa.Table.from_pylist(rows, schema=table.schema)
    pq.write_table(out, path)


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _commit(repo: Path, message: str) -> None:
    git(repo, *IDENTITY, "add", "-A")
    git(repo, *IDENTITY, "commit", "-qm", message)


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
    mp.setenv("BEDCAP_VANDAAG", VANDAAG.isoformat())
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


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Mon–Fri minus the Dutch holidays of this period (none between 4 and 20 May 2026
    except Bevrijdingsdag 5 May and Hemelvaart 14 May)."""
    free = {dt.date(2026, 5, 5), dt.date(2026, 5, 14)}
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in free:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# ---- 1. closed is closed, new is visible --------------------------------------------


def test_closed_ward_and_provider_leave_available_new_provider_shows(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    records = run_json(cli, repo, "available", "--op", "2026-05-19")
    counted = [r for r in records if not r["geen_aanlevering"]]
    expected = counted_rows(repo, dt.date(2026, 5, 19))
    key = ("aanbieder", "locatie", "afdeling", "zorgtype")
    assert {tuple(r[k] for k in key) for r in counted} == {
        tuple(r[k] for k in key) for r in expected
    }
    assert totals(counted) == totals(expected)
    assert life["leaving"] not in {r["aanbieder"] for r in records}
    loc, ward = life["closed_ward"]
    assert not [r for r in records if (r["locatie"], r["afdeling"]) == (loc, ward)]
    new = [r for r in records if r["aanbieder"] == NIEUW]
    assert new and all(r["geen_aanlevering"] for r in new)
    assert all(r[m] is None for r in new for m in COUNTS)
    assert all(r["versheid"] == "geen aanlevering" and r["verouderd"] for r in new)
    # Their history before closing stays.
    before = run_json(cli, repo, "available", "--op", "2026-05-08")
    assert life["leaving"] in {r["aanbieder"] for r in before}
    assert [r for r in before if (r["locatie"], r["afdeling"]) == (loc, ward)]
    assert NIEUW not in {r["aanbieder"] for r in before}


def test_geen_aanlevering_on_every_channel(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    table = invoke(cli, "available", "--aanbieder", NIEUW, cwd=repo)
    assert table.exit_code == 0, table.stderr
    assert "Kliniek Zeewolde" in table.stdout and "geen aanlevering" in table.stdout
    csv = invoke(cli, "available", "--format", "csv", cwd=repo).stdout.splitlines()
    header = csv[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in csv[1:]]
    mine = [r for r in rows if r["aanbieder"] == NIEUW]
    assert mine and all(r["geen_aanlevering"] == "true" and r["beschikbaar"] == "" for r in mine)
    site = repo.parent / "site"
    built = invoke(cli, "dashboard", "--uit", str(site), cwd=repo)
    assert built.exit_code == 0, built.stderr
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Kliniek Zeewolde" in index and "geen aanlevering" in index
    assert (site / f"locaties/{NIEUW}/kliniek-zeewolde.html").is_file()
    assert not (site / f"locaties/{life['leaving']}").exists()


def test_history_per_day_equals_available_across_closing_and_joining(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    first, last = dt.date(2026, 5, 4), dt.date(2026, 5, 19)
    history = run_json(
        cli, repo, "history", "--per", "dag", "--van", str(first), "--tot", str(last)
    )
    by_day = {r["periode"]: r for r in history}
    assert sorted(by_day) == [d.isoformat() for d in working_days(first, last)]
    for day in working_days(first, last):
        expected = totals(counted_rows(repo, day))
        got = {m: by_day[day.isoformat()][f"{m}_gem"] for m in COUNTS}
        assert got == expected, day
        shown = [r for r in run_json(cli, repo, "available", "--op", str(day))]
        assert totals(shown) == expected, day


# ---- 3. no future in a running period ---------------------------------------------


def test_history_stops_at_the_last_due_day(
    cli: CliRunner, life: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = life["root"]
    morning = run_json(cli, repo, "history", "--per", "dag", "--van", "2026-05-18")
    assert [r["periode"] for r in morning] == ["2026-05-18", "2026-05-19"]
    monkeypatch.setenv("BEDCAP_VANDAAG", MIDDAG)
    afternoon = run_json(cli, repo, "history", "--per", "dag", "--van", "2026-05-18")
    assert [r["periode"] for r in afternoon][-1] == "2026-05-20"


def test_report_of_a_running_month_stops_and_says_so(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    doc = run_json(cli, repo, "report", "--maand", "2026-05")
    assert doc["tot"] == "2026-05-19"
    assert "2026-05-19" in doc["lopend"] and doc["lopend"].startswith("Lopende periode")
    days = [r["periode"] for r in doc["per_werkdag"]]
    assert days[-1] == "2026-05-19"
    for row in doc["per_werkdag"]:
        day = dt.date.fromisoformat(row["periode"])
        assert row["capaciteit_gem"] == totals(counted_rows(repo, day))["capaciteit"]


# ---- 4. one judgement of a day ------------------------------------------------------


def _snapshot_dates(repo: Path, provider: str) -> list[dt.date]:
    return sorted(
        dt.date.fromisoformat(p.stem)
        for p in (repo / f"data/snapshots/{provider}").glob("*/*.parquet")
    )


def test_check_peildatum_judges_as_on_that_day(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    stale = life["stale"]
    day = dt.date(2026, 5, 11)  # before the stale provider stopped (its newest: 13 May)
    doc = run_json(cli, repo, "check", "--peildatum", str(day), code=None)
    by = {a["aanbieder"]: a for a in doc["aanbieders"]}
    assert max(_snapshot_dates(repo, stale)) > day
    assert by[stale]["nieuwste"] == str(day) and by[stale]["verouderd"] is False
    assert NIEUW not in by or by[NIEUW]["verwacht"] == 0


def test_one_freshness_everywhere_before_and_after_the_deadline(
    cli: CliRunner, life: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = life["root"]
    stale = life["stale"]
    for moment, yesterday_stale in ((OCHTEND, False), (MIDDAG, True)):
        monkeypatch.setenv("BEDCAP_VANDAAG", moment)
        records = run_json(cli, repo, "available")
        fresh = {r["aanbieder"]: r["verouderd"] for r in records if not r["geen_aanlevering"]}
        newest = {a: _snapshot_dates(repo, a)[-1] for a in fresh}
        for aanbieder, verouderd in fresh.items():
            expected = newest[aanbieder] < dt.date(2026, 5, 19) or (
                yesterday_stale and newest[aanbieder] < VANDAAG
            )
            assert verouderd is expected, (moment, aanbieder)
        state = run_json(cli, repo, "check", code=1)
        by = {a["aanbieder"]: a["verouderd"] for a in state["aanbieders"]}
        for aanbieder, verouderd in fresh.items():
            assert by[aanbieder] is verouderd, (moment, aanbieder)
        assert by[stale] is True and by[NIEUW] is True
