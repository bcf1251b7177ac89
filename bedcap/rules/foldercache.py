"""Whole year folders of old snapshots answered at once, so a warm `validate` is quick.

A whole-repository run used to list, classify, stat and look up all 150,000 snapshots
even when nothing had changed. A year folder of history (every day in it before the
correction window and the rescan margin) is now remembered as a whole in
`.bedcap/validatie.sqlite`: its mtime, how many files it held and their findings, under
a key of the rule version and the provider's history fingerprint. While the folder's
mtime is unchanged (git and bedcap replace files by unlink and rename, which touches the
folder) and the key holds, the folder is neither listed nor read. As in the query cache
(`store/cache.py`), an old file overwritten in place without touching its folder goes
unnoticed until the cache is deleted; a folder touched less than two seconds ago is
never remembered.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bedcap.contract.patterns import SCHEMA_VERSION
from bedcap.files import regular
from bedcap.files.regular import changed_ns
from bedcap.files.repo import SNAPSHOTS, Bestandsoort, DataRepo, Pad
from bedcap.findings.catalogue import Finding
from bedcap.rules import resultcache
from bedcap.rules.snapshots import SnapshotContext

RESCAN_DAYS = 45
"""Days this recent are always looked at file by file (as `store.cache.RESCAN_DAYS`)."""


@dataclass
class Folders:
    """Year folders answered from the cache, and the keys of those that may be stored."""

    skip: dict[str, tuple[int, list[Finding]]]
    """folder → (files, findings) of the folders not to walk."""
    keys: dict[str, tuple[int, str]]
    """folder → (mtime_ns, key) of every history folder, for `remember`."""


def _history_before(ctx: SnapshotContext, today: dt.date) -> int:
    """Year folders before this year hold only history outside the rescan margin."""
    return min(ctx.correctable_from, today - dt.timedelta(days=RESCAN_DAYS)).year


def recall(repo: DataRepo, ctx: SnapshotContext, today: dt.date) -> Folders:
    """The history folders whose summary still holds; an unreadable cache recalls none."""
    out = Folders({}, {})
    before = _history_before(ctx, today)
    racy_from = regular.racy_from()
    candidates: dict[str, tuple[str, int]] = {}
    for owner in repo.owner_folders(SNAPSHOTS):
        for year in os.scandir(owner.path):
            old = year.name.isdigit() and int(year.name) < before
            if old and year.is_dir(follow_symlinks=False):
                st = year.stat(follow_symlinks=False)
                if st.st_mtime_ns < racy_from:
                    folder = f"{SNAPSHOTS}/{owner.name}/{year.name}"
                    candidates[folder] = (owner.name, changed_ns(st))
    if not candidates:
        return out
    fps = resultcache.Fingerprints.of(ctx, {name for name, _ in candidates.values()})
    for folder, (name, mtime) in candidates.items():
        key = resultcache.digest(
            (resultcache.REGELVERSIE, resultcache.rule_code(), SCHEMA_VERSION, folder)
            + (fps.historie[name],)
        )
        out.keys[folder] = (mtime, key)
    try:
        con = resultcache.open_cache(repo)
    except (OSError, sqlite3.Error):
        return out
    try:
        for folder, mtime, key, files, text in con.execute(
            "SELECT map, mtime_ns, sleutel, bestanden, bevindingen FROM mappen"
        ):
            if out.keys.get(folder) == (mtime, key):
                out.skip[folder] = (files, resultcache.from_json(text))
    except sqlite3.Error:
        out.skip.clear()
    finally:
        con.close()
    return out


def remember(
    repo: DataRepo, folders: Folders, in_scope: Sequence[Pad], found: Iterable[Finding]
) -> None:
    """Store the history folders read this run that hold nothing but snapshot files."""
    files: dict[str, int] = {}
    spoiled: set[str] = set()
    for pad in in_scope:
        folder = pad.pad.rsplit("/", 1)[0]
        if folder in folders.keys and folder not in folders.skip:
            files[folder] = files.get(folder, 0) + 1
            if pad.soort is not Bestandsoort.SNAPSHOT:
                spoiled.add(folder)
        elif pad.pad.count("/") > 4:  # a file in a subfolder: its year folder is unusual
            spoiled.add("/".join(pad.pad.split("/")[:4]))
    per_folder: dict[str, list[Finding]] = {f: [] for f in files if f not in spoiled}
    for finding in found:
        folder = finding.bestand.rsplit("/", 1)[0]
        if folder in per_folder:
            per_folder[folder].append(finding)
    rows = [
        (folder, *folders.keys[folder], files[folder], resultcache.to_json(items))
        for folder, items in per_folder.items()
    ]
    if not rows:
        return
    try:
        con = resultcache.open_cache(repo)
        try:
            with con:
                con.executemany("INSERT OR REPLACE INTO mappen VALUES (?,?,?,?,?)", rows)
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        pass  # only saves time
