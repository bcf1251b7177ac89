"""What the state of the submissions judges by, besides the files themselves (issue 14).

On time is judged by the first time a day's file reached the protected branch
(`gate.timeliness.first_arrivals`), so a correction made later never turns an on-time
day into a late one; corrections are counted separately, from their commits' trailers.
Outside a git repository (or for a file not committed yet) the file's own earliest
`ingediend_op` stands in. Both git walks are kept in `.bedcap/` (`walkcache`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bedcap.errors import BedcapError
from bedcap.files.repo import SNAPSHOTS, DataRepo


def arrivals(repo: DataRepo, days: Sequence[dt.date]) -> dict[str, float]:
    """Path → first arrival on the branch as POSIX time, for the files of `days`' months.

    Empty outside a git repository: callers then judge by `ingediend_op`.
    """
    from bedcap.gate.walkcache import arrivals as cached_arrivals

    if not days or not (repo.root / ".git").exists():
        return {}
    months = sorted({d.strftime("%Y-%m") for d in days})
    specs = [f"{SNAPSHOTS}/*/{m[:4]}/{m}-*" for m in months]
    try:
        # The months' files cannot have arrived before the months began (minus clock slack).
        since = dt.date.fromisoformat(f"{months[0]}-01") - dt.timedelta(days=2)
        return cached_arrivals(repo, specs, since)  # `.bedcap/`, extended per commit
    except BedcapError:
        return {}


def corrections(repo: DataRepo, van: dt.date, tot: dt.date) -> dict[str, int]:
    """Corrections per provider for days in range (`gate.records`: the owner and the day
    from the paths, issue 13), from the walk kept in `.bedcap/` (`walkcache`)."""
    from bedcap.gate.records import count_corrections
    from bedcap.gate.walkcache import corrected

    if not (repo.root / ".git").exists():
        return {}
    try:
        # A day's file is never written before the day (the gate refuses a future
        # peildatum), so the walk needs no commit older than the range.
        found = corrected(repo, van - dt.timedelta(days=2))
    except BedcapError:  # not a git repository: nothing is known as a correction
        return {}
    return count_corrections(found, van, tot)
