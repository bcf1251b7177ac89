"""The derived DuckDB cache of every snapshot row: refreshed incrementally, never committed.

The Parquet files in git are the truth; `.bedcap/cache.duckdb` only saves re-reading
150,000 of them for every history question. Change detection is two-level, like git's
untracked cache: a year folder whose change time is unchanged has the same files (git and
bedcap replace files by unlink/rename, which touches the folder); a changed folder has
its files compared by size and change time (`regular.changed_ns`: the later of mtime and
ctime, so `cp -p` is seen), and so have the files of the last `RESCAN_DAYS` in every
folder (a correction copied over a file in place leaves its folder untouched).
Entries touched within the last two seconds are never trusted (a second change in the
same mtime tick would go unnoticed).

Two commands at once take turns on a file lock; an unreadable cache or one of another
version is thrown away and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bedcap.contract.columns import duckdb_definitie
from bedcap.contract.patterns import SCHEMA_VERSION
from bedcap.errors import BedcapError
from bedcap.files import regular
from bedcap.files.cores import usable
from bedcap.files.derived import regular_or_absent
from bedcap.files.regular import changed_ns, os_reden, settled
from bedcap.files.repo import SNAPSHOTS, Bestandsoort, DataRepo, classify
from bedcap.store.decode import load_forked, worker_count
from bedcap.store.rows import BATCH, insert_columns, load_files, temp_list, volgende_sql

if TYPE_CHECKING:
    import duckdb

CACHE_NAME = "cache.duckdb"
LOCK_NAME = "cache.lock"
# Bump when the tables below change, or what a read keeps (2: a row without its place
# makes its file unreadable; 3: each file record keeps its provider's next day; 4: each
# file record and each ward has a number, which its rows carry; 5: `mtime_ns` holds
# `regular.changed_ns`, the later of mtime and ctime); together with the data contract's
# version it names the cache layout, and a cache of another layout is rebuilt.
CACHE_LAYOUT = 5
_YEAR = re.compile(r"[0-9]{4}")
EERSTE = "DATE '0001-01-01'"
RESCAN_DAYS = 45
"""Files whose peildatum is this many calendar days old or newer are compared one by one
in every folder, changed or not: a file overwritten in place (`cp`) leaves its folder's
mtime alone. Older files changed in place are noticed after `--geen-cache` or a rebuild."""
LOCK_TIMEOUT_S = 900
# Start a progress bar only when this many files must be read (a cold build, a checkout).
PROGRESS_FROM = 500
READERS = max(2, min(4, usable()))
"""Threads reading snapshot files into the cache at once (each with one DuckDB thread);
two even on one core, where they cost nothing, so every machine runs the same code."""

Progress = Callable[[int], Callable[[int], None]]

TABLES = f"""
CREATE TABLE IF NOT EXISTS meta (sleutel VARCHAR PRIMARY KEY, waarde VARCHAR);
CREATE TABLE IF NOT EXISTS mappen (map VARCHAR PRIMARY KEY, mtime_ns BIGINT);
CREATE TABLE IF NOT EXISTS bestanden (
    pad VARCHAR PRIMARY KEY, map VARCHAR, aanbieder VARCHAR, peildatum DATE,
    grootte BIGINT, mtime_ns BIGINT, nr INTEGER, leesbaar BOOLEAN, volgende DATE);
CREATE TABLE IF NOT EXISTS snapshots (
    pad VARCHAR, {duckdb_definitie()}, bestand_nr INTEGER, afdeling_nr INTEGER);
CREATE TABLE IF NOT EXISTS afdelingen (
    nr INTEGER, aanbieder VARCHAR, locatie VARCHAR, afdeling VARCHAR);
"""
"""`bestanden.nr` numbers the cache's file records and `afdelingen.nr` the wards its rows
name; each row carries both (`bestand_nr`, `afdeling_nr`). The statistics join the rows
of the files that count, and the wards' activity dates, on those integers instead of on
`pad` and three ids: 1.2 million strings each in ten national years, which cost a
ten-year history half its query on a first run (issue 18). Rows read outside a store
(`rows.read_sql`) have no numbers, and every question without the cache, `--geen-cache`
included, joins on the strings."""


PLAN_SETTINGS = "SET asof_loop_join_threshold = 0"
"""Keep any as-of join an ASOF join whatever DuckDB estimates: below this many estimated
left rows (64 by default) DuckDB rewrites it into a nested-loop join plus aggregate, and a
parameter list of days crossed with the providers is always estimated small. On a national
repository that rewrite took 90 s where the join takes 0.13 s. `query._keuze` no longer
uses an as-of join (it joins the days each file covers on equality); the setting stays as
a guard for any query that does. It exists from DuckDB 1.3, the floor of the pinned range."""


def tuned(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` with the plan settings every store connection runs with (see PLAN_SETTINGS)."""
    con.execute(PLAN_SETTINGS)
    return con


def layout_version() -> str:
    return f"{CACHE_LAYOUT}/{SCHEMA_VERSION}"


@dataclass
class Sync:
    """What a refresh did, for the progress bar, the bench and the tests."""

    gelezen: int = 0
    verwijderd: int = 0
    onleesbaar: list[str] = field(default_factory=list)
    opnieuw_opgebouwd: bool = False


def _scan_dir(folder: str, since: str = "") -> dict[str, tuple[int, int, int]]:
    """Parquet files of a folder (named `since` or later) with size, change time
    (`regular.changed_ns`) and mtime (which decides whether it is too recent); not a
    symlink, folder or anything else that is no regular file, nor a file gone meanwhile.

    Names first, then one `lstat` for each that is asked about (a warm refresh compares
    only 45 days of a year's folder); a file or folder removed in between, by a checkout
    running alongside, is not there rather than an error."""
    found: dict[str, tuple[int, int, int]] = {}
    try:
        names = [n for n in os.listdir(folder) if n >= since and n.endswith(".parquet")]
    except (FileNotFoundError, NotADirectoryError):
        return found  # gone since its year was listed: the next refresh sees it gone
    for name in names:
        try:
            st = os.lstat(os.path.join(folder, name))
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISREG(st.st_mode):
            found[name] = (st.st_size, changed_ns(st), st.st_mtime_ns)
    return found


def _year_dirs(repo: DataRepo) -> dict[str, tuple[int, int]]:
    """Every `data/snapshots/<aanbieder>/<jaar>` folder with its change time and mtime."""
    base = repo.path(SNAPSHOTS)
    found: dict[str, tuple[int, int]] = {}
    if not base.is_dir():
        return found
    for owner in repo.owner_folders(SNAPSHOTS):
        for year in os.scandir(owner.path):
            if year.is_dir(follow_symlinks=False):
                st = year.stat(follow_symlinks=False)
                found[f"{SNAPSHOTS}/{owner.name}/{year.name}"] = (changed_ns(st), st.st_mtime_ns)
    return found


Row = tuple[str, str, str, object, int, int]
"""A file record of the `bestanden` table: pad, map, aanbieder, peildatum, grootte, mtime."""
Numbered = tuple[str, str, str, object, int, int, int]
"""A `Row` with the number its file record gets (`nr`)."""
RECORD_COLUMNS = ("pad", "map", "aanbieder", "peildatum", "grootte", "mtime_ns", "nr", "leesbaar")
"""What a read writes of a file record; `volgende` follows once the refresh is complete."""


@dataclass
class _Plan:
    """What a refresh must do: files to forget, files to read (with their records)."""

    removed: list[str] = field(default_factory=list)
    to_read: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    racy_dirs: set[str] = field(default_factory=set)


def sync(
    con: duckdb.DuckDBPyConnection,
    repo: DataRepo,
    vandaag: dt.date,
    progress: Progress | None = None,
) -> Sync:
    """Bring the cache in line with the working tree, reading only what changed."""
    racy_from = regular.racy_from()
    result = Sync()
    dirs = _year_dirs(repo)
    known_dirs = dict(con.execute("SELECT map, mtime_ns FROM mappen").fetchall())
    stale = [d for d, (m, _) in dirs.items() if known_dirs.get(d) != m]
    gone_dirs = [d for d in known_dirs if d not in dirs]
    since = vandaag - dt.timedelta(days=RESCAN_DAYS)
    plan = _plan(con, repo, (stale, [d for d in dirs if d not in set(stale)]), since, racy_from)
    if gone_dirs:
        plan.removed += [
            r[0]
            for r in con.execute(
                "SELECT pad FROM bestanden WHERE map IN "
                f"(SELECT waarde FROM {temp_list(con, 'weg_mappen', gone_dirs)})"
            ).fetchall()
        ]
    unlinked = dict(
        con.execute(
            "SELECT aanbieder, min(peildatum) FROM bestanden WHERE volgende IS NULL GROUP BY ALL"
        ).fetchall()
    )
    if not (plan.removed or plan.to_read or gone_dirs or stale or unlinked):
        return result
    # Records dropped to be read again (a file changed in place) are gone once `_forget`
    # commits: their folders are marked changed in that transaction, so a refresh cut off
    # before the files are read again scans those folders whole next time, even when the
    # file has left the days compared in every folder meanwhile.
    touched = sorted({rel.rsplit("/", 1)[0] for rel in plan.removed} & set(dirs))
    _forget(con, plan.removed, touched)
    result.verwijderd = len(set(plan.removed) - set(plan.to_read))
    to_read = plan.to_read
    advance = progress(len(to_read)) if progress and len(to_read) >= PROGRESS_FROM else None
    first = _next_number(con) if plan.rows else 0
    by_rel: dict[str, Numbered] = {r[0]: (*r, first + n) for n, r in enumerate(plan.rows)}
    batches = [to_read[start : start + BATCH] for start in range(0, len(to_read), BATCH)]
    readers = min(len(batches), READERS)
    if workers := worker_count(len(to_read)):
        result.onleesbaar += load_forked(con, repo.root, batches, workers, by_rel, advance)
    elif readers <= 1:
        result.onleesbaar += _load_batches(con, repo.root, batches, by_rel, advance)
    else:
        result.onleesbaar += _load_in_parallel(con, repo.root, batches, readers, by_rel, advance)
    result.gelezen = len(to_read)
    stale = sorted(set(stale) | plan.racy_dirs | set(touched))
    con.execute("BEGIN TRANSACTION")
    _link(con, _changed_from(stale + gone_dirs, [*plan.removed, *to_read], unlinked))
    _number_wards(con)
    weg = temp_list(con, "weg_mappen", stale + gone_dirs)
    con.execute(f"DELETE FROM mappen WHERE map IN (SELECT waarde FROM {weg})")
    insert_columns(
        con,
        "mappen",
        [(d, settled(*dirs[d], racy_from) if d not in plan.racy_dirs else -1) for d in stale],
    )
    con.execute("COMMIT")
    return result


def _plan(
    con: duckdb.DuckDBPyConnection,
    repo: DataRepo,
    folders: tuple[list[str], list[str]],
    since: dt.date,
    racy_from: int,
) -> _Plan:
    """Compare files with their records: every file of a changed (`stale`) folder, and in
    the unchanged ones the files and records of `since` or later (a correction copied
    over a file in place does not touch its folder)."""
    stale, unchanged = folders
    plan = _Plan()
    recent = [d for d in unchanged if d.rsplit("/", 1)[1] >= str(since.year)]
    scans = {d: _scan_dir(str(repo.path(d))) for d in stale}
    scans.update({d: _scan_dir(str(repo.path(d)), since.isoformat()) for d in recent})
    if not scans:
        return plan
    # The records of `since` on in every scanned folder, and the older ones of the changed
    # folders. Two parts, not one OR: the day alone picks a warm run's 2,000 records
    # before a path is read (8 ms for the first question of a national cache, not 20).
    sql = (
        "SELECT pad, grootte, mtime_ns FROM bestanden WHERE peildatum >= ? AND map IN "
        f"(SELECT waarde FROM {temp_list(con, 'oude_mappen', list(scans))})"
    )
    params: list[object] = [since]
    if stale:
        sql += (
            " UNION ALL SELECT pad, grootte, mtime_ns FROM bestanden WHERE map IN "
            f"(SELECT waarde FROM {temp_list(con, 'hele_mappen', stale)}) "
            "AND (peildatum IS NULL OR peildatum < ?)"
        )
        params.append(since)
    known = {pad: (size, mtime) for pad, size, mtime in con.execute(sql, params).fetchall()}
    seen: set[str] = set()
    for folder, found in scans.items():
        for name, (size, changed, mtime) in found.items():
            rel = f"{folder}/{name}"
            if known.get(rel) == (size, changed):
                seen.add(rel)
                continue
            pad = classify(rel)
            if pad.soort is not Bestandsoort.SNAPSHOT:
                continue  # validate reports it; it is no snapshot to count
            seen.add(rel)
            if rel in known:
                plan.removed.append(rel)
            plan.to_read.append(rel)
            stored_mtime = settled(changed, mtime, racy_from)
            if stored_mtime == -1:
                # Written too recently to trust its mtime: look again next time. Only
                # then, or the first run after a cold build would stat all 152k files.
                plan.racy_dirs.add(folder)
            plan.rows.append((rel, folder, pad.aanbieder or "", pad.peildatum, size, stored_mtime))
    # A record no file answers to is gone, in an unchanged folder too: a file deleted and
    # its folder's mtime set back (`rsync -a --delete` from a copy, `tar x`) within the
    # days compared in every folder.
    plan.removed += [rel for rel in known if rel not in seen]
    return plan


def _next_number(con: duckdb.DuckDBPyConnection) -> int:
    """The first number above every file record's: a file read again gets a number no
    record holds (the highest may come back once its record is gone, its rows with it)."""
    found = con.execute("SELECT coalesce(max(nr), 0) + 1 FROM bestanden").fetchone()
    return int(found[0]) if found else 1


def _changed_from(
    folders: Sequence[str], rels: Sequence[str], unlinked: dict[str, dt.date]
) -> dict[str, dt.date]:
    """Per provider whose files may have come or gone, the first day that may have: the
    start of each changed year folder (a file added or removed always changes its folder),
    the day of each file read or dropped, and the first record left without a next day
    (`unlinked`: a refresh cut off after reading a file changed in place, whose folder
    did not change). A folder not named as a year: any day."""
    found: dict[str, dt.date] = {}

    def note(owner: str, day: dt.date) -> None:
        found[owner] = min(day, found.get(owner, day))

    for folder in folders:
        owner, year = folder.split("/")[-2:]
        named = _YEAR.fullmatch(year) and year != "0000"
        note(owner, dt.date(int(year), 1, 1) if named else dt.date.min)
    for rel in rels:
        pad = classify(rel)
        note(pad.aanbieder or "", pad.peildatum or dt.date.min)
    for owner, day in unlinked.items():
        note(owner, day)
    return found


def _link(con: duckdb.DuckDBPyConnection, changed: dict[str, dt.date]) -> None:
    """File records get their provider's next day (`rows.volgende_sql`), from the last
    file before each provider's first changed day on: the ones before it keep theirs.

    Runs in the transaction that marks the changed folders as seen: a refresh cut off
    before it leaves them changed, so the next one links their providers again."""
    if not changed:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE te_koppelen AS "
        f"SELECT g.aanbieder, coalesce(max(b.peildatum), {EERSTE}) AS vanaf "
        "FROM (SELECT unnest(?::VARCHAR[]) AS aanbieder, unnest(?::DATE[]) AS eerste) g "
        "LEFT JOIN bestanden b ON b.aanbieder = g.aanbieder AND b.peildatum < g.eerste "
        "GROUP BY g.aanbieder",
        [list(changed), list(changed.values())],
    )
    where = (
        "aanbieder IN (SELECT aanbieder FROM te_koppelen) AND peildatum >= "
        "(SELECT k.vanaf FROM te_koppelen k WHERE k.aanbieder = bestanden.aanbieder)"
    )
    con.execute(
        f"""UPDATE bestanden SET volgende = n.volgende
        FROM ({volgende_sql("bestanden", where)}) n
        WHERE bestanden.pad = n.pad AND bestanden.volgende IS DISTINCT FROM n.volgende"""
    )


def _number_wards(con: duckdb.DuckDBPyConnection) -> None:
    """Rows read by this refresh get their ward's number (a new ward a new one).

    Runs in the refresh's last transaction, as `_link` does: a refresh cut off before it
    leaves its file records without a next day, so the next refresh gets here again."""
    con.execute(
        "INSERT INTO afdelingen SELECT "
        "(SELECT coalesce(max(nr), 0) FROM afdelingen) "
        "+ row_number() OVER (ORDER BY aanbieder, locatie, afdeling), * "
        "FROM (SELECT DISTINCT aanbieder, locatie, afdeling FROM snapshots "
        "WHERE afdeling_nr IS NULL) nieuw "
        "ANTI JOIN afdelingen a USING (aanbieder, locatie, afdeling)"
    )
    con.execute(
        "UPDATE snapshots SET afdeling_nr = a.nr FROM afdelingen a "
        "WHERE snapshots.afdeling_nr IS NULL AND a.aanbieder = snapshots.aanbieder "
        "AND a.locatie = snapshots.locatie AND a.afdeling = snapshots.afdeling"
    )


def _forget(con: duckdb.DuckDBPyConnection, removed: list[str], folders: list[str]) -> None:
    """Drop the rows and records of files that are gone or about to be read again, and
    mark `folders` (theirs) as not seen, in one transaction."""
    if not removed:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        weg = temp_list(con, "weg_bestanden", removed)
        con.execute(f"DELETE FROM snapshots WHERE pad IN (SELECT waarde FROM {weg})")
        con.execute(f"DELETE FROM bestanden WHERE pad IN (SELECT waarde FROM {weg})")
        gezien = temp_list(con, "weg_gezien", folders)
        con.execute(f"DELETE FROM mappen WHERE map IN (SELECT waarde FROM {gezien})")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _load_in_parallel(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    batches: Sequence[Sequence[str]],
    readers: int,
    by_rel: dict[str, Numbered],
    advance: Callable[[int], None] | None,
) -> list[str]:
    """A cold build: thousands of small files, which DuckDB's own worker threads only
    contend over (62 s of wall and 83 s of CPU with two); instead each reader is a thread
    with a connection of its own and one DuckDB thread, appending its share of batches."""
    from concurrent.futures import ThreadPoolExecutor  # 3 ms a warm question need not pay

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
    by_rel: dict[str, Numbered],
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
            con.execute(
                "INSERT INTO snapshots SELECT l.* REPLACE (m.nr AS bestand_nr) FROM laden l "
                "JOIN (SELECT unnest(?::VARCHAR[]) AS pad, unnest(?::INTEGER[]) AS nr) m "
                "ON m.pad = l.pad",
                [list(batch), [by_rel[rel][6] for rel in batch]],
            )
            insert_columns(
                con,
                "bestanden",
                [(*by_rel[rel], rel not in broken) for rel in batch],
                RECORD_COLUMNS,
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        bad += [rel for rel in batch if rel in broken]
    return bad


def _files_of(path: Path) -> tuple[Path, Path]:
    """The cache file and DuckDB's write-ahead log beside it."""
    return path, path.with_name(path.name + ".wal")


def _fresh(path: Path) -> duckdb.DuckDBPyConnection:
    import duckdb

    for leftover in _files_of(path):
        leftover.unlink(missing_ok=True)
    con = tuned(duckdb.connect(str(path)))
    con.execute(TABLES)
    con.execute("INSERT INTO meta VALUES ('layout', ?)", [layout_version()])
    return con


def _connect(path: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """The cache at `path`, or a new one when it is unreadable or of another layout."""
    import duckdb

    con = None
    try:
        con = tuned(duckdb.connect(str(path)))
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

    con = tuned(duckdb.connect(":memory:"))
    con.execute(TABLES)
    return con


def _unusable(path: Path, exc: BaseException) -> BedcapError:
    """One Dutch line for a cache that cannot be opened, replaced or written: a folder or
    other non-file where the file should be, a disk that is full, the cache folder
    removed while a command ran. Nothing in the repository depends on it."""
    if isinstance(exc, OSError) and exc.filename:
        path = Path(exc.filename)
    reason = os_reden(exc) if isinstance(exc, OSError) else str(exc)
    reason = reason.strip().splitlines()[0] if reason.strip() else type(exc).__name__
    return BedcapError(
        f"de cache {path} is niet te gebruiken ({reason}); verwijder de map {path.parent} "
        "(hij wordt opnieuw opgebouwd) of gebruik --geen-cache"
    )


def _unanswerable(exc: BaseException) -> BedcapError:
    """One Dutch line for a question DuckDB could not answer without the cache (memory
    that ran out, a temporary file that could not be written)."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BedcapError(f"DuckDB kon de vraag niet beantwoorden ({reason})")


@contextmanager
def open_store(
    repo: DataRepo,
    *,
    geen_cache: bool = False,
    progress: Progress | None = None,
    report: Callable[[Sync], None] | None = None,
    vandaag: dt.date,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose `bestanden` and `snapshots` tables match the working tree.

    Where the cache cannot be written (a read-only checkout), the question is answered
    without it, as with `--geen-cache` (`cachelock.lock`)."""
    import duckdb

    from bedcap.store.cachelock import lock as cache_lock

    held = None if geen_cache else cache_lock(repo.cache_dir, LOCK_NAME, LOCK_TIMEOUT_S)
    path = repo.cache_dir / CACHE_NAME
    try:
        if held is None:
            con, rebuilt = in_memory(), False
        else:
            try:
                # DuckDB would wait for ever on a FIFO in either place.
                regular_or_absent(*_files_of(path))
                con, rebuilt = _connect(path)
            except (OSError, duckdb.Error) as exc:
                raise _unusable(path, exc) from exc
        try:
            try:
                outcome = sync(con, repo, vandaag, progress)
            except duckdb.Error as exc:
                if held is None:
                    raise
                raise _unusable(path, exc) from exc
            outcome.opnieuw_opgebouwd = rebuilt
            if report:
                report(outcome)
            try:
                yield con
            except duckdb.Error as exc:
                # A damaged block is found when a question first reads it, after the
                # refresh (DuckDB checks each block's checksum): still one Dutch line.
                raise (_unusable(path, exc) if held else _unanswerable(exc)) from exc
        finally:
            con.close()
    finally:
        if held is not None:
            held.release()
