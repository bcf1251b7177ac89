"""The form of encrypted confidential files, remembered between runs (issue 18).

Every whole-repository `validate` checks that each `.age` file under `data/` is a
well-formed age file (issue 15): 2,325 financing files nationally, opened and their
headers parsed on every run (0.09 s). A file's findings depend only on its bytes and the
code that reads them, so they are stored per path under its size, mtime, ctime and inode
(`.bedcap/validatie-vorm.json`), with a digest of that code; a file whose stat data all
match is not opened. Unlike history folders (`foldercache`), each file is still stat'ed:
a plaintext copied over an encrypted file in place changes its mtime and is seen.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable
from typing import Any

from bedcap.errors import WriteError
from bedcap.files import regular
from bedcap.files.derived import read_derived
from bedcap.files.repo import DataRepo, Pad
from bedcap.files.yamlio import atomic_write
from bedcap.findings.catalogue import Finding
from bedcap.rules.resultcache import from_json, to_json
from bedcap.rules.staticcache import code_digest

CACHE_NAME = "validatie-vorm.json"
VERSIE = 1
_SOURCES = ("rules/confidential.py", "rules/formcache.py", "files/agefile.py", "findings")


class Forms:
    """The remembered forms of one run: `check` answers a file, `save` stores the run's."""

    def __init__(self, repo: DataRepo) -> None:
        self.repo = repo
        self.key = f"{VERSIE}:{code_digest(_SOURCES).hex()}"
        self.racy_from = regular.racy_from()
        self.old: dict[str, Any] = {}
        self.new: dict[str, list[Any]] = {}
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(read_derived(repo.cache_dir / CACHE_NAME))
            if isinstance(stored, dict) and stored.get("sleutel") == self.key:
                files = stored.get("bestanden")
                self.old = files if isinstance(files, dict) else {}

    def check(self, pad: Pad, compute: Callable[[], list[Finding]]) -> list[Finding]:
        """The findings of `pad`: remembered when its stat data are unchanged, else
        `compute()` (a file that is no regular file is never remembered)."""
        try:
            st = os.lstat(os.path.join(self.repo.root, pad.pad))
        except OSError:
            return compute()
        if not stat.S_ISREG(st.st_mode):
            return compute()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        old = self.old.get(pad.pad)
        if isinstance(old, list) and len(old) == 2 and old[0] == stamp:
            with contextlib.suppress(TypeError, KeyError, ValueError):
                found = from_json(old[1])
                self.new[pad.pad] = old
                return found
        found = compute()
        if st.st_mtime_ns < self.racy_from:  # not racy: a second write would show
            self.new[pad.pad] = [stamp, to_json(found)]
        return found

    def save(self) -> None:
        """Store this run's files (those gone are forgotten); only when something changed."""
        if self.new == self.old:
            return
        data = json.dumps({"sleutel": self.key, "bestanden": self.new}).encode()
        with contextlib.suppress(OSError, WriteError):  # read-only: the next run reads again
            atomic_write(self.repo.cache_dir / CACHE_NAME, data, self.repo.tmp_dir)
