"""The private logbook: why an admission failed, kept outside the shared repository.

Entries live in an SQLite file in the user's data folder (or `--logboek PAD`,
`BEDCAP_LOGBOEK`); the tool refuses any place inside a data repository, so notes about
people can never be committed by accident. What leaves the logbook is the monthly
export: case-free counts (`logcounts`), no free text, no date finer than the month.

A provider's coordinators on several machines keep one logbook on a shared path (a
network folder as `BEDCAP_LOGBOEK`): every use holds a lock file beside it
(`<logboek>.lock`, `filelock`) for the whole read or write, so two writers take turns
instead of relying on SQLite's own locking, which network file systems do not honour.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bedcap.contract.patterns import MAAND_PATTERN, SLUG_PATTERN
from bedcap.contract.vocab import Beveiligingsniveau, Rechtskader, Reden, Specialisme, Uitkomst
from bedcap.errors import BedcapError, NotADataRepositoryError, UsageError
from bedcap.files.repo import DataRepo
from bedcap.files.yamlio import write_error
from bedcap.findings.catalogue import Finding, finding

LOGBOEK_ENV = "BEDCAP_LOGBOEK"
INVOER = "logboekregel"  # the place named in findings about typed input
# A logbook entry's note: longer than a snapshot's (280, DESIGN.md), since it stays private.
LOGBOEK_TOELICHTING_MAX = 1000

SCHEMA = """
CREATE TABLE IF NOT EXISTS regels (
    id INTEGER PRIMARY KEY,
    aanbieder TEXT NOT NULL,
    datum TEXT NOT NULL,
    locatie TEXT NOT NULL,
    uitkomst TEXT NOT NULL,
    niveau INTEGER,
    specialisme TEXT,
    rechtskader TEXT,
    toelichting TEXT,
    vastgelegd_op TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS redenen (
    regel_id INTEGER NOT NULL REFERENCES regels(id),
    reden TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS regels_datum ON regels(aanbieder, datum);
"""


class GeenRegelsError(BedcapError):
    """The logbook has no entries of this provider in this month: nothing to export."""


@dataclass(frozen=True)
class Recorded:
    """What `add` did: the new entry's id, or the findings that kept it out."""

    regel_id: int | None
    problems: list[Finding]


@dataclass(frozen=True)
class Exported:
    """What `export` wrote: the path, how many entries it counts, and the commit if asked."""

    pad: str
    regels: int
    commit: str | None = None


@dataclass(frozen=True)
class Regel:
    aanbieder: str
    datum: dt.date
    locatie: str
    uitkomst: str
    redenen: tuple[str, ...]
    niveau: int | None = None
    specialisme: str | None = None
    rechtskader: str | None = None
    toelichting: str | None = None
    id: int | None = None
    vastgelegd_op: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "aanbieder": self.aanbieder,
            "datum": self.datum.isoformat(),
            "locatie": self.locatie,
            "uitkomst": self.uitkomst,
            "redenen": list(self.redenen),
            "niveau": self.niveau,
            "specialisme": self.specialisme,
            "rechtskader": self.rechtskader,
            "toelichting": self.toelichting,
            "vastgelegd_op": self.vastgelegd_op,
        }


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("bedcap", appauthor=False) / "logboek.sqlite"


def resolve_path(given: Path | None) -> Path:
    """The logbook file: `--logboek`, else `BEDCAP_LOGBOEK`, else the user's data folder.

    Refused anywhere inside a data repository (a folder with `data/bedcap.toml` above it).
    """
    env = os.environ.get(LOGBOEK_ENV)
    path = (given or (Path(env) if env else default_path())).expanduser().absolute()
    repo: DataRepo | None = None
    # Both the path as given and where its links lead: a link into a repository is refused.
    for candidate in (path.parent, path.resolve().parent):
        with suppress(NotADataRepositoryError):
            repo = repo or DataRepo.find(candidate)
    if repo is not None:
        raise UsageError(
            f"het logboek {path} ligt in de datarepository {repo.root}; het logboek is privé "
            f"en hoort daarbuiten (kies een ander --logboek of {LOGBOEK_ENV})"
        )
    if path.is_dir():
        raise UsageError(f"{path} is een map; verwacht: een bestand voor het logboek")
    return path


LOCK_WACHTTIJD_S = 60.0  # a colleague's add or export takes well under a second


def _create(path: Path) -> None:
    """A new logbook is private to its user: the file 0600 in a folder 0700 (issue 13).

    An existing one keeps its mode: a shared logbook is opened by colleagues, whose
    access its folder's owner arranged (README); changing it would lock them out."""
    if not path.parent.is_dir():
        # exist_ok: two colleagues starting a shared logbook in the same instant
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


@contextmanager
def open_logbook(
    path: Path, wachttijd: float = LOCK_WACHTTIJD_S, *, lezen: bool = False
) -> Iterator[sqlite3.Connection]:
    """The logbook, held under its lock file for as long as the connection is open.

    `lezen`: only read. Where the logbook cannot be written (a read-only home or disk) it
    is then read as it is, without the lock, or is empty when there is none yet (issue 13,
    class 10)."""
    import errno

    from filelock import FileLock, Timeout

    try:
        _create(path)
        lock = FileLock(f"{path}.lock", mode=0o660)
        lock.acquire(timeout=wachttijd)
    except Timeout:
        raise BedcapError(
            f"het logboek {path} is al {wachttijd:.0f} s in gebruik bij een collega "
            f"(slot {path}.lock); probeer het zo opnieuw"
        ) from None
    except OSError as exc:
        if not lezen or exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise write_error(path, exc) from None
        with _read_only(path) as con:
            yield con
        return
    try:
        try:
            con = sqlite3.connect(path, timeout=wachttijd)
            con.execute("PRAGMA journal_mode=DELETE")  # no WAL: it needs shared memory
            con.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"{path} is geen logboek ({exc}); kies een ander bestand") from exc
        try:
            yield con
            con.commit()
        finally:
            con.close()
    finally:
        lock.release()


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A logbook that cannot be written, opened only to read (empty when there is none)."""
    target = f"file:{quote(str(path))}?mode=ro" if path.is_file() else ":memory:"
    try:
        con = sqlite3.connect(target, uri=True)
        con.executescript(SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{path} is geen logboek ({exc}); kies een ander bestand") from exc
    try:
        yield con
    finally:
        con.close()


def _choice(veld: str, value: str | None, allowed: Sequence[str], found: list[Finding]) -> None:
    if value is not None and value not in allowed:
        found.append(
            finding(
                "onbekende-waarde",
                INVOER,
                veld=veld,
                gevonden=repr(value),
                verwacht=", ".join(allowed),
            )
        )


def check(regel: Regel, today: dt.date) -> list[Finding]:
    """Every problem with one typed entry, in Dutch, naming the field."""
    from bedcap.rules.snapshots import check_toelichting

    found: list[Finding] = []
    for veld, value in (("aanbieder", regel.aanbieder), ("locatie", regel.locatie)):
        if not re.match(SLUG_PATTERN, value or ""):
            found.append(
                finding(
                    "ongeldige-waarde",
                    INVOER,
                    veld=veld,
                    gevonden=repr(value),
                    verwacht="een id: kleine letters, cijfers en '-', 2 tot 40 tekens",
                )
            )
    if regel.datum > today:
        found.append(
            finding(
                "ongeldige-waarde",
                INVOER,
                veld="datum",
                gevonden=regel.datum,
                verwacht=f"vandaag ({today}) of eerder",
            )
        )
    _choice("uitkomst", regel.uitkomst, [str(u) for u in Uitkomst], found)
    if not regel.redenen:
        found.append(finding("veld-ontbreekt", INVOER, veld="reden"))
    for reden in regel.redenen:
        _choice("reden", reden, [str(r) for r in Reden], found)
    if regel.niveau is not None and regel.niveau not in [int(n) for n in Beveiligingsniveau]:
        found.append(
            finding(
                "onbekende-waarde", INVOER, veld="niveau", gevonden=regel.niveau, verwacht="2, 3, 4"
            )
        )
    _choice("specialisme", regel.specialisme, [str(s) for s in Specialisme], found)
    _choice("rechtskader", regel.rechtskader, [str(r) for r in Rechtskader], found)
    if regel.toelichting:
        found += check_toelichting(
            INVOER, regel.toelichting, regel.datum, max_len=LOGBOEK_TOELICHTING_MAX
        )
    return found


def add(con: sqlite3.Connection, regel: Regel, now: dt.datetime) -> int:
    cur = con.execute(
        "INSERT INTO regels (aanbieder, datum, locatie, uitkomst, niveau, specialisme, "
        "rechtskader, toelichting, vastgelegd_op) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            regel.aanbieder,
            regel.datum.isoformat(),
            regel.locatie,
            regel.uitkomst,
            regel.niveau,
            regel.specialisme,
            regel.rechtskader,
            regel.toelichting,
            now.isoformat(timespec="seconds"),
        ),
    )
    regel_id = int(cur.lastrowid or 0)
    con.executemany(
        "INSERT INTO redenen (regel_id, reden) VALUES (?, ?)",
        [(regel_id, r) for r in dict.fromkeys(regel.redenen)],
    )
    return regel_id


def entries(
    con: sqlite3.Connection, *, maand: str | None = None, aanbieder: str | None = None
) -> list[Regel]:
    where, params = ["1=1"], []
    if maand:
        where.append("substr(datum, 1, 7) = ?")
        params.append(maand)
    if aanbieder:
        where.append("aanbieder = ?")
        params.append(aanbieder)
    rows = con.execute(
        "SELECT id, aanbieder, datum, locatie, uitkomst, niveau, specialisme, rechtskader, "
        f"toelichting, vastgelegd_op FROM regels WHERE {' AND '.join(where)} ORDER BY datum, id",
        params,
    ).fetchall()
    reasons: dict[int, list[str]] = {}
    for regel_id, reden in con.execute("SELECT regel_id, reden FROM redenen ORDER BY rowid"):
        reasons.setdefault(regel_id, []).append(reden)
    return [
        Regel(
            aanbieder=r[1],
            datum=dt.date.fromisoformat(r[2]),
            locatie=r[3],
            uitkomst=r[4],
            redenen=tuple(reasons.get(r[0], [])),
            niveau=r[5],
            specialisme=r[6],
            rechtskader=r[7],
            toelichting=r[8],
            id=r[0],
            vastgelegd_op=r[9],
        )
        for r in rows
    ]


def export(repo: DataRepo, aanbieder: str, maand: str, regels: Sequence[Regel]) -> str:
    """Write `data/logboek/<maand>/<aanbieder>.yaml.age`: case-free counts only, encrypted
    for the provider and the LCBB (issue 15). Returns the path."""
    from bedcap.contract.model import LogboekExport
    from bedcap.files.yamlio import atomic_write, dump_yaml
    from bedcap.submission.sealed import seal

    if not re.match(MAAND_PATTERN, maand):
        raise UsageError(f"--maand {maand!r} is geen maand; verwacht: JJJJ-MM, zoals 2021-06")
    from bedcap.submission.logcounts import tellingen

    drempel = repo.settings().onderdrukking_drempel_locaties
    data = {"aanbieder": aanbieder, "maand": maand, **tellingen(regels, drempel)}
    LogboekExport.model_validate(data)  # the contract, before anything is written
    rel = repo.logboek_path(aanbieder, maand)
    plain = dump_yaml(data, repo.logboek_path(aanbieder, maand, versleuteld=False), "logboek")
    atomic_write(repo.path(rel), seal(repo, rel, plain), repo.tmp_dir)
    return rel


def record(path: Path, regel: Regel, *, today: dt.date, now: dt.datetime) -> Recorded:
    """`bedcap logbook add`: check one entry and, only when it is sound, store it."""
    problems = check(regel, today)
    if problems:
        return Recorded(None, problems)
    with open_logbook(path) as con:
        return Recorded(add(con, regel, now), [])


def export_month(
    repo: DataRepo, path: Path, aanbieder: str, maand: str, *, commit: bool = False
) -> Exported:
    """`bedcap logbook export`: a month's counts to the repository, optionally committed.

    The commit holds exactly the export's path, signed when git knows a signing key.
    """
    if not re.match(MAAND_PATTERN, maand):
        raise UsageError(f"--maand {maand!r} is geen maand; verwacht: JJJJ-MM, zoals 2021-06")
    with open_logbook(path, lezen=True) as con:
        regels = entries(con, maand=maand, aanbieder=aanbieder)
    if not regels:
        raise GeenRegelsError(f"het logboek heeft geen regels van {aanbieder} in {maand}")
    rel = export(repo, aanbieder, maand, regels)
    if not commit:
        return Exported(rel, len(regels))
    from bedcap.files import gitops, trailers

    git_repo = gitops.open_repo(repo.root)
    sign = gitops.config_value(git_repo, "user.signingkey") is not None
    message = trailers.message(
        f"Logboek {maand} {aanbieder}", trailers.Trailers(aanbieder, maand=maand)
    )
    return Exported(rel, len(regels), gitops.commit_path(git_repo, rel, message, sign=sign))
