"""What a provider writes about itself, held against facts it cannot write (issue 13).

A commit's `Bedcap-*` trailers, a snapshot's `ingediend_op` and a commit's date are all
typed by the provider. The gate accepts them only where they agree with what the
provider cannot choose: the paths a commit touches (their owner and peildatum), the
commit that writes the file, and the moment the server receives the push
(`timeliness.TOLERANTIE` either way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from bedcap.errors import GitError
from bedcap.files import gitops
from bedcap.files.repo import SNAPSHOTS, classify
from bedcap.files.trailers import AANBIEDER, CORRECTIE, MAAND, PEILDATUM
from bedcap.findings.catalogue import Finding, finding
from bedcap.gate import access
from bedcap.gate.timeliness import TOLERANTIE

COMMIT = "(commit)"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def parse_trailers(text: str) -> list[tuple[str, str]]:
    """`Key: value` lines as git's `%(trailers:only,unfold)` prints them."""
    found = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            found.append((key.strip(), value.strip()))
    return found


def trailer_findings(kort: str, trailers: str, paths: Iterable[str]) -> list[Finding]:
    """Each `Bedcap-*` trailer must say what the paths say: their owner, days and months."""
    paths = sorted(set(paths))
    if not paths:
        return []
    owners = sorted({access.owner(p) for p in paths})
    parsed = [classify(p) for p in paths]
    days = sorted({str(c.peildatum) for c in parsed if c.peildatum is not None})
    months = sorted({c.maand for c in parsed if c.maand is not None})
    expected = {AANBIEDER: owners, PEILDATUM: days, MAAND: months}
    found = []
    for key, value in parse_trailers(trailers):
        wanted = next((v for k, v in expected.items() if k.lower() == key.lower()), None)
        if wanted is None:
            continue
        if value not in wanted or (key.lower() == AANBIEDER.lower() and len(owners) > 1):
            found.append(
                finding(
                    "trailer-wijkt-af",
                    COMMIT,
                    commit=kort,
                    trailer=key,
                    gevonden=value,
                    verwacht=", ".join(wanted) or "geen (de commit raakt zulke paden niet)",
                )
            )
    return found


def commit_time_findings(
    kort: str, tijd: dt.datetime, nu: dt.datetime | None, ontvangen: dt.datetime | None
) -> list[Finding]:
    """Never in the future; at the hook, not older than the tolerance before receipt.

    `ontvangen` is given only for commits that bring a snapshot onto the protected branch
    (its first-parent line): their time is what timeliness is judged by.
    """
    moment = ontvangen or nu
    if moment is not None and tijd > moment + TOLERANTIE:
        return [
            finding(
                "commit-in-toekomst",
                COMMIT,
                commit=kort,
                gevonden=_stamp(tijd),
                verwacht=_stamp(moment + TOLERANTIE),
            )
        ]
    if ontvangen is not None and tijd < ontvangen - TOLERANTIE:
        return [
            finding(
                "commit-te-oud",
                COMMIT,
                commit=kort,
                gevonden=_stamp(tijd),
                verwacht=_stamp(ontvangen),
            )
        ]
    return []


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def submitted_times(data: bytes) -> list[dt.datetime] | None:
    """Every row's `ingediend_op` of a Parquet snapshot (None: unreadable or not a UTC
    timestamp, validation says why; an empty value is validation's too).

    Read as counts of the column's unit, not as Python values: a time in nanoseconds that
    is not a whole microsecond, or past the year 9999, cannot become a `datetime`, and
    skipping such a file let a back-dated submission through (a nanosecond more was
    enough); the count is cut to microseconds, a moment past what `datetime` holds is
    taken as its end, far outside the tolerance either way."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bedcap.contract.columns import PER_NAAM, accepts
    from bedcap.files.snapshots import micros

    try:  # not `pq.read_table`: its dataset layer costs a one-commit check 60 ms of imports
        table = pq.ParquetFile(pa.BufferReader(data)).read(["ingediend_op"], use_threads=False)
        column = table.column("ingediend_op")
        if not accepts(PER_NAAM["ingediend_op"], column.type):
            return None
        unit = column.type.unit
        counts = column.cast(pa.int64()).to_pylist()
    except (pa.ArrowException, KeyError, ValueError, OSError):
        return None
    return [_moment(micros(n, unit)) for n in counts if n is not None]


def _moment(micros: int) -> dt.datetime:
    """Microseconds since 1970 as a moment; beyond the years 1–9999, the nearest end."""
    try:
        return _EPOCH + dt.timedelta(microseconds=micros)
    except OverflowError:
        end = dt.datetime.max if micros > 0 else dt.datetime.min
        return end.replace(tzinfo=dt.UTC)


def submitted_findings(
    kort: str, tijd: dt.datetime, snapshots: Mapping[str, bytes]
) -> list[Finding]:
    """`ingediend_op` of each snapshot a commit writes: within the tolerance before the
    commit, never after it (a back-dated or future value would change timeliness)."""
    found = []
    earliest, latest = tijd - TOLERANTIE, tijd + TOLERANTIE
    for rel, data in sorted(snapshots.items()):
        times = submitted_times(data)
        if not times:
            continue
        wrong = [t for t in times if not earliest <= t <= latest]
        if wrong:
            found.append(
                finding(
                    "ingediend-op-wijkt-af",
                    rel,
                    commit=kort,
                    veld="ingediend_op",
                    gevonden=_stamp(wrong[0]),
                    verwacht=f"tussen {_stamp(earliest)} en {_stamp(latest)} (de commit)",
                )
            )
    return found


def corrections(root: Path, van: dt.date, tot: dt.date, rev: str = "HEAD") -> dict[str, int]:
    """Corrections per provider: snapshots for a day in range changed by a commit that says
    it corrects (`Bedcap-Correctie`). Owner and day come from the paths, never from the
    other trailers, so a commit cannot book a correction on someone else (issue 13)."""
    try:
        # A day's file is never written before the day (the gate refuses a future
        # peildatum), so no commit older than the range can touch it: git stops there
        # instead of walking ten years of history (57 s → 2 s at national scale).
        found = corrected_paths(root, [f"--since={van - dt.timedelta(days=2)}", rev])
    except (GitError, OSError):  # not a git repository: nothing is known as a correction
        return {}
    return count_corrections(found, van, tot)


def corrected_paths(root: Path, revs: list[str]) -> list[str]:
    """The snapshot paths changed by each commit of `revs` (git revision arguments) that
    has a `Bedcap-Correctie` trailer, once per such commit."""
    fmt = f"%x1e%(trailers:key={CORRECTIE},valueonly,separator=%x20)%x1f"
    out = gitops.git_bytes(
        root, "log", f"--format={fmt}", "--name-only", "-z", "--no-renames", *revs, "--", SNAPSHOTS
    )
    found: list[str] = []
    for record in out.decode("utf-8", "surrogateescape").split("\x1e"):
        reden, _, names = record.partition("\x1f")
        if reden.strip():
            found += [n.strip("\n") for n in names.split("\0") if n.strip("\n")]
    return found


def count_corrections(paths: list[str], van: dt.date, tot: dt.date) -> dict[str, int]:
    """Corrected paths per provider, for the days in range (owner and day from the path)."""
    counts: dict[str, int] = {}
    for name in paths:
        pad = classify(name)
        if pad.aanbieder and pad.peildatum and van <= pad.peildatum <= tot:
            counts[pad.aanbieder] = counts.get(pad.aanbieder, 0) + 1
    return counts
