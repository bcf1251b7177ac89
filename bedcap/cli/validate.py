"""`bedcap validate`: the data contract, file by file and across files."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.options import FormaatOptie, repo_zone
from bedcap.cli.output import EXIT_USAGE, Formaat, fail, handle_errors, print_result, progress_bar
from bedcap.files.repo import DATA, DataRepo

_ONBRUIKBAAR = {
    errno.ENAMETOOLONG: "de naam of het pad is te lang",
    errno.ELOOP: "te veel symlinks achter elkaar",
    errno.EACCES: "geen toegang",
}


def _targets(repo: DataRepo, paden: list[Path]) -> list[str] | None:
    """Repository-relative targets; None means the whole `data/`. Every path is checked,
    also after one that means the whole: a wrong second path is never a silent pass."""
    targets, whole = [], False
    for pad in paden:
        try:
            there = pad.exists() or pad.is_symlink()
        except OSError as exc:
            reden = _ONBRUIKBAAR.get(exc.errno or 0, "onbruikbaar")
            raise fail(f"{str(pad)[:200]} is geen bruikbaar pad: {reden}", EXIT_USAGE) from None
        if not there:
            raise fail(f"{pad} bestaat niet", EXIT_USAGE)
        try:
            rel = repo.rel(pad)
        except ValueError:
            raise fail(f"{pad} ligt niet in de datarepository {repo.root}", EXIT_USAGE) from None
        if rel in (".", "", DATA):
            whole = True
        elif rel.startswith(f"{DATA}/"):
            targets.append(rel)
        else:  # never checked: a silent pass is worse
            raise fail(
                f"{pad} ligt niet in {DATA}/ van de datarepository {repo.root}; alleen de "
                f"bestanden onder {DATA}/ worden gecontroleerd",
                EXIT_USAGE,
            )
    return None if whole or not targets else targets


@handle_errors
def validate(
    paden: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Bestanden of mappen om te controleren (standaard: de hele repository).",
            show_default=False,
        ),
    ] = None,
    formaat: FormaatOptie = Formaat.TEXT,
) -> None:
    """Controleer de data tegen het datacontract: schema's, verwijzingen, tellingen, privacy."""
    from bedcap import calendar
    from bedcap.rules.validate import validate_repo

    paden = paden or []
    repo = DataRepo.find(paden[0] if paden else None)
    targets = _targets(repo, paden)
    with progress_bar("Snapshots controleren") as start:
        today = calendar.vandaag(repo_zone(repo.root))
        result = validate_repo(repo, targets, progress=start, today=today, cache=True)
    raise typer.Exit(print_result(result, formaat))


def register(app: typer.Typer) -> None:
    app.command()(validate)
