"""`bedcap init`: a new, empty, valid data repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.output import console, handle_errors


@handle_errors
def init(
    pad: Annotated[Path, typer.Argument(help="Nieuwe of lege map.")] = Path("."),
    pakket: Annotated[
        str | None,
        typer.Option(
            "--pakket",
            metavar="SPEC",
            help="De pip-vereiste die de CI installeert: bedcap==VERSIE, een VCS-URL met tag "
            "of een wheel (standaard: precies deze versie van bedcap).",
            show_default=False,
        ),
    ] = None,
    publiceer: Annotated[
        bool,
        typer.Option(
            "--publiceer",
            help="Publiceer het dashboard op Pages (openbaar op de meeste abonnementen); "
            "zonder deze optie wordt het een CI-artifact.",
        ),
    ] = False,
) -> None:
    """Maak een nieuwe, lege, geldige datarepository (git, data/, instellingen, schema's)."""
    from bedcap.scaffold.init import init_repo

    created = init_repo(pad, pakket=pakket, publiceer=publiceer)
    out = console()
    out.print(f"Nieuwe datarepository in {created.root}")
    for rel in created.bestanden:
        out.print(f"  {rel}")
    out.print(
        "\nVolgende stappen:\n"
        "  1. Vul data/regios.yaml, data/contra-indicaties.yaml en data/deelnemers.yaml.\n"
        "  2. Zet per aanbieder locaties in data/locaties/<aanbieder>/<locatie>.yaml.\n"
        "  3. bedcap validate\n"
        "  4. git add -A && git commit -m 'Nieuwe datarepository'"
    )


def register(app: typer.Typer) -> None:
    app.command()(init)
