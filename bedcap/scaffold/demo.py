"""`bedcap demo`: a data repository with realistic fictitious data and its git history.

One generator serves `bedcap demo`, the example in this project's `data/`, the test
fixtures and the national-scale benchmark repository. Everything follows from the seed:
the world (`world`), its daily counts (`counts`), then the files and commits written here.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedcap import calendar
from bedcap.files import trailers
from bedcap.files.fastimport import Commit
from bedcap.files.repo import DataRepo
from bedcap.scaffold.counts import (
    financiering_data,
    full_quarters,
    logboek_data,
    months,
    provider_days,
)
from bedcap.scaffold.demokeys import public_line
from bedcap.scaffold.world import (
    Aanbieder,
    Opzet,
    Wereld,
    build_wereld,
    lcbb_key,
    locatie_data,
    registries,
)

# The world's parts are re-exported: the benchmark writes the same world in parallel.
__all__ = ["Opzet", "Resultaat", "Wereld", "build_wereld", "generate", "make_demo"]
__all__ += ["locatie_data", "provider_days", "registries"]


@dataclass(frozen=True)
class Resultaat:
    """What was generated, for the summary `bedcap demo` prints."""

    root: Path
    aanbieders: int
    locaties: int
    afdelingen: int
    bedden: dict[int, int]
    snapshots: int
    commits: int
    van: dt.date
    tot: dt.date
    stil: str | None
    nieuw: tuple[str, str, dt.date] | None


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), calendar.TIJDZONE)


def make_demo(path: Path, *, seed: int, nu: dt.datetime, progress: Any = None) -> Resultaat:
    """`bedcap demo`: the default world with data up to the last working day due at `nu`.

    Before the default deadline that is the working day before today, after it today, as
    `available` judges it: a demo made after 12:00 without today's counts showed every
    provider stale, where it means to show one. `path`: a new or empty folder. `seed`:
    same seed, same data. `nu`: now, read once by the caller. `progress(total)` returns a
    tick called per provider-day.
    """
    from bedcap.contract.model import Instellingen
    from bedcap.store.freshness import laatste_verplichte_dag

    standaard = Instellingen()
    tot = laatste_verplichte_dag(nu, standaard.deadline_tijd, calendar.TIJDZONE)
    return generate(path, Opzet(tot=tot, seed=seed, uiterlijk=nu), progress=progress)


def generate(path: Path, opzet: Opzet, *, git: bool = True, progress: Any = None) -> Resultaat:
    """Create a data repository at `path` filled from `opzet`; git history when `git`.

    `progress(total)` returns a tick called once per provider-day written.
    """
    from bedcap.files.fastimport import fast_import
    from bedcap.scaffold.demokeys import identities, write_identities
    from bedcap.scaffold.init import init_repo

    created = init_repo(path, git=git)
    repo = DataRepo(created.root)
    wereld = build_wereld(opzet)
    write_identities(repo.cache_dir / "sleutels", identities(opzet, wereld))
    commits = _write_static(repo, wereld, opzet, created.bestanden)
    total_days = len(calendar.werkdagen(opzet.begin, opzet.tot)) * len(wereld.aanbieders)
    tick = progress(total_days) if progress else None
    snapshots = 0
    quarters = full_quarters(opzet) if opzet.financiering else []
    for a in wereld.aanbieders:
        bezet, written = _write_snapshots(repo, wereld, opzet, a, commits, tick)
        snapshots += written
        commits += _write_financing(repo, wereld, opzet, a, bezet, quarters)
        if tick and wereld.stil == a.id:
            tick(3)
    if opzet.logboek:
        commits += _write_logbooks(repo, wereld, opzet)
    commits.sort(key=lambda c: c.when)
    count = fast_import(repo.root, commits) if git else 0
    return _resultaat(repo.root, wereld, opzet, snapshots, count)


Bezet = dict[tuple[str, str], dict[dt.date, int]]  # (locatie, afdeling) → day → bezet


def _write_static(
    repo: DataRepo, wereld: Wereld, opzet: Opzet, skeleton: list[str]
) -> list[Commit]:
    """The registries and every provider's locations, committed a week before the data."""
    from bedcap.files.yamlio import write_yaml

    root = repo.root
    start = _at(opzet.begin - dt.timedelta(days=7), 10)
    for rel, data in registries(wereld, opzet.seed, opzet.begin).items():
        write_yaml(root, rel, data, rel.removeprefix("data/").removesuffix(".yaml"))
    commits = [
        Commit(
            start,
            "LCBB (voorbeeld)",
            "beheer@lcbb.example",
            "Nieuwe datarepository met registers\n",
            tuple(sorted([*skeleton])),
        )
    ]
    for a in wereld.aanbieders:
        rels = []
        for loc in a.locaties:
            rel = repo.locatie_path(a.id, loc.id)
            write_yaml(root, rel, locatie_data(loc), "locatie")
            rels.append(rel)
        commits.append(
            Commit(
                start + dt.timedelta(days=2),
                f"Beheer {a.naam}",
                a.email,
                f"Locatiegegevens {a.naam}\n",
                tuple(rels),
            )
        )
    return commits


def _write_snapshots(
    repo: DataRepo,
    wereld: Wereld,
    opzet: Opzet,
    a: Aanbieder,
    commits: list[Commit],
    tick: Any,
) -> tuple[Bezet, int]:
    """One provider's daily snapshots, one commit each; returns its bezet and the count."""
    from bedcap.files.snapshots import to_bytes, to_table

    bezet: Bezet = {}
    written = 0
    for dag in provider_days(wereld, opzet, a):
        rel = repo.snapshot_path(a.id, dag.peildatum)
        (repo.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / rel).write_bytes(to_bytes(to_table(dag.rijen)))
        written += 1
        for row in dag.rijen:
            series = bezet.setdefault((row["locatie"], row["afdeling"]), {})
            series[dag.peildatum] = series.get(dag.peildatum, 0) + row["bezet"]
        commits.append(
            Commit(
                dag.ingediend_op.astimezone(calendar.TIJDZONE),
                f"Beheer {a.naam}",
                a.email,
                trailers.message(
                    f"Snapshot {dag.peildatum} {a.id}", trailers.Trailers(a.id, dag.peildatum)
                ),
                (rel,),
            )
        )
        if tick:
            tick(1)
    return bezet, written


def _write_financing(
    repo: DataRepo,
    wereld: Wereld,
    opzet: Opzet,
    a: Aanbieder,
    bezet: Bezet,
    quarters: list[calendar.Kwartaal],
) -> list[Commit]:
    """One provider's financing per full quarter; the third provider deviates 6% once."""
    from bedcap.files.yamlio import atomic_write

    commits = []
    for i, q in enumerate(quarters):
        rel = repo.financiering_path(a.id, str(q))
        afwijking = 0.06 if a is wereld.aanbieders[2 % len(wereld.aanbieders)] and i == 0 else 0.0
        data = financiering_data(a, q, bezet, opzet.seed, afwijking)
        atomic_write(repo.path(rel), sealed_yaml(rel, data, "financiering", _to(a, opzet)))
        day = calendar.werkdagen_terug(q.volgende.begin + dt.timedelta(days=14), 0)
        when = opzet.hooguit(_at(min(day, opzet.tot), 15))
        commits.append(
            Commit(when, f"Beheer {a.naam}", a.email, f"Financiering {q} {a.id}\n", (rel,))
        )
    return commits


def _to(a: Aanbieder, opzet: Opzet) -> list[str]:
    """The recipients of a provider's confidential files: its own key and the LCBB's."""
    return [a.signing_key, public_line(lcbb_key(opzet.seed))]


def sealed_yaml(rel: str, data: Any, schema: str, recipients: list[str]) -> bytes:
    """A confidential file as stored: its YAML (schema line for the plaintext path) in age."""
    from bedcap.files.agefile import encrypt
    from bedcap.files.yamlio import dump_yaml

    return encrypt(dump_yaml(data, rel.removesuffix(".age"), schema), recipients)


def _write_logbooks(repo: DataRepo, wereld: Wereld, opzet: Opzet) -> list[Commit]:
    """The first four providers' logbook exports, one per full month."""
    from bedcap.files.yamlio import atomic_write

    rng = random.Random(f"{opzet.seed}-logboek")
    commits = []
    for a in wereld.aanbieders[:4]:
        for maand in months(opzet):
            rel = repo.logboek_path(a.id, maand)
            data = logboek_data(a, maand, rng)
            atomic_write(repo.path(rel), sealed_yaml(rel, data, "logboek", _to(a, opzet)))
            first = dt.date(int(maand[:4]), int(maand[5:]), 28) + dt.timedelta(days=7)
            when = opzet.hooguit(_at(min(calendar.werkdagen_terug(first, 0), opzet.tot), 16))
            commits.append(
                Commit(when, f"Beheer {a.naam}", a.email, f"Logboekexport {maand} {a.id}\n", (rel,))
            )
    return commits


def _resultaat(root: Path, wereld: Wereld, opzet: Opzet, snapshots: int, count: int) -> Resultaat:
    """The summary of what was generated, beds per security level."""
    bedden: dict[int, int] = {}
    for loc in wereld.locaties:
        for afd in loc.afdelingen:
            n = int(afd.beveiligingsniveau)
            bedden[n] = bedden.get(n, 0) + afd.capaciteit
    return Resultaat(
        root,
        len(wereld.aanbieders),
        len(wereld.locaties),
        sum(len(loc.afdelingen) for loc in wereld.locaties),
        dict(sorted(bedden.items())),
        snapshots,
        count,
        opzet.begin,
        opzet.tot,
        wereld.stil,
        wereld.nieuw,
    )
