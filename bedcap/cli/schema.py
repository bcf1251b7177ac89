"""`bedcap schema`: JSON Schemas in `schemas/`, generated from the models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.output import EXIT_DATA, console, handle_errors


@handle_errors
def schema(
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Schrijf niets; exit 1 als schemas/ afwijkt van de modellen (voor CI)."
        ),
    ] = False,
    pad: Annotated[Path, typer.Option("--pad", help="Map waarin schemas/ staat.")] = Path("."),
) -> None:
    """Schrijf de JSON Schemas van het datacontract naar schemas/ (of controleer ze)."""
    from bedcap.scaffold.schemas import drifted, write_schemas

    out = console()
    if check:
        stale = drifted(pad)
        for name in stale:
            out.print(f"[red]verouderd of ontbrekend:[/] {name}")
        if stale:
            out.print("Draai 'bedcap schema' en commit schemas/.")
            raise typer.Exit(EXIT_DATA)
        out.print("schemas/ is bij.")
        return
    changed = write_schemas(pad)
    for name in changed:
        out.print(f"geschreven: {name}")
    out.print(f"{len(changed)} schema('s) bijgewerkt." if changed else "schemas/ was al bij.")


def register(app: typer.Typer) -> None:
    app.command()(schema)
