"""The gate on a change (`--base..--head`), commit by commit; the state is in `state`.

A change is judged against the base revision: the keys in its `deelnemers.yaml` and the
settings in its `bedcap.toml`, never those the change brings along. Every commit of the
range, merges included, must touch paths of one owner and be signed by one of that
owner's maintainers, committed under that maintainer's e-mail. What the range changes is
then validated as the head has it, with the cross-file rules it touches.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedcap.errors import GitError
from bedcap.files import githistory, gitops, gittrees
from bedcap.files.repo import (
    CACHE_DIR,
    DEELNEMERS,
    LCBB,
    SETTINGS,
    Bestandsoort,
    classify,
    parse_settings,
)
from bedcap.findings.catalogue import Finding, Result, finding
from bedcap.gate import access, confidential, records
from bedcap.gate.content import content_findings

COMMIT = "(commit)"  # the place of a finding about a commit as a whole
SYMLINK_MODE = "120000"


@dataclass(frozen=True)
class Wijziging:
    """One path a commit changes; `van` is the old path of a rename or copy."""

    status: str
    pad: str
    mode: str = "100644"
    van: str | None = None
    blob: str = ""

    def paden(self) -> list[str]:
        return [self.pad] if self.van is None else [self.van, self.pad]


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    handtekening: str  # git's %G?: G good, N none, U/E/B/X/Y/R otherwise
    ondertekenaar: str  # the principal (e-mail) the allowed-signers file gave the key
    committer_email: str
    tijd: dt.datetime = dt.datetime.fromtimestamp(0, dt.UTC)  # the committer time
    trailers: str = ""

    @property
    def kort(self) -> str:
        return self.sha[:12]


def _parse_raw(out: bytes) -> list[Wijziging]:
    """`git diff-tree -r -z --raw -M` records."""
    parts = out.split(b"\0")
    found: list[Wijziging] = []
    i = 0
    while i < len(parts):
        meta = parts[i]
        if not meta.startswith(b":"):
            i += 1
            continue
        fields = meta[1:].split()
        status = fields[4].decode()
        new_mode, blob = fields[1].decode(), fields[3].decode()
        if status[0] in "RC":
            van, pad = parts[i + 1].decode(), parts[i + 2].decode()
            found.append(Wijziging(status[0], pad, new_mode, van, blob))
            i += 3
        else:
            found.append(Wijziging(status[0], parts[i + 1].decode(), new_mode, blob=blob))
            i += 2
    return found


def _entries(root: Path, rev: str, paths: list[str]) -> dict[str, tuple[str, str]]:
    """Path → (mode, object id) at `rev`, for the given paths that exist there."""
    entries = gittrees.ls_entries(root, rev, paths)
    return {path: (mode, oid) for path, (mode, _, oid) in entries.items()}


def commit_changes(root: Path, commit: Commit, base: str | None = None) -> list[Wijziging]:
    """What a commit changes on its branch: against its (first) parent.

    A merge is judged by its effect, like any commit (issue 13): git's combined diff hides
    a path equal to one parent, so a merge with an old ancestor as a parent, first or
    second, could drop a file or bring back an old registry unseen. Every path that
    differs from any parent counts, except one whose result is exactly the base's (a
    merge bringing the branch up to date).
    """
    args = ["diff-tree", "-r", "-z", "--raw", "-M", "--no-commit-id"]
    if not commit.parents:
        return _parse_raw(gitops.git_bytes(root, *args, "--root", commit.sha))
    changes = _parse_raw(gitops.git_bytes(root, *args, commit.parents[0], commit.sha))
    if len(commit.parents) == 1 or base is None:
        return changes
    # Against every parent: with an old commit as first parent, a path brought back to
    # its old content equals that parent and differs only from the others.
    seen = {(c.pad, c.van) for c in changes}
    for parent in commit.parents[1:]:
        for c in _parse_raw(gitops.git_bytes(root, *args, parent, commit.sha)):
            if (c.pad, c.van) not in seen:
                seen.add((c.pad, c.van))
                changes.append(c)
    at_base = _entries(root, base, sorted({p for c in changes for p in c.paden()}))
    return [
        c
        for c in changes
        if c.van is not None
        or (at_base.get(c.pad) != (c.mode, c.blob) if c.status != "D" else c.pad in at_base)
    ]


def _commits(root: Path, base: str, head: str, signers_file: Path) -> list[Commit]:
    fmt = "%H%x1f%P%x1f%G?%x1f%GS%x1f%ce%x1f%ct%x1f%(trailers:only,unfold)%x1e"
    out = gitops.git_bytes(
        root,
        "-c",
        f"gpg.ssh.allowedSignersFile={signers_file}",
        "log",
        "--topo-order",
        "--reverse",
        f"--format={fmt}",
        f"{base}..{head}",
    ).decode("utf-8", "replace")
    commits = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, parents, status, signer, email, stamp, trailers = record.split("\x1f")
        tijd = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
        commits.append(
            Commit(
                sha, tuple(parents.split()), status, signer.strip(), email.strip(), tijd, trailers
            )
        )
    return commits


def _registry_at(root: Path, rev: str, rel: str) -> Any:
    from bedcap.files.yamlio import parse_yaml

    raw = gitops.show_file(root, rev, rel)
    if raw is None:
        return None
    loaded = parse_yaml(raw.decode("utf-8-sig", "replace"), rel)
    return loaded.data


def settings_at(root: Path, rev: str) -> Any:
    """`bedcap.toml` as the base has it: defaults before `init` wrote it, SettingsError
    when it is there but unreadable."""
    from bedcap.contract.model import Instellingen

    raw = gitops.show_file(root, rev, SETTINGS)
    return Instellingen() if raw is None else parse_settings(raw, f"{SETTINGS} in {rev[:12]}")


MODES = {"100755": "uitvoerbaar (modus 100755)", "160000": "een submodule (modus 160000)"}


def _mode_findings(change: Wijziging, kort: str) -> list[Finding]:
    """A symlink nowhere; under `data/` only regular, non-executable files (issue 13)."""
    if change.status == "D":
        return []
    if change.mode == SYMLINK_MODE:
        return [finding("bestand-symlink", change.pad, commit=kort)]
    if change.pad.startswith("data/") and change.mode != "100644":
        label = MODES.get(change.mode, f"modus {change.mode}")
        return [finding("geen-gewoon-bestand", change.pad, commit=kort, gevonden=label)]
    return []


def same_name(part: str, name: str) -> bool:
    """Whether a path part names `name` (".bedcap", ".git") on some clone's file system:
    one that folds case, ignores format characters (HFS+) or trailing dots and spaces,
    or has 8.3 short names (Windows), as git guards `.git`."""
    kept = "".join(c for c in unicodedata.normalize("NFC", part) if unicodedata.category(c) != "Cf")
    folded = kept.rstrip(". ").casefold()
    short = name.lstrip(".")[:6].casefold()
    return folded == name or re.fullmatch(rf"{re.escape(short)}~[0-9]+", folded) is not None


def _commit_findings(
    commit: Commit, changes: list[Wijziging], keys: list[access.Beheerder]
) -> list[Finding]:
    found: list[Finding] = []
    paths = [p for change in changes for p in change.paden()]
    for change in changes:
        for pad in change.paden():
            parsed = classify(pad)
            bad = [p for p in pad.split("/") if p in ("", ".", "..") or same_name(p, ".git")]
            if parsed.soort is Bestandsoort.ONGELDIG and ".." in Path(pad).parts:
                reden = parsed.reden
            elif bad:  # a tree git itself would refuse to check out: every clone breaks
                reden = f"pad bevat het deel {bad[0]!r}, dat git niet uitpakt"
            else:
                continue
            found.append(finding("ongeldig-pad", pad, commit=commit.kort, reden=reden, verwacht=""))
        found.extend(_mode_findings(change, commit.kort))
        if change.status != "D" and same_name(change.pad.split("/", 1)[0], CACHE_DIR):
            found.append(finding("afgeleid-bestand", change.pad, commit=commit.kort))
    owners = sorted({access.owner(p) for p in paths})
    rekey = access.only_confidential(paths)  # issue 15: the LCBB re-encrypts for everyone
    if len(owners) > 1 and not rekey:
        found.append(
            finding(
                "commit-meerdere-eigenaren",
                COMMIT,
                commit=commit.kort,
                gevonden=", ".join(owners),
            )
        )
    if commit.handtekening == "N":
        found.append(finding("commit-niet-ondertekend", COMMIT, commit=commit.kort))
        return found
    if commit.handtekening != "G" or not commit.ondertekenaar:
        found.append(
            finding(
                "commit-onbekende-sleutel",
                COMMIT,
                commit=commit.kort,
                gevonden=commit.handtekening,
            )
        )
        return found
    if commit.committer_email != commit.ondertekenaar:
        found.append(
            finding(
                "committer-wijkt-af",
                COMMIT,
                commit=commit.kort,
                gevonden=commit.committer_email,
                verwacht=commit.ondertekenaar,
            )
        )
    for pad in sorted(set(paths)):
        eigenaar = access.owner(pad)
        if not access.may_sign_for(commit.ondertekenaar, eigenaar, keys) and not (
            rekey and access.may_rekey(commit.ondertekenaar, keys)
        ):
            found.append(
                finding(
                    "pad-van-ander",
                    pad,
                    commit=commit.kort,
                    gevonden=commit.ondertekenaar,
                    verwacht=eigenaar if eigenaar != LCBB else "een beheerder van de LCBB",
                )
            )
    return found


def _judge_commits(
    root: Path,
    commits: list[Commit],
    keys: list[access.Beheerder],
    span: tuple[str, str],
    moments: tuple[dt.datetime | None, dt.datetime | None],
) -> list[Finding]:
    """Ownership, signature, file modes, trailers and dates of every commit of `span`
    (base, head); `moments` are now and the moment a hook receives the push."""
    (base, head), (nu, ontvangen) = span, moments
    arrivals = set(githistory.first_parents(root, base, head)) if ontvangen else set()
    found: list[Finding] = []
    written: list[tuple[Commit, str, str]] = []  # (commit, snapshot, blob) a commit writes
    for commit in commits:
        changes = commit_changes(root, commit, base)
        found += _commit_findings(commit, changes, keys)
        found += records.trailer_findings(
            commit.kort, commit.trailers, [p for c in changes for p in c.paden()]
        )
        snapshots = [
            c
            for c in changes
            if c.status != "D" and classify(c.pad).soort is Bestandsoort.SNAPSHOT and c.blob
        ]
        brings = ontvangen if commit.sha in arrivals and snapshots else None
        found += records.commit_time_findings(commit.kort, commit.tijd, nu, brings)
        if len(commit.parents) <= 1:  # a merge writes nothing itself: its branch's commits do
            written += [(commit, c.pad, c.blob) for c in snapshots]
    blobs = gitops.read_blobs(root, [blob for _, _, blob in written])
    for commit, rel, blob in written:
        found += records.submitted_findings(commit.kort, commit.tijd, {rel: blobs[blob]})
    return found


def check_change(
    root: Path,
    base: str,
    head: str,
    today: dt.date,
    *,
    registry: str | None = None,
    nu: dt.datetime | None = None,
    ontvangen: dt.datetime | None = None,
) -> Result:
    """Every finding about the commits `base..head` and about what they change.

    `registry`: the revision whose `deelnemers.yaml` and `bedcap.toml` count (default
    `base`); the hook gives the protected branch's tip for a new ref, and then `head` need
    not descend from `base`. Otherwise it must (a fast-forward): a head that drops commits
    of the base is refused. `nu`: no commit may be dated later. `ontvangen`: the moment a
    hook receives a push to the protected branch; a commit of its first-parent line that
    brings a snapshot must be that recent (`timeliness.TOLERANTIE`).
    """
    from bedcap.rules.validate import correctable_from

    base_sha = gitops.rev_parse(root, base)
    head_sha = gitops.rev_parse(root, head)
    registry_sha = base_sha if registry is None else gitops.rev_parse(root, registry)
    keys = access.beheerders(_registry_at(root, registry_sha, DEELNEMERS))
    window = correctable_from(settings_at(root, registry_sha), today)
    result = Result()
    fork = base_sha
    if not githistory.is_ancestor(root, base_sha, head_sha):
        if registry is None:
            result.extend(
                [
                    finding(
                        "geen-fast-forward",
                        head,
                        commit=head_sha[:12],
                        gevonden=base_sha[:12],
                        verwacht=base,
                    )
                ]
            )
        try:
            fork = gitops.merge_base(root, base_sha, head_sha)
        except GitError:  # no common history at all: every commit of the head is judged
            fork = base_sha
    with tempfile.TemporaryDirectory(prefix="bedcap-check-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(access.allowed_signers(keys), encoding="utf-8")
        commits = _commits(root, base_sha, head_sha, signers)
        if commits:
            result.extend(
                _judge_commits(root, commits, keys, (base_sha, head_sha), (nu, ontvangen))
            )
        net = _parse_raw(
            gitops.git_bytes(root, "diff-tree", "-r", "-z", "--raw", "-M", fork, head_sha)
        )
        result.extend(content_findings(root, net, head_sha, today, window, Path(tmp)))
        in_data = sorted({c.pad for c in net if c.status != "D" and c.pad.startswith("data/")})
        if in_data:
            result.extend(confidential.change_findings(root, head_sha, in_data, keys))
        result.bestanden = len({c.pad for c in net} | {c.van for c in net if c.van})
    if not commits:
        result.bestanden = 0
    return result
