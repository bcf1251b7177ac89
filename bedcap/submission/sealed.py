"""Writing confidential files: seal them to the registry's keys, commit them as one change.

Used by `bedcap financiering submit`, the logbook export and `bedcap herversleutel`. The
recipients come from the work tree's `deelnemers.yaml`, which on a clone up to date with
main is the registry the gate judges against. The commit is made like `bedcap submit`
makes it: nothing else staged, plumbing so the index is written once, signed when git has
a signing key, the work tree restored when anything fails, pushed with retries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedcap.errors import BedcapError, UsageError
from bedcap.files import agefile, gitops
from bedcap.files.repo import LCBB, DataRepo, classify
from bedcap.gate.confidential import has_own_key, prescribed, registry_keys

ZERO = "0" * 40


def recipients(repo: DataRepo, eigenaar: str) -> list[str]:
    """The public key lines a file of `eigenaar` is encrypted to, or why there are none."""
    keys = registry_keys(repo)
    chosen = prescribed(eigenaar, keys)
    if eigenaar != LCBB and not has_own_key(eigenaar, keys):
        raise BedcapError(
            f"data/deelnemers.yaml geeft {eigenaar} geen beheerder met een sleutel waarnaar "
            "age kan versleutelen (ssh-ed25519 of ssh-rsa); vraag de LCBB die toe te voegen"
        )
    if not any(b.lcbb for b in chosen):
        raise BedcapError(
            "data/deelnemers.yaml geeft de LCBB geen beheerder met een ssh-ed25519- of "
            "ssh-rsa-sleutel; zonder die sleutel kan niemand de rapportage maken"
        )
    return [b.signing_key for b in chosen]


def seal(repo: DataRepo, rel: str, plaintext: bytes) -> bytes:
    """`plaintext` encrypted to the owner of `rel` and the LCBB."""
    return agefile.encrypt(plaintext, recipients(repo, classify(rel).eigenaar))


def identity_paths(given: Path | None, root: Path | None = None) -> list[Path]:
    """The private key(s) to decrypt with: the one given (`--identiteit`/BEDCAP_IDENTITEIT),
    else, when `root` is a clone, the key git signs with (`user.signingkey`), since a
    maintainer's signing key is a recipient: nobody needs a new kind of key."""
    if given is not None:
        return [given]
    if root is None:
        return []
    try:
        configured = gitops.config_value(gitops.open_repo(root), "user.signingkey")
    except BedcapError:
        return []
    if not configured or configured.startswith(("ssh-", "key::")):
        return []
    path = Path(configured).expanduser()
    private = path.with_suffix("") if path.suffix == ".pub" else path
    return [private] if private.is_file() else []


def load_identities(paths: Sequence[Path]) -> list[Any]:
    """Identities from key files; a file that is no usable private key is a usage error."""
    try:
        return agefile.load_identities(paths)
    except agefile.IdentityError as exc:
        raise UsageError(f"--identiteit {exc}") from exc


@dataclass(frozen=True)
class Vastgelegd:
    """One commit of confidential files: its id, the paths, and the push when asked."""

    commit: str
    paden: tuple[str, ...]
    pushed: gitops.Pushed | None = None


def _commit(root: Path, writes: Mapping[str, bytes | None], message: str, sign: bool) -> str:
    """Commit exactly `writes` (None: removed) on top of HEAD with plumbing, in batches."""
    parent = gitops.git_bytes(root, "rev-parse", "HEAD").decode().strip()
    written = [rel for rel, data in writes.items() if data is not None]
    blobs: list[str] = []
    if written:
        paths = "\n".join(written).encode()
        blobs = (
            gitops.git_bytes(root, "hash-object", "-w", "--stdin-paths", stdin=paths)
            .decode()
            .split()
        )
    info = [f"100644 {blob}\t{rel}" for rel, blob in zip(written, blobs, strict=True)]
    info += [f"0 {ZERO}\t{rel}" for rel, data in writes.items() if data is None]
    gitops.git_bytes(root, "update-index", "--index-info", stdin=("\n".join(info) + "\n").encode())
    tree = gitops.git_bytes(root, "write-tree").decode().strip()
    args = ["commit-tree", tree, "-p", parent, "-m", message.rstrip("\n")]
    commit = gitops.git_bytes(root, *args, *(["-S"] if sign else [])).decode().strip()
    gitops.git_bytes(root, "update-ref", "-m", "bedcap", "HEAD", commit, parent)
    return commit


def commit_files(
    repo: DataRepo,
    writes: Mapping[str, bytes | None],
    message: str,
    *,
    push: bool = True,
    sign: bool | None = None,
) -> Vastgelegd:
    """Write (bytes) or remove (None) exactly these paths and commit them as one commit.

    Refused when anything is staged already; when the commit fails, every path is put
    back as HEAD has it. `sign` None signs when git has a signing key.
    """
    from bedcap.files.yamlio import atomic_write

    git_repo = gitops.open_repo(repo.root)
    staged = gitops.staged_paths(git_repo)
    if staged:
        raise BedcapError(
            f"er staan al wijzigingen klaar in de git-index ({', '.join(staged[:3])}); "
            "commit of unstage die eerst"
        )
    has_key = gitops.config_value(git_repo, "user.signingkey") is not None
    if sign and not has_key:
        raise BedcapError("--sign gevraagd, maar git kent geen user.signingkey")
    tracked = {rel: gitops.exists_at_head(git_repo, rel) for rel in writes}
    try:
        for rel, data in writes.items():
            if data is None:
                repo.path(rel).unlink(missing_ok=True)
            else:
                atomic_write(repo.path(rel), data, repo.tmp_dir)
        sha = _commit(repo.root, writes, message, has_key if sign is None else sign)
    except BaseException:
        for rel in writes:
            gitops.restore_path(git_repo, rel, tracked=tracked[rel])
        raise
    pushed = gitops.push_with_retry(git_repo) if push else None
    return Vastgelegd(sha, tuple(writes), pushed)
