"""`bedcap validate`: the data contract, file by file and across files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.options import FormaatOptie, repo_zone
from bedcap.cli.output import EXIT_USAGE, Formaat, fail, handle_errors, print_result, progress_bar
from bedcap.files.repo import DATA, DataRepo


def _targets(repo: DataRepo, paden: list[Path]) -> list[str] | None:
    """Repository-relative targets; None means the whole `data/`."""
    targets = []
    for pad in paden:
        if not pad.exists() and not pad.is_symlink():
            raise fail(f"{pad} bestaat niet", EXIT_USAGE)
        try:
            rel = repo.rel(pad)
        except ValueError:
            raise fail(f"{pad} ligt niet in de datarepository {repo.root}", EXIT_USAGE) from None
        if rel in (".", "", DATA):
            return None
        if not rel.startswith(f"{DATA}/"):  # never checked: a silent pass is worse
            if repo.path(rel).is_symlink():  # `link/../data/…` through a link in the repository
                raise fail(f"{pad} gaat via de symlink {rel} in {repo.root}", EXIT_USAGE)
            raise fail(
                f"{pad} ligt niet in {DATA}/ van de datarepository {repo.root}; alleen de "
                f"bestanden onder {DATA}/ worden gecontroleerd",
                EXIT_USAGE,
            )
        targets.append(rel)
    return targets or None


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
