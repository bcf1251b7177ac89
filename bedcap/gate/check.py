"""The gate on a change (`--base..--head`), commit by commit; the state is in `state`.

A change is judged against the base revision: the keys in its `deelnemers.yaml` and the
settings in its `bedcap.toml`, never those the change brings along. Every commit of the
range, merges included, must touch paths of one owner and be signed by one of that
owner's maintainers, committed under that maintainer's e-mail. What the range changes is
then validated as the head has it, with the cross-file rules it touches.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedcap.files import gitops
from bedcap.files.repo import (
    CONTRA_INDICATIES,
    DEELNEMERS,
    LCBB,
    LOCATIES,
    REGIOS,
    SETTINGS,
    SNAPSHOTS,
    Bestandsoort,
    DataRepo,
    classify,
    parse_settings,
)
from bedcap.findings.catalogue import Problem, Result, problem
from bedcap.gate import access, confidential

COMMIT = "(commit)"  # the place of a finding about a commit as a whole
SYMLINK_MODE = "120000"


@dataclass(frozen=True)
class Wijziging:
    """One path a commit changes; `van` is the old path of a rename or copy."""

    status: str
    pad: str
    mode: str = "100644"
    van: str | None = None

    def paden(self) -> list[str]:
        return [self.pad] if self.van is None else [self.van, self.pad]


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    handtekening: str  # git's %G?: G good, N none, U/E/B/X/Y/R otherwise
    ondertekenaar: str  # the principal (e-mail) the allowed-signers file gave the key
    committer_email: str

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
        new_mode = fields[1].decode()
        if status[0] in "RC":
            van, pad = parts[i + 1].decode(), parts[i + 2].decode()
            found.append(Wijziging(status[0], pad, new_mode, van))
            i += 3
        else:
            found.append(Wijziging(status[0], parts[i + 1].decode(), new_mode))
            i += 2
    return found


def commit_changes(root: Path, commit: Commit) -> list[Wijziging]:
    """What a commit changes: against its parent, or for a merge what it adds of its own."""
    if len(commit.parents) > 1:
        out = gitops.git_bytes(root, "diff-tree", "-r", "-z", "--cc", "--name-only", commit.sha)
        names = [p.decode() for p in out.split(b"\0") if p and p.decode() != commit.sha]
        return [Wijziging("M", name) for name in names]
    args = ["diff-tree", "-r", "-z", "--raw", "-M", "--no-commit-id"]
    if not commit.parents:
        args.append("--root")
    return _parse_raw(gitops.git_bytes(root, *args, commit.sha))


def _commits(root: Path, base: str, head: str, signers_file: Path) -> list[Commit]:
    fmt = "%H%x1f%P%x1f%G?%x1f%GS%x1f%ce%x1e"
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
        sha, parents, status, signer, email = record.split("\x1f")
        commits.append(Commit(sha, tuple(parents.split()), status, signer.strip(), email.strip()))
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


def _commit_findings(
    commit: Commit, changes: list[Wijziging], keys: list[access.Beheerder]
) -> list[Problem]:
    found: list[Problem] = []
    paths = [p for change in changes for p in change.paden()]
    for change in changes:
        for pad in change.paden():
            parsed = classify(pad)
            if parsed.soort is Bestandsoort.ONGELDIG and ".." in Path(pad).parts:
                found.append(
                    problem(
                        "ongeldig-pad", pad, commit=commit.kort, reden=parsed.reden, verwacht=""
                    )
                )
        if change.mode == SYMLINK_MODE:
            found.append(problem("bestand-symlink", change.pad, commit=commit.kort))
    owners = sorted({access.owner(p) for p in paths})
    rekey = access.only_confidential(paths)  # issue 15: the LCBB re-encrypts for everyone
    if len(owners) > 1 and not rekey:
        found.append(
            problem(
                "commit-meerdere-eigenaren",
                COMMIT,
                commit=commit.kort,
                gevonden=", ".join(owners),
            )
        )
    if commit.handtekening == "N":
        found.append(problem("commit-niet-ondertekend", COMMIT, commit=commit.kort))
        return found
    if commit.handtekening != "G" or not commit.ondertekenaar:
        found.append(
            problem(
                "commit-onbekende-sleutel",
                COMMIT,
                commit=commit.kort,
                gevonden=commit.handtekening,
            )
        )
        return found
    if commit.committer_email != commit.ondertekenaar:
        found.append(
            problem(
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
                problem(
                    "pad-van-ander",
                    pad,
                    commit=commit.kort,
                    gevonden=commit.ondertekenaar,
                    verwacht=eigenaar if eigenaar != LCBB else "een beheerder van de LCBB",
                )
            )
    return found


def _materialize(root: Path, head: str, changed: list[str], target: Path, since: dt.date) -> None:
    """The head's files that validating `changed` reads, written below `target`."""
    wanted: dict[str, str] = {}
    for under in (SETTINGS, DEELNEMERS, REGIOS, CONTRA_INDICATIES, LOCATIES):
        wanted.update(gitops.ls_tree(root, head, under))
    present = gitops.ls_tree_paths(root, head, changed) if changed else {}
    wanted.update(present)
    parsed = [classify(p) for p in present]
    touched = {p.aanbieder for p in parsed if p.soort is Bestandsoort.LOCATIE and p.aanbieder}
    for aanbieder in sorted(touched):
        for rel, blob in gitops.ls_tree(root, head, f"{SNAPSHOTS}/{aanbieder}").items():
            day = classify(rel).peildatum
            if day is not None and day >= since:
                wanted[rel] = blob
    blobs = gitops.read_blobs(root, wanted.values())
    for rel, blob in wanted.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blobs[blob])


def check_change(root: Path, base: str, head: str, today: dt.date) -> Result:
    """Every finding about the commits `base..head` and about what they change."""
    from bedcap.rules.validate import correctable_from, validate_repo

    base_sha = gitops.rev_parse(root, base)
    head_sha = gitops.rev_parse(root, head)
    keys = access.beheerders(_registry_at(root, base_sha, DEELNEMERS))
    settings = settings_at(root, base_sha)
    window = correctable_from(settings, today)
    result = Result()
    with tempfile.TemporaryDirectory(prefix="bedcap-check-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(access.allowed_signers(keys), encoding="utf-8")
        commits = _commits(root, base_sha, head_sha, signers)
        for commit in commits:
            result.extend(_commit_findings(commit, commit_changes(root, commit), keys))
        net = _parse_raw(
            gitops.git_bytes(root, "diff-tree", "-r", "-z", "--raw", "-M", base_sha, head_sha)
        )
        changed = sorted({c.pad for c in net if c.status != "D"})
        for rel in changed:
            day = classify(rel).peildatum
            if classify(rel).soort is not Bestandsoort.SNAPSHOT or day is None:
                continue
            if day > today:
                result.extend(
                    [problem("snapshot-in-toekomst", rel, gevonden=day, verwacht=f"≤ {today}")]
                )
            elif day < window:
                result.extend(
                    [problem("buiten-correctievenster", rel, gevonden=day, verwacht=window)]
                )
        in_data = [rel for rel in changed if rel.startswith("data/")]
        if in_data:
            work = Path(tmp) / "head"
            work.mkdir()
            _materialize(root, head_sha, in_data, work, window)
            if (work / SETTINGS).is_file():
                found = validate_repo(DataRepo(work), in_data, today=today)
                result.extend(found.problems)
            result.extend(confidential.change_findings(root, head_sha, in_data, keys))
        result.bestanden = len({c.pad for c in net} | {c.van for c in net if c.van})
    if not commits:
        result.bestanden = 0
    return result
