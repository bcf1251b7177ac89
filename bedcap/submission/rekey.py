"""`bedcap herversleutel`: the LCBB brings every confidential file in line with the registry.

After a maintainer's key changes in `deelnemers.yaml`, files stay encrypted to the old
keys until someone who can read them re-encrypts them: the LCBB, a recipient of every
confidential file. `--migreer` also turns plaintext confidential files (a repository from
before issue 15) into encrypted ones; that needs no key at all. Either way everything
goes in one signed commit, or, when any file cannot be handled, nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bedcap.files import agefile
from bedcap.files.repo import AGE, DataRepo, Pad
from bedcap.findings.catalogue import Result, finding
from bedcap.gate.confidential import (
    confidential_paths,
    recipient_findings,
    registry_keys,
)
from bedcap.submission.sealed import (
    Vastgelegd,
    commit_files,
    identity_paths,
    load_identities,
    recipients,
)


@dataclass
class Herversleuteling:
    """What `herversleutel` found and did: findings, the paths per action, the commit."""

    result: Result = field(default_factory=Result)
    writes: dict[str, bytes | None] = field(default_factory=dict)
    gemigreerd: list[str] = field(default_factory=list)
    herversleuteld: list[str] = field(default_factory=list)
    vastgelegd: Vastgelegd | None = None


def _rekey_one(
    repo: DataRepo, pad: Pad, identities: list[Any], keys: list[Any], out: Herversleuteling
) -> None:
    data = repo.path(pad.pad).read_bytes()
    found = recipient_findings(pad, data, keys)
    if not found:
        return
    if found[0].code != "ontvangers-wijken-af":
        out.result.extend(found)  # not an age file: nothing to re-encrypt from
        return
    plain = agefile.decrypt(data, identities)
    if plain is None:
        out.result.extend([finding("niet-te-ontsleutelen", pad.pad, gevonden=found[0].melding)])
        return
    out.writes[pad.pad] = agefile.encrypt(plain, recipients(repo, pad.eigenaar))
    out.herversleuteld.append(pad.pad)


def plan_herversleuteling(
    repo: DataRepo, identities: list[Any], *, migreer: bool = False
) -> Herversleuteling:
    """What re-encrypting (and with `migreer` encrypting plaintext) would write."""
    out = Herversleuteling()
    keys = registry_keys(repo)
    for pad in confidential_paths(repo):
        out.result.bestanden += 1
        if pad.versleuteld:
            _rekey_one(repo, pad, identities, keys, out)
        elif migreer:
            plain = repo.path(pad.pad).read_bytes()
            out.writes[pad.pad] = None
            out.writes[pad.pad + AGE] = agefile.encrypt(plain, recipients(repo, pad.eigenaar))
            out.gemigreerd.append(pad.pad)
        else:
            out.result.extend(recipient_findings(pad, b"", keys))
    return out


def herversleutel(
    repo: DataRepo,
    identiteit: Path | None,
    *,
    migreer: bool = False,
    push: bool = True,
    sign: bool | None = None,
) -> Herversleuteling:
    """Re-encrypt to the registry's keys (and migrate plaintext) in one commit, or nothing.

    `identiteit` is an LCBB maintainer's private key (default: the key git signs with);
    only `migreer` of plaintext works without one.
    """
    identities = load_identities(identity_paths(identiteit, repo.root))
    out = plan_herversleuteling(repo, identities, migreer=migreer)
    if not out.result.geldig or not out.writes:
        return out
    n_mig, n_rekey = len(out.gemigreerd), len(out.herversleuteld)
    title = (
        "Vertrouwelijke bestanden versleuteld (migratie) en herversleuteld"
        if n_mig and n_rekey
        else "Vertrouwelijke bestanden versleuteld (migratie)"
        if n_mig
        else "Vertrouwelijke bestanden herversleuteld naar data/deelnemers.yaml"
    )
    message = f"{title}\n\nBedcap-Herversleuteling: {n_rekey} herversleuteld, {n_mig} gemigreerd\n"
    out.vastgelegd = commit_files(repo, out.writes, message, push=push, sign=sign)
    return out
