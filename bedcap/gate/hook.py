"""The pre-receive protocol: `<old> <new> <ref>` lines in, the gate's verdict per ref out.

A self-hosted server runs this for every push. Each ref update is judged as such first
(`refs`: allowed namespaces, no deletes, the protected branch by fast-forward only), then
its commits as `bedcap check --base --head` judges them. The protected branch and the
registry come from the main line (the repository's HEAD): a new ref is judged against
the registry at the protected branch's current tip, never at its fork point (issue 13).
The CLI renders the verdicts as the `remote: …` lines git shows the pusher.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bedcap.errors import GitError
from bedcap.files import githistory, gitops
from bedcap.findings.result import Result
from bedcap.gate import refs
from bedcap.gate.check import check_change, settings_at

ZERO = refs.ZERO
"""The id git sends for a ref that does not exist (yet, or any more)."""


@dataclass
class RefUitslag:
    """The verdict on one ref update: refusals without a check, or the check's result."""

    ref: str
    meldingen: list[str] = field(default_factory=list)
    result: Result | None = None
    nieuw: str = ""  # the pushed commit: named with the result, as content findings have none

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


def _main_line(root: Path) -> tuple[str, list[str], str] | None:
    """The protected branch, the allowed ref patterns and the tip new refs are judged at.

    Read from the main line (HEAD of the bare repository), never from the push itself.
    """
    try:
        head_tip = gitops.rev_parse(root, "HEAD")
    except GitError:  # an empty repository
        return None
    settings = settings_at(root, head_tip)
    try:
        tip = gitops.rev_parse(root, refs.protected_ref(settings.hoofdtak))
    except GitError:  # the protected branch does not exist yet: the main line stands in
        tip = head_tip
    return settings.hoofdtak, list(settings.toegestane_refs), tip


def judge_update(
    root: Path, update: refs.RefUpdate, vandaag: dt.date, nu: dt.datetime
) -> Result | None:
    """The findings about one ref update (None: the repository has no main line yet)."""
    main_line = _main_line(root)
    if main_line is None:
        return None
    hoofdtak, toegestaan, tip = main_line
    protected = update.ref == refs.protected_ref(hoofdtak)
    ff = not (update.verwijderd or update.nieuw_ref) and githistory.is_ancestor(
        root, update.oud, update.nieuw
    )
    result = Result()
    result.extend(refs.ref_findings(update, hoofdtak, toegestaan, fast_forward=ff))
    if not result.geldig:
        return result
    if protected and not update.nieuw_ref:
        return check_change(root, update.oud, update.nieuw, vandaag, nu=nu, ontvangen=nu)
    ontvangen = nu if protected else None
    return check_change(root, tip, update.nieuw, vandaag, registry=tip, nu=nu, ontvangen=ontvangen)


def pre_receive(root: Path, invoer: str, vandaag: dt.date, nu: dt.datetime) -> HookUitslag:
    """Judge every ref update of a push; any finding refuses the whole push.

    `nu` is the moment the push is received: commits dated later are refused, and so are
    commits bringing a snapshot onto the protected branch that are older than
    `timeliness.TOLERANTIE` (their time is what timeliness is judged by).
    """
    uitslag = HookUitslag()
    for update in refs.parse_updates(invoer):
        verdict = RefUitslag(update.ref, nieuw=update.nieuw)
        uitslag.refs.append(verdict)
        verdict.result = judge_update(root, update, vandaag, nu)
        if verdict.result is None:
            verdict.meldingen.append(
                f"bedcap: {update.ref} heeft geen hoofdtak om tegen te controleren; "
                "push eerst de beginstand en installeer daarna de hook"
            )
    return uitslag
