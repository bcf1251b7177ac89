"""age files: encrypt and decrypt through pyrage, and read the header without any key.

Confidential files (financing, logbook exports) are stored in the age format
(age-encryption.org/v1) to the maintainers' SSH keys that `deelnemers.yaml` already
lists. The crypto is pyrage's (rage, a maintained Rust implementation); this module only
*reads the format* of the header: one `-> type args` stanza per recipient, then the
`--- mac` line. An `ssh-ed25519` or `ssh-rsa` stanza names its recipient by a tag: the
first 4 bytes of SHA-256 of the key's SSH wire format, base64 without padding. That lets
the gate see to whom a file is addressed without holding any private key.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedcap.files.regular import os_reden

AGE_V1 = b"age-encryption.org/v1"
SUFFIX = ".age"
SSH_TYPES = ("ssh-ed25519", "ssh-rsa")  # the SSH keys age accepts as recipients
GREASE = "-grease"  # rage adds a random stanza of such a type; the spec says ignore it
HEADER_MAX = 64 * 1024  # far more than any header for a few dozen recipients
_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


class AgeFormatError(ValueError):
    """The bytes are not a well-formed age v1 file (binary, not armored)."""


@dataclass(frozen=True)
class Stanza:
    type: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Kop:
    """An age header as read: its recipient stanzas in order."""

    stanzas: tuple[Stanza, ...]

    def ontvangers(self) -> list[tuple[str, str]]:
        """(type, tag) of every recipient stanza, sorted; grease left out, others kept
        as (type, '') so an unexpected recipient kind never goes unnoticed."""
        found = []
        for s in self.stanzas:
            if s.type.endswith(GREASE):
                continue
            tag = s.args[0] if s.type in SSH_TYPES and s.args else ""
            found.append((s.type, tag))
        return sorted(found)


def _b64_ok(text: str) -> bool:
    return set(text) <= _B64


def read_header(data: bytes) -> Kop:
    """Parse the header of an age v1 file; AgeFormatError (in Dutch) when it is not one."""
    end = data.find(b"\n--- ", 0, HEADER_MAX)
    if not data.startswith(AGE_V1 + b"\n"):
        raise AgeFormatError("geen age-bestand: de eerste regel is niet 'age-encryption.org/v1'")
    if end < 0:
        raise AgeFormatError("age-kop zonder afsluitende '--- <mac>'-regel")
    try:
        lines = data[: end + 1].decode("ascii").split("\n")[1:-1]
    except UnicodeDecodeError as exc:
        raise AgeFormatError("age-kop bevat tekens buiten ASCII") from exc
    mac_end = data.find(b"\n", end + 1)
    mac = data[end + 5 : mac_end].decode("ascii", "replace") if mac_end > 0 else ""
    if len(mac) != 43 or not _b64_ok(mac):
        raise AgeFormatError("age-kop eindigt niet met een geldige '--- <mac>'-regel")
    if mac_end < 0 or len(data) - mac_end - 1 < 32:
        raise AgeFormatError("age-bestand zonder versleutelde inhoud")
    stanzas: list[Stanza] = []
    body_open = False
    for line in lines:
        if line.startswith("-> "):
            if body_open:
                raise AgeFormatError("age-stanza zonder afsluitende korte regel")
            parts = line[3:].split(" ")
            if not parts or any(not p or not p.isprintable() for p in parts):
                raise AgeFormatError(f"ongeldige age-stanza: {line[:60]!r}")
            stanzas.append(Stanza(parts[0], tuple(parts[1:])))
            body_open = True
        elif stanzas and body_open and len(line) <= 64 and _b64_ok(line):
            body_open = len(line) == 64
        else:
            raise AgeFormatError(f"ongeldige regel in de age-kop: {line[:60]!r}")
    if not stanzas or body_open:
        raise AgeFormatError("age-kop zonder (volledige) ontvangers")
    return Kop(tuple(stanzas))


@functools.lru_cache(maxsize=4096)
def ssh_key_tag(public_line: str) -> tuple[str, str] | None:
    """(type, tag) as age names an SSH public key line; None for a key age cannot use.

    Kept per line: the state check asks it of every registry key for every stored file
    (146,000 times for the national repository's 2,325 financing files)."""
    fields = public_line.split()
    if len(fields) < 2 or fields[0] not in SSH_TYPES:
        return None
    try:
        wire = base64.b64decode(fields[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    name_len = int.from_bytes(wire[:4], "big")
    if wire[4 : 4 + name_len].decode("ascii", "replace") != fields[0]:
        return None
    tag = base64.b64encode(hashlib.sha256(wire).digest()[:4]).decode().rstrip("=")
    return fields[0], tag


def encrypt(plaintext: bytes, recipients: Sequence[str]) -> bytes:
    """`plaintext` as an age file to the SSH public key lines `recipients` (binary format)."""
    import pyrage

    keys = [pyrage.ssh.Recipient.from_str(" ".join(r.split()[:2])) for r in recipients]
    if not keys:
        raise ValueError("versleutelen zonder ontvangers")
    return bytes(pyrage.encrypt(plaintext, keys))


class IdentityError(ValueError):
    """A file that is not an unencrypted OpenSSH private key age can use."""


def load_identities(paths: Iterable[Path]) -> list[Any]:
    """age identities from OpenSSH private key files (as `ssh-keygen` writes them)."""
    import pyrage

    found = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise IdentityError(f"{path}: niet te lezen ({os_reden(exc)})") from exc
        if raw.lstrip().startswith(b"ssh-"):
            raise IdentityError(f"{path}: dit is een publieke sleutel; geef de privésleutel")
        try:
            found.append(pyrage.ssh.Identity.from_buffer(raw))
        except Exception as exc:  # pyrage raises its own types, some not exported
            raise IdentityError(
                f"{path}: geen bruikbare OpenSSH-privésleutel (ed25519 of rsa, zonder wachtwoord)"
            ) from exc
    return found


def decrypt(data: bytes, identities: Sequence[Any]) -> bytes | None:
    """The plaintext, or None when none of `identities` is a recipient (or data is bad)."""
    import pyrage

    if not identities:
        return None
    try:
        return bytes(pyrage.decrypt(data, list(identities)))
    except Exception:  # DecryptError and friends: not addressed to us, or damaged
        return None


def is_age(data: bytes) -> bool:
    """Whether `data` starts like an age v1 file (cheap; `read_header` checks the rest)."""
    return data.startswith(AGE_V1 + b"\n")


def read_confidential(path: Path, identities: Sequence[Any]) -> bytes | None:
    """A confidential file's plaintext: decrypted when it is an age file (None when no
    identity can), as is when it is a plaintext file from before the migration."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.name.endswith(SUFFIX):
        return decrypt(data, identities)
    return data
