"""The `Bedcap-*` commit trailers: written and read in this one module.

Every commit bedcap makes says, in git trailers, whose data it is and for which day or
month; a correction also carries its reason. The report reads them back to count the
corrections per provider, so writing and parsing must agree on the keys: one module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

AANBIEDER = "Bedcap-Aanbieder"
PEILDATUM = "Bedcap-Peildatum"
MAAND = "Bedcap-Maand"
CORRECTIE = "Bedcap-Correctie"

_FIELD, _RECORD = "\x1f", "\x1e"
# `git log --format=` that prints a snapshot commit's trailers as one record per commit.
LOG_FORMAT = (
    f"%(trailers:key={AANBIEDER},valueonly,separator=)%x1f"
    f"%(trailers:key={PEILDATUM},valueonly,separator=)%x1f"
    f"%(trailers:key={CORRECTIE},valueonly,separator=)%x1e"
)


@dataclass(frozen=True)
class Trailers:
    """What a bedcap commit says about itself."""

    aanbieder: str
    peildatum: dt.date | None = None
    maand: str | None = None
    correctie: str | None = None

    def lines(self) -> list[str]:
        """The trailer lines, in a fixed order; a correction's reason on one line."""
        out = [f"{AANBIEDER}: {self.aanbieder}"]
        if self.peildatum is not None:
            out.append(f"{PEILDATUM}: {self.peildatum.isoformat()}")
        if self.maand is not None:
            out.append(f"{MAAND}: {self.maand}")
        if self.correctie:
            out.append(f"{CORRECTIE}: {self.correctie.replace(chr(10), ' ')}")
        return out


def message(subject: str, trailers: Trailers, body: str | None = None) -> str:
    """A commit message: subject, optional body, then the trailers as the last paragraph."""
    parts = [subject, *([body] if body else []), "\n".join(trailers.lines())]
    return "\n\n".join(parts) + "\n"


def parse_log(out: str) -> list[Trailers]:
    """The records of `git log --format=LOG_FORMAT`; commits without a valid day are skipped."""
    found = []
    for record in out.split(_RECORD):
        parts = record.strip("\n").split(_FIELD)
        if len(parts) != 3:
            continue
        try:
            day = dt.date.fromisoformat(parts[1].strip())
        except ValueError:
            continue
        found.append(Trailers(parts[0].strip(), day, correctie=parts[2].strip() or None))
    return found
