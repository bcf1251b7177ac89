"""The git walks of the state and the report, kept in `.bedcap/` and extended per commit.

On-time judgement (`timeliness`: a file's first arrival on the branch) and the correction
count (`records`: commits with a `Bedcap-Correctie` trailer) each walk git's history from
the period's first day: about 2 s each at national scale (one commit per provider-day),
for every report, both quarters, and every state check. Their results only grow with new
commits, so `.bedcap/geschiedenis.sqlite` keeps them with the commit they were walked up
to (`head`) and the day the walk went back to (`sinds`); the next run walks only
`head..HEAD`. The cache is derived and disposable like the query cache: it is walked
anew when `head` is no longer an ancestor of HEAD (a rewritten history) or, for arrivals,
not on HEAD's first-parent line; when it does not reach back far enough; and when it
cannot be read. A cache that cannot be written only costs time.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from bedcap.files import gitops
from bedcap.files.githistory import is_ancestor
from bedcap.files.repo import SNAPSHOTS, DataRepo

CACHE_NAME = "geschiedenis.sqlite"
LAYOUT = 1  # raise when what is stored changes: an older cache is then walked anew

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stand (
    soort TEXT PRIMARY KEY, head TEXT NOT NULL, sinds TEXT NOT NULL, layout INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS aankomst (pad TEXT PRIMARY KEY, tijd INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS correctie (pad TEXT NOT NULL);
"""

AANKOMST, CORRECTIE = "aankomst", "correctie"

Walk = Callable[[list[str]], list[tuple[str, int]]]  # git revision arguments → rows


def _open(repo: DataRepo) -> sqlite3.Connection | None:
    """The cache (None: it cannot be opened; one that is unreadable is started anew)."""
    path = repo.cache_dir / CACHE_NAME
    for attempt in range(2):
        try:
            repo.cache_dir.mkdir(exist_ok=True)
            con = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error):
            return None
        try:
            con.executescript(_SCHEMA)
            return con
        except sqlite3.Error:
            con.close()
            if attempt:
                return None
            try:
                path.unlink(missing_ok=True)
            except OSError:
                return None
    return None


def _arrival_rows(root: Path) -> Walk:
    from bedcap.gate.timeliness import added_on_first_parents

    def walk(revs: list[str]) -> list[tuple[str, int]]:
        return [(rel, stamp) for rel, _, stamp in added_on_first_parents(root, revs, [SNAPSHOTS])]

    return walk


def _correction_rows(root: Path) -> Walk:
    from bedcap.gate.records import corrected_paths

    def walk(revs: list[str]) -> list[tuple[str, int]]:
        return [(rel, 0) for rel in corrected_paths(root, revs)]

    return walk


def _extendable(root: Path, soort: str, old: str, head: str) -> bool:
    """Whether the walk up to `old` can be extended by walking `old..head`: `old` is an
    ancestor, and for arrivals (first parents only) on `head`'s first-parent line."""
    if not is_ancestor(root, old, head):
        return False
    if soort != AANKOMST:
        return True
    out = gitops.git_bytes(root, "rev-list", "--first-parent", "--parents", f"{old}..{head}")
    lines = out.decode().splitlines()
    return bool(lines) and lines[-1].split()[1:2] == [old]


def _refresh(con: sqlite3.Connection, root: Path, soort: str, since: dt.date, walk: Walk) -> None:
    """Bring the stored walk of `soort` up to HEAD, reaching back at least to `since`."""
    head = gitops.rev_parse(root, "HEAD")
    stored = con.execute(
        "SELECT head, sinds, layout FROM stand WHERE soort = ?", [soort]
    ).fetchone()
    if stored and stored[2] == LAYOUT and stored[1] <= since.isoformat():
        if stored[0] == head:
            return
        if _extendable(root, soort, stored[0], head):
            _store(con, soort, walk([f"{stored[0]}..{head}"]), head, stored[1], stored[0])
            return
        since = min(since, dt.date.fromisoformat(stored[1]))
    _store(con, soort, walk([f"--since={since}", head]), head, since.isoformat(), None)


def _store(
    con: sqlite3.Connection,
    soort: str,
    rows: list[tuple[str, int]],
    head: str,
    sinds: str,
    old: str | None,
) -> None:
    """Add `rows` (after `old`) or replace everything (`old` None), in one transaction;
    skipped when another command moved the stored head meanwhile."""
    con.execute("BEGIN IMMEDIATE")
    try:
        now = con.execute("SELECT head FROM stand WHERE soort = ?", [soort]).fetchone()
        if old is not None and (now is None or now[0] != old):
            con.execute("ROLLBACK")
            return
        if soort == AANKOMST:
            if old is None:
                con.execute("DELETE FROM aankomst")
            con.executemany("INSERT OR IGNORE INTO aankomst VALUES (?, ?)", rows)
        else:
            if old is None:
                con.execute("DELETE FROM correctie")
            con.executemany("INSERT INTO correctie VALUES (?)", [(r,) for r, _ in rows])
        con.execute(
            "INSERT OR REPLACE INTO stand VALUES (?, ?, ?, ?)", [soort, head, sinds, LAYOUT]
        )
        con.execute("COMMIT")
    except sqlite3.Error:
        con.execute("ROLLBACK")


def arrivals(repo: DataRepo, globs: Sequence[str], since: dt.date) -> dict[str, float]:
    """Path → first arrival on HEAD's first-parent line (POSIX time) of the snapshot files
    matching the pathspecs `globs` (`*` crosses `/`, as in git), for files added since
    `since`. Raises `GitError` outside a git repository."""
    from bedcap.gate.timeliness import first_arrivals

    con = _open(repo)
    if con is not None:
        try:
            _refresh(con, repo.root, AANKOMST, since, _arrival_rows(repo.root))
            where = " OR ".join("pad GLOB ?" for _ in globs) or "0"
            rows = con.execute(f"SELECT pad, tijd FROM aankomst WHERE {where}", list(globs))
            return {rel: float(tijd) for rel, tijd in rows}
        except sqlite3.Error:
            pass  # fall through to git itself
        finally:
            con.close()
    found = first_arrivals(repo.root, "HEAD", globs, since=since)
    return {rel: a.tijd.timestamp() for rel, a in found.items()}


def corrected(repo: DataRepo, since: dt.date) -> list[str]:
    """The snapshot paths changed by correcting commits of HEAD since `since`, once per
    commit (`records.corrected_paths`). Raises `GitError` outside a git repository."""
    from bedcap.gate.records import corrected_paths

    con = _open(repo)
    if con is not None:
        try:
            _refresh(con, repo.root, CORRECTIE, since, _correction_rows(repo.root))
            return [rel for (rel,) in con.execute("SELECT pad FROM correctie")]
        except sqlite3.Error:
            pass  # fall through to git itself
        finally:
            con.close()
    return corrected_paths(repo.root, [f"--since={since}", "HEAD"])
