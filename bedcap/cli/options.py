"""Options shared by several commands, as `Annotated` aliases: one spelling everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.output import Formaat

FormaatOptie = Annotated[
    Formaat,
    typer.Option(
        "--format",
        "-f",
        help="Uitvoer: text (tabel), json (scripts) of github (annotaties in GitHub Actions).",
    ),
]
RepoOptie = Annotated[
    Path | None,
    typer.Option("--repo", help="De datarepository (standaard: de map waarin je staat)."),
]
