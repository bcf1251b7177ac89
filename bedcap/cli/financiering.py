"""`bedcap financiering submit|toon`: a provider's quarterly financing file, encrypted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.options import FormaatOptie, IdentiteitOptie, NoPushOptie, RepoOptie, SignOptie
from bedcap.cli.output import (
    EXIT_DATA,
    EXIT_USAGE,
    Formaat,
    console,
    fail,
    handle_errors,
    print_result,
)

financiering_app = typer.Typer(
    help="Je financieringsbestand per kwartaal: gecontroleerd, dan versleuteld voor jezelf en "
    "de LCBB.",
    no_args_is_help=True,
)

AanbiederOptie = Annotated[
    str | None,
    typer.Option("--aanbieder", help="Jouw aanbieder-id (standaard: git config bedcap.aanbieder)."),
]


def _aanbieder(root: Path, given: str | None) -> str:
    if given:
        return given
    from bedcap.errors import BedcapError
    from bedcap.files import gitops

    try:
        value = gitops.config_value(gitops.open_repo(root), "bedcap.aanbieder")
    except BedcapError:
        value = None
    if not value:
        raise fail(
            "geef --aanbieder, of zet het eenmalig: git config bedcap.aanbieder "
            "<jouw-aanbieder-id>",
            EXIT_USAGE,
        )
    return value


@financiering_app.command()
@handle_errors
def submit(
    bestand: Annotated[
        Path,
        typer.Argument(
            help="Het financieringsbestand (YAML, klaartekst, buiten data/).", show_default=False
        ),
    ],
    aanbieder: AanbiederOptie = None,
    no_push: NoPushOptie = False,
    sign: SignOptie = False,
    formaat: FormaatOptie = Formaat.TEXT,
    repo_pad: RepoOptie = None,
) -> None:
    """Controleer, versleutel (voor jezelf en de LCBB) en commit je kwartaalfinanciering."""
    from bedcap.files.repo import DataRepo
    from bedcap.submission.financing import submit_financiering

    if not bestand.is_file():
        raise fail(f"{bestand} bestaat niet of is geen bestand", EXIT_USAGE)
    repo = DataRepo.find(repo_pad)
    who = _aanbieder(repo.root, aanbieder)
    result, rel, done = submit_financiering(
        repo, who, bestand, push=not no_push, sign=True if sign else None
    )
    if done is None:
        raise typer.Exit(print_result(result, formaat) or EXIT_DATA)
    if formaat is Formaat.TEXT:
        where = (
            f"gepusht naar {done.pushed.upstream}" if done.pushed else "alleen lokaal (--no-push)"
        )
        console().print(f"[green]Ingediend, versleuteld:[/] {rel}")
        console().print(f"Commit {done.commit[:10]} — {where}")
    else:
        print_result(result, formaat)


@financiering_app.command()
@handle_errors
def toon(
    kwartaal: Annotated[
        str, typer.Option("--kwartaal", metavar="JJJJQn", help="Het kwartaal, zoals 2021Q2.")
    ],
    aanbieder: AanbiederOptie = None,
    identiteit: IdentiteitOptie = None,
    repo_pad: RepoOptie = None,
) -> None:
    """Toon je eigen financieringsbestand ontsleuteld (standaard met je git-ondertekensleutel)."""
    import re

    from bedcap.contract.patterns import KWARTAAL_PATTERN
    from bedcap.files.repo import DataRepo
    from bedcap.submission.financing import toon_financiering

    if not re.match(KWARTAAL_PATTERN, kwartaal):
        raise fail(
            f"--kwartaal {kwartaal!r} is geen kwartaal; verwacht: JJJJQn, zoals 2021Q2", EXIT_USAGE
        )
    repo = DataRepo.find(repo_pad)
    who = _aanbieder(repo.root, aanbieder)
    _, data = toon_financiering(repo, who, kwartaal, identiteit)
    typer.echo(data.decode("utf-8-sig", "replace"), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(financiering_app, name="financiering")
