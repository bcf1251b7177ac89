"""The gate: a change (`--base..--head`, commit by commit) and the state (freshness).

A change is judged against the base revision: the keys in its `deelnemers.yaml` and the
settings in its `bedcap.toml`, never those the change brings along. Every commit of the
range, merges included, must touch paths of one owner and be signed by one of that
owner's maintainers, committed under that maintainer's e-mail. What the range changes is
then validated as the head has it, with the cross-file rules it touches.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedcap import calendar
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
)
from bedcap.findings.catalogue import Ernst, Problem, Result, problem
from bedcap.gate import access

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
    """`bedcap.toml` as the base has it (defaults when missing or unreadable)."""
    from pydantic import ValidationError

    from bedcap.contract.model import Instellingen

    raw = gitops.show_file(root, rev, SETTINGS)
    try:
        return Instellingen.model_validate(tomllib.loads(raw.decode())) if raw else Instellingen()
    except (ValueError, ValidationError):
        return Instellingen()


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
    if len(owners) > 1:
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
        if not access.may_sign_for(commit.ondertekenaar, eigenaar, keys):
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


def check_change(root: Path, base: str, head: str, today: dt.date | None = None) -> Result:
    """Every finding about the commits `base..head` and about what they change."""
    from bedcap.rules.validate import correctable_from, validate_repo

    today = today or calendar.vandaag()
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
        result.bestanden = len({c.pad for c in net} | {c.van for c in net if c.van})
    if not commits:
        result.bestanden = 0
    return result


# ---- the state -------------------------------------------------------------------


@dataclass
class Stand:
    """One provider's submissions over the window."""

    aanbieder: str
    verwacht: list[dt.date] = field(default_factory=list)
    ontvangen: list[dt.date] = field(default_factory=list)
    op_tijd: list[dt.date] = field(default_factory=list)
    te_laat: list[dt.date] = field(default_factory=list)
    ontbrekend: list[dt.date] = field(default_factory=list)
    nieuwste: dt.date | None = None
    verouderd: bool = False

    def record(self) -> dict[str, Any]:
        return {
            "aanbieder": self.aanbieder,
            "verwacht": len(self.verwacht),
            "ontvangen": len(self.ontvangen),
            "op_tijd": len(self.op_tijd),
            "te_laat": [d.isoformat() for d in self.te_laat],
            "ontbrekend": [d.isoformat() for d in self.ontbrekend],
            "nieuwste": self.nieuwste.isoformat() if self.nieuwste else None,
            "verouderd": self.verouderd,
        }


def _wards_by_provider(repo: DataRepo) -> dict[str, list[Any]]:
    """Every provider's wards from its location files (unreadable files are skipped:
    `bedcap validate` reports them)."""
    from pydantic import ValidationError

    from bedcap.contract.model import Locatie
    from bedcap.files.yamlio import load_yaml

    found: dict[str, list[Any]] = {}
    for rel in repo.iter_data_files(LOCATIES):
        pad = classify(rel)
        if pad.soort is not Bestandsoort.LOCATIE or pad.aanbieder is None:
            continue
        loaded = load_yaml(repo.root, rel)
        if loaded.data is None:
            continue
        try:
            loc = Locatie.model_validate(loaded.data)
        except ValidationError:
            continue
        found.setdefault(pad.aanbieder, []).extend(loc.afdelingen)
    return found


def _submitted_at(repo: DataRepo, rels: list[str]) -> dict[str, float]:
    """Earliest `ingediend_op` of each readable file, as a POSIX time."""
    if not rels:
        return {}
    from bedcap.store.cache import in_memory, load_files

    con = in_memory()
    try:
        load_files(con, "snapshots", repo.root, rels)
        rows = con.execute(
            "SELECT pad, epoch(min(ingediend_op)) FROM snapshots GROUP BY pad"
        ).fetchall()
    finally:
        con.close()
    return {rel: float(t) for rel, t in rows if t is not None}


def due_days(settings: Any, now: dt.datetime) -> list[dt.date]:
    """The working days of the window whose deadline has passed, oldest first."""
    today = now.date()
    deadline_passed = now.timetz().replace(tzinfo=None) >= settings.deadline_tijd
    last = today if calendar.is_werkdag(today) and deadline_passed else None
    if last is None:
        last = calendar.vorige_werkdag(today)
    first = calendar.werkdagen_terug(last, settings.volledigheidsvenster_werkdagen - 1)
    return calendar.werkdagen(first, last)


def stands(
    repo: DataRepo,
    days: list[dt.date],
    settings: Any,
    today: dt.date,
    submitted: dict[str, float] | None = None,
) -> list[Stand]:
    """Per provider: expected, received, on time and late over `days`, oldest first.

    `submitted` (path → earliest `ingediend_op` as POSIX time) comes from the cache when a
    caller has it; otherwise the window's files are read.
    """
    wards = _wards_by_provider(repo)
    found: list[tuple[Stand, list[str]]] = []
    for aanbieder in sorted(wards):
        stand = Stand(aanbieder)
        # The window's dates; all of them only when none is that recent (for `nieuwste`).
        dates = (repo.snapshot_dates(aanbieder, days[0]) if days else []) or (
            repo.snapshot_dates(aanbieder)
        )
        stand.nieuwste = max(dates) if dates else None
        have = set(dates)
        stand.verwacht = [d for d in days if any(w.is_active(d) for w in wards[aanbieder])]
        stand.ontvangen = [d for d in stand.verwacht if d in have]
        stand.ontbrekend = [d for d in stand.verwacht if d not in have]
        last_due = days[-1] if days else None
        active_now = any(w.is_active(today) for w in wards[aanbieder])
        stand.verouderd = bool(
            active_now and last_due and (stand.nieuwste is None or stand.nieuwste < last_due)
        )
        found.append((stand, [repo.snapshot_path(aanbieder, d) for d in stand.ontvangen]))
    if submitted is None:  # one read of all the window's files, not one per provider
        submitted = _submitted_at(repo, [rel for _, rels in found for rel in rels])
    deadline = settings.deadline_tijd
    for stand, rels in found:
        for day, rel in zip(stand.ontvangen, rels, strict=True):
            limit = dt.datetime.combine(day, deadline, calendar.TIJDZONE).timestamp()
            if rel in submitted and submitted[rel] <= limit:
                stand.op_tijd.append(day)
            else:
                stand.te_laat.append(day)
    return [stand for stand, _ in found]


def check_state(repo: DataRepo, now: dt.datetime | None = None) -> tuple[list[Stand], Result]:
    """Freshness and completeness of every provider over the window of `bedcap.toml`."""
    now = (now or calendar.nu()).astimezone(calendar.TIJDZONE)
    settings = repo.settings()
    found = stands(repo, due_days(settings, now), settings, now.date())
    result = Result()
    for stand in found:
        result.extend(_state_findings(repo, stand))
    result.bestanden = sum(len(s.ontvangen) for s in found)
    return found, result


def _state_findings(repo: DataRepo, stand: Stand) -> Iterable[Problem]:
    for day in stand.ontbrekend:
        yield problem(
            "aanlevering-ontbreekt",
            repo.snapshot_path(stand.aanbieder, day),
            gevonden=day,
            aanbieder=stand.aanbieder,
        )
    if stand.verouderd:
        yield problem(
            "aanbieder-verouderd",
            f"{SNAPSHOTS}/{stand.aanbieder}/",
            gevonden=stand.nieuwste or "geen",
            aanbieder=stand.aanbieder,
        )
    for day in stand.te_laat:
        yield problem(
            "aanlevering-te-laat",
            repo.snapshot_path(stand.aanbieder, day),
            gevonden=day,
            ernst=Ernst.WAARSCHUWING,
        )
