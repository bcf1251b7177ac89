"""Real ed25519 keys for the fictitious participants of `bedcap demo` and the example.

Confidential files are age-encrypted to the maintainers' SSH keys, so generated data needs
keys that exist. They are derived from the generator's seeded random stream (32 bytes per
key, the same bytes the earlier fictitious keys used, so the rest of the data is
unchanged): the same seed gives the same keys, and anyone who knows the seed can rebuild
the private halves. That is the point for demonstration data (the tests and a demo user
can decrypt) and the reason real participants make their own keys with `ssh-keygen`.
Only public keys are ever written into a repository's `data/`.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

COMMENT = "demo"


def demo_key(rng: random.Random) -> Ed25519PrivateKey:
    """The next key of the seeded stream `rng` (consumes 32 bytes)."""
    return Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))


def public_line(key: Ed25519PrivateKey, comment: str = COMMENT) -> str:
    """`ssh-ed25519 AAAA... demo`, as `deelnemers.yaml` lists a maintainer's key."""
    raw = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return f"{raw.decode()} {comment}"


def private_openssh(key: Ed25519PrivateKey) -> bytes:
    """The private key as `ssh-keygen` writes it (OpenSSH format, no passphrase)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )


def identities(opzet: Any, wereld: Any = None) -> dict[str, bytes]:
    """Every maintainer's private key of a generated repository, by participant id."""
    from bedcap.scaffold.world import build_wereld, lcbb_key

    wereld = wereld or build_wereld(opzet)
    found = {"lcbb": private_openssh(lcbb_key(opzet.seed))}
    for a in wereld.aanbieders:
        found[a.id] = private_openssh(a.sleutel)
    return found


def write_identities(folder: Path, keys: dict[str, bytes]) -> None:
    """The private keys as files only their owner may read (for `--identiteit`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for org, pem in keys.items():
        path = folder / org
        path.write_bytes(pem)
        path.chmod(0o600)
