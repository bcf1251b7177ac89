"""Add encrypted financing files and real keys to a generated benchmark repository.

The quarterly report with decryption (issue 15) has a 3 s budget at national scale, so
the benchmark repository needs what a real one holds: every provider's financing file
for every full quarter, age-encrypted to its own maintainer's and the LCBB's SSH keys.
Regenerating ten national years takes 7 minutes; this step adds them to an existing
repository of `bench/generate.py` (any shape) as two commits on top of its history:

1. the LCBB registers new maintainer keys, made by `ssh-keygen` (ed25519), for itself and
   every provider in `data/deelnemers.yaml`; the private halves go to
   `.bedcap/sleutels/<deelnemer>` (gitignored, as `bedcap demo` keeps its keys);
2. every provider's `data/financiering/<kwartaal>/<aanbieder>.yaml.age` for every full
   quarter of the snapshots, in one commit as the migration to encryption makes it.

The reported bed-days are the snapshots' own (`store.query.ligdagen`, what the report
reconciles against), split over wlz/zvw/wfz/overig per provider with 0.4 % noise; one
provider-quarter in 23 deviates 5 %, so the reconciliation has something to show. The
recipients are those `bedcap financiering submit` encrypts to (`submission.sealed`).
Commits are dated after the newest one (`--since` walks stay valid).

    python bench/generate.py /work/bench-data/nationaal --vertrouwelijk   # ~1-2 min
    bedcap report --kwartaal 2026Q3 --identiteit .bedcap/sleutels/lcbb
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

from bedcap import calendar
from bedcap.files.repo import DEELNEMERS, LCBB, DataRepo
from bedcap.files.yamlio import dump_yaml, load_yaml, write_yaml
from bedcap.outputs.report import quarters_within

SLEUTELS = Path(".bedcap") / "sleutels"
SHARES = ("wlz", "zvw", "wfz", "overig")


def _keygen(folder: Path, org: str) -> str:
    """A new ed25519 key pair by `ssh-keygen`; returns the public line."""
    path = folder / org
    for old in (path, path.with_suffix(".pub")):
        old.unlink(missing_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"bench-{org}", "-f", str(path)],
        check=True,
    )
    return path.with_suffix(".pub").read_text().strip()


def register_keys(repo: DataRepo) -> dict[str, str]:
    """New keys for the LCBB and every provider, written into `deelnemers.yaml`."""
    data = load_yaml(repo.root, DEELNEMERS).data
    folder = repo.root / SLEUTELS
    folder.mkdir(parents=True, exist_ok=True)
    lines: dict[str, str] = {}
    for d in data["deelnemers"]:
        if d["id"] == LCBB or "aanbieder" in d.get("rollen", []):
            lines[d["id"]] = _keygen(folder, d["id"])
            for b in d["beheerders"]:
                b["signing_key"] = lines[d["id"]]
    write_yaml(repo.root, DEELNEMERS, data, "deelnemers")
    return lines


def _reported(rows: list[dict[str, Any]], q: calendar.Kwartaal, index: dict[str, int]) -> dict:
    """Per provider: its financing file's data for quarter `q` from the implied bed-days."""
    per_loc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        per_loc[r["aanbieder"]][r["locatie"]] += int(r["ligdagen"])
    files = {}
    for aanbieder, locs in per_loc.items():
        i = index.setdefault(aanbieder, len(index))
        rng = random.Random(f"bench-{aanbieder}-{q}")
        wfz = 0.35 + 0.4 * ((i * 7) % 10) / 10
        shares = [(1 - wfz) * 0.45, (1 - wfz) * 0.45, wfz, (1 - wfz) * 0.10]
        deviate = 0.05 if (i + q.jaar * 4 + q.nummer) % 23 == 0 else 0.0
        locaties = []
        for locatie, total in sorted(locs.items()):
            target = total * (1 + (deviate or rng.uniform(-0.004, 0.004)))
            parts = [int(target * s) for s in shares]
            parts[2] += round(target) - sum(parts)
            locaties.append({"locatie": locatie, "ligdagen": dict(zip(SHARES, parts, strict=True))})
        files[aanbieder] = {"aanbieder": aanbieder, "kwartaal": str(q), "locaties": locaties}
    return files


def write_financing(repo: DataRepo, vandaag: dt.date) -> list[str]:
    """Every provider's encrypted financing file for every full quarter; their paths."""
    from bedcap.files import agefile
    from bedcap.store import sources
    from bedcap.store.query import ligdagen
    from bedcap.submission.sealed import recipients

    dates = sorted(
        d for a in repo.owner_folders("data/snapshots") for d in repo.snapshot_dates(a.name)
    )
    to: dict[str, list[str]] = {}
    index: dict[str, int] = {}
    written = []
    with sources.cached(repo, vandaag=vandaag, geen_cache=False) as bron:
        for q in quarters_within(dates[0], dates[-1]):
            for aanbieder, data in _reported(ligdagen(bron, q.begin, q.eind), q, index).items():
                rel = repo.financiering_path(aanbieder, str(q))
                plain = dump_yaml(data, rel.removesuffix(".age"), "financiering")
                if aanbieder not in to:
                    to[aanbieder] = recipients(repo, aanbieder)
                path = repo.path(rel)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(agefile.encrypt(plain, to[aanbieder]))
                written.append(rel)
    return written


def _commit(root: Path, paths: list[str], message: str, when: dt.datetime) -> None:
    stamp = when.isoformat()
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    env |= {"GIT_AUTHOR_NAME": "LCBB (benchmark)", "GIT_COMMITTER_NAME": "LCBB (benchmark)"}
    env |= {"GIT_AUTHOR_EMAIL": "beheer@lcbb.example", "GIT_COMMITTER_EMAIL": "beheer@lcbb.example"}
    for start in range(0, len(paths), 500):
        subprocess.run(["git", "add", "--", *paths[start : start + 500]], cwd=root, check=True)
    subprocess.run(
        ["git", "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", message],
        cwd=root,
        env=env,
        check=True,
    )


def add_confidential(root: Path) -> dict[str, int]:
    """Keys and encrypted financing files, as two commits after the newest one."""
    repo = DataRepo(root)
    newest = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True
    )
    when = dt.datetime.fromtimestamp(int(newest.stdout) + 3600, dt.UTC)
    keys = register_keys(repo)
    _commit(root, [DEELNEMERS], "Nieuwe beheerderssleutels (benchmark)\n", when)
    vandaag = when.astimezone(calendar.TIJDZONE).date()
    files = write_financing(repo, vandaag)
    message = "Financiering van alle kwartalen, versleuteld (benchmark)\n"
    _commit(root, files, message, when + dt.timedelta(minutes=5))
    return {"sleutels": len(keys), "financiering": len(files)}
