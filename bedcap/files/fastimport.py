"""History written in one go with `git fast-import`: the demo and the benchmark generator.

Thousands of commits through `git commit` would take minutes; fast-import writes the same
history (signed-off by nobody, dated as given) in seconds.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bedcap.errors import GitError
from bedcap.files.gitops import require_git


@dataclass(frozen=True)
class Commit:
    """One commit to replay: who, when, why, and which working-tree files it adds."""

    when: dt.datetime
    naam: str
    email: str
    bericht: str
    bestanden: tuple[str, ...]
    inhoud: tuple[bytes | None, ...] = ()
    """Per file, bytes to commit instead of the working tree's (an earlier version of a
    file corrected later: the benchmark's realistic history); empty or None: the tree's."""


def _stamp(when: dt.datetime) -> str:
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{int(when.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def fast_import(path: Path, commits: Iterable[Commit], branch: str = "main") -> int:
    """Write a whole history in one `git fast-import` run; returns the number of commits.

    Replaying thousands of commits one `git commit` at a time takes minutes; this takes
    seconds. The files must already be in the working tree; the index is reset after.
    """
    exe = require_git()
    proc = subprocess.Popen(
        [exe, "fast-import", "--quiet", "--done"],
        cwd=path,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    count = 0
    write = proc.stdin.write
    try:
        for commit in commits:
            message = commit.bericht.encode()
            stamp = _stamp(commit.when)
            write(f"commit refs/heads/{branch}\n".encode())
            write(f"author {commit.naam} <{commit.email}> {stamp}\n".encode())
            write(f"committer {commit.naam} <{commit.email}> {stamp}\n".encode())
            write(f"data {len(message)}\n".encode() + message + b"\n")
            for i, rel in enumerate(commit.bestanden):
                given = commit.inhoud[i] if i < len(commit.inhoud) else None
                data = given if given is not None else (path / rel).read_bytes()
                write(f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n")
            count += 1
        write(b"done\n")
        proc.stdin.close()
    except BrokenPipeError:
        pass
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.wait() != 0:
        raise GitError(f"git fast-import mislukt: {stderr.strip()[:500]}")
    subprocess.run([exe, "reset", "--quiet"], cwd=path, check=True)
    return count
