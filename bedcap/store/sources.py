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
from bedcap.files import gitops
from bedcap.files.repo import DEELNEMERS, LOCATIES, SNAPSHOTS, Bestandsoort, DataRepo, classify
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
    """The newest file per provider on or before `op`, read straight from the tree."""
    con = in_memory()
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
        yield Bron(con, statics.load(repo, jaren or set()), onleesbaar=bad)


def _commit(repo: DataRepo, moment: dt.datetime) -> str:
    commit = gitops.commit_at(repo.root, moment)
    if commit is None:
        raise NoCommitError(
            f"er is geen commit op of vóór {moment.isoformat(timespec='seconds')}; "
            "kies een later tijdstip"
        )
    return commit


def _statics_at(repo: DataRepo, commit: str) -> statics.Statisch:
    tree = gitops.ls_tree(repo.root, commit, LOCATIES)
    tree.update(
        {p: b for p, b in gitops.ls_tree(repo.root, commit, DEELNEMERS).items() if p == DEELNEMERS}
    )
    blobs = gitops.read_blobs(repo.root, tree.values())
    return statics.from_files({rel: blobs[blob] for rel, blob in tree.items()})


def _snapshots_at(repo: DataRepo, commit: str, tot: dt.date) -> dict[str, str]:
    tree = gitops.ls_tree(repo.root, commit, SNAPSHOTS)
    keep = {}
    for rel, blob in tree.items():
        pad = classify(rel)
        if pad.soort is Bestandsoort.SNAPSHOT and pad.peildatum and pad.peildatum <= tot:
            keep[rel] = blob
    return keep


def _extract(repo: DataRepo, files: dict[str, str], into: Path) -> None:
    blobs = gitops.read_blobs(repo.root, files.values())
    for rel, blob in files.items():
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blobs[blob])


@contextmanager
def _scratch(repo: DataRepo) -> Iterator[Path]:
    base = repo.tmp_dir if repo.tmp_dir.parent.is_dir() else None
    if base is not None:
        base.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="zoals-bekend-op-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _newest_per_provider(tree: dict[str, str], op: dt.date) -> list[str]:
    """Per provider the newest snapshot path on or before `op`, classifying only the
    candidates (classifying all 150,000 paths of a national commit took 3.5 s)."""
    cutoff = f"{op.isoformat()}.parquet"
    by_owner: dict[str, list[str]] = {}
    for rel in tree:
        parts = rel.split("/")
        if len(parts) == 5 and parts[4] <= cutoff:
            by_owner.setdefault(parts[2], []).append(rel)
    found = []
    for rels in by_owner.values():
        for rel in sorted(rels, key=lambda r: r.rsplit("/", 1)[1], reverse=True):
            pad = classify(rel)
            if pad.soort is Bestandsoort.SNAPSHOT and pad.peildatum and pad.peildatum <= op:
                found.append(rel)
                break
    return found


@contextmanager
def current_known_at(repo: DataRepo, moment: dt.datetime, op: dt.date) -> Iterator[Bron]:
    """`available` as the dashboard showed it at `moment`: files and static data from git."""
    commit = _commit(repo, moment)
    tree = gitops.ls_tree(repo.root, commit, SNAPSHOTS)
    picked = {rel: tree[rel] for rel in _newest_per_provider(tree, op)}
    con = in_memory()
    try:
        bron = Bron(con, _statics_at(repo, commit), commit=commit)
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
) -> Iterator[Bron]:
    """Every snapshot as committed at `moment`; unchanged files come from the cache."""
    commit = _commit(repo, moment)
    then = _snapshots_at(repo, commit, tot)
    head = gitops.ls_tree(repo.root, "HEAD", SNAPSHOTS)
    dirty = gitops.dirty_under(repo.root, SNAPSHOTS)
    reuse = [rel for rel, blob in then.items() if head.get(rel) == blob and rel not in dirty]
    kept = set(reuse)
    differ = {rel: blob for rel, blob in then.items() if rel not in kept}
    statisch = _statics_at(repo, commit)
    if geen_cache:
        con = in_memory()
        bron = Bron(con, statisch, snapshots="snapshots", commit=commit)
        # Unchanged files are the same bytes in the working tree: read them there.
        bron.onleesbaar = load_files(con, "snapshots", repo.root, sorted(reuse))
        try:
            yield _add_differing(repo, bron, then, differ)
        finally:
            con.close()
        return
    with open_store(repo, vandaag=vandaag, progress=progress) as con:
        con.execute(
            "CREATE TEMP TABLE snapshots_k AS SELECT s.* FROM snapshots s WHERE s.pad IN "
            f"(SELECT waarde FROM {temp_list(con, 'hergebruik', reuse)})"
        )
        bron = Bron(con, statisch, snapshots="snapshots_k", commit=commit)
        yield _add_differing(repo, bron, then, differ)


def _add_differing(
    repo: DataRepo, bron: Bron, then: dict[str, str], differ: dict[str, str]
) -> Bron:
    """Files that differ from the working tree, read from git into the bron's row table."""
    with _scratch(repo) as folder:
        _extract(repo, differ, folder)
        bron.onleesbaar += load_files(bron.con, bron.snapshots, folder, sorted(differ))
    _register(bron, "bestanden_k", sorted(set(then) - set(bron.onleesbaar)))
    bron.bestanden = "bestanden_k"
    return bron
