"""A provider's quarterly financing file: validated as plaintext, stored age-encrypted.

`bedcap financiering submit BESTAND` checks the plaintext on the provider's own machine
with the same rules and findings as `bedcap validate` has for a financing file, then
encrypts it to the provider's and the LCBB's maintainers and commits exactly that one
path, signed, as `bedcap submit` does. The plaintext never enters the repository.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from bedcap.errors import BedcapError, UsageError
from bedcap.files import agefile
from bedcap.files.repo import DATA, Bestandsoort, DataRepo, Pad
from bedcap.findings.catalogue import Ernst, Result
from bedcap.submission.sealed import (
    Vastgelegd,
    commit_files,
    identity_paths,
    load_identities,
    seal,
)


def _inside_data(repo: DataRepo, source: Path) -> bool:
    try:
        return repo.rel(source.resolve()).split("/")[0] == DATA
    except ValueError:
        return False


def check_financiering(repo: DataRepo, aanbieder: str, source: Path) -> tuple[Result, Any]:
    """All findings about a plaintext financing file of `aanbieder`, and its model if valid."""
    from bedcap.contract.model import Financiering
    from bedcap.files.yamlio import load_yaml
    from bedcap.rules.modelcheck import load_model
    from bedcap.rules.statics import PERIODE_RULES, Bestand
    from bedcap.rules.validate import load_provider

    if _inside_data(repo, source):
        raise UsageError(
            f"{source} staat in data/: zet het klaartekstbestand buiten data/, zodat het nooit "
            "onversleuteld gecommit wordt"
        )
    statics, static_problems = load_provider(repo, aanbieder)
    result = Result(bestanden=1)
    result.extend(p for p in static_problems if p.ernst is Ernst.FOUT)
    loaded = load_yaml(source.parent, source.name)
    model, found = load_model(loaded, Financiering)
    if model is not None:
        pad = Pad(source.name, Bestandsoort.FINANCIERING, aanbieder, kwartaal=model.kwartaal)
        bestand = Bestand(pad, loaded, model)
        found += [p for rule in PERIODE_RULES for p in rule(statics, bestand)]
    shown = str(source)
    result.extend(
        dataclasses.replace(p, bestand=shown) if p.bestand == source.name else p for p in found
    )
    return result, model


def submit_financiering(
    repo: DataRepo, aanbieder: str, source: Path, *, push: bool = True, sign: bool | None = None
) -> tuple[Result, str | None, Vastgelegd | None]:
    """Check `source`, then encrypt and commit it as the provider's file of its quarter.

    Returns the findings, the repository path, and the commit (None when anything is wrong:
    then nothing is written).
    """
    result, model = check_financiering(repo, aanbieder, source)
    if not result.geldig or model is None:
        return result, None, None
    rel = repo.financiering_path(aanbieder, model.kwartaal)
    sealed = seal(repo, rel, source.read_bytes())
    message = (
        f"Financiering {model.kwartaal} {aanbieder} (versleuteld)\n\n"
        f"Bedcap-Aanbieder: {aanbieder}\nBedcap-Kwartaal: {model.kwartaal}\n"
    )
    writes: dict[str, bytes | None] = {rel: sealed}
    plain = repo.financiering_path(aanbieder, model.kwartaal, versleuteld=False)
    if repo.path(plain).exists():
        writes[plain] = None  # the plaintext of before the migration goes in the same commit
    return result, rel, commit_files(repo, writes, message, push=push, sign=sign)


def toon_financiering(
    repo: DataRepo, aanbieder: str, kwartaal: str, identiteit: Path | None
) -> tuple[str, bytes]:
    """A provider's financing file of `kwartaal` as plaintext, decrypted with the key
    `identiteit` (default: the key git signs with)."""
    identities = load_identities(identity_paths(identiteit, repo.root))
    if not identities:
        raise UsageError(
            "geef --identiteit PAD (je SSH-privésleutel) of BEDCAP_IDENTITEIT; git kent geen "
            "user.signingkey om mee te ontsleutelen"
        )
    rel = repo.financiering_path(aanbieder, kwartaal)
    path = repo.path(rel)
    if not path.exists():
        plain = repo.financiering_path(aanbieder, kwartaal, versleuteld=False)
        if repo.path(plain).exists():
            rel, path = plain, repo.path(plain)
        else:
            raise UsageError(
                f"{rel} bestaat niet: {aanbieder} heeft voor {kwartaal} niets ingediend"
            )
    data = agefile.read_confidential(path, identities)
    if data is None:
        raise NotReadableError(rel)
    return rel, data


class NotReadableError(BedcapError):
    """None of the given keys is a recipient of the file."""

    def __init__(self, rel: str) -> None:
        super().__init__(
            f"{rel} is niet te ontsleutelen met de gegeven sleutel: alleen de aanbieder zelf en "
            "de LCBB kunnen het lezen"
        )
        self.rel = rel
