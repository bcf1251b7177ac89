""" "As known at" remembers the working tree's differences and reuses parsed statics (issue 18).

`store/worktree.py` keeps git's answer to "which snapshot files differ from HEAD" under
HEAD's id and a digest of the query cache's file records; `sources._statics_at` parses
only the static files a commit holds differently from the working tree. These tests pit
both against git itself and against a checkout of the commit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedcap.files import gitops, regular
from bedcap.files.repo import DEELNEMERS, SNAPSHOTS, DataRepo
from bedcap.store import sources, worktree
from bedcap.store.cache import open_store
from tests.conftest import ENV, EXAMPLE_TODAY
from tests.test_known_at import (  # noqa: F401 - history is a fixture
    BETWEEN,
    answers,
    checkout,
    commit_all,
    history,
    make_dirty,
)
from tests.test_readonly_checkout import readonly

TODAY = dt.date.fromisoformat(EXAMPLE_TODAY)
PLANTED = "data/snapshots/geplant/2021/2021-06-01.parquet"
"""A path no git run gives: returned only when the remembered answer is used."""


@pytest.fixture
def aged(history: tuple[Path, str, str]) -> tuple[Path, str, str]:  # noqa: F811
    """`test_known_at`'s two commits, every file an hour old (outside the racy window)."""
    age(history[0], 3600)
    return history


def age(repo: Path, seconds: int) -> None:
    """Every file and folder below `data/` last changed `seconds` ago; git's index told
    (as `git status` does), so only content differences count as changes."""
    when = time.time() - seconds
    for path in [repo / "data", *(repo / "data").rglob("*")]:
        os.utime(path, (when, when), follow_symlinks=False)
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=repo, capture_output=True)
    wait_out_ctime(repo / "data")


def wait_out_ctime(folder: Path) -> None:
    """Sleep until every ctime below `folder` is outside the racy window: `os.utime` sets
    the mtime back, never the ctime, and the caches compare the later of the two."""
    newest = max(p.lstat().st_ctime_ns for p in [folder, *folder.rglob("*")])
    wait = (newest + regular.RACY_NS + 100_000_000 - time.time_ns()) / 1e9
    if wait > 0:
        time.sleep(wait)


def differing(repo: Path) -> set[str]:
    """`worktree`'s answer after a refresh of the query cache, as `history_known_at` asks."""
    finish = worktree.start(DataRepo(repo))
    with open_store(DataRepo(repo), vandaag=TODAY) as con:
        return finish(con)


def plant(repo: Path) -> None:
    path = repo / ".bedcap" / worktree.CACHE_NAME
    stored = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({**stored, "paden": [PLANTED]}), "utf-8")


def gits(repo: Path) -> set[str]:
    return gitops.dirty_under(repo, SNAPSHOTS, ignored=True)


def test_the_answer_is_remembered_until_a_file_changes(aged: tuple[Path, str, str]) -> None:
    repo = aged[0]
    assert differing(repo) == gits(repo) == set()
    plant(repo)
    assert differing(repo) == {PLANTED}  # nothing changed: git is not asked
    make_dirty(repo)
    age(repo, 1800)
    found = differing(repo)
    assert found == gits(repo) and len(found) >= 4
    assert differing(repo) == found


def test_a_new_head_asks_git_again(aged: tuple[Path, str, str]) -> None:
    repo = aged[0]
    make_dirty(repo)
    age(repo, 1800)
    assert differing(repo) == gits(repo) != set()
    plant(repo)
    commit_all(repo, "derde", "2021-07-01T12:00:00+02:00")  # the files stay as they are
    assert differing(repo) == gits(repo) == set()


def test_a_version_bump_asks_git_again(
    aged: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = aged[0]
    differing(repo)
    plant(repo)
    monkeypatch.setattr(worktree, "VERSIE", worktree.VERSIE + 1)
    assert differing(repo) == set()


def test_files_written_just_now_are_looked_at_again(aged: tuple[Path, str, str]) -> None:
    repo = aged[0]
    make_dirty(repo)  # inside the racy window: the cache does not trust their records yet
    assert differing(repo) == gits(repo) != set()
    if (repo / ".bedcap" / worktree.CACHE_NAME).exists():
        plant(repo)
    age(repo, 1800)  # the next refresh records them: the memory no longer fits
    found = differing(repo)
    assert PLANTED not in found and found == gits(repo) != set()


@pytest.mark.parametrize("broken", ["{", "[]", "null", '{"versie": 1, "paden": 3}'])
def test_a_broken_memory_is_rewritten(aged: tuple[Path, str, str], broken: str) -> None:
    repo = aged[0]
    make_dirty(repo)
    age(repo, 1800)
    (repo / ".bedcap").mkdir(exist_ok=True)
    (repo / ".bedcap" / worktree.CACHE_NAME).write_text(broken, "utf-8")
    assert differing(repo) == gits(repo) != set()
    stored = json.loads((repo / ".bedcap" / worktree.CACHE_NAME).read_text("utf-8"))
    assert stored["head"] == gitops.rev_parse(repo, "HEAD")
    assert set(stored["paden"]) == gits(repo)


def test_answers_stay_those_of_a_checkout(
    runner: CliRunner, aged: tuple[Path, str, str], tmp_path: Path
) -> None:
    repo, first, _ = aged
    truth = answers(runner, checkout(repo, first, tmp_path / "toen"), ())
    known = ("--zoals-bekend-op", BETWEEN)
    assert answers(runner, repo, known) == truth
    assert answers(runner, repo, known) == truth  # from the memory
    make_dirty(repo)
    age(repo, 1800)
    assert answers(runner, repo, known) == truth == answers(runner, repo, known, "--geen-cache")
    assert answers(runner, repo, known) == truth
    commit_all(repo, "derde", "2021-07-01T12:00:00+02:00")
    assert answers(runner, repo, known) == truth


@pytest.mark.skipif(os.geteuid() != 0, reason="a read-only bind mount needs root")
def test_a_read_only_checkout_asks_git(aged: tuple[Path, str, str]) -> None:
    repo = aged[0]
    env = {**os.environ, **ENV}
    question = ["history", "--van", "2021-04-01", "--tot", "2021-06-30", "--per", "dag",
                "--zoals-bekend-op", BETWEEN]  # fmt: skip
    warm = subprocess.run([sys.executable, "-m", "bedcap", *question], cwd=repo,
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert warm.returncode == 0, warm.stderr
    memory = (repo / ".bedcap" / worktree.CACHE_NAME).read_bytes()
    make_dirty(repo)
    age(repo, 1800)
    done = readonly(repo, *question)
    assert done.returncode == 0, done.stderr
    fresh = subprocess.run([sys.executable, "-m", "bedcap", *question, "--geen-cache"],
                           cwd=repo, capture_output=True, text=True, env=env)  # fmt: skip
    assert done.stdout == fresh.stdout == warm.stdout != ""
    assert (repo / ".bedcap" / worktree.CACHE_NAME).read_bytes() == memory


PROBE = """
import sys
from pathlib import Path
from bedcap.files.repo import DataRepo
from bedcap.store import sources
repo = DataRepo(Path(sys.argv[1]))
found = sources._statics_at(repo, sys.argv[2], set())
print("pydantic" in sys.modules)
full = sources._statics_from_git(repo, sources._statics_tree(repo, sys.argv[2]))
print(found == full)
"""


def test_a_changed_registry_alone_is_parsed_again(aged: tuple[Path, str, str]) -> None:
    repo, _, second = aged
    sources.statics.load(DataRepo(repo))  # the warm statics cache of the working tree
    text = (repo / DEELNEMERS).read_text("utf-8")
    changed = text.replace("naam: Voorbeeld GGZ Noorderzand", "naam: Voorbeeld GGZ Zuiderzand")
    assert changed != text
    (repo / DEELNEMERS).write_text(changed, "utf-8")
    age(repo, 1800)
    sources.statics.load(DataRepo(repo))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", PROBE, str(repo), second], capture_output=True,
                          text=True, check=True, env=env)  # fmt: skip
    assert done.stdout.split() == ["False", "True"]  # the locations came from the cache
    at_second = sources._statics_at(DataRepo(repo), second, set())
    assert at_second.aanbieders["voorbeeld-ggz-noorderzand"] == "Voorbeeld GGZ Noorderzand"
