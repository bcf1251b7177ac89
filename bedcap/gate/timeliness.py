"""When a day's file reached the protected branch: the one source of timeliness (issue 13).

`ingediend_op` is written by the provider and so is a commit's date on its own machine;
neither proves when a count arrived. What the provider cannot choose is the commit that
first brought the file onto the protected branch's first-parent line: on a self-hosted
server the hook refuses such a commit unless its committer time lies within `TOLERANTIE`
of the moment the push is received, and on a forge it is the forge's own merge commit.
So a day is on time when that commit's time is at or before the deadline, and
`ingediend_op` must agree with the commit that wrote the file (never after it, at most
`TOLERANTIE` before it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bedcap.files import gitops
from bedcap.files.repo import SNAPSHOTS

TOLERANTIE = dt.timedelta(minutes=10)
"""How far `ingediend_op`, a commit's time and the moment a push is received may differ."""


@dataclass(frozen=True)
class Aankomst:
    """The commit that first brought a file onto the protected branch, and its time (UTC)."""

    commit: str
    tijd: dt.datetime


def first_arrivals(
    root: Path,
    branch: str = "HEAD",
    paden: Sequence[str] = (SNAPSHOTS,),
    since: dt.date | None = None,
) -> dict[str, Aankomst]:
    """Path → the first commit on `branch`'s first-parent line whose change adds it.

    A merge counts as the commit that brings its second parent's files (judged against its
    first parent), so a provider's branch commit merged later is not the arrival. A file
    deleted and added again keeps its first arrival. `paden` are git pathspecs (folders,
    files or globs such as `data/snapshots/*/2021/2021-06-*`), to keep the walk short;
    `since` stops it at commits older than that day: pass it only for files that cannot
    have been added before it (a day's snapshot is never written before its day).
    """
    limit = [f"--since={since}"] if since is not None else []
    found: dict[str, Aankomst] = {}
    for rel, sha, stamp in added_on_first_parents(root, [*limit, branch], paden):
        if rel not in found:
            found[rel] = Aankomst(sha, dt.datetime.fromtimestamp(stamp, dt.UTC))
    return found


def added_on_first_parents(
    root: Path, revs: Sequence[str], paden: Sequence[str]
) -> list[tuple[str, str, int]]:
    """(path, commit, committer time) of every file added on the first-parent line of
    `revs` (git revision arguments, e.g. `--since=…` and a branch, or `OLD..HEAD`), oldest
    first; a path added twice is listed twice."""
    out = gitops.git_bytes(
        root,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--diff-filter=A",
        "--no-renames",
        "--name-only",
        "-z",
        "--format=%x1e%H%x1f%ct",
        *revs,
        "--",
        *paden,
    )
    added: list[tuple[str, str, int]] = []
    for record in out.split(b"\x1e"):
        header, _, names = record.partition(b"\0")
        if not header:
            continue
        sha, _, stamp = header.decode().partition("\x1f")
        for name in names.lstrip(b"\n").split(b"\0"):
            rel = name.decode("utf-8", "surrogateescape")
            if rel:
                added.append((rel, sha, int(stamp)))
    return added


def first_arrival(root: Path, rel: str, branch: str = "HEAD") -> Aankomst | None:
    """When this day's file first reached `branch` (None: it never did)."""
    return first_arrivals(root, branch, [rel]).get(rel)


def on_time(aankomst: Aankomst, peildatum: dt.date, deadline: dt.time, zone: dt.tzinfo) -> bool:
    """On time: the arrival is at or before the deadline on the peildatum itself (local time)."""
    return aankomst.tijd <= dt.datetime.combine(peildatum, deadline, zone)
