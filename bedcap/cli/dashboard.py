"""`bedcap dashboard`: the static site for admission coordinators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.options import RepoOptie, repo_zone
from bedcap.cli.output import console, handle_errors, lazy_progress


@handle_errors
def dashboard(
    uit: Annotated[Path, typer.Option("--uit", help="Map voor de site (wordt vervangen).")],
    op: Annotated[
        str | None,
        typer.Option(
            "--op",
            metavar="DATUM",
            help="De stand op die dag (standaard: vandaag).",
            show_default=False,
        ),
    ] = None,
    repo_pad: RepoOptie = None,
) -> None:
    """Bouw het statische dashboard: overzicht, beschikbaarheid en een pagina per locatie."""
    import time

    from bedcap import calendar
    from bedcap.outputs.dashboard import build

    started = time.perf_counter()
    nu = calendar.nu(repo_zone(repo_pad))
    day = calendar.parse_datum(op) if op else None
    with lazy_progress("Cache opbouwen") as start:
        written = build(repo_pad, uit, nu=nu, op=day, progress=start)
    console().print(
        f"Dashboard gebouwd in {uit}: {written} pagina's in {time.perf_counter() - started:.1f} s. "
        f"Open {uit / 'index.html'}."
    )


def register(app: typer.Typer) -> None:
    app.command()(dashboard)
