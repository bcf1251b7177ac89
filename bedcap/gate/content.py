"""What a change leaves on the branch: the head's files it touches, validated.

Only the files needed are read from git's object store (a hook on a bare repository has
no work tree): the registries, every location, the changed files, and the recent
snapshots of a provider whose location files change or go (issue 13: a change leaves the
head valid, so deleting a location whose wards recent snapshots name is refused).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from bedcap.files import gitops
from bedcap.files.repo import (
    CONTRA_INDICATIES,
    DEELNEMERS,
    LOCATIES,
    REGIOS,
    SETTINGS,
    SNAPSHOTS,
    Bestandsoort,
    DataRepo,
    classify,
)
from bedcap.findings.catalogue import Finding, finding

if TYPE_CHECKING:
    from bedcap.gate.check import Wijziging


def _materialize(
    root: Path, head: str, changed: list[str], deleted: list[str], target: Path, since: dt.date
) -> list[str]:
    """The head's files that validating `changed` reads, written below `target`.

    Returns the snapshots inside the window of every provider whose location files the
    change deletes: they may now name wards that no longer exist (issue 13: a change
    leaves the head valid).
    """
    wanted: dict[str, str] = {}
    for under in (SETTINGS, DEELNEMERS, REGIOS, CONTRA_INDICATIES):
        wanted.update(gitops.ls_tree(root, head, under))
    present = gitops.ls_tree_paths(root, head, changed) if changed else {}
    parsed = [classify(p) for p in [*present, *deleted]]
    # Validation reads every location only when a registry (or a path of no provider) is
    # in scope; otherwise only the providers' own, so only those are written (issue 18:
    # 150 files written and removed again were a third of a one-day check).
    owners = {p.aanbieder for p in parsed}
    for rel, blob in gitops.ls_tree(root, head, LOCATIES).items():
        if None in owners or rel.split("/")[2] in owners:
            wanted[rel] = blob
    wanted.update(present)
    touched = {p.aanbieder for p in parsed if p.soort is Bestandsoort.LOCATIE and p.aanbieder}
    gone = {classify(p).aanbieder for p in deleted if classify(p).soort is Bestandsoort.LOCATIE}
    extra: list[str] = []
    for aanbieder in sorted(touched):
        for rel, blob in gitops.ls_tree(root, head, f"{SNAPSHOTS}/{aanbieder}").items():
            day = classify(rel).peildatum
            if day is not None and day >= since:
                wanted[rel] = blob
                extra += [rel] if aanbieder in gone else []
    blobs = gitops.read_blobs(root, wanted.values())
    for rel, blob in wanted.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blobs[blob])
    return extra


def content_findings(
    root: Path, net: list[Wijziging], head: str, today: dt.date, window: dt.date, tmp: Path
) -> list[Finding]:
    """What the range changes, validated as the head has it."""
    from bedcap.rules.validate import validate_repo

    found: list[Finding] = []
    changed = sorted({c.pad for c in net if c.status != "D"})
    for rel in changed:
        day = classify(rel).peildatum
        if classify(rel).soort is not Bestandsoort.SNAPSHOT or day is None:
            continue
        if day > today:
            found.append(finding("snapshot-in-toekomst", rel, gevonden=day, verwacht=f"≤ {today}"))
        elif day < window:
            found.append(finding("buiten-correctievenster", rel, gevonden=day, verwacht=window))
    in_data = [rel for rel in changed if rel.startswith("data/")]
    deleted = sorted(
        {p for c in net if c.status in "DR" for p in ([c.van] if c.van else [c.pad])} - set(changed)
    )
    deleted = [rel for rel in deleted if rel.startswith("data/")]
    if in_data or deleted:
        work = tmp / "head"
        work.mkdir()
        extra = _materialize(root, head, in_data, deleted, work, window)
        if (work / SETTINGS).is_file():
            targets = in_data + [rel for rel in deleted if classify(rel).aanbieder is None] + extra
            found += validate_repo(DataRepo(work), targets, today=today).problems
    return found
