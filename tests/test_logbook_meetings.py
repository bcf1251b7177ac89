"""Issue 14, item 11: a logbook the monthly meetings can use, kept by several coordinators.

The scenario: two providers log admissions, export two months with `--commit` into a real
git repository, and the LCBB's report over those months is compared with figures worked
out here from the entries themselves (and by hand where the small-cell rule applies).
Then two real processes write to one shared logbook at once.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import PROVIDER, git, invoke

OTHER = "voorbeeldzorg-westerduin"
# (provider, day, outcome, reasons, level, specialism, framework), each an admission
ENTRIES: list[tuple[str, str, str, tuple[str, ...], int, str, str | None]] = [
    *[
        (
            PROVIDER,
            "2021-05-04",
            "geweigerd",
            ("geen_bed", "financiering"),
            3,
            "psychiatrie",
            "wvggz",
        )
    ]
    * 3,
    *[(PROVIDER, "2021-05-11", "moeizaam", ("geen_passend_aanbod",), 4, "psychiatrie", "wfz")] * 3,
    (PROVIDER, "2021-05-20", "alsnog_opgenomen", ("geen_bed",), 4, "psychiatrie", "wfz"),
    *[(PROVIDER, "2021-06-08", "geweigerd", ("geen_bed",), 3, "psychiatrie", "wvggz")] * 3,
    *[(OTHER, "2021-06-02", "geweigerd", ("geen_bed",), 3, "verslaving", "wzd")] * 4,
    *[(OTHER, "2021-06-15", "opgeschaald_regio", ("ten_koste_van_anderen",), 3, "verslaving", None)]
    * 3,
    (PROVIDER, "2021-07-01", "geweigerd", ("personeel",), 2, "sglvg", "wzd"),  # after the period
]
KADER = {"wfz": "forensisch", "wvggz": "civiel", "wzd": "civiel", None: None}


def add_entry(runner: CliRunner, book: Path, entry: tuple[Any, ...]) -> None:
    aanbieder, datum, uitkomst, redenen, niveau, specialisme, kader = entry
    args = ["--aanbieder", aanbieder, "--locatie", "kliniek-kroonstede", "--datum", datum]
    args += ["--uitkomst", uitkomst, "--niveau", str(niveau), "--specialisme", specialisme]
    args += [x for r in redenen for x in ("--reden", r)]
    args += ["--rechtskader", kader] if kader else []
    result = invoke(runner, "logbook", "add", "--logboek", str(book), *args)
    assert result.exit_code == 0, result.output


@pytest.fixture
def exported(runner: CliRunner, example_git: Path, tmp_path: Path) -> Path:
    """The example with its own logbook exports replaced by this scenario's, committed."""
    git(example_git, "rm", "-rq", "data/logboek")
    git(example_git, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "-")
    books = {PROVIDER: tmp_path / "a" / "logboek.sqlite", OTHER: tmp_path / "b" / "logboek.sqlite"}
    for entry in ENTRIES:
        add_entry(runner, books[entry[0]], entry)
    for aanbieder, maand in ((PROVIDER, "2021-05"), (PROVIDER, "2021-06"), (OTHER, "2021-06")):
        result = invoke(
            runner, "logbook", "export", "--maand", maand, "--aanbieder", aanbieder,
            "--logboek", str(books[aanbieder]), "--commit", cwd=example_git,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    return example_git


def decrypted(repo: Path, rel: str, key: Path) -> dict[str, Any]:
    """An export as committed (read from git, not the work tree), decrypted with age."""
    from bedcap.files.agefile import decrypt, load_identities

    blob = subprocess.run(
        ["git", "show", f"HEAD:{rel}"], cwd=repo, check=True, capture_output=True
    ).stdout
    plain = decrypt(blob, load_identities([key]))
    assert plain is not None
    data: dict[str, Any] = yaml.safe_load(plain)
    return data


def test_each_admission_counts_once_and_no_cell_shows_one(
    runner: CliRunner, exported: Path, example_keys: dict[str, Path]
) -> None:
    committed = git(exported, "log", "--format=%s", "-3").split("\n")[:3]
    assert committed == ["Logboek 2021-06 " + OTHER, f"Logboek 2021-06 {PROVIDER}",
                         f"Logboek 2021-05 {PROVIDER}"]  # fmt: skip
    may = decrypted(exported, f"data/logboek/2021-05/{PROVIDER}.yaml.age", example_keys["lcbb"])
    mine = [e for e in ENTRIES if e[0] == PROVIDER and e[1].startswith("2021-05")]
    assert may["opnames"] == len(mine) == 7
    # By hand: alsnog_opgenomen (1) is under 3; the smallest other cell, geweigerd (3),
    # is suppressed with it, so the one admission cannot be worked out from the total.
    assert may["per_uitkomst"] == [
        {"uitkomst": "moeizaam", "aantal": 3},
        {"aantal": 4, "onderdrukt": True},
    ]
    assert sum(r["aantal"] for r in may["per_groep"]) == 7
    # The reasons: an admission with two reasons counts for each (10 reasons, 7 admissions).
    assert {r["reden"]: r["aantal"] for r in may["redenen"]} == dict(
        Counter(r for e in mine for r in e[3])
    )
    assert sum(r["aantal"] for r in may["redenen"]) == 10
    for rel in git(exported, "ls-files", "data/logboek").split():
        data = decrypted(exported, rel, example_keys["lcbb"])
        for key in ("per_uitkomst", "per_groep", "redenen"):
            assert all(r["aantal"] >= 3 for r in data[key]), (rel, key)  # case-free
        assert "kliniek-kroonstede" not in json.dumps(data) and "-05-04" not in json.dumps(data)


def test_report_over_the_months_matches_the_entries(
    runner: CliRunner, exported: Path, example_keys: dict[str, Path], monkeypatch: Any
) -> None:
    monkeypatch.setenv("BEDCAP_IDENTITEIT", str(example_keys["lcbb"]))
    target = exported.parent / "rapport.json"
    result = invoke(
        runner, "report", "--van", "2021-05-01", "--tot", "2021-06-30", "--format", "json",
        "--uit", str(target), cwd=exported,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    period = [e for e in ENTRIES if "2021-05-01" <= e[1] <= "2021-06-30"]
    outcomes = Counter(e[2] for e in period)
    # The suppressed May cells of PROVIDER (by hand, above): 1 alsnog_opgenomen + 3 geweigerd.
    outcomes["alsnog_opgenomen"] -= 1
    outcomes["geweigerd"] -= 3
    expected = {k: v for k, v in outcomes.items() if v} | {
        "onderdrukt (samen)": 4,
        "totaal": len(period),
    }
    assert {r["uitkomst"]: r["opnames"] for r in data["logboek_opnames"]} == expected
    assert expected["totaal"] == 17
    groups = Counter((e[4], e[5], KADER[e[6]]) for e in period)
    assert {
        (r["beveiligingsniveau"], r["specialisme"], r["kader"]): r["opnames"]
        for r in data["logboek_groepen"]
    } == dict(groups)
    reasons = Counter(r for e in period for r in e[3])
    assert {r["reden"]: r["aantal"] for r in data["knelpunten"]} == dict(reasons)
    assert sum(reasons.values()) == 20 > len(period)  # two-reason admissions count twice
    md = exported.parent / "rapport.md"
    result = invoke(
        runner, "report", "--van", "2021-05-01", "--tot", "2021-06-30", "--format", "md",
        "--uit", str(md), cwd=exported,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "telt bij elke reden: samen 20 keer een reden bij 17 opnames" in md.read_text()


WRITER = """
import datetime as dt, sys, time
from pathlib import Path
from bedcap.submission.logbook import Regel, record
path, n, tag, go = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
while not go.exists():
    time.sleep(0.01)
for i in range(n):
    regel = Regel(aanbieder="voorbeeld-ggz-noorderzand", datum=dt.date(2021, 6, 1),
                  locatie=tag, uitkomst="geweigerd", redenen=("geen_bed", "personeel"),
                  toelichting=f"{tag} {i}")
    done = record(path, regel, today=dt.date(2021, 6, 30), now=dt.datetime(2021, 6, 30, 12))
    assert done.regel_id, done.problems
"""


def test_two_coordinators_write_one_shared_logbook_at_once(tmp_path: Path) -> None:
    shared = tmp_path / "netwerkmap" / "logboek.sqlite"
    go = tmp_path / "start"
    n = 60
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(shared), str(n), tag, str(go)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("pc-een", "pc-twee")
    ]
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    con = sqlite3.connect(shared)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        per_pc = dict(con.execute("SELECT locatie, count(*) FROM regels GROUP BY locatie"))
        assert per_pc == {"pc-een": n, "pc-twee": n}  # no entry lost
        notes = {t for (t,) in con.execute("SELECT toelichting FROM regels")}
        assert notes == {f"{tag} {i}" for tag in ("pc-een", "pc-twee") for i in range(n)}
        assert con.execute("SELECT count(*) FROM redenen").fetchone() == (4 * n,)
    finally:
        con.close()


HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1] + ".lock")
lock.acquire()
print("vast", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
"""


def test_a_writer_waits_for_the_colleague_holding_the_logbook(
    runner: CliRunner, tmp_path: Path
) -> None:
    from bedcap.errors import BedcapError
    from bedcap.submission.logbook import open_logbook

    book = tmp_path / "gedeeld" / "logboek.sqlite"
    add_entry(runner, book, ENTRIES[0])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(book), "4"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "vast"
        started = time.monotonic()
        with (
            pytest.raises(BedcapError, match="in gebruik bij een collega"),
            open_logbook(book, wachttijd=0.5),
        ):
            pass
        assert time.monotonic() - started >= 0.5
        with open_logbook(book, wachttijd=30) as con:  # waits for the release, then writes
            waited = time.monotonic() - started
            con.execute("INSERT INTO redenen (regel_id, reden) VALUES (1, 'overig')")
        assert waited >= 2.0
    finally:
        holder.wait(timeout=30)
    assert holder.returncode == 0
    con = sqlite3.connect(book)
    assert con.execute("SELECT count(*) FROM redenen").fetchone() == (3,)
    con.close()
