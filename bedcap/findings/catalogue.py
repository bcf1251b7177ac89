"""The catalogue of findings: every code, grouped by family, and the one way to build one.

Data problems are collected, never raised. Each family module (`paths`, `syntax`, `values`,
`references`, `submission`, `snapshot`, `privacy`, `gate`) lists its `FindingType`s;
`docs/bevindingen.md` is generated from `FAMILIES`, so no code can go undocumented.
"""

from __future__ import annotations

from typing import Any

from bedcap.findings import (
    confidential,
    gate,
    paths,
    privacy,
    references,
    snapshot,
    submission,
    syntax,
    values,
)
from bedcap.findings.codes import Code
from bedcap.findings.finding import Ernst, Finding, FindingType
from bedcap.findings.result import Result, to_github, to_json

# Family title (for the docs) and its types, in the order people meet them.
FAMILIES: dict[str, list[FindingType]] = {
    "Bestanden en paden": paths.TYPES,
    "YAML en TOML": syntax.TYPES,
    "Waarden": values.TYPES,
    "Verwijzingen en samenhang tussen bestanden": references.TYPES,
    "Aanleveringen (bedcap submit)": submission.TYPES,
    "Snapshots": snapshot.TYPES,
    "Privacy": privacy.TYPES,
    "De poort: commits en de stand van de aanleveringen": gate.TYPES,
    # issue 15
    "Vertrouwelijke bestanden (financiering, logboekexports)": confidential.TYPES,
}

CATALOGUE: dict[str, FindingType] = {t.code.value: t for ts in FAMILIES.values() for t in ts}


def finding(
    code: str,
    bestand: str,
    *,
    regel: int | None = None,
    rij: int | None = None,
    veld: str | None = None,
    commit: str | None = None,
    ernst: Ernst | None = None,
    **waarden: Any,
) -> Finding:
    """Build a finding from the catalogue, so every message of a code reads alike.

    `code` is a `Code` or its string. `ernst` overrides the catalogue's severity, e.g. for
    history that can no longer be corrected. A missing or unexpected placeholder raises
    `TypeError`: that is a bug in the caller, never a data problem.
    """
    soort = CATALOGUE[code]
    melding = soort.melding(veld, waarden)
    return Finding(
        bestand, regel, rij, veld, soort.code.value, melding, ernst or soort.ernst, commit
    )


__all__ = [
    "CATALOGUE",
    "FAMILIES",
    "Code",
    "Ernst",
    "Finding",
    "FindingType",
    "Result",
    "finding",
    "to_github",
    "to_json",
]
