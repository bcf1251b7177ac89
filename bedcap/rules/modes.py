"""Only regular, non-executable files under `data/` (issue 13).

A gitlink (submodule entry) or an executable placed under `data/` is no file the contract
knows: a gitlink shows up in a checkout as an empty folder, so the file rules never see
it, while a listing of paths counts the day as received. Where there is a repository the
modes come from git's index (what a commit would record); elsewhere from the file system.
"""

from __future__ import annotations

import stat
from pathlib import Path

from bedcap.files import githistory
from bedcap.findings.catalogue import Finding, finding

REGULAR = "100644"
LABELS = {
    "100755": "uitvoerbaar (modus 100755)",
    "120000": "een symbolische link (modus 120000)",
    "160000": "een submodule (modus 160000)",
}


def label(mode: str) -> str:
    """How a git file mode reads in a finding."""
    return LABELS.get(mode, f"modus {mode}")


def mode_findings(root: Path, paden: list[str]) -> list[Finding]:
    """A finding for every path below `paden` (repository paths) that is no regular file."""
    modes = githistory.index_modes(root, paden, everything=False)
    if modes is None:
        modes = _disk_modes(root, paden)
    return [
        finding("geen-gewoon-bestand", rel, gevonden=label(mode))
        for rel, mode in sorted(modes.items())
        if rel.startswith("data/") and mode not in (REGULAR, "120000")  # symlinks: own code
    ]


def _disk_modes(root: Path, paden: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for rel in paden:
        top = root / rel
        candidates = [top] if top.is_file() else top.rglob("*") if top.is_dir() else []
        for path in candidates:
            info = path.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_mode & 0o111:
                found[path.relative_to(root).as_posix()] = "100755"
    return found
