"""The derived DuckDB cache of every snapshot row: refreshed incrementally, never committed.

The Parquet files in git are the truth; `.bedcap/cache.duckdb` only saves re-reading
150,000 of them for every history question. Change detection is two-level, like git's
untracked cache: a year folder whose mtime is unchanged has the same files (git and
bedcap replace files by unlink/rename, which touches the folder); a changed folder has
its files compared by size and mtime, and so have the files of the last 45 days in every
folder (a correction copied over a file in place leaves its folder untouched).
Entries touched within the last two seconds are never trusted (a second change in the
same mtime tick would go unnoticed).

Two commands at once take turns on a file lock; an unreadable cache or one of another
version is thrown away and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bedcap import calendar
from bedcap.contract.patterns import SCHEMA_VERSION
from bedcap.errors import BedcapError
from bedcap.files.repo import SNAPSHOTS, Bestandsoort, DataRepo, classify

if TYPE_CHECKING:
    import duckdb

CACHE_NAME = "cache.duckdb"
LOCK_NAME = "cache.lock"
# Bump when the tables below change; together with the data contract's version it names
# the cache layout, and a cache of another layout is rebuilt.
CACHE_LAYOUT = 1
BATCH = 2000
RACY_NS = 2_000_000_000
# Files of the last RECENT_DAYS days are compared one by one even in unchanged folders
# (more than the correction window of 10 working days, with room for holidays).
RECENT_DAYS = 45
LOCK_TIMEOUT_S = 900
# Start a progress bar only when this many files must be read (a cold build, a checkout).
PROGRESS_FROM = 500
READERS = max(2, min(4, os.cpu_count() or 1))
"""Threads reading snapshot files into the cache at once (each with one DuckDB thread);
two even on one core, where they cost nothing, so every machine runs the same code."""

Progress = Callable[[int], Callable[[int], None]]

SNAPSHOT_SELECT = """
    CAST(peildatum AS DATE) AS peildatum,
    CAST(aanbieder AS VARCHAR) AS aanbieder,
    CAST(locatie AS VARCHAR) AS locatie,
    CAST(afdeling AS VARCHAR) AS afdeling,
    CAST(zorgtype AS VARCHAR) AS zorgtype,
    CAST(regio AS VARCHAR) AS regio,
    CAST(specialisme AS VARCHAR) AS specialisme,
    CAST(voorziening AS VARCHAR) AS voorziening,
    CAST(beveiligingsniveau AS INTEGER) AS beveiligingsniveau,
    CAST(capaciteit AS BIGINT) AS capaciteit,
    CAST(bezet AS BIGINT) AS bezet,
    CAST(beschikbaar AS BIGINT) AS beschikbaar,
    CAST(gereserveerd AS BIGINT) AS gereserveerd,
    CAST(buiten_gebruik AS BIGINT) AS buiten_gebruik,
    CAST(toelichting AS VARCHAR) AS toelichting,
    CAST(ingediend_op AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS ingediend_op
"""

TABLES = """
CREATE TABLE IF NOT EXISTS meta (sleutel VARCHAR PRIMARY KEY, waarde VARCHAR);
CREATE TABLE IF NOT EXISTS mappen (map VARCHAR PRIMARY KEY, mtime_ns BIGINT);
CREATE TABLE IF NOT EXISTS bestanden (
    pad VARCHAR PRIMARY KEY, map VARCHAR, aanbieder VARCHAR, peildatum DATE,
    grootte BIGINT, mtime_ns BIGINT, leesbaar BOOLEAN);
CREATE TABLE IF NOT EXISTS snapshots (
    pad VARCHAR, peildatum DATE, aanbieder VARCHAR, locatie VARCHAR, afdeling VARCHAR,
    zorgtype VARCHAR, regio VARCHAR, specialisme VARCHAR, voorziening VARCHAR,
    beveiligingsniveau INTEGER, capaciteit BIGINT, bezet BIGINT, beschikbaar BIGINT,
    gereserveerd BIGINT, buiten_gebruik BIGINT, toelichting VARCHAR,
    ingediend_op TIMESTAMP);  -- UTC; plain TIMESTAMP so reading needs no pytz
"""


def layout_version() -> str:

    return f"{CACHE_LAYOUT}/{SCHEMA_VERSION}"


@dataclass
class Sync:
    """What a refresh did, for the progress bar, the bench and the tests."""

    gelezen: int = 0
    verwijderd: int = 0
    onleesbaar: list[str] = field(default_factory=list)
    opnieuw_opgebouwd: bool = False


def _escape(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_files(
    con: duckdb.DuckDBPyConnection,
    table: str,
    root: Path,
    rels: Sequence[str],
    advance: Callable[[int], None] | None = None,
) -> list[str]:
    """Insert the rows of `rels` (repository-relative) into `table`; returns unreadable ones.

    One `read_parquet` per batch; when a batch fails, its files are read one by one so a
    single broken file costs only itself.
    """
    import duckdb

    bad: list[str] = []
    prefix = str(root) + os.sep

    def insert(batch: Sequence[str]) -> None:
        files = "[" + ", ".join(_escape(prefix + rel) for rel in batch) + "]"
        con.execute(
            f"INSERT INTO {table} SELECT substr(filename, {len(prefix) + 1}) AS pad, "
            f"{SNAPSHOT_SELECT} FROM read_parquet({files}, filename = true, "
            "union_by_name = true)"
        )

    for start in range(0, len(rels), BATCH):
        batch = rels[start : start + BATCH]
        try:
            insert(batch)
        except duckdb.Error:
            for rel in batch:
                try:
                    insert([rel])
                except duckdb.Error:
                    bad.append(rel)
        if advance is not None:
            advance(len(batch))
    return bad


def _insert_columns(
    con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple[object, ...]]
) -> None:
    """Insert rows as one statement of unnested lists (`executemany` goes row by row)."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    unnests = ", ".join("unnest(?)" for _ in columns)
    con.execute(f"INSERT INTO {table} SELECT {unnests}", columns)


def temp_list(con: duckdb.DuckDBPyConnection, name: str, values: Sequence[str]) -> str:
    """`values` as a one-column temp table `name(waarde)`, to join against (a list parameter
    in `list_contains` is scanned once per row)."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT unnest(?::VARCHAR[]) AS waarde",
        [list(values)],
    )
    return name


def _scan_dir(folder: str, since: str = "") -> dict[str, tuple[int, int]]:
    """Parquet files of a folder (named `since` or later) with size and mtime."""
    found = {}
    for entry in os.scandir(folder):
        if (
            entry.name >= since
            and entry.name.endswith(".parquet")
            and entry.is_file(follow_symlinks=False)
        ):
            st = entry.stat(follow_symlinks=False)
            found[entry.name] = (st.st_size, st.st_mtime_ns)
    return found


def _year_dirs(repo: DataRepo) -> dict[str, int]:
    """Every `data/snapshots/<aanbieder>/<jaar>` folder with its mtime."""
    base = repo.path(SNAPSHOTS)
    found: dict[str, int] = {}
    if not base.is_dir():
        return found
    for owner in repo.owner_folders(SNAPSHOTS):
        for year in os.scandir(owner.path):
            if year.is_dir(follow_symlinks=False):
                found[f"{SNAPSHOTS}/{owner.name}/{year.name}"] = year.stat(
                    follow_symlinks=False
                ).st_mtime_ns
    return found


def sync(con: duckdb.DuckDBPyConnection, repo: DataRepo, progress: Progress | None = None) -> Sync:
    """Bring the cache in line with the working tree, reading only what changed."""
    started = time.time_ns()
    racy_from = started - RACY_NS
    result = Sync()
    dirs = _year_dirs(repo)
    known_dirs = dict(con.execute("SELECT map, mtime_ns FROM mappen").fetchall())
    stale = [d for d, m in dirs.items() if known_dirs.get(d) != m]
    # A correction copied over a file in place (`cp`) does not touch its folder; as
    # corrections only happen inside the correction window, the files of the last weeks
    # are compared one by one in every folder.
    since = (calendar.vandaag() - dt.timedelta(days=RECENT_DAYS)).isoformat()
    recent = [d for d in dirs if d not in set(stale) and d.rsplit("/", 1)[1] >= since[:4]]
    gone_dirs = [d for d in known_dirs if d not in dirs]
    removed: list[str] = []
    to_read: list[str] = []
    rows: list[tuple[str, str, str, object, int, int]] = []
    racy_dirs: set[str] = set()
    if gone_dirs:
        removed += [
            r[0]
            for r in con.execute(
                "SELECT pad FROM bestanden WHERE map IN "
                f"(SELECT waarde FROM {temp_list(con, 'weg_mappen', gone_dirs)})"
            ).fetchall()
        ]
    scans = {d: _scan_dir(str(repo.path(d))) for d in stale}
    scans.update({d: _scan_dir(str(repo.path(d)), since) for d in recent})
    scans = {d: found for d, found in scans.items() if found or d in stale}
    if scans:
        known = {
            pad: (size, mtime)
            for pad, size, mtime in con.execute(
                "SELECT pad, grootte, mtime_ns FROM bestanden WHERE map IN "
                f"(SELECT waarde FROM {temp_list(con, 'oude_mappen', list(scans))}) "
                "AND (map IN (SELECT waarde FROM "
                f"{temp_list(con, 'hele_mappen', stale)}) OR peildatum >= ?)",
                [dt.date.fromisoformat(since)],
            ).fetchall()
        }
        seen: set[str] = set()
        for folder, found in scans.items():
            for name, (size, mtime) in found.items():
                rel = f"{folder}/{name}"
                if known.get(rel) == (size, mtime):
                    seen.add(rel)
                    continue
                pad = classify(rel)
                if pad.soort is not Bestandsoort.SNAPSHOT:
                    continue  # validate reports it; it is no snapshot to count
                seen.add(rel)
                if rel in known:
                    removed.append(rel)
                to_read.append(rel)
                stored_mtime = mtime if mtime < racy_from else -1
                if stored_mtime == -1:
                    # Written too recently to trust its mtime: look again next time. Only
                    # then, or the first run after a cold build would stat all 152k files.
                    racy_dirs.add(folder)
                rows.append((rel, folder, pad.aanbieder or "", pad.peildatum, size, stored_mtime))
        whole = set(stale)
        removed += [rel for rel in known if rel not in seen and rel.rsplit("/", 1)[0] in whole]
    if not (removed or to_read or gone_dirs or stale):
        return result
    stale = sorted(set(stale) | racy_dirs)
    con.execute("BEGIN TRANSACTION")
    try:
        if removed:
            weg = temp_list(con, "weg_bestanden", removed)
            con.execute(f"DELETE FROM snapshots WHERE pad IN (SELECT waarde FROM {weg})")
            con.execute(f"DELETE FROM bestanden WHERE pad IN (SELECT waarde FROM {weg})")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result.verwijderd = len(set(removed) - set(to_read))
    advance = progress(len(to_read)) if progress and len(to_read) >= PROGRESS_FROM else None
    by_rel = {r[0]: r for r in rows}
    batches = [to_read[start : start + BATCH] for start in range(0, len(to_read), BATCH)]
    readers = min(len(batches), READERS)
    if readers <= 1:
        result.onleesbaar += _load_batches(con, repo.root, batches, by_rel, advance)
    else:
        result.onleesbaar += _load_in_parallel(con, repo.root, batches, readers, by_rel, advance)
    result.gelezen = len(to_read)
    con.execute("BEGIN TRANSACTION")
    weg = temp_list(con, "weg_mappen", stale + gone_dirs)
    con.execute(f"DELETE FROM mappen WHERE map IN (SELECT waarde FROM {weg})")
    _insert_columns(
        con,
        "mappen",
        [(d, dirs[d] if dirs[d] < racy_from and d not in racy_dirs else -1) for d in stale],
    )
    con.execute("COMMIT")
    return result


def _load_in_parallel(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    batches: Sequence[Sequence[str]],
    readers: int,
    by_rel: dict[str, tuple[str, str, str, object, int, int]],
    advance: Callable[[int], None] | None,
) -> list[str]:
    """A cold build: thousands of small files, which DuckDB's own worker threads only
    contend over (62 s of wall and 83 s of CPU with two); instead each reader is a thread
    with a connection of its own and one DuckDB thread, appending its share of batches."""
    con.execute("SET threads = 1")
    cursors = [con.cursor() for _ in range(readers)]
    try:
        with ThreadPoolExecutor(readers) as pool:
            jobs = [
                pool.submit(_load_batches, cursors[n], root, batches[n::readers], by_rel, advance)
                for n in range(readers)
            ]
            return sorted(rel for job in jobs for rel in job.result())
    finally:
        for cursor in cursors:
            cursor.close()
        con.execute("RESET threads")


def _load_batches(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    batches: Sequence[Sequence[str]],
    by_rel: dict[str, tuple[str, str, str, object, int, int]],
    advance: Callable[[int], None] | None,
) -> list[str]:
    """Read `batches` into the cache, each with its file records in one transaction."""
    bad: list[str] = []
    con.execute("CREATE OR REPLACE TEMP TABLE laden AS SELECT * FROM snapshots LIMIT 0")
    for batch in batches:
        # Read outside a transaction (a failed read would abort it), then move the batch
        # and its file records in together.
        con.execute("DELETE FROM laden")
        broken = set(load_files(con, "laden", root, batch, advance))
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("INSERT INTO snapshots SELECT * FROM laden")
            _insert_columns(con, "bestanden", [(*by_rel[rel], rel not in broken) for rel in batch])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        bad += [rel for rel in batch if rel in broken]
    return bad


def _fresh(path: Path) -> duckdb.DuckDBPyConnection:
    import duckdb

    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute(TABLES)
    con.execute("INSERT INTO meta VALUES ('layout', ?)", [layout_version()])
    return con


def _connect(path: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """The cache at `path`, or a new one when it is unreadable or of another layout."""
    import duckdb

    con = None
    try:
        con = duckdb.connect(str(path))
        found = con.execute("SELECT waarde FROM meta WHERE sleutel = 'layout'").fetchone()
        if found is not None and found[0] == layout_version():
            return con, False
    except duckdb.Error:
        pass
    if con is not None:
        con.close()  # DuckDB shares one instance per path: close it before replacing the file
    return _fresh(path), True


def in_memory() -> duckdb.DuckDBPyConnection:
    """An empty store without a file (`--geen-cache`, and git time travel)."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(TABLES)
    return con


@contextmanager
def open_store(
    repo: DataRepo,
    *,
    geen_cache: bool = False,
    progress: Progress | None = None,
    report: Callable[[Sync], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose `bestanden` and `snapshots` tables match the working tree."""
    if geen_cache:
        con = in_memory()
        try:
            outcome = sync(con, repo, progress)
            if report:
                report(outcome)
            yield con
        finally:
            con.close()
        return
    from filelock import FileLock, Timeout

    try:
        repo.cache_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise BedcapError(
            f"kan {repo.cache_dir} niet maken ({exc.strerror}); gebruik --geen-cache"
        ) from exc
    lock = FileLock(str(repo.cache_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_S)
    except Timeout as exc:
        raise BedcapError(
            f"de cache {repo.cache_dir / CACHE_NAME} is al {LOCK_TIMEOUT_S} s bezet door een "
            "andere bedcap-opdracht; probeer het later of gebruik --geen-cache"
        ) from exc
    try:
        con, rebuilt = _connect(repo.cache_dir / CACHE_NAME)
        try:
            outcome = sync(con, repo, progress)
            outcome.opnieuw_opgebouwd = rebuilt
            if report:
                report(outcome)
            yield con
        finally:
            con.close()
    finally:
        lock.release()
