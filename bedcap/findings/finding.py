"""A finding and its type: what one code means, and one occurrence of it with its place.

Modelled on frictionless' error classes: every type has a stable kebab-case code, a title,
an explanation, a message template and the names of the template's placeholders
(`velden`), so a call that forgets or invents a placeholder fails at once.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bedcap.findings.codes import Code


class Ernst(StrEnum):
    FOUT = "fout"
    WAARSCHUWING = "waarschuwing"


def placeholders(sjabloon: str) -> tuple[str, ...]:
    """The names a template formats, in order of first use (`{veld!r}` gives `veld`)."""
    names: list[str] = []
    for _, name, _, _ in string.Formatter().parse(sjabloon):
        if name is not None and name not in names:
            names.append(name)
    return tuple(names)


@dataclass(frozen=True)
class FindingType:
    """One entry of the catalogue: what a code means and how its message reads.

    `velden` names the template's placeholders; `veld` is the finding's own field and is
    always filled in, every other name must be passed to `finding()`.
    """

    code: Code
    titel: str
    uitleg: str
    sjabloon: str
    ernst: Ernst = Ernst.FOUT
    velden: tuple[str, ...] = ()

    def melding(self, veld: str | None, waarden: dict[str, Any]) -> str:
        """The message, after checking the placeholders: a wrong call is a bug, not data."""
        expected = set(self.velden) - {"veld"}
        if set(waarden) != expected:
            missing = sorted(expected - set(waarden))
            extra = sorted(set(waarden) - expected)
            raise TypeError(
                f"finding {self.code}: placeholders missing {missing}, unexpected {extra}"
            )
        return self.sjabloon.format(veld=veld, **waarden)


@dataclass(frozen=True)
class Finding:
    """A finding with its location: file, line (YAML) or row (CSV/Parquet), field."""

    bestand: str
    regel: int | None
    rij: int | None
    veld: str | None
    code: str
    melding: str
    ernst: Ernst = Ernst.FOUT
    commit: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.bestand, self.regel or 0, self.rij or 0, self.veld or "", self.code)

    @property
    def plek(self) -> str:
        """`bestand:regel`, `bestand rij 3`, or just the file, as people read it."""
        where = self.bestand if self.commit is None else f"commit {self.commit}: {self.bestand}"
        if self.regel is not None:
            where += f":{self.regel}"
        if self.rij is not None:
            where += f" rij {self.rij}"
        return where
