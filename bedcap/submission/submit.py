"""`bedcap submit` as one call: the date rules, the check, one snapshot, one commit, the push.

Everything is checked before anything is written (`plan.py`); the git side is in
`files/gitops.py` and the order of both is in `submit()`. Today's date and the time of
submission are parameters, read once by the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedcap.errors import UsageError
from bedcap.files import trailers
from bedcap.files.repo import LOCATIES, DataRepo
from bedcap.submission.invoer import Invoer
from bedcap.submission.plan import Plan, active_rows, plan


@dataclass(frozen=True)
class Submitted:
    """What landed: the local commit and, unless --no-push, where it was pushed."""

    commit: str
    pushed: Any = None


def commit_message(p: Plan) -> str:
    """Subject, the correction's reason as body, and the `Bedcap-*` trailers."""
    return trailers.message(
        f"Snapshot {p.peildatum} {p.aanbieder}",
        trailers.Trailers(p.aanbieder, p.peildatum, correctie=p.correctie),
        f"Correctie: {p.correctie}" if p.correctie else None,
    )


def peildatum_for(datum: dt.date | None, today: dt.date) -> dt.date:
    """The day a submission is for: today unless given, never in the future."""
    peildatum = datum or today
    if peildatum > today:
        raise UsageError(f"peildatum {peildatum} ligt in de toekomst (vandaag is {today})")
    return peildatum


Ask = Callable[[list[dict[str, Any]]], Invoer]


def submit(
    repo: DataRepo,
    aanbieder: str,
    datum: dt.date | None,
    invoer: Path | Ask | None,
    *,
    today: dt.date,
    now: dt.datetime,
    ongewijzigd: bool = False,
    correctie: str | None = None,
    push: bool = True,
    sign: bool | None = None,
    confirm: Callable[[Plan], bool] | None = None,
) -> tuple[Plan, Submitted | None]:
    """Check, then write one snapshot and commit exactly that path, then push.

    `datum` is the peildatum (None: today). `invoer` is a file, or a function that is
    given the rows to report on (previous counts as defaults) and returns what the
    provider typed. Nothing is written when the plan has errors or `confirm(plan)` says
    no; a failing commit restores the file and the index.
    """
    from bedcap.errors import BedcapError
    from bedcap.files import gitops
    from bedcap.files.snapshots import write_snapshot

    peildatum = peildatum_for(datum, today)
    git_repo = gitops.open_repo(repo.root)
    if push:
        gitops.require_upstream(git_repo)  # before anything is asked, written or committed
    given = invoer(active_rows(repo, aanbieder, peildatum)) if callable(invoer) else invoer
    rel = repo.snapshot_path(aanbieder, peildatum)
    staged = gitops.staged_paths(git_repo)
    if staged == [rel]:
        # Only this day's snapshot is staged: a submit of the same day killed between
        # staging and moving HEAD. This submit writes that path anyway; start from HEAD.
        gitops.unstage(git_repo, rel)
        staged = []
    if staged:
        raise BedcapError(
            "er staan al wijzigingen klaar in de git-index ("
            f"{', '.join(staged[:3])}); commit of unstage die eerst"
        )
    dirty = gitops.dirty_paths(git_repo, repo.owner_folder(LOCATIES, aanbieder))
    if dirty:
        raise BedcapError(
            f"niet-gecommitte wijzigingen in je locatiegegevens ({dirty[0]}); "
            "commit die eerst, zodat het snapshot bij de gedeelde data past"
        )
    tracked = gitops.exists_at_head(git_repo, rel)
    p = plan(
        repo,
        aanbieder,
        peildatum,
        given,
        ongewijzigd=ongewijzigd,
        correctie=correctie,
        exists_at_head=tracked,
        today=today,
        now=now,
    )
    if not p.result.geldig or (confirm is not None and not confirm(p)):
        return p, None
    has_key = gitops.config_value(git_repo, "user.signingkey") is not None
    if sign is None:
        sign = has_key
    elif sign and not has_key:
        raise BedcapError(
            "--sign gevraagd, maar git kent geen user.signingkey; zie "
            "'git config user.signingkey' en gpg.format=ssh"
        )
    write_snapshot(repo.path(rel), p.rows, repo.tmp_dir)
    try:
        sha = gitops.commit_path(git_repo, rel, commit_message(p), sign=sign)
    except BaseException:
        gitops.restore_path(git_repo, rel, tracked=tracked)
        raise
    pushed = gitops.push_with_retry(git_repo) if push else None
    return p, Submitted(sha, pushed)
