"""`bedcap report`: quarterly management information for the LCBB or for policy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from bedcap.cli.options import IdentiteitOptie, RepoOptie, repo_zone
from bedcap.cli.output import console, handle_errors, lazy_progress
from bedcap.contract.vocab import Doelgroep, Rapportformaat

JaarOptie = Annotated[
    str | None,
    typer.Option(
        "--jaar", metavar="JJJJ", help="Of een jaar, naast het jaar ervoor.", show_default=False
    ),
]


@handle_errors
def report(
    kwartaal: Annotated[
        str | None,
        typer.Option(
            "--kwartaal", metavar="JJJJQn", help="Het kwartaal, zoals 2021Q2.", show_default=False
        ),
    ] = None,
    maand: Annotated[
        str | None,
        typer.Option("--maand", metavar="JJJJ-MM", help="Of een maand.", show_default=False),
    ] = None,
    jaar: JaarOptie = None,
    van: Annotated[
        str | None,
        typer.Option("--van", metavar="DATUM", help="Of een periode: begin.", show_default=False),
    ] = None,
    tot: Annotated[
        str | None, typer.Option("--tot", metavar="DATUM", help="…en einde.", show_default=False)
    ] = None,
    doelgroep: Annotated[
        Doelgroep,
        typer.Option(
            "--doelgroep",
            help="lcbb: alles; beleid: alleen landelijke en regionale "
            "totalen, geen aanbieder of locatie.",
        ),
    ] = Doelgroep.LCBB,
    formaat: Annotated[
        Rapportformaat, typer.Option("--format", "-f", help="Uitvoerformaat.")
    ] = Rapportformaat.HTML,
    uit: Annotated[
        Path | None,
        typer.Option(
            "--uit",
            help="Bestand (csv: map) om te schrijven (standaard: "
            "rapport-<periode>-<doelgroep>.<formaat>).",
            show_default=False,
        ),
    ] = None,
    repo_pad: RepoOptie = None,
    identiteit: IdentiteitOptie = None,
) -> None:
    """Managementinformatie: capaciteit, knelpunten, financiering met afstemming, volledigheid."""
    from bedcap import calendar
    from bedcap.outputs.render import make_report

    zone = repo_zone(repo_pad)
    vandaag = calendar.vandaag(zone)
    with _progress() as (start, step):
        done = make_report(
            repo_pad,
            kwartaal,
            maand,
            van,
            tot,
            doelgroep=doelgroep,
            formaat=formaat,
            uit=uit,
            vandaag=vandaag,
            jaar=jaar,
            nu=calendar.nu(zone),
            progress=start,
            step=step,
            identiteit=identiteit,
        )
    files = done.bestanden
    _say_unread(done.niet_gelezen)
    from bedcap.outputs.labels import DOELGROEPEN

    console().print(
        f"Rapport {done.periode} ({DOELGROEPEN.get(str(doelgroep), doelgroep)}) geschreven: "
        + (str(done.doel) if len(files) == 1 else f"{done.doel}/ ({len(files)} bestanden)")
    )


@contextmanager
def _progress() -> Iterator[tuple[Any, Callable[[str], None]]]:
    """The cache build's bar, and a spinner naming the part of the report at work."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from bedcap.cli.output import err_console

    columns = (SpinnerColumn(), TextColumn("{task.description}"))
    with (
        lazy_progress("Cache opbouwen") as start,
        Progress(*columns, console=err_console(), transient=True) as bar,
    ):
        task = bar.add_task("Rapport maken", total=None)
        yield start, lambda what: bar.update(task, description=f"Rapport maken: {what}")


def _say_unread(count: int) -> None:
    """Say on stderr that confidential files were left out (issue 15), if any were."""
    from bedcap.cli.output import err_console

    if count:
        err_console().print(
            f"{count} vertrouwelijke bestanden niet gelezen (versleuteld; geef --identiteit "
            "of BEDCAP_IDENTITEIT): zie de tabel 'niet_leesbaar'"
        )


def register(app: typer.Typer) -> None:
    app.command()(report)
