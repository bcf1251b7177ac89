"""`bedcap report`: quarterly management information for the LCBB or for policy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.options import RepoOptie
from bedcap.cli.output import console, handle_errors, lazy_progress
from bedcap.contract.vocab import Doelgroep, Rapportformaat


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
) -> None:
    """Managementinformatie: capaciteit, knelpunten, financiering met afstemming, volledigheid."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from bedcap.cli.output import err_console
    from bedcap.files.repo import DataRepo
    from bedcap.outputs.render import write
    from bedcap.outputs.report import build, periode

    per = periode(kwartaal, maand, van, tot)
    repo = DataRepo.find(repo_pad)
    suffix = "" if formaat is Rapportformaat.CSV else f".{formaat}"
    target = uit or Path(
        f"rapport-{per.naam.replace(' ', '_').replace('/', '-')}-{doelgroep}{suffix}"
    )
    with (
        lazy_progress("Cache opbouwen") as start,
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=err_console(), transient=True
        ) as bar,
    ):
        task = bar.add_task("Rapport maken", total=None)

        def step(what: str) -> None:
            bar.update(task, description=f"Rapport maken: {what}")

        rapport = build(repo, per, doelgroep, progress=start, step=step)
        bar.update(task, description=f"Schrijven: {formaat}")
        written = write(rapport, formaat, target, repo)
    console().print(
        f"Rapport {per.naam} ({doelgroep}) geschreven: "
        + (str(target) if len(written) == 1 else f"{target}/ ({len(written)} bestanden)")
    )


def register(app: typer.Typer) -> None:
    app.command()(report)
