"""When each commit of HEAD's first-parent line was made, remembered (issue 18).

"As known at" starts from the newest commit of the main line made at or before a moment.
`git rev-list --before` finds it by reading every commit from HEAD back, on every
question: 0.8 s to reach 2017 in ten national years of one commit per provider-day. Here
the stretch of the line once walked is kept in `.bedcap/hoofdlijn.bin` (derived and
disposable, like the query cache) and searched there. New commits are added at the top;
a line that no longer continues the stored one (a reset, another branch) is walked anew.
A moment near HEAD walks one page of commits; one further back walks on, twice as far
each time, until it is found.

A commit id names its whole line (each commit names its parent), so a stored stretch
whose top is HEAD is HEAD's line, whatever happened in between, as long as git's view of
where history ends is the same: a shallow clone's boundary (`.git/shallow`) and grafts
(`.git/info/grafts`) are part of what the stretch was walked with.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import re
import struct
from array import array
from dataclasses import dataclass
from pathlib import Path

from bedcap.errors import GitError, WriteError
from bedcap.files import gitops
from bedcap.files.derived import read_derived
from bedcap.files.repo import DataRepo
from bedcap.files.yamlio import atomic_write

NAME = "hoofdlijn.bin"
PAGE = 2000
"""Commits walked from HEAD before the rest of the line: a question about the last weeks
(the usual one) reads about 10 ms of history."""
_MAGIC = b"bedcap-hoofdlijn 2\n"
_HEAD = struct.Struct("=QB20s")  # commits, the length of an id (40 or 64), the boundary
_GRENZEN = ("shallow", "info/grafts")
_HEX = re.compile("[0-9a-f]+")


@dataclass
class Stretch:
    """A stretch of a first-parent line, oldest first: commit times, ids (hex, joined),
    and the first parent of the oldest (None: the line is whole down to its root)."""

    tijden: array[int]
    ids: bytes
    lengte: int
    onder: str | None
    grens: bytes = b""
    """The digest of git's boundary files the stretch was walked with (`_boundary`)."""

    @property
    def top(self) -> str:
        return self.id(len(self.tijden) - 1)

    def id(self, i: int) -> str:
        """The i-th id; a stored one that is no hex id is refused, never handed to git
        (where a leading "-" would be read as an option)."""
        found = self.ids[i * self.lengte : (i + 1) * self.lengte].decode("ascii", "replace")
        if not _HEX.fullmatch(found):
            raise GitError(f"geen commit-id: {found!r}")
        return found

    def newest_at(self, tijd: int) -> int | None:
        """The newest commit made at or before `tijd`, as `--before` picks it: the first
        one from the top, whatever the clocks of the commits below said."""
        tijden = self.tijden
        for i in range(len(tijden) - 1, -1, -1):
            if tijden[i] <= tijd:
                return i
        return None

    def below(self, under: Stretch) -> Stretch:
        """This stretch with the older stretch `under` (ending at this one's first parent)
        under it; indices into `under` stay the same."""
        return Stretch(under.tijden + self.tijden, under.ids + self.ids, self.lengte, under.onder)

    def above(self, over: Stretch) -> Stretch:
        """This stretch with the newer stretch `over` (down to the child of the top) on it."""
        return Stretch(self.tijden + over.tijden, self.ids + over.ids, self.lengte, self.onder)


def _stretch(line: gitops.Line) -> Stretch:
    if not line.ids:
        raise GitError("git gaf geen commits")
    tijden = array("Q", map(int, line.tijden))  # git's times are unsigned
    tijden.reverse()
    onder = line.onder.decode() if line.onder is not None else None
    return Stretch(tijden, b"".join(reversed(line.ids)), len(line.ids[0]), onder)


def commit_at(repo: DataRepo, moment: dt.datetime) -> str | None:
    """The newest commit of HEAD's first-parent line made at or before `moment`: what
    `gitops.commit_at` gives, from the stored line. None when there is none (or no
    commit at all)."""
    head, grenzen = gitops.head_and_git_paths(repo.root, *_GRENZEN)
    if head is None:
        return None
    tijd = math.floor(moment.timestamp())  # git's dates are whole seconds
    if tijd < 0:
        return gitops.commit_at(repo.root, moment)  # before 1970: git's own reading
    grens = _boundary(grenzen)
    stored = _load(repo, grens)
    for start in (stored, None) if stored is not None else (None,):
        try:
            return _search(repo, start, head, tijd, grens)
        except (GitError, ValueError, OverflowError):
            continue  # a stored line git does not know; a time no 64 bits hold
    return gitops.commit_at(repo.root, moment)


def _boundary(paths: list[Path]) -> bytes:
    """Where git's history ends for this clone: the digest of its shallow and graft files
    (absent: empty)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in paths:
        with contextlib.suppress(OSError):
            digest.update(read_derived(path))
        digest.update(b"\0")
    return digest.digest()


def _search(
    repo: DataRepo, stored: Stretch | None, head: str, tijd: int, grens: bytes
) -> str | None:
    line = _up_to(repo, stored, head)
    i = line.newest_at(tijd)
    while i is None and line.onder is not None:
        # Twice as far back each time: a moment years back walks about as far as git's
        # own `--before` would, not the whole line (500,000 commits: 6.3 s against 2.3 s).
        more = max(PAGE, len(line.tijden))
        older = _stretch(gitops.first_parents(repo.root, line.onder, limit=more))
        i = older.newest_at(tijd)
        line = line.below(older)
    if line is not stored:
        line.grens = grens
        _save(repo, line)
    return line.id(i) if i is not None else None


def _up_to(repo: DataRepo, stored: Stretch | None, head: str) -> Stretch:
    """The stored stretch brought up to `head`, or a new one from `head` down."""
    if stored is not None and stored.top == head:
        return stored
    if stored is not None and stored.lengte == len(head):
        newer = gitops.first_parents(repo.root, head, stop=stored.top)
        if newer.ids and newer.onder == stored.top.encode():
            return stored.above(_stretch(newer))
    return _stretch(gitops.first_parents(repo.root, head, limit=PAGE))


def _path(repo: DataRepo) -> Path:
    return repo.cache_dir / NAME


def _load(repo: DataRepo, grens: bytes) -> Stretch | None:
    """The stored stretch; None when there is none, it is not whole, or git's boundary
    has moved since (a shallow clone deepened or cut, grafts changed)."""
    try:
        data = read_derived(_path(repo))  # never a FIFO or a device
    except OSError:
        return None
    start = len(_MAGIC) + _HEAD.size
    if not data.startswith(_MAGIC) or len(data) < start:
        return None
    count, lengte, stored_grens = _HEAD.unpack_from(data, len(_MAGIC))
    if count == 0 or lengte not in (40, 64) or len(data) != start + lengte + count * (8 + lengte):
        return None
    if stored_grens != grens:
        return None
    onder = data[start : start + lengte].decode("ascii", "replace").strip("\0") or None
    if onder is not None and not _HEX.fullmatch(onder):
        return None
    tijden = array("Q")  # this machine's byte order: the file never leaves it
    tijden.frombytes(data[start + lengte : start + lengte + 8 * count])
    return Stretch(tijden, data[start + lengte + 8 * count :], lengte, onder, grens)


def _save(repo: DataRepo, line: Stretch) -> None:
    """Store the stretch for the next question; a cache that cannot be written only costs
    the next question its walk."""
    onder = (line.onder or "").encode().ljust(line.lengte, b"\0")
    data = b"".join(
        (
            _MAGIC,
            _HEAD.pack(len(line.tijden), line.lengte, line.grens),
            onder,
            line.tijden.tobytes(),
            line.ids,
        )
    )
    with contextlib.suppress(WriteError):
        atomic_write(_path(repo), data, repo.tmp_dir)
