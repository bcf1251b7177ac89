"""Ref updates: which refs a push may touch, and how (issue 13).

A commit range says nothing about a force-push that rewinds the protected branch (no new
commits) or rewrites it (own valid commits on an older base), nor about a ref git itself
honours while reading history (`refs/replace/*` substitutes commits for every reader).
So the gate judges each ref update first: only the protected branch and the namespaces
`bedcap.toml` allows; the protected branch moves by fast-forward only and is never
deleted; no ref is deleted at all (git's `receive.denyDeletes` says the same). A new ref
is judged against the registry at the current tip of the protected branch, not at its
fork point, so a key revoked since cannot sign for it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

from bedcap.findings.catalogue import Finding, finding

ZERO = "0" * 40
"""The id git sends for a ref that does not exist (yet, or any more)."""

NEVER = ("refs/replace/", "refs/notes/")
"""Namespaces git gives a meaning while reading history: refused whatever the settings say."""


@dataclass(frozen=True)
class RefUpdate:
    """One `<old> <new> <ref>` line of the pre-receive protocol."""

    oud: str
    nieuw: str
    ref: str

    @property
    def verwijderd(self) -> bool:
        return self.nieuw == ZERO

    @property
    def nieuw_ref(self) -> bool:
        return self.oud == ZERO

    @property
    def kort(self) -> str:
        return (self.oud if self.verwijderd else self.nieuw)[:12]


def parse_updates(invoer: str) -> list[RefUpdate]:
    """The ref updates git writes to a pre-receive hook's stdin; malformed lines skipped."""
    found = []
    for line in invoer.splitlines():
        parts = line.split()
        if len(parts) == 3:
            found.append(RefUpdate(*parts))
    return found


def protected_ref(hoofdtak: str) -> str:
    """`main` → `refs/heads/main` (a full ref stays as it is)."""
    return hoofdtak if hoofdtak.startswith("refs/") else f"refs/heads/{hoofdtak}"


def ref_allowed(ref: str, hoofdtak: str, toegestaan: Sequence[str]) -> bool:
    """The protected branch, or a ref matching one of the allowed patterns (never NEVER)."""
    if ref.startswith(NEVER):
        return False
    if ref == protected_ref(hoofdtak):
        return True
    return any(fnmatch.fnmatchcase(ref, pattern) for pattern in toegestaan)


def ref_findings(
    update: RefUpdate, hoofdtak: str, toegestaan: Sequence[str], *, fast_forward: bool
) -> list[Finding]:
    """What is wrong with a ref update as such, before any commit is looked at.

    `fast_forward` says whether the new value descends from the old one (the caller asks
    git); it matters only for the protected branch.
    """
    if not ref_allowed(update.ref, hoofdtak, toegestaan):
        allowed = ", ".join([protected_ref(hoofdtak), *toegestaan])
        return [
            finding(
                "ref-niet-toegestaan",
                update.ref,
                commit=update.kort,
                gevonden=update.ref,
                verwacht=allowed,
            )
        ]
    if update.verwijderd:
        return [finding("ref-verwijderd", update.ref, commit=update.kort, gevonden=update.ref)]
    if update.ref == protected_ref(hoofdtak) and not update.nieuw_ref and not fast_forward:
        return [
            finding(
                "geen-fast-forward",
                update.ref,
                commit=update.kort,
                gevonden=update.oud[:12],
                verwacht=update.ref,
            )
        ]
    return []
