"""`bedcap textconv`: a Parquet snapshot as text, for git diff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.output import EXIT_DATA, err_console, handle_errors


@handle_errors
def textconv(
    bestand: Annotated[Path, typer.Argument(help="Een Parquet-snapshot.")],
) -> None:
    """Toon een Parquet-snapshot als tekst (git diff-driver, zie .gitattributes)."""
    from bedcap.files.snapshots import SnapshotOnleesbaarError, render_text

    try:
        text = render_text(bestand)
    except SnapshotOnleesbaarError as exc:
        err_console().print(f"kan {bestand} niet lezen als Parquet-snapshot: {exc}", markup=False)
        raise typer.Exit(EXIT_DATA) from None
    typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    app.command(hidden=False)(textconv)
