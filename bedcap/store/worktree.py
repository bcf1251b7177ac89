"""Which snapshot files of the working tree may differ from HEAD, remembered between runs.

"As known at" takes the cache's rows of every file that is the same at the asked commit
and now; a file the working tree changed (or added, or removed) must be read from git
instead. Asking git (`diff-index` and `ls-files --others` over 150,000 files) costs
0.45 s of CPU, mostly the kernel's `lstat`. What matters is whether the rows the cache
holds are HEAD's, and that can only change when HEAD moves or the cache's file records
change (the cache notices every added, removed or rewritten file as its refresh does).
So the answer is stored in `.bedcap/werkboom.json` under HEAD's commit id and a digest
of the cache's records (path, size, mtime, readable), and reused while both hold.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from bedcap.errors import WriteError
from bedcap.files import gitops, regular
from bedcap.files.derived import read_derived
from bedcap.files.repo import SNAPSHOTS, DataRepo
from bedcap.files.yamlio import atomic_write

if TYPE_CHECKING:
    import duckdb

CACHE_NAME = "werkboom.json"
VERSIE = 1


def _read(repo: DataRepo) -> dict[str, object]:
    try:
        stored = json.loads(read_derived(repo.cache_dir / CACHE_NAME))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) and stored.get("versie") == VERSIE else {}


def start(repo: DataRepo) -> Callable[[duckdb.DuckDBPyConnection], set[str]]:
    """Begin finding the snapshot paths whose working-tree content may differ from HEAD;
    call the result with the refreshed cache's connection for the paths.

    When HEAD is not the one remembered, git is asked at once, beside the caller's cache
    refresh; otherwise the remembered answer is checked against the refreshed cache."""
    began = regular.racy_from()
    head = gitops.rev_parse(repo.root, "HEAD")
    stored = _read(repo)
    running = (
        gitops.start_dirty_under(repo.root, SNAPSHOTS, ignored=True)
        if stored.get("head") != head
        else None
    )

    def finish(con: duckdb.DuckDBPyConnection) -> set[str]:
        records, newest = _records(con)
        paths = stored.get("paden")
        if running is None and stored.get("bestanden") == records and isinstance(paths, list):
            return {str(p) for p in paths}
        found = (running or gitops.start_dirty_under(repo.root, SNAPSHOTS, ignored=True))()
        if newest >= began:  # a file written while git looked: its answer may be stale
            return found
        data = {"versie": VERSIE, "head": head, "bestanden": records, "paden": sorted(found)}
        with contextlib.suppress(OSError, WriteError):  # read-only: asked again next time
            atomic_write(repo.cache_dir / CACHE_NAME, json.dumps(data).encode(), repo.tmp_dir)
        return found

    return finish


def _records(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """A digest of the cache's file records (it changes when any file's does), and the
    newest mtime among them."""
    count, total, newest = con.execute(
        "SELECT count(*), coalesce(sum(hash(pad, grootte, mtime_ns, leesbaar)), 0), "
        "coalesce(max(mtime_ns), 0) FROM bestanden"
    ).fetchone() or (0, 0, 0)
    digest = hashlib.sha1(f"{count}:{total}".encode(), usedforsecurity=False).hexdigest()
    return digest, int(newest)
