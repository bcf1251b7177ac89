"""Snapshot findings remembered between runs, so `validate` does not repeat itself.

A snapshot's findings depend on its bytes, its path (provider, day), the rules, and the
static data the rules compare it with. The cache (`.bedcap/validatie.sqlite`, derived and
disposable like the query cache) keys each file's findings on exactly that: the git blob
id of the file, the rule version (`REGELVERSIE`) and a fingerprint of the static data it
depends on. Inside the correction window that is the provider's wards in full; before it
only what the warnings there read (which wards exist, their active period and care
types), so a capacity change re-checks the window and not ten years of history. The blob
id is recomputed only for files whose size or change time (the later of mtime and ctime)
changed, as git's index does.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedcap.contract.patterns import SCHEMA_VERSION
from bedcap.files import regular
from bedcap.files.regular import changed_ns, read_regular, settled
from bedcap.files.repo import DataRepo, Pad
from bedcap.files.snapshots import MAX_SNAPSHOT_BYTES
from bedcap.findings.catalogue import Ernst, Finding
from bedcap.rules.bulk import Chunk, blob_id, check_many
from bedcap.rules.snapshots import SnapshotContext, Ward, check_snapshots

REGELVERSIE = 1
"""Bump when a snapshot rule, or a message it gives, changes: every cached result goes.
The code of the rules is in every key too (`rule_code`), so an edit that is not bumped
does not keep old findings or old wording after an upgrade."""
_RULE_SOURCES = (
    "rules/snapshots.py",
    "rules/snapshot_rows.py",
    "rules/privacy.py",
    "rules/bulk.py",
    "findings",
    "contract",
    "files/snapshots.py",
    "files/regular.py",
)


@functools.cache
def rule_code() -> str:
    """A digest of the snapshot rules' code and the Parquet reader's version."""
    from bedcap.rules.staticcache import code_digest

    return code_digest(_RULE_SOURCES, ("pyarrow",)).hex()


CACHE_NAME = "validatie.sqlite"
_QUERY_CHUNK = 900
_LOAD_ALL_FROM = 5000

TABLE = """CREATE TABLE IF NOT EXISTS resultaten (
    pad TEXT PRIMARY KEY, grootte INTEGER, mtime_ns INTEGER, blob TEXT, sleutel TEXT,
    bevindingen TEXT)"""

FOLDERS = """CREATE TABLE IF NOT EXISTS mappen (
    map TEXT PRIMARY KEY, mtime_ns INTEGER, sleutel TEXT, bestanden INTEGER,
    bevindingen TEXT)"""
"""Whole year folders of history (`foldercache`)."""

Progress = Callable[[int], None]


def digest(value: Any) -> str:
    return hashlib.sha1(repr(value).encode(), usedforsecurity=False).hexdigest()


_WINDOW_ONLY = frozenset({"regio", "specialisme", "voorziening", "niveau", "capaciteit"})
"""Ward fields only the rules inside the correction window compare with; a field added to
`Ward` later counts for the history too until it is listed here."""


def _ward_history(ward: Ward) -> tuple[Any, ...]:
    """What the rules read of a ward before the correction window (warnings only)."""
    return tuple(
        getattr(ward, f.name) for f in dataclasses.fields(ward) if f.name not in _WINDOW_ONLY
    )


@dataclass(frozen=True)
class Fingerprints:
    """Per provider: the static data its snapshots depend on, in the window and before it."""

    venster: dict[str, str]
    historie: dict[str, str]
    correctable_from: Any

    @classmethod
    def of(cls, ctx: SnapshotContext, aanbieders: set[str]) -> Fingerprints:
        regios = sorted(ctx.regios)
        venster, historie = {}, {}
        for aanbieder in aanbieders:
            wards = [w for _, w in sorted(ctx.wards.get(aanbieder, {}).items())]
            known = aanbieder in ctx.aanbieders
            venster[aanbieder] = digest((known, regios, [dataclasses.astuple(w) for w in wards]))
            historie[aanbieder] = digest((known, regios, [_ward_history(w) for w in wards]))
        return cls(venster, historie, ctx.correctable_from)

    def key(self, pad: Pad, blob: str, version: int) -> str:
        assert pad.aanbieder is not None and pad.peildatum is not None
        in_window = pad.peildatum >= self.correctable_from
        static = (self.venster if in_window else self.historie)[pad.aanbieder]
        return digest((version, rule_code(), SCHEMA_VERSION, pad.pad, blob, in_window, static))


def to_json(found: Sequence[Finding]) -> str:
    if not found:  # most files (json.dumps of 150,000 empty lists: 0.7 s)
        return "[]"
    return json.dumps([dataclasses.asdict(p) for p in found], default=str)


def from_json(text: str) -> list[Finding]:
    if text == "[]":  # most files: no findings, and 150,000 json.loads cost 0.7 s
        return []
    return [Finding(**{**d, "ernst": Ernst(d["ernst"])}) for d in json.loads(text)]


def open_cache(repo: DataRepo) -> sqlite3.Connection:
    """The cache; an unreadable one is thrown away and started anew."""
    repo.cache_dir.mkdir(exist_ok=True)
    path = repo.cache_dir / CACHE_NAME
    for attempt in range(2):
        con = sqlite3.connect(path, timeout=60)
        try:
            con.execute(TABLE)
            con.execute(FOLDERS)
            con.execute("SELECT pad FROM resultaten LIMIT 1").fetchall()
            return con
        except sqlite3.DatabaseError:
            con.close()
            if attempt:
                raise
            path.unlink()
    raise AssertionError("unreachable")


Stored = tuple[int, int, str, str, str]


def _count(con: sqlite3.Connection) -> int:
    return int(con.execute("SELECT count(*) FROM resultaten").fetchone()[0])


def _stored(con: sqlite3.Connection, rels: list[str]) -> dict[str, Stored]:
    """The cached records of `rels` (all records when that is cheaper than asking: when
    `rels` are most of them; a warm run whose old folders `foldercache` answered asks for
    a tenth)."""
    select = "SELECT pad, grootte, mtime_ns, blob, sleutel, bevindingen FROM resultaten"
    if len(rels) >= _LOAD_ALL_FROM and 3 * len(rels) >= _count(con):
        return {r[0]: r[1:] for r in con.execute(select)}
    found: dict[str, Stored] = {}
    for start in range(0, len(rels), _QUERY_CHUNK):
        part = rels[start : start + _QUERY_CHUNK]
        marks = ",".join("?" * len(part))
        found.update({r[0]: r[1:] for r in con.execute(f"{select} WHERE pad IN ({marks})", part)})
    return found


@dataclass
class _Triage:
    hits: list[Finding] = dataclasses.field(default_factory=list)
    misses: list[Pad] = dataclasses.field(default_factory=list)
    # pad → (grootte, mtime_ns, blob, sleutel) to write after the check
    records: dict[str, tuple[int, int, str, str]] = dataclasses.field(default_factory=dict)
    touched: list[tuple[int, int, str]] = dataclasses.field(default_factory=list)
    # files without a record: their blob id, size and time come with the check
    unseen: list[Pad] = dataclasses.field(default_factory=list)
    racy_from: int = 0


def _triage(
    root: Path, pads: Sequence[Pad], stored: dict[str, Stored], fps: Fingerprints, version: int
) -> _Triage:
    """Split the files into answered by the cache and to be checked."""
    racy_from = regular.racy_from()
    out = _Triage(racy_from=racy_from)
    for pad in pads:
        old = stored.get(pad.pad)
        if old is None:  # never seen: the rules read and hash it, with its size and time
            out.misses.append(pad)
            out.unseen.append(pad)
            continue
        path = os.path.join(root, pad.pad)
        try:
            st = os.lstat(path)  # one system call: a symlink or anything but a file is
            if not stat.S_ISREG(st.st_mode):  # left to the rules, which say what it is
                raise OSError
        except OSError:
            out.misses.append(pad)  # a symlink or an unreadable file: the rules say what
            continue
        mtime = settled(changed_ns(st), st.st_mtime_ns, racy_from)
        if (old[0], old[1]) == (st.st_size, mtime) and mtime != -1:
            blob = old[2]
        else:
            try:
                blob = blob_id(read_regular(path, MAX_SNAPSHOT_BYTES))
            except OSError:
                out.misses.append(pad)
                continue
        key = fps.key(pad, blob, version)
        if old[3] == key:
            out.hits.extend(from_json(old[4]))
            if (old[0], old[1]) != (st.st_size, mtime):
                out.touched.append((st.st_size, mtime, pad.pad))
            continue
        out.misses.append(pad)
        out.records[pad.pad] = (st.st_size, mtime, blob, key)
    return out


def check_cached(
    repo: DataRepo,
    pads: Sequence[Pad],
    ctx: SnapshotContext,
    progress: Progress | None = None,
    version: int | None = None,
    herbekeken: list[str] | None = None,
) -> list[Finding]:
    """`check_snapshots`, answering unchanged files from the cache and remembering the rest.

    A cache that cannot be opened or written is skipped: it only saves time. The paths the
    rules did read are added to `herbekeken` (for the tests and the bench).
    """
    try:
        con = open_cache(repo)
    except (OSError, sqlite3.Error):
        if herbekeken is not None:
            herbekeken += [p.pad for p in pads]
        return check_snapshots(repo.root, list(pads), ctx, progress)
    try:
        stored = _stored(con, [p.pad for p in pads])
        fps = Fingerprints.of(ctx, {p.aanbieder for p in pads if p.aanbieder})
        triage = _triage(repo.root, pads, stored, fps, version or REGELVERSIE)
        if progress and len(pads) > len(triage.misses):
            progress(len(pads) - len(triage.misses))
        rows: list[tuple[str, int, int, str, str, str]] = []
        unseen = {p.pad for p in triage.unseen}

        def remember(part: Sequence[Pad], done: Chunk) -> None:
            """A chunk's records, made while the workers check the next chunks (after
            the last one, 150,000 of them took a second of one core)."""
            found: dict[str, list[Finding]] = {}
            for f in done.findings:
                found.setdefault(f.bestand, []).append(f)
            for pad in part:
                record = triage.records.get(pad.pad)
                blob = done.blobs.get(pad.pad)
                if record is None and blob is not None and pad.pad in unseen:
                    key = fps.key(pad, blob.id, version or REGELVERSIE)
                    mtime = settled(blob.changed_ns, blob.mtime_ns, triage.racy_from)
                    record = (blob.grootte, mtime, blob.id, key)
                if record is not None:
                    rows.append((pad.pad, *record, to_json(found.get(pad.pad, ()))))

        checked = check_many(repo.root, triage.misses, ctx, progress, each=remember).findings
        if herbekeken is not None:
            herbekeken += [p.pad for p in triage.misses]
        try:
            with con:
                con.executemany("INSERT OR REPLACE INTO resultaten VALUES (?,?,?,?,?,?)", rows)
                con.executemany(
                    "UPDATE resultaten SET grootte = ?, mtime_ns = ? WHERE pad = ?",
                    triage.touched,
                )
        except sqlite3.Error:
            pass  # a read-only or busy cache: the findings stand, the next run checks again
        return triage.hits + checked
    finally:
        con.close()


def cache_path(repo: DataRepo) -> str:
    """Where the cache lives, for messages and tests."""
    return os.fspath(repo.cache_dir / CACHE_NAME)
