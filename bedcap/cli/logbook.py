"""`bedcap logbook add|list|export`: the provider's private logbook of failed admissions."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bedcap.cli.options import RepoOptie, keuzes
from bedcap.cli.output import (
    EXIT_DATA,
    EXIT_USAGE,
    Formaat,
    Lijstformaat,
    console,
    fail,
    handle_errors,
    print_records,
    print_result,
)
from bedcap.contract.vocab import Rechtskader, Reden, Specialisme, Uitkomst

logbook_app = typer.Typer(
    help="Het privé-logboek: waarom een opname niet of moeizaam lukte. Staat nooit in de "
    "gedeelde repository; alleen maandtellingen gaan naar data/logboek/.",
    no_args_is_help=True,
)

LogboekOptie = Annotated[
    Path | None,
    typer.Option(
        "--logboek",
        metavar="PAD",
        help="Het logboekbestand, ook gedeeld in een netwerkmap (standaard: BEDCAP_LOGBOEK, "
        "anders in je gebruikersmap).",
        show_default=False,
    ),
]
AanbiederOptie = Annotated[
    str | None,
    typer.Option(
        "--aanbieder",
        help="Jullie aanbieder-id (standaard: git config bedcap.aanbieder).",
        show_default=False,
    ),
]
VELDEN = (
    "id",
    "aanbieder",
    "datum",
    "locatie",
    "uitkomst",
    "redenen",
    "niveau",
    "specialisme",
    "rechtskader",
    "toelichting",
    "vastgelegd_op",
)


def _aanbieder(given: str | None, where: Path | None = None) -> str:
    if given:
        return given
    from bedcap.errors import BedcapError
    from bedcap.files import gitops

    try:
        value = gitops.config_value(gitops.open_repo(where or Path.cwd()), "bedcap.aanbieder")
    except BedcapError:
        value = None
    if not value:
        raise fail("geef --aanbieder, of zet 'git config bedcap.aanbieder <jullie-id>'", EXIT_USAGE)
    return value


def _choices(enum: type[StrEnum]) -> list[str]:
    return [str(member) for member in enum]


@logbook_app.command()
@handle_errors
def add(
    aanbieder: AanbiederOptie = None,
    datum: Annotated[
        str | None,
        typer.Option(
            "--datum",
            metavar="DATUM",
            help="Dag van de aanvraag (standaard: vandaag).",
            show_default=False,
        ),
    ] = None,
    locatie: Annotated[
        str | None, typer.Option("--locatie", help="Locatie-id.", show_default=False)
    ] = None,
    uitkomst: Annotated[
        str | None,
        typer.Option("--uitkomst", metavar=keuzes(Uitkomst), show_default=False),
    ] = None,
    reden: Annotated[
        list[str] | None,
        typer.Option(
            "--reden",
            metavar="REDEN",
            help="Reden (herhaalbaar): " + ", ".join(_choices(Reden)) + ".",
            show_default=False,
        ),
    ] = None,
    niveau: Annotated[
        int | None,
        typer.Option(
            "--niveau", metavar="2|3|4", help="Gevraagd beveiligingsniveau.", show_default=False
        ),
    ] = None,
    specialisme: Annotated[
        str | None,
        typer.Option("--specialisme", metavar=keuzes(Specialisme), show_default=False),
    ] = None,
    rechtskader: Annotated[
        str | None,
        typer.Option("--rechtskader", metavar=keuzes(Rechtskader), show_default=False),
    ] = None,
    toelichting: Annotated[
        str | None,
        typer.Option(
            "--toelichting", help="Vrije tekst, zonder persoonsgegevens.", show_default=False
        ),
    ] = None,
    interactief: Annotated[
        bool, typer.Option("--interactief", help="Vraag elk veld met keuzelijsten.")
    ] = False,
    logboek: LogboekOptie = None,
) -> None:
    """Leg één mislukte of moeizame opname vast."""
    from bedcap import calendar
    from bedcap.findings.catalogue import Result
    from bedcap.submission import logbook as core

    path = core.resolve_path(logboek)
    aanbieder = _aanbieder(aanbieder)
    now = calendar.nu()
    velden = {
        "datum": datum or now.date().isoformat(),
        "locatie": locatie,
        "uitkomst": uitkomst,
        "redenen": reden,
        "niveau": niveau,
        "specialisme": specialisme,
        "rechtskader": rechtskader,
        "toelichting": toelichting,
    }
    regel = _regel(aanbieder, _ask(velden) if interactief else velden)
    done = core.record(path, regel, today=now.date(), now=now)
    if done.regel_id is None:
        raise typer.Exit(print_result(Result(done.problems, 0), Formaat.TEXT))
    console().print(f"Vastgelegd als regel {done.regel_id} in {path}.")


def _ask(velden: dict[str, Any]) -> dict[str, Any]:
    """`--interactief`: every field by prompt, the given options as defaults."""
    from rich.prompt import IntPrompt, Prompt

    v = dict(velden)
    v["datum"] = Prompt.ask("Datum", default=v["datum"])
    v["locatie"] = Prompt.ask("Locatie-id", default=v["locatie"])
    v["uitkomst"] = Prompt.ask("Uitkomst", choices=_choices(Uitkomst), default=v["uitkomst"])
    redenen_tekst = Prompt.ask(
        "Redenen (gescheiden door spaties; " + ", ".join(_choices(Reden)) + ")",
        default=" ".join(v["redenen"] or []) or None,
    )
    v["redenen"] = (redenen_tekst or "").split()
    v["niveau"] = IntPrompt.ask("Gevraagd niveau", choices=["2", "3", "4"], default=v["niveau"])
    v["specialisme"] = Prompt.ask(
        "Specialisme", choices=_choices(Specialisme), default=v["specialisme"]
    )
    v["rechtskader"] = Prompt.ask(
        "Rechtskader", choices=_choices(Rechtskader), default=v["rechtskader"]
    )
    v["toelichting"] = (
        Prompt.ask("Toelichting (geen persoonsgegevens)", default=v["toelichting"]) or None
    )
    return v


def _regel(aanbieder: str, v: dict[str, Any]) -> Any:
    """The typed entry; the fields without which it means nothing are a usage error."""
    from bedcap import calendar
    from bedcap.submission import logbook as core

    if v["locatie"] is None or v["uitkomst"] is None:
        raise fail("geef --locatie en --uitkomst (of gebruik --interactief)", EXIT_USAGE)
    return core.Regel(
        aanbieder=aanbieder,
        datum=calendar.parse_datum(v["datum"]),
        locatie=v["locatie"],
        uitkomst=v["uitkomst"],
        redenen=tuple(v["redenen"] or []),
        niveau=v["niveau"],
        specialisme=v["specialisme"],
        rechtskader=v["rechtskader"],
        toelichting=v["toelichting"],
    )


@logbook_app.command("list")
@handle_errors
def list_(
    maand: Annotated[
        str | None, typer.Option("--maand", metavar="JJJJ-MM", show_default=False)
    ] = None,
    aanbieder: Annotated[str | None, typer.Option("--aanbieder", show_default=False)] = None,
    formaat: Annotated[
        Lijstformaat, typer.Option("--format", "-f", help="table, json of csv.")
    ] = Lijstformaat.TABLE,
    logboek: LogboekOptie = None,
) -> None:
    """Toon de regels van het logboek (met toelichting: alleen voor jezelf)."""
    from bedcap.submission import logbook as core

    path = core.resolve_path(logboek)
    with core.open_logbook(path, lezen=True) as con:
        regels = core.entries(con, maand=maand, aanbieder=aanbieder)
    records = [r.record() for r in regels]
    if formaat is not Lijstformaat.TABLE:
        print_records(records, VELDEN, formaat)
        return
    from rich.table import Table

    from bedcap.outputs.dutch import datum_snel

    table = Table(title=f"Logboek {path}", header_style="bold")
    for column in ("Id", "Datum", "Locatie", "Uitkomst", "Redenen", "Niveau", "Toelichting"):
        table.add_column(column, overflow="fold")
    for r in regels:
        table.add_row(
            str(r.id),
            datum_snel(r.datum),
            r.locatie,
            r.uitkomst,
            ", ".join(r.redenen),
            str(r.niveau or ""),
            r.toelichting or "",
        )
    console().print(table)
    console().print(f"{len(regels)} regels.")


@logbook_app.command()
@handle_errors
def export(
    maand: Annotated[str, typer.Option("--maand", metavar="JJJJ-MM", help="De maand.")],
    aanbieder: AanbiederOptie = None,
    commit: Annotated[
        bool,
        typer.Option("--commit", help="Commit precies dit bestand (ondertekend als git dat kan)."),
    ] = False,
    logboek: LogboekOptie = None,
    repo_pad: RepoOptie = None,
) -> None:
    """Schrijf de maandtellingen naar data/logboek/<maand>/<aanbieder>.yaml: geen vrije tekst."""
    from bedcap.files.repo import DataRepo
    from bedcap.submission import logbook as core

    path = core.resolve_path(logboek)
    repo = DataRepo.find(repo_pad)
    aanbieder = _aanbieder(aanbieder, repo.root)
    try:
        done = core.export_month(repo, path, aanbieder, maand, commit=commit)
    except core.GeenRegelsError as exc:
        raise fail(str(exc), EXIT_DATA) from None
    console().print(
        f"Geschreven: {done.pad} ({done.regels} opnames, alleen tellingen; kleine aantallen "
        "samengenomen)."
    )
    if done.commit:
        console().print(f"Commit {done.commit[:12]}; push met 'git push'.")


def register(app: typer.Typer) -> None:
    app.add_typer(logbook_app, name="logbook")
