"""Issue 14: the figures the covenant asks for, against figures computed from the files.

Legal frameworks (art. 11: "in het kader van de Wfz, Wvggz en/of Wzd"), occupancy
(bezettingsgraad), the provider's note, and which days are working days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from tests.conftest import IDENTITY, git, invoke
from tests.lifedata import _load_yaml, counted_rows, report_json, run_json, totals, working_days

FIRST, LAST = dt.date(2026, 5, 11), dt.date(2026, 5, 19)


def frameworks(repo: Path) -> dict[tuple[str, str, str], set[str]]:
    """The frameworks a ward takes: its own list, else its location's."""
    found = {}
    for path in (repo / "data/locaties").glob("*/*.yaml"):
        loc = _load_yaml(path)
        for afd in loc["afdelingen"]:
            kaders = afd.get("rechtskaders") or loc["rechtskaders"]
            found[(path.parent.name, path.stem, afd["id"])] = set(kaders)
    return found


def occupancy(rows: list[dict[str, Any]]) -> float:
    usable = sum(r["capaciteit"] - r["buiten_gebruik"] for r in rows)
    return round(100 * sum(r["bezet"] for r in rows) / usable, 1)


# ---- 10. by legal framework, and occupancy ------------------------------------------


def test_history_by_legal_framework_and_its_filter(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    kaders = frameworks(repo)
    rows = run_json(
        cli,
        repo,
        "history",
        "--per",
        "dag",
        "--van",
        str(FIRST),
        "--tot",
        str(LAST),
        "--naar",
        "rechtskader",
    )
    got = {(r["periode"], r["groep"]): r for r in rows}
    for day in working_days(FIRST, LAST):
        counted = counted_rows(repo, day)
        for kader in ("wfz", "wvggz", "wzd", "vrijwillig"):
            mine = [
                r for r in counted if kader in kaders[(r["aanbieder"], r["locatie"], r["afdeling"])]
            ]
            if not mine:
                assert (day.isoformat(), kader) not in got
                continue
            row = got[(day.isoformat(), kader)]
            assert row["beschikbaar_gem"] == sum(r["beschikbaar"] for r in mine), (day, kader)
            assert row["bezettingsgraad_gem"] == occupancy(mine), (day, kader)
    only = run_json(
        cli,
        repo,
        "history",
        "--per",
        "dag",
        "--van",
        str(LAST),
        "--tot",
        str(LAST),
        "--rechtskader",
        "wzd",
    )
    wzd = [
        r
        for r in counted_rows(repo, LAST)
        if "wzd" in kaders[(r["aanbieder"], r["locatie"], r["afdeling"])]
    ]
    assert only[0]["capaciteit_gem"] == sum(r["capaciteit"] for r in wzd)


def test_occupancy_nationally_and_per_level(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    for naar, key in (("landelijk", None), ("niveau", "beveiligingsniveau"), ("regio", "regio")):
        rows = run_json(
            cli,
            repo,
            "history",
            "--per",
            "dag",
            "--van",
            str(LAST),
            "--tot",
            str(LAST),
            "--naar",
            naar,
        )
        counted = counted_rows(repo, LAST)
        for row in rows:
            mine = counted if key is None else [r for r in counted if str(r[key]) == row["groep"]]
            assert row["bezettingsgraad_gem"] == occupancy(mine), (naar, row["groep"])


def test_report_has_frameworks_and_occupancy(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    doc = report_json(cli, repo, "--van", str(FIRST), "--tot", str(LAST))
    groups = {r["groep"] for r in doc["capaciteit_rechtskader"]}
    assert groups == {"wfz", "wvggz", "wzd", "vrijwillig"}
    national = doc["capaciteit_landelijk"][0]
    days = working_days(FIRST, LAST)
    bezet = sum(sum(r["bezet"] for r in counted_rows(repo, d)) for d in days)
    usable = sum(
        sum(r["capaciteit"] - r["buiten_gebruik"] for r in counted_rows(repo, d)) for d in days
    )
    assert national["bezettingsgraad"] == round(100 * bezet / usable, 1)
    # The key figure and the comparison say what the table says; over all capacity (what
    # the key figure said before: 86,4 beside the table's 87,8) it would differ here.
    capacity = sum(sum(r["capaciteit"] for r in counted_rows(repo, d)) for d in days)
    assert round(100 * bezet / capacity, 1) != national["bezettingsgraad"]
    kern = {r["kerncijfer"]: r for r in doc["kerncijfers"]}
    assert kern["bezettingsgraad"]["deze_periode"] == national["bezettingsgraad"]
    compared = {r["maat"]: r for r in doc["vergelijking"]}["bezettingsgraad"]
    assert compared["deze_periode"] == national["bezettingsgraad"]
    assert compared["verschil_pct"] is None  # a difference in points, not a percentage
    assert "werkdagen" in doc and doc["werkdagen"]["regeling"] == "algemene-termijnenwet"


# ---- 9. the provider's note is seen --------------------------------------------------


def test_toelichting_shows_in_available_and_the_dashboard(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    provider = life["closing_provider"]
    path = sorted((repo / f"data/snapshots/{provider}").glob("*/*.parquet"))[-1]
    table = pq.read_table(path)
    rows = table.to_pylist()
    note = "Verbouwing: 2 bedden tijdelijk dicht"
    rows[0]["toelichting"] = note
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    git(repo, *IDENTITY, "commit", "-qam", "toelichting")
    text = invoke(cli, "available", "--aanbieder", provider, cwd=repo)
    assert note in text.stdout
    site = repo.parent / "site"
    assert invoke(cli, "dashboard", "--uit", str(site), cwd=repo).exit_code == 0
    assert note in (site / "index.html").read_text(encoding="utf-8")
    page = site / f"locaties/{provider}/{rows[0]['locatie']}.html"
    assert note in page.read_text(encoding="utf-8")


# ---- 13. which days are working days ----------------------------------------------


def test_default_working_days_follow_the_algemene_termijnenwet(
    cli: CliRunner, life: dict[str, Any]
) -> None:
    repo = life["root"]
    # 5 May 2026 (Bevrijdingsdag, not a lustrum year) is no working day; Good Friday
    # (3 April 2026) is one.
    rows = run_json(
        cli, repo, "history", "--per", "dag", "--van", "2026-04-01", "--tot", "2026-05-08"
    )
    days = {r["periode"] for r in rows}
    assert "2026-05-05" not in days and "2026-04-03" in days
    assert "2026-04-06" not in days  # Tweede Paasdag


def test_the_lcbb_may_choose_other_days_off(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    settings = repo / "data/bedcap.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + '\nextra_vrije_dagen = ["2026-05-15"]\n',
        encoding="utf-8",
    )
    rows = run_json(
        cli, repo, "history", "--per", "dag", "--van", "2026-05-11", "--tot", "2026-05-19"
    )
    assert "2026-05-15" not in {r["periode"] for r in rows}
    state = run_json(cli, repo, "check", "--peildatum", "2026-05-19", code=None)
    assert all("2026-05-15" not in a["verwacht_dagen"] for a in state["aanbieders"])


# ---- 12. the evaluation: a year beside the year before ---------------------------


def test_report_of_a_year_beside_the_year_before(cli: CliRunner, life: dict[str, Any]) -> None:
    repo = life["root"]
    doc = report_json(cli, repo, "--jaar", "2026")
    assert (doc["van"], doc["tot"]) == ("2026-01-01", "2026-05-19")
    assert doc["lopend"].startswith("Lopende periode")
    rows = {r["maat"]: r for r in doc["vergelijking"]}

    def average(first: dt.date, last: dt.date) -> float:
        days = [totals(counted_rows(repo, d)) for d in working_days(first, last)]
        days = [t for t in days if t["capaciteit"]]  # before the first counts: no day
        return round(sum(t["capaciteit"] for t in days) / len(days), 1)

    assert rows["capaciteit_gem"]["dit_jaar"] == average(dt.date(2026, 1, 1), dt.date(2026, 5, 19))
    assert rows["capaciteit_gem"]["vorig_jaar"] == average(
        dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    )
    usage = invoke(cli, "report", "--jaar", "26", cwd=repo)
    assert usage.exit_code == 2 and "geen jaar" in usage.stderr
