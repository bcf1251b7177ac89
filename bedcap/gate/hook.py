"""The pre-receive protocol: `<old> <new> <ref>` lines in, the gate's verdict per ref out.

A self-hosted server runs this for every push. A new branch is judged from its merge
base with the main line; deleting the main line is refused. The lines returned are what
git shows the pusher as `remote: …`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bedcap.errors import GitError
from bedcap.files import gitops
from bedcap.gate.check import check_change

ZERO = "0" * 40
"""The id git sends for a ref that does not exist (yet, or any more)."""


@dataclass
class HookUitslag:
    """What the hook says, line by line, and whether the push is refused."""

    regels: list[str] = field(default_factory=list)
    geweigerd: bool = False


def pre_receive(root: Path, invoer: str, vandaag: dt.date) -> HookUitslag:
    """Judge every ref update of a push as `bedcap check --base --head` would."""
    uitslag = HookUitslag()
    for line in invoer.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        old, new, ref = parts
        if new == ZERO:
            if ref == gitops.head_ref(root):
                uitslag.regels.append(f"bedcap: {ref} verwijderen mag niet")
                uitslag.geweigerd = True
            continue
        base = old
        if old == ZERO:
            try:
                base = gitops.merge_base(root, "HEAD", new)
            except GitError:  # no common history, or an empty repository
                uitslag.regels.append(
                    f"bedcap: {ref} heeft geen gemeenschappelijke basis met de hoofdtak; "
                    "push eerst de beginstand en installeer daarna de hook"
                )
                uitslag.geweigerd = True
                continue
        result = check_change(root, base, new, vandaag)
        for p in result.ordered():
            kind = "FOUT" if p.ernst == "fout" else "WAARSCHUWING"
            veld = f" [{p.veld}]" if p.veld else ""
            uitslag.regels.append(f"bedcap {kind} {p.plek}{veld}: {p.melding} ({p.code})")
        uitslag.regels.append(f"bedcap {ref}: {result.summary()}")
        uitslag.geweigerd = uitslag.geweigerd or not result.geldig
    return uitslag
