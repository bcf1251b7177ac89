"""Generate the national-scale benchmark repository.

60 providers, 150 locations, about 400 wards and ten years of working days (about 150,000
snapshot files) with the same generator as `bedcap demo`, in two worker processes, and a
git history written by one `git fast-import` run: one commit per working day holding
every provider's file, except the last 20 working days, which get one commit per
provider-day (as `bedcap submit` makes them), so `check --base HEAD~1` sees one
provider-day.

    python bench/generate.py bench/national            # default scale
    python bench/generate.py /tmp/klein --jaren 1 --aanbieders 12
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bedcap import calendar
from bedcap.files.gitops import Commit, fast_import
from bedcap.files.repo import DataRepo
from bedcap.files.snapshots import to_bytes, to_table
from bedcap.files.yamlio import write_yaml
from bedcap.scaffold.demo import (
    Opzet,
    Wereld,
    build_wereld,
    locatie_data,
    provider_days,
    registries,
)
from bedcap.scaffold.init import init_repo

TAIL = 20  # working days at the end committed per provider-day


def _write_provider(args: tuple[Path, Opzet, Wereld, int]) -> list[tuple[dt.date, str, str]]:
    root, opzet, wereld, index = args
    repo = DataRepo(root)
    aanbieder = wereld.aanbieders[index]
    out = []
    made: set[Path] = set()
    for dag in provider_days(wereld, opzet, aanbieder):
        rel = repo.snapshot_path(aanbieder.id, dag.peildatum)
        folder = (root / rel).parent
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        (root / rel).write_bytes(to_bytes(to_table(dag.rijen)))
        out.append((dag.peildatum, rel, dag.ingediend_op.isoformat()))
    return out


def generate(
    path: Path,
    aanbieders: int,
    locaties: int,
    afdelingen: int,
    jaren: int,
    tot: dt.date,
    workers: int = 2,
) -> dict[str, float]:
    t0 = time.perf_counter()
    van = tot.replace(year=tot.year - jaren) + dt.timedelta(days=1)
    opzet = Opzet(
        tot=tot,
        van=van,
        aanbieders=aanbieders,
        locaties=locaties,
        afdelingen=afdelingen,
        seed=1500,
        stille_aanbieder=False,
        financiering=False,
        logboek=False,
    )
    created = init_repo(path)
    root = created.root
    wereld = build_wereld(opzet)
    for rel, data in registries(wereld, opzet.seed).items():
        write_yaml(root, rel, data, rel.removeprefix("data/").removesuffix(".yaml"))
    repo = DataRepo(root)
    static = list(created.bestanden)
    for a in wereld.aanbieders:
        for loc in a.locaties:
            rel = repo.locatie_path(a.id, loc.id)
            write_yaml(root, rel, locatie_data(loc), "locatie")
            static.append(rel)
    t1 = time.perf_counter()
    jobs = [(root, opzet, wereld, i) for i in range(len(wereld.aanbieders))]
    with ProcessPoolExecutor(workers) as pool:
        written = [item for chunk in pool.map(_write_provider, jobs) for item in chunk]
    t2 = time.perf_counter()
    by_provider = {a.id: a for a in wereld.aanbieders}
    days = calendar.werkdagen(opzet.begin, opzet.tot)
    tail_start = days[-TAIL] if len(days) >= TAIL else days[0]
    commits = [
        Commit(
            dt.datetime.combine(van - dt.timedelta(days=1), dt.time(9), calendar.TIJDZONE),
            "LCBB (benchmark)",
            "beheer@lcbb.example",
            "Statische data\n",
            tuple(sorted(static)),
        )
    ]
    per_day: dict[dt.date, list[str]] = {}
    for day, rel, when in sorted(written):
        if day >= tail_start:
            owner = by_provider[rel.split("/")[2]]
            commits.append(
                Commit(
                    dt.datetime.fromisoformat(when).astimezone(calendar.TIJDZONE),
                    f"Beheer {owner.naam}",
                    owner.email,
                    f"Snapshot {day} {owner.id}\n\nBedcap-Aanbieder: {owner.id}\n"
                    f"Bedcap-Peildatum: {day}\n",
                    (rel,),
                )
            )
        else:
            per_day.setdefault(day, []).append(rel)
    commits += [
        Commit(
            dt.datetime.combine(day, dt.time(12), calendar.TIJDZONE),
            "Benchmark",
            "bench@lcbb.example",
            f"Snapshots {day}\n",
            tuple(rels),
        )
        for day, rels in per_day.items()
    ]
    commits.sort(key=lambda c: c.when)
    count = fast_import(root, commits)
    t3 = time.perf_counter()
    wards = sum(len(loc.afdelingen) for loc in wereld.locaties)
    print(
        f"{len(wereld.aanbieders)} aanbieders, {len(wereld.locaties)} locaties, {wards} "
        f"afdelingen, {len(written)} snapshots, {count} commits, {opzet.begin} t/m {opzet.tot}"
    )
    return {"statisch": t1 - t0, "snapshots": t2 - t1, "git": t3 - t2, "totaal": t3 - t0}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pad", type=Path)
    parser.add_argument("--aanbieders", type=int, default=60)
    parser.add_argument("--locaties", type=int, default=150)
    parser.add_argument("--afdelingen", type=int, default=400)
    parser.add_argument("--jaren", type=int, default=10)
    parser.add_argument(
        "--tot", type=dt.date.fromisoformat, default=calendar.vorige_werkdag(calendar.vandaag())
    )
    args = parser.parse_args()
    times = generate(
        args.pad, args.aanbieders, args.locaties, args.afdelingen, args.jaren, args.tot
    )
    print("  ".join(f"{k}={v:.1f}s" for k, v in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
