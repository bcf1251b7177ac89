"""`bedcap submit`: today's counts from a file, the previous day, or prompts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bedcap.cli.options import FormaatOptie, NoPushOptie, SignOptie, repo_zone
from bedcap.cli.output import (
    EXIT_DATA,
    EXIT_USAGE,
    Formaat,
    console,
    fail,
    handle_errors,
    print_result,
)

SUMMARY = (
    "locatie",
    "afdeling",
    "zorgtype",
    "capaciteit",
    "bezet",
    "beschikbaar",
    "gereserveerd",
    "buiten_gebruik",
)


def _aanbieder(repo_root: Path, given: str | None) -> str:
    if given:
        return given
    from bedcap.files import gitops

    value = gitops.config_value(gitops.open_repo(repo_root), "bedcap.aanbieder")
    if not value:
        raise fail(
            "geef --aanbieder, of zet het eenmalig: git config bedcap.aanbieder "
            "<jouw-aanbieder-id>",
            EXIT_USAGE,
        )
    return value


def _prompts() -> tuple[Any, Any]:
    """rich's integer and yes/no prompts, speaking Dutch (j/n)."""
    from rich.prompt import Confirm, IntPrompt, InvalidResponse

    class Getal(IntPrompt):
        validate_error_message = "[prompt.invalid]Vul een geheel getal in"

    class JaNee(Confirm):
        choices = ["j", "n"]  # noqa: RUF012 - rich's own class attribute

        def process_response(self, value: str) -> bool:
            answer = value.strip().lower()
            if answer in ("j", "ja", "y", "yes"):
                return True
            if answer in ("n", "nee", "no"):
                return False
            raise InvalidResponse("[prompt.invalid]Antwoord j of n")

    return Getal, JaNee


def _prompt_rows(rows: list[dict[str, Any]]) -> Any:
    """Rich prompts per ward and care type, the previous values as defaults."""
    from rich.prompt import Prompt

    from bedcap.submission.invoer import Invoer, InvoerRij

    inv = Invoer("--interactief")
    IntPrompt, _ = _prompts()  # noqa: N806 - a class
    out = console()
    for number, row in enumerate(rows, start=1):
        out.print(f"[bold]{row['locatie']} / {row['afdeling']} / {row['zorgtype']}[/]")
        values = dict(row)
        if values["capaciteit"] is None:
            values["capaciteit"] = IntPrompt.ask("  capaciteit", console=out)
        for name in ("bezet", "beschikbaar", "gereserveerd", "buiten_gebruik"):
            values[name] = IntPrompt.ask(f"  {name}", default=row[name], console=out)
        note = Prompt.ask("  toelichting", default=row["toelichting"] or "", console=out)
        values["toelichting"] = note or None
        inv.rijen.append(InvoerRij(number, None, values))
    return inv


def _confirm(p: Any) -> bool:
    from rich.table import Table

    _, JaNee = _prompts()  # noqa: N806 - a class

    out = console()
    table = Table(title=f"{p.aanbieder} — {p.peildatum}")
    for column in SUMMARY:
        table.add_column(column, justify="left" if column in SUMMARY[:3] else "right")
    for row in p.rows:
        table.add_row(*(str(row[c]) for c in SUMMARY))
    for w in p.result.waarschuwingen:
        out.print(f"[yellow]waarschuwing[/] {w.plek} {w.veld or ''}: {w.melding}")
    return bool(JaNee.ask("Indienen?", default=True, console=out))


@handle_errors
def submit(
    bestand: Annotated[
        Path | None,
        typer.Argument(
            help="CSV (komma of puntkomma, zoals Excel) of YAML met de tellingen van vandaag.",
            show_default=False,
        ),
    ] = None,
    ongewijzigd: Annotated[
        bool,
        typer.Option(
            "--ongewijzigd", help="Niets veranderd: kopieer het laatste snapshot naar deze dag."
        ),
    ] = False,
    interactief: Annotated[
        bool,
        typer.Option(
            "--interactief", help="Vraag per afdeling de tellingen, met gisteren als standaard."
        ),
    ] = False,
    aanbieder: Annotated[
        str | None,
        typer.Option(
            "--aanbieder", help="Jouw aanbieder-id (standaard: git config bedcap.aanbieder)."
        ),
    ] = None,
    datum: Annotated[
        str | None, typer.Option("--datum", help="Peildatum JJJJ-MM-DD (standaard: vandaag).")
    ] = None,
    correctie: Annotated[
        str | None,
        typer.Option("--correctie", help="Reden van een correctie op een al ingediende dag."),
    ] = None,
    no_push: NoPushOptie = False,
    sign: SignOptie = False,
    formaat: FormaatOptie = Formaat.TEXT,
) -> None:
    """Dien de tellingen van een dag in: één gecontroleerd snapshot, één commit, gepusht."""
    from bedcap import calendar
    from bedcap.files.repo import DataRepo
    from bedcap.submission.submit import submit as do_submit

    if sum([bestand is not None, ongewijzigd, interactief]) != 1:
        raise fail("geef precies één van: BESTAND, --ongewijzigd of --interactief", EXIT_USAGE)
    if bestand is not None and not bestand.is_file():
        raise fail(f"{bestand} bestaat niet of is geen bestand", EXIT_USAGE)
    repo = DataRepo.find()
    who = _aanbieder(repo.root, aanbieder)
    now = calendar.nu(repo_zone(repo.root))
    p, done = do_submit(
        repo,
        who,
        calendar.parse_datum(datum) if datum else None,
        _prompt_rows if interactief else bestand,
        today=now.date(),
        now=now,
        ongewijzigd=ongewijzigd,
        correctie=correctie,
        push=not no_push,
        sign=True if sign else None,
        confirm=_confirm if interactief else None,
    )
    printed = done is None or (p.result.problems and formaat is not Formaat.JSON)
    code = print_result(p.result, formaat) if printed else 0
    if done is None:
        if p.result.geldig:
            console().print("Niet ingediend.")
        raise typer.Exit(code or EXIT_DATA)
    _print_done(p, done, formaat)


def _print_done(p: Any, done: Any, formaat: Formaat) -> None:
    """What landed, in one or two lines: the file, the free beds, the commit and the push."""
    vrij = sum(row["beschikbaar"] for row in p.rows)
    out = console()
    if formaat is Formaat.JSON:
        from bedcap.cli import render

        pushed = done.pushed
        upstream = pushed.upstream if pushed else None
        done_ = render.Ingediend(
            p.pad, p.peildatum, done.commit, bool(pushed), upstream, len(p.rows), vrij
        )
        print(render.submitted_json(p.result, done_))
    if formaat is Formaat.TEXT:
        out.print(f"[green]Ingediend:[/] {p.pad} ({len(p.rows)} rijen, {vrij} bedden vrij)")
        where = (
            f"gepusht naar {done.pushed.upstream} ({done.pushed.pogingen} poging"
            f"{'en' if done.pushed.pogingen != 1 else ''})"
            if done.pushed
            else "alleen lokaal (--no-push)"
        )
        out.print(f"Commit {done.commit[:10]} — {where}")


def register(app: typer.Typer) -> None:
    app.command()(submit)
