"""Generate a benchmark repository of a chosen shape, with a realistic git history.

A benchmark that only ever runs one generator's data cannot see a plan cliff (issue 18),
so the generator has shapes: the number of providers (10, 60, 200, 600; locations and
wards grow with them), and in every shape the irregularities of real data:

- uneven ward counts: every fifth provider keeps one ward per location, others up to 8;
- gaps: one provider silent for four weeks mid-history, one that stops at 60 % of the
  history (its last file gets older every day), one that starts at 40 %;
- corrections: one provider-day in 200 is corrected one to five working days later.

The history is the real one's shape: one commit per provider per working day, at the
minute it was submitted (rising through each morning), and each correction a later
commit of its own with a `Bedcap-Correctie` trailer, all written by one `git fast-import`
run. Ten years of the national shape is about 152,000 commits.

    python bench/generate.py /work/bench-data/nationaal                 # 60 providers, 10 years
    python bench/generate.py /work/bench-data/klein --vorm klein --jaren 1
    python bench/generate.py /work/bench-data/nationaal --vertrouwelijk   # keys + financing

`--schrijver pandas` writes every snapshot as another tool would write the same rows: the
widths and settings the contract lets readers accept but bedcap does not write itself
(int64 counts, nanosecond times, every field nullable, pandas' own metadata, pyarrow's
default encoding with dictionaries and statistics). An independent repository looks like
that; bedcap's own `submit` writes the other shape. `--schrijver duckdb` writes them as a
generator in SQL would, through DuckDB's `COPY … TO` (no Arrow schema in the footer,
DuckDB's encodings), with the schema version as key-value metadata.

`--vertrouwelijk` adds real keys and every provider's encrypted financing files to an
existing generated repository as two more commits (`bench/confidential.py`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bedcap import calendar
from bedcap.files import trailers
from bedcap.files.fastimport import Commit, fast_import
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


@dataclass(frozen=True)
class Vorm:
    """A shape: how many providers, locations and wards (national: 60, 153, 402)."""

    aanbieders: int
    locaties: int
    afdelingen: int


VORMEN = {
    "klein": Vorm(10, 25, 67),
    "nationaal": Vorm(60, 150, 400),
    "groot": Vorm(200, 500, 1340),
    "reus": Vorm(600, 1500, 4020),
}
SEED = 1500
CORRECTIE_KANS = 0.005
SCHRIJVERS = ("bedcap", "pandas", "duckdb")


def encode(rows: list[dict[str, object]], schrijver: str) -> bytes:
    """A snapshot's bytes as `schrijver` writes them (see the module docstring)."""
    table = to_table(rows)
    if schrijver == "bedcap":
        return to_bytes(table)
    if schrijver == "duckdb":
        return _duckdb_bytes(table)

    def wide(field: pa.Field) -> pa.Field:
        kind = field.type
        if pa.types.is_integer(kind):
            kind = pa.int64()
        elif pa.types.is_timestamp(kind):
            kind = pa.timestamp("ns", tz="UTC")
        return pa.field(field.name, kind, nullable=True)

    meta = {**(table.schema.metadata or {}), b"pandas": b'{"index_columns": [], "columns": []}'}
    table = table.cast(pa.schema([wide(f) for f in table.schema], metadata=meta))
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    return bytes(buffer.getvalue())


_DUCKDB: list[object] = []
"""This process's DuckDB connection for `--schrijver duckdb` (one per worker)."""


def _duckdb_bytes(table: pa.Table) -> bytes:
    """The table as DuckDB's `COPY … TO` writes it: no Arrow schema in the footer, every
    field optional, DuckDB's own encodings; the schema version as key-value metadata."""
    import os
    import tempfile

    import duckdb

    if not _DUCKDB:
        _DUCKDB.append(duckdb.connect())
    con = _DUCKDB[0]
    assert isinstance(con, duckdb.DuckDBPyConnection)
    key, version = next(iter((table.schema.metadata or {}).items()))  # bedcap's one pair
    fd, name = tempfile.mkstemp(suffix=".parquet")
    os.close(fd)
    quoted = name.replace("'", "''")
    try:
        con.register("rijen", table)
        con.execute(
            f"COPY rijen TO '{quoted}' "
            f"(FORMAT parquet, KV_METADATA {{'{key.decode()}': '{version.decode()}'}})"
        )
        con.unregister("rijen")
        return Path(name).read_bytes()
    finally:
        os.unlink(name)


@dataclass(frozen=True)
class Gaten:
    """Which providers (by index) fall silent, stop or start late, as fractions of the span."""

    stil: int = 1
    stil_vanaf: float = 0.5
    stil_werkdagen: int = 20
    stopt: int = 2
    stopt_na: float = 0.6
    laat: int = 3
    laat_vanaf: float = 0.4

    def skip(self, index: int, day_no: int, days: int) -> bool:
        """Whether provider `index` submits nothing on working day `day_no` of `days`."""
        if index == self.stil:
            start = int(days * self.stil_vanaf)
            return start <= day_no < start + self.stil_werkdagen
        if index == self.stopt:
            return day_no >= int(days * self.stopt_na)
        if index == self.laat:
            return day_no < int(days * self.laat_vanaf)
        return False


Written = tuple[dt.date, str, dt.datetime, bytes | None, dt.datetime | None]
"""peildatum, path, submitted at, the first version's bytes when corrected later, and
when the correction was committed."""


def _correct(data: bytes, rng: random.Random, schrijver: str) -> bytes:
    """The same snapshot with one occupied bed reported free (a typical correction)."""
    table = pq.read_table(pa.BufferReader(data))
    rows = table.to_pylist()
    busy = [r for r in rows if r["bezet"] > 0] or rows
    row = rng.choice(busy)
    if row["bezet"] > 0:
        row["bezet"] -= 1
        row["beschikbaar"] += 1
    return encode(rows, schrijver)


def _write_provider(args: tuple[Path, Opzet, Wereld, int, Gaten, str]) -> list[Written]:
    root, opzet, wereld, index, gaten, schrijver = args
    repo = DataRepo(root)
    aanbieder = wereld.aanbieders[index]
    rng = random.Random(f"{SEED}-correcties-{aanbieder.id}")
    days = calendar.werkdagen(opzet.begin, opzet.tot)
    out: list[Written] = []
    made: set[Path] = set()
    for day_no, dag in enumerate(provider_days(wereld, opzet, aanbieder)):
        if gaten.skip(index, day_no, len(days)):
            continue
        rel = repo.snapshot_path(aanbieder.id, dag.peildatum)
        folder = (root / rel).parent
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        data = encode(dag.rijen, schrijver)
        first, corrected_at = None, None
        if rng.random() < CORRECTIE_KANS and day_no + 5 < len(days):
            later = days[day_no + rng.randint(1, 5)]
            corrected_at = dt.datetime.combine(later, dt.time(15, rng.randint(0, 59)))
            corrected_at = corrected_at.replace(tzinfo=calendar.TIJDZONE)
            first = data
            data = _correct(data, rng, schrijver)
        (root / rel).write_bytes(data)
        out.append((dag.peildatum, rel, dag.ingediend_op, first, corrected_at))
    return out


def _unique_ids(wereld: Wereld) -> None:
    """Provider ids are slugs cut at 40 characters: from some 300 providers on, two names
    can cut to one id. The later one gets its number appended."""
    seen: set[str] = set()
    for i, aanbieder in enumerate(wereld.aanbieders):
        if aanbieder.id in seen:
            ident = f"{aanbieder.id[:34].rstrip('-')}-{i}"
            aanbieder.id = ident
            aanbieder.email = f"beheer@{ident}.example"
            aanbieder.locaties = [
                loc.model_copy(update={"aanbieder": ident}) for loc in aanbieder.locaties
            ]
        seen.add(aanbieder.id)


def _uneven(wereld: Wereld) -> None:
    """Every fifth provider keeps one ward per location: ward counts from 1 to 8 a location."""
    for i, aanbieder in enumerate(wereld.aanbieders):
        if i % 5 == 4:
            aanbieder.locaties = [
                loc.model_copy(update={"afdelingen": loc.afdelingen[:1]})
                for loc in aanbieder.locaties
            ]


def _history(
    wereld: Wereld, static: list[str], van: dt.date, written: list[Written]
) -> list[Commit]:
    """One commit per provider-day when it was submitted; each correction one more, later."""
    by_id = {a.id: a for a in wereld.aanbieders}
    commits = [
        Commit(
            dt.datetime.combine(van - dt.timedelta(days=1), dt.time(9), calendar.TIJDZONE),
            "LCBB (benchmark)",
            "beheer@lcbb.example",
            "Statische data\n",
            tuple(sorted(static)),
        )
    ]
    for day, rel, when, first, corrected_at in written:
        owner = by_id[rel.split("/")[2]]
        commits.append(
            Commit(
                when.astimezone(calendar.TIJDZONE),
                f"Beheer {owner.naam}",
                owner.email,
                trailers.message(f"Snapshot {day} {owner.id}", trailers.Trailers(owner.id, day)),
                (rel,),
                (first,),
            )
        )
        if corrected_at is not None:
            reden = "bezetting na ontslag bijgewerkt"
            commits.append(
                Commit(
                    corrected_at,
                    f"Beheer {owner.naam}",
                    owner.email,
                    trailers.message(
                        f"Correctie {day} {owner.id}",
                        trailers.Trailers(owner.id, day, correctie=reden),
                    ),
                    (rel,),
                )
            )
    commits.sort(key=lambda c: c.when)
    return commits


def generate(
    path: Path,
    vorm: Vorm,
    jaren: int,
    tot: dt.date,
    workers: int = 2,
    gaten: Gaten = Gaten(),
    schrijver: str = "bedcap",
) -> dict[str, float]:
    t0 = time.perf_counter()
    van = tot.replace(year=tot.year - jaren) + dt.timedelta(days=1)
    opzet = Opzet(
        tot=tot,
        van=van,
        aanbieders=vorm.aanbieders,
        locaties=vorm.locaties,
        afdelingen=vorm.afdelingen,
        seed=SEED,
        stille_aanbieder=False,
        financiering=False,
        logboek=False,
    )
    created = init_repo(path)
    root = created.root
    wereld = build_wereld(opzet)
    _unique_ids(wereld)
    _uneven(wereld)
    ids = [a.id for a in wereld.aanbieders]
    assert len(set(ids)) == len(ids), "provider ids must be unique"
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
    # The workers need no private keys (and a key object cannot be pickled).
    keyless = dataclasses.replace(
        wereld, aanbieders=[dataclasses.replace(a, sleutel=None) for a in wereld.aanbieders]
    )
    jobs = [(root, opzet, keyless, i, gaten, schrijver) for i in range(len(wereld.aanbieders))]
    with ProcessPoolExecutor(workers) as pool:
        written = [item for chunk in pool.map(_write_provider, jobs) for item in chunk]
    t2 = time.perf_counter()
    count = fast_import(root, _history(wereld, static, van, written))
    t3 = time.perf_counter()
    wards = sum(len(loc.afdelingen) for loc in wereld.locaties)
    fixes = sum(1 for w in written if w[4] is not None)
    print(
        f"{len(wereld.aanbieders)} aanbieders, {len(wereld.locaties)} locaties, {wards} "
        f"afdelingen, {len(written)} snapshots, {fixes} correcties, {count} commits, "
        f"{opzet.begin} t/m {opzet.tot}"
    )
    return {"statisch": t1 - t0, "snapshots": t2 - t1, "git": t3 - t2, "totaal": t3 - t0}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pad", type=Path)
    parser.add_argument("--vorm", choices=sorted(VORMEN), default="nationaal")
    parser.add_argument("--aanbieders", type=int, help="overrides the shape's number")
    parser.add_argument("--jaren", type=int, default=10)
    parser.add_argument("--schrijver", choices=SCHRIJVERS, default="bedcap")
    parser.add_argument(
        "--tot", type=dt.date.fromisoformat, default=calendar.vorige_werkdag(calendar.vandaag())
    )
    parser.add_argument(
        "--vertrouwelijk",
        action="store_true",
        help="add ssh-keygen keys and encrypted financing files to the existing repository",
    )
    args = parser.parse_args()
    if args.vertrouwelijk:
        from confidential import add_confidential

        t0 = time.perf_counter()
        print(add_confidential(args.pad), f"totaal={time.perf_counter() - t0:.1f}s")
        return 0
    vorm = VORMEN[args.vorm]
    if args.aanbieders:
        scale = args.aanbieders / vorm.aanbieders
        vorm = Vorm(args.aanbieders, round(vorm.locaties * scale), round(vorm.afdelingen * scale))
    times = generate(args.pad, vorm, args.jaren, args.tot, schrijver=args.schrijver)
    print("  ".join(f"{k}={v:.1f}s" for k, v in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
