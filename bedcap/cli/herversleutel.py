"""`bedcap herversleutel`: the LCBB re-encrypts confidential files to the registry's keys."""

from __future__ import annotations

from typing import Annotated

import typer

from bedcap.cli.options import FormaatOptie, IdentiteitOptie, NoPushOptie, RepoOptie
from bedcap.cli.output import EXIT_DATA, Formaat, console, handle_errors, print_result


@handle_errors
def herversleutel(
    identiteit: IdentiteitOptie = None,
    migreer: Annotated[
        bool,
        typer.Option(
            "--migreer",
            help="Versleutel ook vertrouwelijke bestanden die nog in klaartekst staan "
            "(eenmalig, bij overstap; daarvoor is geen sleutel nodig).",
        ),
    ] = False,
    no_push: NoPushOptie = False,
    formaat: FormaatOptie = Formaat.TEXT,
    repo_pad: RepoOptie = None,
) -> None:
    """LCBB: versleutel vertrouwelijke bestanden opnieuw voor de sleutels in deelnemers.yaml."""
    from bedcap.files.repo import DataRepo
    from bedcap.submission.rekey import herversleutel as run

    done = run(DataRepo.find(repo_pad), identiteit, migreer=migreer, push=not no_push)
    if done.vastgelegd is None:
        code = print_result(done.result, formaat)
        if code:
            raise typer.Exit(code or EXIT_DATA)
        if formaat is Formaat.TEXT:
            console().print("Niets te doen: elk vertrouwelijk bestand past bij deelnemers.yaml.")
        return
    if formaat is not Formaat.TEXT:
        print_result(done.result, formaat)
        return
    pushed = done.vastgelegd.pushed
    where = f"gepusht naar {pushed.upstream}" if pushed else "alleen lokaal (--no-push)"
    console().print(
        f"[green]Herversleuteld:[/] {len(done.herversleuteld)} bestand(en); "
        f"gemigreerd: {len(done.gemigreerd)}. Commit {done.vastgelegd.commit[:10]} — {where}"
    )


def register(app: typer.Typer) -> None:
    app.command()(herversleutel)
