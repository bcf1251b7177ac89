"""Which snapshot files answer a question: the working tree now, or git "as known at".

Current questions read only each provider's newest file (found from the paths, no scan
of history). History reads the cache (`store`). "As known at" takes the files of the
newest first-parent commit at or before the moment; files that are the same now are
taken from the cache, the others are read from git's object store.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bedcap.errors import BedcapError
from bedcap.files import gitops, gittrees
from bedcap.files.regular import os_reden
from bedcap.files.repo import (
    DEELNEMERS,
    LOCATIES,
    REGIOS,
    SNAPSHOTS,
    Bestandsoort,
    DataRepo,
    classify,
)
from bedcap.store import statics
from bedcap.store.cache import Progress, Sync, in_memory, open_store
from bedcap.store.query import Bron
from bedcap.store.rows import load_files, temp_list

_YEAR_LEN = 4


class NoCommitError(BedcapError):
    """Nothing was committed at or before the asked moment."""


def newest_files(repo: DataRepo, op: dt.date) -> list[str]:
    """Per provider, the path of its newest snapshot on or before `op`, from names alone."""
    base = repo.path(SNAPSHOTS)
    if not base.is_dir():
        return []
    found = []
    cutoff = f"{op.isoformat()}.parquet"
    for owner in repo.owner_folders(SNAPSHOTS):
        years = sorted(
            (e.name for e in os.scandir(owner.path) if e.is_dir(follow_symlinks=False)),
            reverse=True,
        )
        for year in years:
            if len(year) != _YEAR_LEN or not year.isdigit() or int(year) > op.year:
                continue
            names = [n for n in os.listdir(Path(owner.path) / year) if n <= cutoff]
            pick = None
            while names and pick is None:
                newest = max(names)
                rel = f"{SNAPSHOTS}/{owner.name}/{year}/{newest}"
                if classify(rel).soort is Bestandsoort.SNAPSHOT:
                    pick = rel
                else:
                    names.remove(newest)
            if pick:
                found.append(pick)
                break
    return found


def _register(bron: Bron, table: str, rels: list[str]) -> None:
    pads = [classify(rel) for rel in rels]
    bron.con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT unnest(?) AS pad, unnest(?) AS aanbieder, "
        "unnest(?::DATE[]) AS peildatum",
        [rels, [p.aanbieder for p in pads], [p.peildatum for p in pads]],
    )


def _newest_bron(bron: Bron, root: Path, rels: list[str]) -> None:
    """Load the chosen newest files and register them as the bron's file table."""
    bron.onleesbaar = load_files(bron.con, "snapshots", root, rels)
    _register(bron, "bestanden_k", [r for r in rels if r not in bron.onleesbaar])
    bron.bestanden = "bestanden_k"


@contextmanager
def current(repo: DataRepo, op: dt.date, jaren: set[int]) -> Iterator[Bron]:
    """The newest file per provider on or before `op`, read straight from the tree.

    One DuckDB thread: for 60 small files a second thread costs more than it reads
    (0.05 s against 0.07 s to open the store and load them, national data)."""
    con = in_memory()
    con.execute("SET threads = 1")
    try:
        bron = Bron(con, statics.load(repo, jaren))
        _newest_bron(bron, repo.root, newest_files(repo, op))
        yield bron
    finally:
        con.close()


@contextmanager
def cached(
    repo: DataRepo,
    *,
    vandaag: dt.date,
    geen_cache: bool,
    progress: Progress | None = None,
    report: Callable[[Sync], None] | None = None,
    jaren: set[int] | None = None,
) -> Iterator[Bron]:
    """Every snapshot of the working tree, through the cache (or without it)."""
    with open_store(
        repo, vandaag=vandaag, geen_cache=geen_cache, progress=progress, report=report
    ) as con:
        bad = [r[0] for r in con.execute("SELECT pad FROM bestanden WHERE NOT leesbaar").fetchall()]
        statisch = statics.load(repo, jaren or set())
        # `--geen-cache` joins on the ids, as every read without the cache does: the
        # reference the cache's numbers are tested against (its store is numbered too).
        yield Bron(con, statisch, onleesbaar=bad, volgende=True, genummerd=not geen_cache)


def _commit(repo: DataRepo, moment: dt.datetime) -> str:
    from bedcap.files import mainline  # only a question as known at walks the line

    commit = mainline.commit_at(repo, moment)
    if commit is None:
        raise NoCommitError(
            f"er is geen commit op of vóór {moment.isoformat(timespec='seconds')}; "
            "kies een later tijdstip"
        )
    return commit


def _statics_tree(repo: DataRepo, commit: str) -> dict[str, str]:
    """Path → blob of the location files and the registries of names at `commit`."""
    tree = gitops.ls_tree(repo.root, commit, LOCATIES)
    tree.update(gitops.ls_tree_paths(repo.root, commit, [DEELNEMERS, REGIOS]))
    return tree


def _statics_from_git(repo: DataRepo, tree: dict[str, str]) -> statics.Statisch:
    blobs = gitops.read_blobs(repo.root, tree.values())
    return statics.from_files({rel: blobs[blob] for rel, blob in tree.items()})


def _statics_at(repo: DataRepo, commit: str, jaren: set[int]) -> statics.Statisch:
    """The static facts as `commit` had them. Parsing 150 location files costs 0.8 s, so
    each file the working tree holds unchanged (same blob id, hashed here: 150 small
    files, no index read) is answered by the warm statics cache, and only the others are
    read from git and parsed (a later change to the registry alone parses one file). It
    also seeds the holiday calendar."""
    current, entries = statics.load_entries(repo, jaren)
    tree = _statics_tree(repo, commit)
    same = {
        rel
        for rel, blob in tree.items()
        if rel in entries
        and classify(rel).soort is not Bestandsoort.ONGELDIG
        and gittrees.blob_id(repo.path(rel), len(blob)) == blob
    }
    if set(statics.source_paths(repo)) == set(tree) == same:
        return current
    differ = {rel: blob for rel, blob in tree.items() if rel not in same}
    blobs = gitops.read_blobs(repo.root, differ.values())  # only these are parsed
    files = {rel: blobs[blob] for rel, blob in differ.items()}
    return statics.from_files(files, {rel: entries[rel] for rel in same})


def _snapshots_at(repo: DataRepo, commit: str, tot: dt.date) -> dict[str, str]:
    tree = gitops.ls_tree(repo.root, commit, SNAPSHOTS)
    return _until(tree, tot)


def _until(tree: dict[str, str], tot: dt.date) -> dict[str, str]:
    """The snapshot paths (with their blobs) dated on or before `tot`."""
    keep = {}
    for rel, blob in tree.items():
        pad = classify(rel)
        if pad.soort is Bestandsoort.SNAPSHOT and pad.peildatum and pad.peildatum <= tot:
            keep[rel] = blob
    return keep


def _extract(repo: DataRepo, files: dict[str, str], into: Path) -> None:
    """Write the blobs of `files` under `into` by their paths. A disk that is full or a
    folder taken away is one Dutch line, not a traceback."""
    blobs = gitops.read_blobs(repo.root, files.values())
    made = {into}
    try:
        for rel, blob in files.items():
            target = into / rel
            _make_parents(target, made)
            target.write_bytes(blobs[blob])
    except OSError as exc:
        raise BedcapError(
            f"kan de bestanden uit git niet tijdelijk wegschrijven in {into} "
            f"({os_reden(exc)}); maak ruimte op die schijf en probeer het opnieuw"
        ) from exc


def _make_parents(target: Path, made: set[Path]) -> None:
    """Create the folders above `target` not yet in `made`, each with one `mkdir`: with
    `parents=True` per file, 600 providers' files cost 1,806 calls (0.4 s) for 1,202
    folders."""
    missing = []
    parent = target.parent
    while parent not in made:
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True)
        made.add(folder)


@contextmanager
def _scratch(repo: DataRepo) -> Iterator[Path]:
    """A private folder (0700, `mkdtemp`) for the files read from git, removed after.

    In `.bedcap/tmp`, which the user knows is disposable and which shares the
    repository's disk (a small memory `/tmp` would fill up); in a read-only checkout the
    system's temporary folder, but never a folder inside the working tree, where
    `tempfile` falls back to when no temporary folder can be written."""
    try:
        repo.tmp_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="zoals-bekend-op-", dir=repo.tmp_dir))
    except OSError:  # a read-only checkout
        folder = Path(tempfile.mkdtemp(prefix="bedcap-zoals-bekend-op-"))
        if folder.resolve().is_relative_to(repo.root.resolve()):
            folder.rmdir()
            raise BedcapError(
                f"geen map voor tijdelijke bestanden: {repo.tmp_dir} en de tijdelijke map "
                "van het systeem zijn niet beschrijfbaar; zet TMPDIR op een map buiten de "
                "repository"
            ) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _years_at(root: Path, commit: str, op: dt.date) -> dict[str, list[str]]:
    """Per provider folder at `commit`, its year folders up to `op`'s year, newest first."""
    top = gittrees.list_dirs(root, commit, [SNAPSHOTS])
    owners = [rel for rel, (kind, _) in top.items() if kind == "tree"]
    years: dict[str, list[str]] = {}
    for rel, (kind, _) in gittrees.list_dirs(root, commit, owners).items():
        owner, year = rel.rsplit("/", 1)
        if kind == "tree" and len(year) == _YEAR_LEN and year.isdigit() and int(year) <= op.year:
            years.setdefault(owner, []).append(rel)
    return {owner: sorted(found, reverse=True) for owner, found in years.items()}


def _newest_at(root: Path, commit: str, op: dt.date) -> dict[str, str]:
    """Per provider the newest snapshot on or before `op` at `commit`, with its blob.

    Lists folders, not the tree: the providers, their years, then each provider's newest
    year up to `op` (an older one only when that has nothing usable), so a national
    commit costs three small `git ls-tree`s instead of listing 150,000 paths (0.8 s)."""
    pending = _years_at(root, commit, op)
    cutoff = f"{op.isoformat()}.parquet"

    def usable(rel: str) -> bool:
        pad = classify(rel)
        day = pad.peildatum
        return pad.soort is Bestandsoort.SNAPSHOT and day is not None and day <= op

    picked: dict[str, str] = {}
    while pending:
        folders = {owner: years.pop(0) for owner, years in pending.items()}
        newest = gittrees.newest_blobs(root, commit, list(folders.values()), cutoff, usable)
        for owner, folder in folders.items():
            if folder in newest:
                rel, blob = newest[folder]
                picked[rel] = blob
                pending[owner] = []
        pending = {owner: years for owner, years in pending.items() if years}
    return picked


@contextmanager
def current_known_at(
    repo: DataRepo, moment: dt.datetime, op: dt.date, jaren: set[int] | None = None
) -> Iterator[Bron]:
    """`available` as the dashboard showed it at `moment`: files and static data from git."""
    commit = _commit(repo, moment)
    picked = _newest_at(repo.root, commit, op)
    con = in_memory()
    try:
        bron = Bron(con, _statics_at(repo, commit, jaren or set()), commit=commit)
        with _scratch(repo) as folder:
            _extract(repo, picked, folder)
            _newest_bron(bron, folder, sorted(picked))
        yield bron
    finally:
        con.close()


@contextmanager
def history_known_at(
    repo: DataRepo,
    moment: dt.datetime,
    tot: dt.date,
    *,
    vandaag: dt.date,
    geen_cache: bool,
    progress: Progress | None = None,
    jaren: set[int] | None = None,
) -> Iterator[Bron]:
    """Every snapshot as committed at `moment`: the cache's rows of the files that are
    the same now, and the files that differ read from git (`_differing`)."""
    commit = _commit(repo, moment)
    if geen_cache:
        with _known_at_without_cache(repo, commit, tot) as bron:
            yield bron
        return
    from bedcap.store import worktree  # hashes files: only as known at

    dirty = worktree.start(repo)
    statisch = _statics_at(repo, commit, jaren or set())
    with open_store(repo, vandaag=vandaag, progress=progress) as con:
        changed, then = _differing(repo, commit, tot, dirty(con), vandaag=vandaag)
        uit = temp_list(con, "anders_dan_nu", sorted(changed))
        con.execute("CREATE TEMP TABLE snapshots_git AS SELECT * FROM snapshots LIMIT 0")
        # A view, not a copy: two million rows stay where they are (a copy took 5 s).
        con.execute(
            "CREATE TEMP VIEW snapshots_k AS SELECT s.* FROM snapshots s "
            f"ANTI JOIN {uit} u ON s.pad = u.waarde UNION ALL SELECT * FROM snapshots_git"
        )
        bron = Bron(con, statisch, snapshots="snapshots_k", commit=commit)
        with _scratch(repo) as folder:
            _extract(repo, then, folder)
            bron.onleesbaar = load_files(con, "snapshots_git", folder, sorted(then))
        bron.onleesbaar += [
            r[0]
            for r in con.execute(
                f"SELECT pad FROM bestanden b ANTI JOIN {uit} u ON b.pad = u.waarde "
                "WHERE NOT b.leesbaar AND b.peildatum <= ?",
                [tot],
            ).fetchall()
        ]
        _register(bron, "uit_git", [r for r in sorted(then) if r not in bron.onleesbaar])
        con.execute(
            "CREATE TEMP TABLE bestanden_k AS SELECT b.pad, b.aanbieder, b.peildatum "
            f"FROM bestanden b ANTI JOIN {uit} u ON b.pad = u.waarde "
            "WHERE b.leesbaar AND b.peildatum <= ? UNION ALL SELECT * FROM uit_git",
            [tot],
        )
        bron.bestanden = "bestanden_k"
        yield bron


def _differing(
    repo: DataRepo, commit: str, tot: dt.date, dirty: set[str], *, vandaag: dt.date
) -> tuple[set[str], dict[str, str]]:
    """The snapshot paths whose content at `commit` may differ from the working tree's
    (changed since, or `dirty` now), and of those the ones `commit` has up to `tot`,
    with their blobs there. Every other file of the tree is the same at `commit`.

    Year folders after `tot`'s are not compared: a file's year folder is its day's, so
    none of theirs counts (the questions take the files up to `tot`). A moment years
    back listed every file added since: 134,000 paths and 0.6 s for 2018 in ten
    national years."""
    later = range(tot.year + 1, max(tot.year, vandaag.year) + 2)
    skip = [f":(exclude,glob){SNAPSHOTS}/*/{year}/**" for year in later]
    since = gittrees.diff_blobs(repo.root, commit, "HEAD", [SNAPSHOTS, *skip])
    at_commit = {rel: blob for rel, blob in since.items() if blob}
    if dirty - set(since):
        at_commit.update(gitops.ls_tree_paths(repo.root, commit, sorted(dirty - set(since))))
    return set(since) | dirty, _until(at_commit, tot)


@contextmanager
def _known_at_without_cache(repo: DataRepo, commit: str, tot: dt.date) -> Iterator[Bron]:
    """`--geen-cache`: both whole trees listed, no cache consulted (the reference the
    cached answer is tested against). Files that are the same in the working tree are
    read there, the others from git."""
    then = _snapshots_at(repo, commit, tot)
    head = gitops.ls_tree(repo.root, "HEAD", SNAPSHOTS)
    dirty = gitops.dirty_under(repo.root, SNAPSHOTS, ignored=True)
    reuse = sorted(rel for rel, blob in then.items() if head.get(rel) == blob and rel not in dirty)
    kept = set(reuse)
    differ = {rel: blob for rel, blob in then.items() if rel not in kept}
    con = in_memory()
    try:
        statisch = _statics_from_git(repo, _statics_tree(repo, commit))
        bron = Bron(con, statisch, snapshots="snapshots", commit=commit)
        bron.onleesbaar = load_files(con, "snapshots", repo.root, reuse)
        with _scratch(repo) as folder:
            _extract(repo, differ, folder)
            bron.onleesbaar += load_files(con, "snapshots", folder, sorted(differ))
        _register(bron, "bestanden_k", sorted(set(then) - set(bron.onleesbaar)))
        bron.bestanden = "bestanden_k"
        yield bron
    finally:
        con.close()
