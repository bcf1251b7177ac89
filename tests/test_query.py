"""`available` and `history` against answers computed here, from the files, without DuckDB."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from statistics import mean
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from bedcap import calendar
from bedcap.outputs import dutch
from tests.conftest import ENV, EXAMPLE_TODAY, IDENTITY, git, invoke

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
KEY = ("aanbieder", "locatie", "afdeling", "zorgtype")


def files_of(root: Path) -> dict[str, list[Path]]:
    """Snapshot files per provider, oldest first."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((root / "data" / "snapshots").glob("*/*/*.parquet")):
        found[path.parent.parent.name].append(path)
    return found


def newest_rows(root: Path, op: dt.date) -> list[dict[str, Any]]:
    rows = []
    for paths in files_of(root).values():
        eligible = [p for p in paths if dt.date.fromisoformat(p.stem) <= op]
        if eligible:
            rows += pq.read_table(eligible[-1]).to_pylist()
    return rows


def wards(root: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(aanbieder, locatie, afdeling) → the ward's accepted frameworks and contra-indications."""
    found = {}
    for path in (root / "data" / "locaties").glob("*/*.yaml"):
        loc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for afd in loc["afdelingen"]:
            found[(loc["aanbieder"], path.stem, afd["id"])] = {
                "rechtskaders": afd.get("rechtskaders") or loc["rechtskaders"],
                "contra": set(loc.get("contra_indicaties") or [])
                | set(afd.get("contra_indicaties") or []),
            }
    return found


def keys(records: list[dict[str, Any]]) -> set[tuple[str, ...]]:
    return {tuple(r[k] for k in KEY) for r in records}


def available_json(runner: CliRunner, repo: Path, *args: str) -> list[dict[str, Any]]:
    result = invoke(runner, "available", "--format", "json", *args, cwd=repo)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def history_json(runner: CliRunner, repo: Path, *args: str) -> list[dict[str, Any]]:
    result = invoke(runner, "history", "--format", "json", *args, cwd=repo)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


FILTERS: list[tuple[list[str], Any]] = [
    (["--niveau", "4"], lambda r, w: r["beveiligingsniveau"] == 4),
    (["--niveau", "2", "--niveau", "4"], lambda r, w: r["beveiligingsniveau"] in (2, 4)),
    (["--specialisme", "verslaving"], lambda r, w: r["specialisme"] == "verslaving"),
    (["--voorziening", "fpk"], lambda r, w: r["voorziening"] == "fpk"),
    (["--zorgtype", "crisis"], lambda r, w: r["zorgtype"] == "crisis"),
    (["--regio", "noord-holland"], lambda r, w: r["regio"] == "noord-holland"),
    (
        ["--aanbieder", "voorbeeld-ggz-noorderzand"],
        lambda r, w: r["aanbieder"] == "voorbeeld-ggz-noorderzand",
    ),
    (["--alleen-vrij"], lambda r, w: r["beschikbaar"] > 0),
    (["--rechtskader", "wzd"], lambda r, w: "wzd" in w["rechtskaders"]),
    (
        ["--zonder-contra-indicatie", "brandstichting"],
        lambda r, w: "brandstichting" not in w["contra"],
    ),
    (
        ["--zonder-contra-indicatie", "brandstichting", "--zonder-contra-indicatie", "zedendelict"],
        lambda r, w: not {"brandstichting", "zedendelict"} & w["contra"],
    ),
    (
        ["--niveau", "3", "--zorgtype", "behandeling", "--alleen-vrij"],
        lambda r, w: (
            r["beveiligingsniveau"] == 3 and r["zorgtype"] == "behandeling" and r["beschikbaar"] > 0
        ),
    ),
]


@pytest.mark.parametrize(("args", "keep"), FILTERS, ids=[" ".join(a) for a, _ in FILTERS])
def test_available_filters_return_exactly_the_expected_wards(
    runner: CliRunner, example: Path, args: list[str], keep: Any
) -> None:
    ward_facts = wards(example)
    expected = {
        tuple(r[k] for k in KEY)
        for r in newest_rows(example, TODAY)
        if keep(r, ward_facts[(r["aanbieder"], r["locatie"], r["afdeling"])])
    }
    got = available_json(runner, example, *args)
    assert expected, "the filter must select something in the example"
    assert keys(got) == expected
    assert keys(got) != keys(available_json(runner, example)) or args == ["--alleen-vrij"]


def test_available_record_fields_and_counts(runner: CliRunner, example: Path) -> None:
    got = {tuple(r[k] for k in KEY): r for r in available_json(runner, example)}
    expected = newest_rows(example, TODAY)
    assert len(got) == len(expected)
    loc = yaml.safe_load(
        (example / "data/locaties/voorbeeld-ggz-noorderzand/kliniek-kroonstede.yaml").read_text()
    )
    for row in expected:
        record = got[tuple(row[k] for k in KEY)]
        for column in ("capaciteit", "bezet", "beschikbaar", "gereserveerd", "buiten_gebruik"):
            assert record[column] == row[column]
        assert record["peildatum"] == row["peildatum"].isoformat()
        assert record["ingediend_op"] == row["ingediend_op"].isoformat()
    first = next(r for r in got.values() if r["locatie"] == "kliniek-kroonstede")
    assert first["naam"] == loc["naam"]
    assert first["telefoon"] == loc["telefoon"]
    assert first["email"] == loc["email"]
    assert first["bereikbaarheid"] == loc["bereikbaarheid"]
    assert set(first) >= {"rechtskaders", "contra_indicaties", "verouderd", "werkdagen_oud"}


def test_available_csv_has_stable_header_and_one_line_per_record(
    runner: CliRunner, example: Path
) -> None:
    result = invoke(runner, "available", "--format", "csv", "--niveau", "4", cwd=example)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("peildatum,aanbieder,locatie,afdeling,zorgtype,regio,")
    assert lines[0].endswith(
        ",naam,afdeling_naam,telefoon,email,bereikbaarheid,rechtskaders,"
        "contra_indicaties,werkdagen_oud,verouderd,versheid,geen_aanlevering"
    )
    assert len(lines) - 1 == len(available_json(runner, example, "--niveau", "4"))


def test_available_table_shows_totals_contact_and_freshness(
    runner: CliRunner, example: Path
) -> None:
    result = invoke(runner, "available", "--niveau", "4", cwd=example)
    rows = [r for r in newest_rows(example, TODAY) if r["beveiligingsniveau"] == 4]
    assert result.exit_code == 0
    assert "Totaal" in result.stdout
    total_line = next(line for line in result.stdout.splitlines() if "Totaal" in line)
    free = sum(r["beschikbaar"] for r in rows)
    cap = sum(r["capaciteit"] for r in rows)
    numbers = [x for x in total_line.replace("│", " ").split() if x.isdigit()]
    assert numbers[0] == str(free) and numbers[-1] == str(cap)
    assert "1 werkdag oud" in result.stdout
    assert "+31 20" in result.stdout
    assert "geen plaatsingsinstrument" in result.stdout


def test_available_table_in_a_narrow_terminal_keeps_every_ward_level(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns headings wrap and a low-priority column goes, but every ward stays on
    one line with its own numbers, and the table says what it left out."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    result = invoke(runner, "available", cwd=example)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines if line.startswith(("│", "┃", "┏", "└"))) <= 80
    assert "Te smal voor de kolom Specialisme" in result.stdout
    header = next(line for line in lines if line.startswith("┃"))
    names = [cell.strip() for cell in header.strip("┃").split("┃")]
    assert names == ["Afdeling", "Niveau", "Zorgtype", "Vrij", "Gereserv.", "Cap."]
    rows = newest_rows(example, TODAY)
    ward_names = {
        (path.stem, w["id"]): w.get("naam") or w["id"]
        for path in (example / "data" / "locaties").glob("*/*.yaml")
        for w in yaml.safe_load(path.read_text(encoding="utf-8"))["afdelingen"]
    }
    parsed: list[list[str]] = []
    for line in lines:
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if not line.startswith("│") or len(cells) != len(names) or cells[0] == "Totaal":
            continue
        if cells[1]:
            parsed.append(cells)
        else:  # a wrapped ward name continues on the next line, the numbers do not
            parsed[-1][0] += " " + cells[0]
    printed = Counter((c[0], int(c[1]), c[2], int(c[3]), int(c[4]), int(c[5])) for c in parsed)
    expected = Counter(
        (
            ward_names[(r["locatie"], r["afdeling"])],
            r["beveiligingsniveau"],
            r["zorgtype"],
            r["beschikbaar"],
            r["gereserveerd"],
            r["capaciteit"],
        )
        for r in rows
    )
    assert printed == expected
    for location in {r["locatie"] for r in rows}:
        heading = next(
            i for i, line in enumerate(lines) if location.replace("-", " ") in line.lower()
        )
        assert "1 werkdag oud" in " ".join(lines[heading : heading + 3])


def test_stale_provider_is_marked(runner: CliRunner, example: Path) -> None:
    stale = "voorbeeldzorg-westerduin"
    for path in files_of(example)[stale][-2:]:
        path.unlink()  # its newest is now two working days before the previous one
    records = available_json(runner, example)
    by_provider = {r["aanbieder"]: r for r in records}
    assert by_provider[stale]["verouderd"] is True
    assert by_provider[stale]["werkdagen_oud"] == 3
    assert all(not r["verouderd"] for r in records if r["aanbieder"] != stale)
    table = invoke(runner, "available", "--aanbieder", stale, cwd=example).stdout
    assert "(verouderd)" in table and "Verouderd" in table


def test_op_reads_the_newest_snapshot_on_or_before_that_day(
    runner: CliRunner, example: Path
) -> None:
    day = dt.date(2021, 5, 14)  # a Friday
    (example / "data/snapshots/voorbeeldzorg-westerduin/2021/2021-05-14.parquet").unlink()
    got = available_json(runner, example, "--op", day.isoformat())
    expected = newest_rows(example, day)
    assert {(r["aanbieder"], r["peildatum"]) for r in got} == {
        (r["aanbieder"], r["peildatum"].isoformat()) for r in expected
    }
    assert sum(r["beschikbaar"] for r in got) == sum(r["beschikbaar"] for r in expected)
    westerduin = {r["peildatum"] for r in got if r["aanbieder"] == "voorbeeldzorg-westerduin"}
    assert westerduin == {"2021-05-13"} or westerduin == {"2021-05-12"}


def daily_totals(root: Path, van: dt.date, tot: dt.date) -> dict[dt.date, dict[str, int]]:
    """Per working day, each provider's newest snapshot on or before it, summed."""
    tables = {
        a: [(dt.date.fromisoformat(p.stem), pq.read_table(p).to_pylist()) for p in paths]
        for a, paths in files_of(root).items()
    }
    totals = {}
    for day in calendar.werkdagen(van, tot):
        sums: dict[str, int] = defaultdict(int)
        for series in tables.values():
            rows = [r for d, r in series if d <= day]
            for row in rows[-1] if rows else []:
                for m in ("capaciteit", "bezet", "beschikbaar", "gereserveerd", "buiten_gebruik"):
                    sums[m] += row[m]
        if sums:
            totals[day] = dict(sums)
    return totals


def test_history_per_month_matches_independent_averages(runner: CliRunner, example: Path) -> None:
    van, tot = dt.date(2021, 4, 1), dt.date(2021, 6, 30)
    got = history_json(runner, example, "--van", str(van), "--tot", str(tot), "--per", "maand")
    totals = daily_totals(example, van, tot)
    by_month: dict[str, list[dict[str, int]]] = defaultdict(list)
    for day, sums in totals.items():
        by_month[day.strftime("%Y-%m")].append(sums)
    assert [r["periode"] for r in got] == sorted(by_month)
    for record in got:
        days = by_month[record["periode"]]
        assert record["werkdagen"] == len(days)
        assert record["groep"] == "landelijk"
        for m in ("capaciteit", "beschikbaar", "bezet"):
            assert record[f"{m}_gem"] == pytest.approx(round(mean(d[m] for d in days), 1))
            assert record[f"{m}_min"] == min(d[m] for d in days)
            assert record[f"{m}_max"] == max(d[m] for d in days)


@pytest.mark.parametrize("columns", ["200", "80"])
def test_history_table_prints_the_same_numbers_as_json(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    args = ("--van", "2021-04-01", "--tot", "2021-06-30", "--per", "maand", "--naar", "niveau")
    records = history_json(runner, example, *args)
    monkeypatch.setenv("COLUMNS", columns)
    result = invoke(runner, "history", *args, cwd=example)
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("│")]
    header = next(line for line in result.stdout.splitlines() if line.startswith("┃"))
    names = [cell.strip() for cell in header.strip("┃").split("┃")]
    rows: list[list[str]] = []
    for line in lines:
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            rows.append(cells)
        else:  # a wrapped cell continues on the next line
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
    assert len(rows) == len(records)
    for cells, record in zip(rows, records, strict=True):
        jaar, maand = record["periode"].split("-")  # the table says `april 2021`
        periode = f"{dutch.MAANDEN[int(maand) - 1]} {jaar}"
        assert cells[:3] == [periode, f"Niveau {record['groep']}", str(record["werkdagen"])]
        gem, low, high = (record[f"capaciteit_{k}"] for k in ("gem", "min", "max"))
        shown = f"{dutch.getal(gem, 1)} ({dutch.getal(low)}–{dutch.getal(high)})"
        assert cells[names.index("Capaciteit")] == shown
    if columns == "80":
        assert "Buiten gebruik" not in names and "Te smal voor de kolom" in result.stdout
    else:
        assert names[-2:] == ["Buiten gebruik", "Bezettingsgraad"]
        assert "Te smal" not in result.stdout


def test_history_per_day_equals_available_on_that_day(runner: CliRunner, example: Path) -> None:
    (example / "data/snapshots/voorbeeldzorg-westerduin/2021/2021-06-02.parquet").unlink()
    day = "2021-06-02"
    history = history_json(runner, example, "--van", day, "--tot", day, "--per", "dag")
    available = available_json(runner, example, "--op", day)
    assert len(history) == 1
    assert history[0]["beschikbaar_gem"] == sum(r["beschikbaar"] for r in available)
    assert history[0]["capaciteit_max"] == sum(r["capaciteit"] for r in available)


def test_history_split_by_level_sums_to_national(runner: CliRunner, example: Path) -> None:
    args = ("--van", "2021-04-01", "--tot", "2021-06-30", "--per", "kwartaal")
    national = history_json(runner, example, *args)
    levels = history_json(runner, example, *args, "--naar", "niveau")
    assert {r["groep"] for r in levels} == {"2", "3", "4"}
    assert sum(r["capaciteit_gem"] for r in levels) == pytest.approx(national[0]["capaciteit_gem"])
    weeks = history_json(
        runner, example, "--van", "2021-06-01", "--tot", "2021-06-30", "--per", "week"
    )
    assert [r["periode"] for r in weeks] == [
        "2021-W22",
        "2021-W23",
        "2021-W24",
        "2021-W25",
        "2021-W26",
    ]


def write_rows(path: Path, change: dict[str, int]) -> None:
    """A correction: the same rows with `bezet` moved to `beschikbaar` on the first row."""
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["bezet"] -= change["n"]
    rows[0]["beschikbaar"] += change["n"]
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


def commit_all(repo: Path, message: str, when: str) -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(["git", *IDENTITY, "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", *IDENTITY, "commit", "-qm", message], cwd=repo, check=True, env=env)


@pytest.fixture
def corrected(example: Path) -> tuple[Path, Path, int]:
    """The example committed on 30 June; a correction of 29 June committed on 1 July 10:00."""
    git(example, "init", "-q", "-b", "main")
    commit_all(example, "voorbeeld", "2021-06-30T18:00:00+02:00")
    target = example / "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-29.parquet"
    before = sum(r["beschikbaar"] for r in pq.read_table(target).to_pylist())
    write_rows(target, {"n": 1})
    commit_all(example, "correctie", "2021-07-01T10:00:00+02:00")
    return example, target, before


def test_as_known_at_shows_the_truth_before_a_later_correction(
    runner: CliRunner, corrected: tuple[Path, Path, int]
) -> None:
    repo, target, before = corrected
    provider = ["--aanbieder", "voorbeeld-ggz-noorderzand", "--op", "2021-06-29"]
    now = available_json(runner, repo, *provider)
    then = available_json(runner, repo, *provider, "--zoals-bekend-op", "2021-07-01T09:00")
    assert sum(r["beschikbaar"] for r in then) == before
    assert sum(r["beschikbaar"] for r in now) == before + 1
    day = ("--van", "2021-06-29", "--tot", "2021-06-29", "--per", "dag")
    h_now = history_json(runner, repo, *day, "--aanbieder", "voorbeeld-ggz-noorderzand")
    h_then = history_json(
        runner,
        repo,
        *day,
        "--aanbieder",
        "voorbeeld-ggz-noorderzand",
        "--zoals-bekend-op",
        "2021-06-30",
    )
    assert h_then[0]["beschikbaar_gem"] == before
    assert h_now[0]["beschikbaar_gem"] == before + 1
    # The same answer without the cache.
    assert (
        history_json(
            runner,
            repo,
            *day,
            "--aanbieder",
            "voorbeeld-ggz-noorderzand",
            "--zoals-bekend-op",
            "2021-06-30",
            "--geen-cache",
        )
        == h_then
    )
    table = invoke(
        runner, "available", *provider, "--zoals-bekend-op", "2021-07-01T09:00", cwd=repo
    )
    assert "zoals bekend op 1 juli 2021 09:00" in " ".join(table.stdout.split())


def test_as_known_at_before_the_first_commit_is_a_usage_error(
    runner: CliRunner, corrected: tuple[Path, Path, int]
) -> None:
    repo, _, _ = corrected
    result = invoke(runner, "available", "--zoals-bekend-op", "2020-01-01", cwd=repo)
    assert result.exit_code == 2
    assert "geen commit op of vóór 2020-01-01" in result.stderr


def test_cache_follows_adds_corrections_deletions_and_checkout(
    runner: CliRunner, corrected: tuple[Path, Path, int]
) -> None:
    repo, target, before = corrected
    args = ("--van", "2021-04-01", "--tot", "2021-06-30", "--per", "dag", "--naar", "aanbieder")
    first = history_json(runner, repo, *args)
    assert first == history_json(runner, repo, *args, "--geen-cache")
    assert (repo / ".bedcap/cache.duckdb").is_file()
    # An added day, an in-place correction (as `cp` would), a deleted day.
    folder = target.parent
    shutil.copy(folder / "2021-06-30.parquet", folder / "2021-07-01.parquet")
    write_rows(folder / "2021-06-28.parquet", {"n": 2})
    (folder / "2021-06-25.parquet").unlink()
    args_july = (*args[:2], "--tot", "2021-07-01", *args[4:])
    after = history_json(runner, repo, *args_july)
    assert after == history_json(runner, repo, *args_july, "--geen-cache")
    assert after != first
    # Back to the committed state: the cache follows the checkout.
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfd", "data")
    assert history_json(runner, repo, *args) == first
    git(repo, "checkout", "-q", "HEAD~1")
    older = history_json(runner, repo, *args)
    assert older == history_json(runner, repo, *args, "--geen-cache")
    assert older != first


def test_a_rewrite_in_the_same_clock_tick_as_the_read_is_still_seen(
    runner: CliRunner, example: Path
) -> None:
    """Size and mtime cannot tell apart two writes in one tick of the clock. A file younger
    than 2 s when the cache read it is looked at again next time, even in a folder whose
    own mtime has not moved (a day outside the 45-day window is not compared otherwise)."""
    args = ("--van", "2021-04-01", "--tot", "2021-04-30", "--per", "dag")
    old = 1_625_000_000_000_000_000  # June 2021: folders the cache can trust
    for folder in (example / "data/snapshots").glob("*/*"):
        os.utime(folder, ns=(old, old))
    history_json(runner, example, *args)  # a warm cache
    target = example / "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-04-14.parquet"
    original = target.read_bytes()
    tick = time.time_ns() + 60_000_000_000  # "now", as far as the cache can tell
    target.unlink()  # replaced, as git does: the folder's mtime moves (to a trusted time)
    target.write_bytes(original)
    write_rows(target, {"n": 1})
    os.utime(target, ns=(tick, tick))
    os.utime(target.parent, ns=(old + 1_000_000_000, old + 1_000_000_000))
    first = history_json(runner, example, *args)
    size = target.stat().st_size
    write_rows(target, {"n": 2})  # in place, same size, same mtime: only the tick tells
    os.utime(target, ns=(tick, tick))
    assert target.stat().st_size == size
    second = history_json(runner, example, *args)
    assert second == history_json(runner, example, *args, "--geen-cache")
    day = next(r for r in second if r["periode"] == "2021-04-14")
    before = next(r for r in first if r["periode"] == "2021-04-14")
    assert day["beschikbaar_gem"] == before["beschikbaar_gem"] + 2


def test_cache_rebuilt_when_corrupt_or_of_another_layout(runner: CliRunner, example: Path) -> None:
    args = ("--van", "2021-04-01", "--tot", "2021-06-30")
    good = history_json(runner, example, *args)
    cache = example / ".bedcap/cache.duckdb"
    cache.write_bytes(b"dit is geen duckdb-bestand" * 100)
    assert history_json(runner, example, *args) == good
    import duckdb

    con = duckdb.connect(str(cache))
    con.execute("UPDATE meta SET waarde = '0/0' WHERE sleutel = 'layout'")
    con.execute("DELETE FROM snapshots")
    con.close()
    assert history_json(runner, example, *args) == good


def test_a_cold_build_in_parallel_readers_holds_every_file_once(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small batches force the cold build through several reader threads; every readable
    file's rows arrive exactly once, and a broken file is marked, not lost or fatal."""
    from bedcap.files.repo import DataRepo
    from bedcap.store import cache as store

    monkeypatch.setattr(store, "BATCH", 16)
    monkeypatch.setattr(store, "READERS", 3)
    broken = example / "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-05-12.parquet"
    broken.write_bytes(b"PAR1 kapot")
    files = [p for paths in files_of(example).values() for p in paths]
    expected = {
        str(p.relative_to(example)): pq.read_table(p).to_pylist() for p in files if p != broken
    }
    with store.open_store(DataRepo.find(example), vandaag=TODAY) as con:
        per_file = dict(
            con.execute(
                "SELECT pad, list(beschikbaar ORDER BY locatie, afdeling, zorgtype) "
                "FROM snapshots GROUP BY pad"
            ).fetchall()
        )
        known = dict(con.execute("SELECT pad, leesbaar FROM bestanden").fetchall())
    assert len(expected) > 10 * 16  # the batches really were spread over the readers
    assert per_file == {
        pad: [
            r["beschikbaar"]
            for r in sorted(rows, key=lambda r: (r["locatie"], r["afdeling"], r["zorgtype"]))
        ]
        for pad, rows in expected.items()
    }
    assert known == {**dict.fromkeys(expected, True), str(broken.relative_to(example)): False}


def test_two_commands_at_once_share_the_cache(example: Path) -> None:
    env = {**os.environ, **ENV}
    cmd = [
        sys.executable,
        "-m",
        "bedcap",
        "history",
        "--format",
        "json",
        "--per",
        "week",
        "--van",
        "2021-04-01",
        "--tot",
        "2021-06-30",
    ]
    procs = [
        subprocess.Popen(cmd, cwd=example, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [e.decode() for _, e in outputs]
    answers = [json.loads(out) for out, _ in outputs]
    assert answers[0] == answers[1] == answers[2]
    assert len(answers[0]) == 14


def test_unreadable_snapshot_is_named_and_skipped(runner: CliRunner, example: Path) -> None:
    bad = example / "data/snapshots/voorbeeld-ggz-noorderzand/2021/2021-06-30.parquet"
    bad.write_bytes(b"PAR1 kapot")
    result = invoke(runner, "available", "--format", "json", cwd=example)
    assert result.exit_code == 1
    assert "2021-06-30.parquet is onleesbaar" in result.stderr
    providers = {r["aanbieder"] for r in json.loads(result.stdout)}
    assert "voorbeeld-ggz-noorderzand" not in providers and len(providers) == 3
    history = invoke(runner, "history", "--format", "json", cwd=example)
    assert history.exit_code == 1 and "onleesbaar" in history.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["available", "--niveau", "5"], "--niveau 5 bestaat niet"),
        (["available", "--regio", "atlantis"], "--regio 'atlantis' is onbekend"),
        (["available", "--aanbieder", "niemand"], "--aanbieder 'niemand' is onbekend"),
        (["available", "--op", "2099-01-01"], "ligt in de toekomst"),
        (["available", "--op", "gisteren"], "is geen datum"),
        (["available", "--zoals-bekend-op", "ooit"], "is geen tijdstip"),
        (["history", "--van", "2021-06-01", "--tot", "2021-05-01"], "ligt na --tot"),
        (["history", "--per", "eeuw"], "eeuw"),
        (["available", "--specialisme", "chirurgie"], "chirurgie"),
    ],
)
def test_bad_usage_exits_2_with_a_dutch_message(
    runner: CliRunner, example: Path, args: list[str], message: str
) -> None:
    result = invoke(runner, *args, cwd=example)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_available_and_history_read_today_in_the_repositorys_zone(runner, example) -> None:  # noqa: ANN001
    """The read commands honour `tijdzone`: an unknown zone stops them with exit 3."""
    settings = example / "data/bedcap.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("Europe/Amsterdam", "Asia/Tokyo"), encoding="utf-8")
    assert invoke(runner, "available", "--format", "json", cwd=example).exit_code == 0
    settings.write_text(text.replace("Europe/Amsterdam", "Nergens/Niets"), encoding="utf-8")
    for command in ("available", "history"):
        result = invoke(runner, command, cwd=example)
        assert result.exit_code == 3, command
        assert "onbekende tijdzone 'Nergens/Niets'" in result.stderr
