"""The questions the gate asks of git's history and index (issue 13), through `gitops`.

Kept apart from `gitops` (which runs git) so each stays readable: does one commit
descend from another, which commits a first-parent line adds, which file modes the
index records, and git's own receive guards on a server.
"""

from __future__ import annotations

from pathlib import Path

from bedcap.errors import GitError
from bedcap.files import gitops


def is_ancestor(root: Path, one: str, other: str) -> bool:
    """Whether `one` is `other` or one of its ancestors (a fast-forward from one to other)."""
    try:
        return gitops.merge_base(root, one, other) == gitops.rev_parse(root, one)
    except GitError:  # no common history
        return False


def first_parents(root: Path, base: str, head: str) -> list[str]:
    """The commits on `head`'s first-parent line that `base` lacks, oldest first."""
    out = gitops.git_bytes(root, "rev-list", "--first-parent", "--reverse", f"{base}..{head}")
    return out.decode().split()


def index_modes(root: Path, paths: list[str], everything: bool = True) -> dict[str, str] | None:
    """Path → file mode in the index for paths below `paths` (without `everything`, only
    those not 100644); None when `root` is not the top of a git work tree (a plain folder,
    or a folder inside another repository)."""
    try:
        top = gitops.git_bytes(root, "rev-parse", "--show-toplevel").decode().strip()
    except (GitError, OSError):
        return None
    if Path(top).resolve() != root.resolve():
        return None
    if not everything and _all_regular(root, paths or ["."]):
        return {}
    out = gitops.git_bytes(root, "ls-files", "-s", "-z", "--", *(paths or ["."]))
    found: dict[str, str] = {}
    for record in out.split(b"\0"):
        if record.startswith(b"100644 ") and not everything:
            continue  # a regular file: 150,000 of them at national scale, none a finding
        meta, _, path = record.partition(b"\t")
        if meta:
            found[path.decode("utf-8", "surrogateescape")] = meta.split()[0].decode()
    return found


def _all_regular(root: Path, paths: list[str]) -> bool:
    """Whether every index entry below `paths` is a regular file: the modes alone are 1 MB
    at national scale where the full listing is 18 MB (0.15 s less to read and split).
    False when git is older than 2.38 (no `--format`): the caller then lists in full."""
    try:
        out = gitops.git_bytes(root, "ls-files", "-z", "--format=%(objectmode)", "--", *paths)
    except GitError:
        return False
    return not out.replace(b"100644\0", b"")


def set_config(root: Path, key: str, value: str) -> None:
    """Set one git setting of a repository (a bare one too)."""
    gitops.git_bytes(root, "config", key, value)
