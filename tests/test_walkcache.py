"""The git walks kept in `.bedcap/geschiedenis.sqlite` (`gate.walkcache`): extended by a
new commit, walked anew after a rewritten history, and the same answers as git itself."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedcap import calendar
from bedcap.files.repo import DataRepo
from bedcap.gate import punctuality, walkcache
from bedcap.gate.records import corrections
from bedcap.gate.timeliness import first_arrivals
from tests.conftest import invoke

PROVIDER = "voorbeeldzorg-westerduin"
JUNE = (dt.date(2021, 6, 1), dt.date(2021, 6, 30))
SENTINEL = "data/snapshots/niemand/2021/2021-06-01.parquet"


def _git(root: Path, *args: str, when: str = "2021-07-01T08:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture
def repo(example: Path) -> Path:
    """The example in three dated commits: all but June's snapshots, the first half of
    June, the second half (so the arrivals differ by commit)."""
    _git(example, "init", "-q", "-b", "main")
    june = sorted(p for p in example.glob("data/snapshots/*/2021/2021-06-*.parquet"))
    first = [str(p.relative_to(example)) for p in june if p.name <= "2021-06-15.parquet"]
    later = [str(p.relative_to(example)) for p in june if p.name > "2021-06-15.parquet"]
    _git(example, "add", "-A", "--", ".", *(f":!{rel}" for rel in first + later))
    _git(example, "commit", "-qm", "basis", when="2021-05-31T08:00:00+00:00")
    _git(example, "add", *first)
    _git(example, "commit", "-qm", "eerste helft", when="2021-06-15T09:00:00+00:00")
    _git(example, "add", *later)
    _git(example, "commit", "-qm", "tweede helft", when="2021-06-30T09:00:00+00:00")
    return example


def _uncached(root: Path) -> dict[str, float]:
    specs = ["data/snapshots/*/2021/2021-06-*"]
    found = first_arrivals(root, "HEAD", specs, since=dt.date(2021, 5, 30))
    return {rel: a.tijd.timestamp() for rel, a in found.items()}


def _stored(root: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(root / ".bedcap" / walkcache.CACHE_NAME)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _plant(root: Path) -> None:
    """A row git would never give: it survives an extension and not a fresh walk."""
    con = sqlite3.connect(root / ".bedcap" / walkcache.CACHE_NAME)
    with con:
        con.execute("INSERT INTO aankomst VALUES (?, 1)", [SENTINEL])
    con.close()


def _june() -> list[dt.date]:
    return calendar.werkdagen(*JUNE)


def test_arrivals_are_gits_and_kept_with_the_head(repo: Path) -> None:
    data = DataRepo(repo)
    found = punctuality.arrivals(data, _june())
    assert found == _uncached(repo) and len(found) > 40
    fifteenth = f"data/snapshots/{PROVIDER}/2021/2021-06-15.parquet"
    assert found[fifteenth] == dt.datetime(2021, 6, 15, 9, tzinfo=dt.UTC).timestamp()
    head = _git(repo, "rev-parse", "HEAD").strip()
    assert _stored(repo, "SELECT soort, head FROM stand") == [("aankomst", head)]


def test_a_new_commit_extends_the_kept_walk(repo: Path) -> None:
    data = DataRepo(repo)
    punctuality.arrivals(data, _june())
    assert punctuality.corrections(data, *JUNE) == {}
    _plant(repo)
    # A correction of June 30 and a new day, July 1, in two later commits.
    rel = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"
    (repo / rel).write_bytes((repo / rel).read_bytes() + b"\0")
    _git(
        repo, "commit", "-qam", "c\n\nBedcap-Correctie: tikfout\n", when="2021-07-01T08:00:00+00:00"
    )
    july = f"data/snapshots/{PROVIDER}/2021/2021-07-01.parquet"
    (repo / july).write_bytes((repo / rel).read_bytes())
    _git(repo, "add", july)
    _git(repo, "commit", "-qm", "juli", when="2021-07-01T09:00:00+00:00")
    found = punctuality.arrivals(data, [*_june(), dt.date(2021, 7, 1)])
    assert found[july] == dt.datetime(2021, 7, 1, 9, tzinfo=dt.UTC).timestamp()
    assert found[rel] == dt.datetime(2021, 6, 30, 9, tzinfo=dt.UTC).timestamp()  # first arrival
    assert SENTINEL in _stored_pads(repo)  # extended, not walked anew
    assert punctuality.corrections(data, *JUNE) == {PROVIDER: 1} == corrections(repo, *JUNE)
    head = _git(repo, "rev-parse", "HEAD").strip()
    assert {h for _, h in _stored(repo, "SELECT soort, head FROM stand")} == {head}


def _stored_pads(root: Path) -> set[str]:
    return {p for (p,) in _stored(root, "SELECT pad FROM aankomst")}


def test_a_rewritten_history_is_walked_anew(repo: Path) -> None:
    data = DataRepo(repo)
    before = punctuality.arrivals(data, _june())
    _plant(repo)
    # The second half of June rewritten to arrive a day later: the kept head is gone.
    _git(repo, "commit", "-q", "--amend", "-m", "later", when="2021-07-01T09:00:00+00:00")
    after = punctuality.arrivals(data, _june())
    assert SENTINEL not in _stored_pads(repo)
    assert after == _uncached(repo) != before
    late = f"data/snapshots/{PROVIDER}/2021/2021-06-30.parquet"
    assert after[late] == dt.datetime(2021, 7, 1, 9, tzinfo=dt.UTC).timestamp()


def test_a_walk_further_back_replaces_a_shorter_one(repo: Path) -> None:
    data = DataRepo(repo)
    punctuality.arrivals(data, _june())
    _plant(repo)
    may = [dt.date(2021, 5, 3)]
    found = punctuality.arrivals(data, may)
    assert SENTINEL not in _stored_pads(repo)  # the kept walk began too late: walked anew
    assert found and all(rel.split("/")[-1].startswith("2021-05-") for rel in found)
    assert _stored(repo, "SELECT sinds FROM stand") == [("2021-04-29",)]


def test_an_unusable_cache_only_costs_time(repo: Path) -> None:
    data = DataRepo(repo)
    (repo / ".bedcap").mkdir()
    (repo / ".bedcap" / walkcache.CACHE_NAME).write_bytes(b"geen sqlite")
    assert punctuality.arrivals(data, _june()) == _uncached(repo)
    (repo / ".bedcap" / walkcache.CACHE_NAME).unlink()
    (repo / ".bedcap" / walkcache.CACHE_NAME).mkdir()  # cannot be opened at all
    assert punctuality.arrivals(data, _june()) == _uncached(repo)


def test_report_and_state_are_the_same_with_and_without_the_kept_walks(
    repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    outputs = []
    for run in range(3):  # cold, warm, and after throwing the walks away
        if run == 2:
            (repo / ".bedcap" / walkcache.CACHE_NAME).unlink()
        uit = tmp_path / f"rapport-{run}.md"
        done = invoke(
            runner, "report", "--kwartaal", "2021Q2", "--format", "md", "--uit", str(uit), cwd=repo
        )
        assert done.exit_code == 0, done.stdout
        state = invoke(runner, "check", "--format", "json", cwd=repo)
        outputs.append((uit.read_text(encoding="utf-8"), state.stdout))
    assert outputs[0] == outputs[1] == outputs[2]
    assert "Volledigheid" in outputs[0][0]
