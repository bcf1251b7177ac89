"""Who may write which path, and who may sign for whom: the one ownership rule.

A provider owns its own part (`locaties/<aanbieder>/`, `snapshots/<aanbieder>/`,
`financiering/*/<aanbieder>.yaml`, `logboek/*/<aanbieder>.yaml`); everything else, the
registries and the project's own files included, is the LCBB's. `submit`, `check`, the
pre-receive hook and CODEOWNERS all ask this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bedcap.files.repo import (
    FINANCIERING,
    LCBB,
    LOCATIES,
    LOGBOEK,
    SNAPSHOTS,
    VERTROUWELIJK,
    classify,
)


def owner(path: str) -> str:
    """The owner of a repository path: a provider id, or `lcbb`."""
    return classify(path).eigenaar


@dataclass(frozen=True)
class Beheerder:
    deelnemer: str
    email: str
    signing_key: str
    lcbb: bool


def beheerders(deelnemers: Mapping[str, Any] | None) -> list[Beheerder]:
    """Maintainers with their keys from a parsed `deelnemers.yaml`; malformed entries skipped.

    Read leniently on purpose: this runs on the base revision of a change, whose registry
    has passed validation before; a broken entry must not open the gate, only close it.
    """
    found = []
    items = (deelnemers or {}).get("deelnemers")
    for d in items if isinstance(items, list) else []:
        if not isinstance(d, dict) or not isinstance(d.get("id"), str):
            continue
        rollen_raw = d.get("rollen")
        rollen: list[Any] = rollen_raw if isinstance(rollen_raw, list) else []
        for b in d.get("beheerders") or []:
            if (
                isinstance(b, dict)
                and isinstance(b.get("email"), str)
                and isinstance(b.get("signing_key"), str)
            ):
                found.append(
                    Beheerder(d["id"], b["email"].strip(), b["signing_key"].strip(), LCBB in rollen)
                )
    return found


def may_sign_for(signer_email: str, eigenaar: str, keys: Iterable[Beheerder]) -> bool:
    """A maintainer signs for its own organisation; LCBB files need an LCBB maintainer."""
    for b in keys:
        if b.email != signer_email:
            continue
        if eigenaar == LCBB and b.lcbb:
            return True
        if b.deelnemer == eigenaar:
            return True
    return False


def only_confidential(paths: Iterable[str]) -> bool:
    """Whether every path is a confidential file (issue 15), plaintext or encrypted."""
    kinds = [classify(p).soort for p in paths]
    return bool(kinds) and all(k in VERTROUWELIJK for k in kinds)


def may_rekey(signer_email: str, keys: Iterable[Beheerder]) -> bool:
    """An LCBB maintainer may rewrite confidential files of any owner (re-encryption after
    a key change, the migration): the LCBB is a recipient of all of them anyway, and the
    recipient check keeps every owner a recipient of its own files."""
    return any(b.email == signer_email and b.lcbb for b in keys)


def allowed_signers(keys: Iterable[Beheerder]) -> str:
    """git's `gpg.ssh.allowedSignersFile`: principal (the e-mail) → key, for commits only."""
    lines = [
        "# Gegenereerd door 'bedcap access signers' uit data/deelnemers.yaml; niet bewerken.\n"
    ]
    for b in sorted(keys, key=lambda k: (k.email, k.signing_key)):
        key = " ".join(b.signing_key.split()[:2])  # type and base64, without the comment
        lines.append(f'{b.email} namespaces="git" {key}\n')
    return "".join(lines)


def codeowners(keys: Iterable[Beheerder], deelnemer_ids: Iterable[str], *, gitlab: bool) -> str:
    """CODEOWNERS from the registry and the ownership rule (last matching pattern wins).

    Owners are the maintainers' e-mail addresses, which both forges accept for users.
    """
    by_org: dict[str, list[str]] = {}
    lcbb: list[str] = []
    for b in keys:
        by_org.setdefault(b.deelnemer, []).append(b.email)
        if b.lcbb:
            lcbb.append(b.email)
    lcbb_owners = " ".join(sorted(set(lcbb))) or "@lcbb"
    plek = ".gitlab/CODEOWNERS" if gitlab else ".github/CODEOWNERS"
    lines = [
        "# Gegenereerd door 'bedcap access codeowners"
        + (" --gitlab" if gitlab else "")
        + f"' uit data/deelnemers.yaml; niet bewerken. Hoort in {plek}.\n",
        "# Alles is van de LCBB, behalve het eigen deel van elke aanbieder (het laatste\n",
        "# passende patroon telt: een aanbieder heeft alleen zichzelf nodig).\n",
        f"* {lcbb_owners}\n",
    ]
    for org in sorted(set(deelnemer_ids)):
        emails = sorted(set(by_org.get(org, [])))
        if not emails or org == LCBB:
            continue
        owners = " ".join(emails)
        lines.append(f"\n# {org}\n")
        lines += [
            f"/{LOCATIES}/{org}/ {owners}\n",
            f"/{SNAPSHOTS}/{org}/ {owners}\n",
            f"/{FINANCIERING}/*/{org}.yaml {owners}\n",
            f"/{LOGBOEK}/*/{org}.yaml {owners}\n",
            f"/{FINANCIERING}/*/{org}.yaml.age {owners}\n",
            f"/{LOGBOEK}/*/{org}.yaml.age {owners}\n",
        ]
    return "".join(lines)
