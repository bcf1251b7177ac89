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
from bedcap.findings.result import Result
from bedcap.gate.check import check_change

ZERO = "0" * 40
"""The id git sends for a ref that does not exist (yet, or any more)."""


@dataclass
class RefUitslag:
    """The verdict on one ref update: refusals without a check, or the check's result."""

    ref: str
    meldingen: list[str] = field(default_factory=list)
    result: Result | None = None

    @property
    def geweigerd(self) -> bool:
        return bool(self.meldingen) or (self.result is not None and not self.result.geldig)


@dataclass
class HookUitslag:
    """The verdict per ref of one push; the CLI renders it as `remote:` lines."""

    refs: list[RefUitslag] = field(default_factory=list)

    @property
    def geweigerd(self) -> bool:
        return any(r.geweigerd for r in self.refs)


def pre_receive(root: Path, invoer: str, vandaag: dt.date) -> HookUitslag:
    """Judge every ref update of a push as `bedcap check --base --head` would."""
    uitslag = HookUitslag()
    for line in invoer.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        old, new, ref = parts
        verdict = RefUitslag(ref)
        uitslag.refs.append(verdict)
        if new == ZERO:
            if ref == gitops.head_ref(root):
                verdict.meldingen.append(f"bedcap: {ref} verwijderen mag niet")
            continue
        base = old
        if old == ZERO:
            try:
                base = gitops.merge_base(root, "HEAD", new)
            except GitError:  # no common history, or an empty repository
                verdict.meldingen.append(
                    f"bedcap: {ref} heeft geen gemeenschappelijke basis met de hoofdtak; "
                    "push eerst de beginstand en installeer daarna de hook"
                )
                continue
        verdict.result = check_change(root, base, new, vandaag)
    return uitslag
