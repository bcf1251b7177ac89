"""Options shared by several commands, as `Annotated` aliases: one spelling everywhere."""

from __future__ import annotations

from datetime import tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.output import Formaat

FormaatOptie = Annotated[
    Formaat,
    typer.Option(
        "--format",
        "-f",
        help="Uitvoer: text (tabel; buiten een terminal één bevinding per regel), json "
        "(scripts), github (annotaties in GitHub Actions), gitlab (Code Quality-rapport) of "
        "junit (JUnit-XML).",
    ),
]
RepoOptie = Annotated[
    Path | None,
    typer.Option("--repo", help="De datarepository (standaard: de map waarin je staat)."),
]

NoPushOptie = Annotated[
    bool, typer.Option("--no-push", help="Alleen lokaal committen, niet pushen.")
]
SignOptie = Annotated[
    bool,
    typer.Option(
        "--sign", help="Onderteken de commit altijd (standaard: als git een sleutel kent)."
    ),
]


def keuzes(enum: type[StrEnum]) -> str:
    """An enum's values as an option's metavar: `a|b|c`."""
    return "|".join(str(member) for member in enum)


IdentiteitOptie = Annotated[
    Path | None,
    typer.Option(
        "--identiteit",
        envvar="BEDCAP_IDENTITEIT",
        metavar="PAD",
        help="Je SSH-privésleutel (ed25519 of rsa, zonder wachtwoord) om vertrouwelijke "
        "bestanden te ontsleutelen; ook via BEDCAP_IDENTITEIT.",
        show_default=False,
    ),
]


def repo_zone(waar: Path | None) -> tzinfo:
    """The `tijdzone` of the data repository at or above `waar`: every command reads today
    and now in it, as `available` and `history` do. Where `bedcap.toml` cannot be read,
    Amsterdam; the command itself then says what is wrong with the file."""
    from bedcap.calendar import TIJDZONE
    from bedcap.errors import BedcapError
    from bedcap.files.repo import DataRepo

    try:
        return DataRepo.find(waar).klok().zone
    except BedcapError:
        return TIJDZONE
