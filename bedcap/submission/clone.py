"""`bedcap setup`: a provider's clone made ready to submit, in one call (issue 17).

A provider's clone needs four things the gate will otherwise refuse or hide: the textconv
driver (so `git diff` shows snapshots as text), `bedcap.aanbieder` (whose part this clone
writes), SSH signing with a key that `data/deelnemers.yaml` lists for that provider under
the same e-mail address (the gate verifies both), and the full history (the time travel
of `available --zoals-bekend-op` and the gate's timeliness read it). Each is a `Stap`:
done here when it can be, otherwise named with the command that fixes it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from bedcap.errors import GitError, SettingsError
from bedcap.files import gitops
from bedcap.files.repo import DEELNEMERS, SETTINGS, DataRepo
from bedcap.files.yamlio import load_yaml
from bedcap.gate.access import Beheerder, beheerders

TEXTCONV_COMMAND = "bedcap textconv"


@dataclass(frozen=True)
class Stap:
    """One thing a clone needs: done, or missing with what to do about it."""

    naam: str
    klaar: bool
    melding: str


@dataclass(frozen=True)
class Opzet:
    """What `setup_clone` did and found; `klaar` only when the clone can submit."""

    root: Path
    aanbieder: str | None
    stappen: list[Stap]

    @property
    def klaar(self) -> bool:
        return all(stap.klaar for stap in self.stappen)

    @property
    def ontbrekend(self) -> list[Stap]:
        return [stap for stap in self.stappen if not stap.klaar]


def _config(root: Path, key: str) -> str | None:
    try:
        return gitops.git_bytes(root, "config", "--get", key).decode().strip() or None
    except GitError:
        return None


def _set(root: Path, key: str, value: str) -> None:
    gitops.git_bytes(root, "config", "--local", key, value)


def public_key(sleutel: Path) -> str | None:
    """The `type base64` of an SSH key file (public, or private with or beside its .pub)."""
    sleutel = sleutel.expanduser()
    for candidate in (sleutel, Path(f"{sleutel}.pub")):
        if candidate.is_file():
            words = candidate.read_text(encoding="utf-8", errors="replace").split()
            if len(words) >= 2 and words[0].startswith(("ssh-", "ecdsa-", "sk-")):
                return " ".join(words[:2])
    if not sleutel.is_file():
        return None
    done = subprocess.run(  # a private key without its .pub beside it
        ["ssh-keygen", "-y", "-P", "", "-f", str(sleutel)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    words = done.stdout.split()
    return " ".join(words[:2]) if done.returncode == 0 and len(words) >= 2 else None


def _registry(repo: DataRepo) -> tuple[set[str], list[Beheerder]]:
    """The provider ids (role `aanbieder`) and all maintainers from `deelnemers.yaml`."""
    loaded = load_yaml(repo.root, DEELNEMERS)
    items = (loaded.data or {}).get("deelnemers") or []
    ids = {
        d["id"]
        for d in items
        if isinstance(d, dict)
        and isinstance(d.get("id"), str)
        and "aanbieder" in (d.get("rollen") or [])
    }
    return ids, beheerders(loaded.data)


def _aanbieder(root: Path, gevraagd: str | None, ids: set[str]) -> tuple[str | None, Stap]:
    aanbieder = gevraagd or _config(root, "bedcap.aanbieder")
    if aanbieder is None:
        return None, Stap(
            "aanbieder",
            False,
            "onbekend welke aanbieder deze kloon aanlevert; geef --aanbieder <id> "
            f"(een aanbieder uit {DEELNEMERS})",
        )
    if aanbieder not in ids:
        bekend = ", ".join(sorted(ids)) or "geen"
        return None, Stap(
            "aanbieder",
            False,
            f"'{aanbieder}' staat niet als aanbieder in {DEELNEMERS} (bekend: {bekend})",
        )
    _set(root, "bedcap.aanbieder", aanbieder)
    return aanbieder, Stap("aanbieder", True, f"bedcap.aanbieder = {aanbieder}")


def _signing(root: Path, sleutel: Path | None) -> tuple[str | None, Stap]:
    pad = str(sleutel.expanduser().absolute()) if sleutel else _config(root, "user.signingkey")
    if pad is None:
        return None, Stap(
            "ondertekening",
            False,
            "geen ondertekensleutel; geef --sleutel ~/.ssh/id_ed25519 (maak er een met "
            "'ssh-keygen -t ed25519' en laat de publieke sleutel door de LCBB opnemen)",
        )
    key = public_key(Path(pad))
    if key is None:
        return None, Stap("ondertekening", False, f"{pad} is geen leesbare SSH-sleutel")
    _set(root, "gpg.format", "ssh")
    _set(root, "user.signingkey", pad)
    _set(root, "commit.gpgsign", "true")
    return key, Stap("ondertekening", True, f"commits worden getekend met {pad} (SSH)")


def _registered(root: Path, aanbieder: str, key: str, keys: list[Beheerder]) -> Stap:
    """The key must be one of the provider's maintainers', committed under that e-mail."""
    match = [
        b for b in keys if b.deelnemer == aanbieder and " ".join(b.signing_key.split()[:2]) == key
    ]
    if not match:
        return Stap(
            "sleutel-geregistreerd",
            False,
            f"deze sleutel staat niet bij {aanbieder} in {DEELNEMERS}; vraag de LCBB om "
            f"'{key[:40]}…' op te nemen bij een beheerder van {aanbieder}",
        )
    emails = sorted(b.email for b in match)
    email = _config(root, "user.email")
    if email not in emails:
        _set(root, "user.email", emails[0])
        return Stap(
            "sleutel-geregistreerd",
            True,
            f"sleutel geregistreerd; user.email gezet op {emails[0]} (het adres bij deze "
            f"sleutel in {DEELNEMERS}, de poort vergelijkt beide)",
        )
    return Stap("sleutel-geregistreerd", True, f"sleutel geregistreerd bij {aanbieder} ({email})")


def _settings(repo: DataRepo) -> Stap:
    """`submit` reads the settings first: a clone whose settings it cannot read (a FIFO or a
    folder by that name, a symlink, broken TOML) cannot submit."""
    try:
        repo.settings()
    except SettingsError as exc:
        return Stap("instellingen", False, str(exc))
    return Stap("instellingen", True, f"{SETTINGS} is leesbaar")


def _history(root: Path) -> Stap:
    shallow = gitops.git_bytes(root, "rev-parse", "--is-shallow-repository").decode().strip()
    if shallow == "true":
        return Stap(
            "geschiedenis",
            False,
            "ondiepe kloon: de terugblik (--zoals-bekend-op) en de tijdigheid lezen de "
            "geschiedenis; haal die op met 'git fetch --unshallow'",
        )
    return Stap("geschiedenis", True, "volledige geschiedenis aanwezig")


def setup_clone(start: Path, *, aanbieder: str | None, sleutel: Path | None) -> Opzet:
    """Configure the clone at `start` and report every step.

    aanbieder: the provider id to set (default: the clone's `bedcap.aanbieder`).
    sleutel: an SSH key file to sign with (default: the clone's `user.signingkey`).
    Raises `GitError` or `NotADataRepositoryError` when `start` is not a clone at all.
    """
    root = gitops.git_root(start)
    repo = DataRepo.find(root)
    _set(root, f"diff.{gitops.TEXTCONV_DRIVER}.textconv", TEXTCONV_COMMAND)
    stappen = [
        Stap("textconv", True, f"git diff toont snapshots als tekst ({TEXTCONV_COMMAND})"),
        _settings(repo),
    ]
    ids, keys = _registry(repo)
    gekozen, stap = _aanbieder(root, aanbieder, ids)
    stappen.append(stap)
    key, stap = _signing(root, sleutel)
    stappen.append(stap)
    if gekozen and key:
        stappen.append(_registered(root, gekozen, key, keys))
    else:
        stappen.append(
            Stap(
                "sleutel-geregistreerd",
                False,
                "niet te controleren zolang aanbieder en sleutel ontbreken",
            )
        )
    stappen.append(_history(root))
    return Opzet(repo.root, gekozen, stappen)
