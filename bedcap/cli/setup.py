"""`bedcap setup`: a provider's clone ready to submit (textconv, aanbieder, signing, history)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.options import RepoOptie
from bedcap.cli.output import EXIT_DATA, EXIT_OK, console, handle_errors


@handle_errors
def setup(
    aanbieder: Annotated[
        str | None,
        typer.Option(
            "--aanbieder",
            metavar="AANBIEDER",
            help="Jullie aanbieder-id (standaard: git config bedcap.aanbieder).",
            show_default=False,
        ),
    ] = None,
    sleutel: Annotated[
        Path | None,
        typer.Option(
            "--sleutel",
            metavar="SLEUTEL",
            help="SSH-sleutel om mee te tekenen (standaard: git config user.signingkey).",
            show_default=False,
        ),
    ] = None,
    repo: RepoOptie = None,
) -> None:
    """Richt een kloon van een aanbieder in om aan te leveren.

    Zet de textconv-driver voor snapshots, bedcap.aanbieder en het tekenen met een
    SSH-sleutel; controleert dat die sleutel in deelnemers.yaml bij jullie aanbieder staat
    en dat de kloon de volledige geschiedenis heeft. Noemt wat nog ontbreekt; geeft 0
    alleen als deze kloon kan aanleveren.
    """
    from bedcap.submission.clone import setup_clone

    opzet = setup_clone(repo or Path.cwd(), aanbieder=aanbieder, sleutel=sleutel)
    out = console()
    out.print(f"Kloon: {opzet.root}")
    for stap in opzet.stappen:
        teken = "[green]✓[/]" if stap.klaar else "[red]✗[/]"
        out.print(f"  {teken} {stap.naam}: {stap.melding}")
    if opzet.klaar:
        out.print("[green]Klaar: deze kloon kan aanleveren (bedcap submit).[/]")
        raise typer.Exit(EXIT_OK)
    out.print(f"[red]Nog te doen: {len(opzet.ontbrekend)} punt(en); zie ✗ hierboven.[/]")
    raise typer.Exit(EXIT_DATA)


def register(app: typer.Typer) -> None:
    app.command()(setup)
