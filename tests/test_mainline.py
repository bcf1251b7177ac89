"""The stored first-parent line answers "which commit at this moment" as git's own
`rev-list --before` does (issue 18), whatever happened to the history in between.

Every answer is compared with git's on a real repository: commit clocks that go back,
equal times, a merge whose branch commits are older and newer than the main line, a
reset and rewrite, another branch, a shallow clone, a stored file that is damaged or
names commits git does not have, and a cache that cannot be written.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bedcap.errors import GitError
from bedcap.files import gitops, mainline
from bedcap.files.repo import DataRepo
from tests.conftest import IDENTITY, git

UTC = dt.UTC
START = dt.datetime(2021, 3, 1, 9, 0, tzinfo=UTC)


def commit(repo: Path, when: dt.datetime, message: str = "c") -> str:
    stamp = when.isoformat()
    env = {**os.environ, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp}
    subprocess.run(
        ["git", *IDENTITY, "commit", "-q", "--allow-empty", "-m", message],
        cwd=repo,
        check=True,
        env=env,
    )
    return git(repo, "rev-parse", "HEAD").strip()


def minutes(n: float) -> dt.datetime:
    return START + dt.timedelta(minutes=n)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Twelve commits a minute apart, with a clock that went back at the seventh and two
    commits made in the same second; a page of four, so every question crosses pages."""
    monkeypatch.setattr(mainline, "PAGE", 4)
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    times = [0, 1, 2, 3, 4, 5, 3.5, 7, 8, 8, 10, 11]  # minute 3.5 after 5: a clock behind
    for i, n in enumerate(times):
        commit(root, minutes(n), f"c{i}")
    return root


def moments() -> list[dt.datetime]:
    """Before the first commit, at every commit time, a second before and after each."""
    found = [minutes(-10)]
    for n in range(0, 13):
        for half in (n, n + 0.5):
            at = minutes(half)
            found += [at - dt.timedelta(seconds=1), at, at + dt.timedelta(seconds=1)]
    return found


def assert_as_git(root: Path) -> None:
    data = DataRepo(root)
    for moment in moments():
        assert mainline.commit_at(data, moment) == gitops.commit_at(root, moment), moment


def test_every_moment_is_answered_as_git_answers_it(repo: Path) -> None:
    stored = repo / ".bedcap" / mainline.NAME
    assert_as_git(repo)
    assert stored.is_file()
    assert_as_git(repo)  # from the stored line this time


def test_a_question_near_head_walks_one_page_and_a_second_none(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walks: list[tuple[str, str | None, int | None]] = []
    real = gitops.first_parents

    def counted(root: Path, start: str, *, stop: str | None = None, limit: int | None = None):  # noqa: ANN202
        walks.append((start, stop, limit))
        return real(root, start, stop=stop, limit=limit)

    monkeypatch.setattr(gitops, "first_parents", counted)
    data = DataRepo(repo)
    newest = gitops.commit_at(repo, minutes(11))
    assert mainline.commit_at(data, minutes(11)) == newest
    assert walks == [(newest, None, 4)]
    assert mainline.commit_at(data, minutes(11)) == newest
    assert len(walks) == 1  # the stored line answered
    first = gitops.commit_at(repo, minutes(0))
    assert mainline.commit_at(data, minutes(0)) == first
    # On down the line, twice as far each time (4, then 8 of the 12 commits' rest), once.
    assert [limit for _, _, limit in walks] == [4, 4, 8]
    assert mainline.commit_at(data, minutes(0)) == first
    assert len(walks) == 3


def test_new_commits_are_added_on_top(repo: Path) -> None:
    assert_as_git(repo)
    size = (repo / ".bedcap" / mainline.NAME).stat().st_size
    for n in (12, 13, 12.5):
        commit(repo, minutes(n))
    assert_as_git(repo)
    assert (repo / ".bedcap" / mainline.NAME).stat().st_size > size


def test_a_rewritten_history_or_another_branch_is_walked_anew(repo: Path) -> None:
    assert_as_git(repo)
    git(repo, "reset", "-q", "--hard", "HEAD~4")
    assert_as_git(repo)  # HEAD inside the stored line
    commit(repo, minutes(9.5), "rewritten")
    commit(repo, minutes(10.5), "rewritten 2")
    assert_as_git(repo)  # a line that leaves the stored one
    git(repo, "checkout", "-q", "-b", "zijtak", "HEAD~5")
    commit(repo, minutes(6.5), "branch")
    assert_as_git(repo)
    git(repo, "checkout", "-q", "main")
    assert_as_git(repo)


def test_a_merge_counts_by_its_first_parents_only(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "zijtak", "HEAD~6")
    for n in (20, 2.5, 30):  # branch commits newer and older than the main line's
        commit(repo, minutes(n), "branch")
    git(repo, "checkout", "-q", "main")
    stamp = minutes(31).isoformat()
    env = {**os.environ, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp}
    subprocess.run(
        ["git", *IDENTITY, "merge", "-q", "--no-ff", "-m", "merge", "zijtak"],
        cwd=repo,
        check=True,
        env=env,
    )
    assert_as_git(repo)
    assert mainline.commit_at(DataRepo(repo), minutes(30)) == gitops.commit_at(repo, minutes(30))


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"bedcap-hoofdlijn 1\n",
        b"iets anders\n" + bytes(200),
        "truncated",
        "unknown commits",
        "options",
    ],
    ids=["leeg", "alleen-kop", "vreemd", "afgekapt", "onbekende-commits", "opties"],
)
def test_a_damaged_or_foreign_stored_line_is_walked_anew(repo: Path, damage: bytes | str) -> None:
    data = DataRepo(repo)
    assert_as_git(repo)
    stored = repo / ".bedcap" / mainline.NAME
    if damage == "truncated":
        stored.write_bytes(stored.read_bytes()[:-7])
    elif damage in ("unknown commits", "options"):  # ids this repository never had
        text = stored.read_bytes()
        head = gitops.rev_parse(repo, "HEAD").encode()
        other = b"f" * len(head) if damage == "unknown commits" else b"--output=" + b"x" * 31
        stored.write_bytes(text.replace(head, other))
        assert head not in stored.read_bytes()
    else:
        assert isinstance(damage, bytes)
        stored.write_bytes(damage)
    assert_as_git(repo)
    assert mainline.commit_at(data, minutes(11)) == gitops.commit_at(repo, minutes(11))
    assert not list(repo.glob("x*"))  # no stored text was ever an option to git


def test_a_cache_that_cannot_be_written_costs_only_time(repo: Path) -> None:
    (repo / ".bedcap").write_text("geen map\n", encoding="utf-8")
    assert_as_git(repo)
    assert (repo / ".bedcap").read_text(encoding="utf-8") == "geen map\n"


def test_a_shallow_clone_and_an_empty_repository(repo: Path, tmp_path: Path) -> None:
    shallow = tmp_path / "ondiep"
    git(tmp_path, "clone", "-q", "--depth", "5", f"file://{repo}", str(shallow))
    assert_as_git(shallow)
    assert mainline.commit_at(DataRepo(shallow), minutes(0)) is None  # cut off, as in git
    empty = tmp_path / "leeg"
    empty.mkdir()
    git(empty, "init", "-q", "-b", "main")
    assert mainline.commit_at(DataRepo(empty), minutes(0)) is None
    outside = tmp_path / "geen-repository"  # git's own error, not "no commit then"
    outside.mkdir()
    with pytest.raises(GitError, match="not a git repository"):
        mainline.commit_at(DataRepo(outside), minutes(0))
    broken = repo / ".git" / "refs" / "heads" / "main"  # a branch naming a missing commit
    git(repo, "pack-refs", "--all", "--prune")
    broken.write_text("f" * 40 + "\n", encoding="ascii")
    with pytest.raises(GitError, match="geen leesbare commit"):
        mainline.commit_at(DataRepo(repo), minutes(0))


def test_a_shallow_clone_deepened_or_cut_is_walked_anew(repo: Path, tmp_path: Path) -> None:
    """The line ends where git's history ends for the clone: deepening it (the README's
    `git fetch --unshallow`) or cutting it moves that end with HEAD unchanged."""
    shallow = tmp_path / "ondiep"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{repo}", str(shallow))
    data = DataRepo(shallow)
    assert mainline.commit_at(data, minutes(0)) is None
    git(shallow, "fetch", "-q", "--deepen", "4")
    assert_as_git(shallow)
    git(shallow, "fetch", "-q", "--unshallow")
    assert mainline.commit_at(data, minutes(0)) == gitops.commit_at(repo, minutes(0))
    assert_as_git(shallow)
    full = tmp_path / "vol"
    git(tmp_path, "clone", "-q", f"file://{repo}", str(full))
    assert_as_git(full)
    git(full, "fetch", "-q", "--depth", "2")
    assert_as_git(full)
    assert mainline.commit_at(DataRepo(full), minutes(0)) is None


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_stored_line_that_is_no_file_never_hangs(repo: Path, kind: str) -> None:
    stored = repo / ".bedcap" / mainline.NAME
    stored.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(stored)
    else:
        stored.symlink_to("/dev/zero")
    probe = (
        "import datetime as dt, sys; from pathlib import Path;"
        "from bedcap.files import mainline; from bedcap.files.repo import DataRepo;"
        "print(mainline.commit_at(DataRepo(Path(sys.argv[1])),"
        f" dt.datetime.fromisoformat({minutes(5).isoformat()!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == gitops.commit_at(repo, minutes(5))


def test_a_commit_time_beyond_64_signed_bits_is_answered_as_git_answers(repo: Path) -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": "@9223372036854775808 +0000"}
    subprocess.run(
        ["git", *IDENTITY, "commit", "-q", "--allow-empty", "-m", "far"],
        cwd=repo,
        check=True,
        env=env,
    )
    commit(repo, minutes(12))
    assert_as_git(repo)
