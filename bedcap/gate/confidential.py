"""Confidential files: to whom the registry says they go, and whether a file is so addressed.

A confidential file (`VERTROUWELIJK` in `files/repo.py`) is age-encrypted to every usable
SSH key of its owner's maintainers and of the LCBB's maintainers, as `deelnemers.yaml`
lists them: nobody else, and nobody left out. The gate checks that from the age header
alone (recipient tags), so a hook on a bare repository needs no private key; a change is
judged against the registry of its base, the state against the registry of the work tree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from bedcap.files import agefile
from bedcap.files.regular import read_head
from bedcap.files.repo import (
    DEELNEMERS,
    FINANCIERING,
    LCBB,
    LOGBOEK,
    VERTROUWELIJK,
    DataRepo,
    Pad,
    classify,
)
from bedcap.findings.catalogue import Finding, finding
from bedcap.gate.access import Beheerder, beheerders
from bedcap.rules.confidential import form_findings

FORM = "vertrouwelijk-ongeldig"  # reported by validate already


def prescribed(eigenaar: str, keys: Sequence[Beheerder]) -> list[Beheerder]:
    """The maintainers a file of `eigenaar` is encrypted to: its own and the LCBB's whose
    key age can use, one per distinct key, in registry order."""
    seen: set[tuple[str, str]] = set()
    found = []
    for b in keys:
        tag = agefile.ssh_key_tag(b.signing_key)
        if tag is None or tag in seen or not (b.deelnemer == eigenaar or b.lcbb):
            continue
        seen.add(tag)
        found.append(b)
    return found


def has_own_key(eigenaar: str, keys: Sequence[Beheerder]) -> bool:
    """Whether the owner itself has a maintainer key age can encrypt to."""
    return any(b.deelnemer == eigenaar for b in prescribed(eigenaar, keys))


def registry_keys(repo: DataRepo) -> list[Beheerder]:
    """Maintainers and keys from the work tree's `deelnemers.yaml` (leniently read)."""
    from bedcap.files.yamlio import load_yaml

    return beheerders(load_yaml(repo.root, DEELNEMERS).data)


def _names(tags: Sequence[tuple[str, str]], keys: Sequence[Beheerder]) -> str:
    by_tag = {agefile.ssh_key_tag(b.signing_key): b.email for b in keys}
    names = [by_tag.get(t) or (f"onbekende sleutel {t[0]} {t[1]}".strip()) for t in tags]
    return ", ".join(sorted(set(names))) or "niemand"


def recipient_findings(
    pad: Pad,
    data: bytes,
    keys: Sequence[Beheerder],
    *,
    code: str = "ontvangers-wijken-af",
    commit: str | None = None,
    voor: Sequence[Beheerder] | None = None,
) -> list[Finding]:
    """Findings about one stored confidential file: plaintext, not age, wrong recipients.

    `voor`: the owner's prescribed maintainers, when the caller has them already."""
    found = form_findings(pad, data, commit)
    if found or not pad.versleuteld:
        return found
    kop = agefile.read_header(data)
    want = sorted(
        t
        for b in (prescribed(pad.eigenaar, keys) if voor is None else voor)
        if (t := agefile.ssh_key_tag(b.signing_key))
    )
    have = kop.ontvangers()
    if have == want:
        return []
    return [
        finding(
            code,
            pad.pad,
            gevonden=_names(have, keys),
            verwacht=_names(want, keys),
            aanbieder=pad.eigenaar if pad.eigenaar != LCBB else "de LCBB",
            commit=commit,
        )
    ]


def confidential_paths(repo: DataRepo) -> Iterator[Pad]:
    """Every file of a confidential kind in the work tree, plaintext or encrypted."""
    for under in (FINANCIERING, LOGBOEK):
        if repo.path(under).is_dir():
            for rel in repo.iter_data_files(under):
                pad = classify(rel)
                if pad.soort in VERTROUWELIJK:
                    yield pad


def check_recipients(repo: DataRepo) -> list[Finding]:
    """The state: confidential files in plaintext, not age, or addressed to other keys than
    the registry lists now (after a key change: run `bedcap herversleutel`)."""
    keys = registry_keys(repo)
    found: list[Finding] = []
    owners: dict[str, list[Beheerder]] = {}  # one owner's keys once, not once per file
    for pad in confidential_paths(repo):
        head = b""
        if pad.versleuteld:
            with contextlib.suppress(OSError):  # form_findings says what is wrong
                head = read_head(repo.path(pad.pad), agefile.HEADER_MAX)
        mine = owners.setdefault(pad.eigenaar, prescribed(pad.eigenaar, keys))
        found += recipient_findings(pad, head, keys, code="ontvangers-verouderd", voor=mine)
    return found


def change_findings(
    root: Path, head: str, changed: Sequence[str], keys: Sequence[Beheerder]
) -> list[Finding]:
    """A change: every confidential file it adds or changes must be addressed to exactly the
    recipients the base registry (`keys`) prescribes. Read from git, no private key; the
    form (plaintext, not age) is `validate`'s finding already."""
    from bedcap.files import gitops

    found: list[Finding] = []
    for rel in changed:
        pad = classify(rel)
        if pad.soort in VERTROUWELIJK and pad.versleuteld:
            data = gitops.show_file(root, head, rel) or b""
            if agefile.is_age(data):
                found += [p for p in recipient_findings(pad, data, keys) if p.code != FORM]
    return found
