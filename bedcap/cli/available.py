"""`bedcap available`: where a bed is free, per location and ward."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bedcap.cli.filters import (
    AanbiederOptie,
    LijstformaatOptie,
    NiveauOptie,
    RegioOptie,
    SpecialismeOptie,
    UitOptie,
    VoorzieningOptie,
    ZoalsBekendOptie,
    ZorgtypeOptie,
    make_filter,
    open_data_repo,
    say_dropped,
    usage_on_no_commit,
    warn_unreadable,
)
from bedcap.cli.options import RepoOptie, keuzes
from bedcap.cli.output import (
    Lijstformaat,
    console,
    handle_errors,
    known_at_info,
    print_records,
    write_records_xlsx,
)
from bedcap.contract.vocab import Rechtskader

if TYPE_CHECKING:
    from bedcap.store.query import Bron
    from bedcap.store.questions import Antwoord


@handle_errors
def available(
    niveau: NiveauOptie = None,
    specialisme: SpecialismeOptie = None,
    voorziening: VoorzieningOptie = None,
    zorgtype: ZorgtypeOptie = None,
    regio: RegioOptie = None,
    rechtskader: Annotated[
        list[Rechtskader] | None,
        typer.Option(
            "--rechtskader",
            metavar=keuzes(Rechtskader),
            help="Alleen afdelingen die dit kader aannemen.",
            show_default=False,
        ),
    ] = None,
    zonder_contra_indicatie: Annotated[
        list[str] | None,
        typer.Option(
            "--zonder-contra-indicatie",
            metavar="CONTRA-INDICATIE",
            help="Sla afdelingen met deze contra-indicatie over (herhaalbaar).",
            show_default=False,
        ),
    ] = None,
    aanbieder: AanbiederOptie = None,
    alleen_vrij: Annotated[
        bool, typer.Option("--alleen-vrij", help="Alleen afdelingen met een vrij bed.")
    ] = False,
    op: Annotated[
        str | None,
        typer.Option(
            "--op",
            metavar="DATUM",
            help="De stand op die dag: per aanbieder de nieuwste snapshot op of vóór DATUM.",
            show_default=False,
        ),
    ] = None,
    zoals_bekend_op: ZoalsBekendOptie = None,
    formaat: LijstformaatOptie = Lijstformaat.TABLE,
    uit: UitOptie = None,
    repo_pad: RepoOptie = None,
) -> None:
    """Waar is een bed vrij: de nieuwste stand per aanbieder, per locatie en afdeling."""
    from bedcap import calendar
    from bedcap.store import questions

    filt = make_filter(
        niveau,
        specialisme,
        voorziening,
        zorgtype,
        regio,
        aanbieder,
        rechtskader,
        zonder_contra_indicatie,
        alleen_vrij,
    )
    repo = open_data_repo(repo_pad)
    klok = repo.klok()
    with (
        usage_on_no_commit(),
        questions.available(
            repo,
            filt,
            vandaag=calendar.vandaag(klok.zone),
            zone=klok.zone,
            nu=calendar.nu(klok.zone),
            deadline=klok.deadline,
            op=calendar.parse_datum(op) if op is not None else None,
            zoals_bekend_op=calendar.parse_tijdstip(zoals_bekend_op, klok.zone)
            if zoals_bekend_op
            else None,
        ) as antwoord,
    ):
        code = warn_unreadable(antwoord.bron)
        if formaat is Lijstformaat.TABLE:
            _print_available(antwoord.bron, antwoord.records, antwoord.tot, antwoord.moment)
        else:
            _records_out(formaat, uit, antwoord, calendar.nu(klok.zone))
    raise typer.Exit(code)


GEEN = "geen aanlevering"


def _records_out(formaat: Lijstformaat, uit: Any, antwoord: Antwoord, nu: dt.datetime) -> None:
    """The records for scripts (JSON, CSV) or as a workbook at `--uit` (XLSX)."""
    from bedcap.outputs.dutch import datum_snel
    from bedcap.store.query import BESCHIKBAAR_VELDEN

    if formaat is not Lijstformaat.XLSX:
        print_records(antwoord.records, BESCHIKBAAR_VELDEN, formaat)
        return
    dag = antwoord.tot
    info: list[tuple[str, Any]] = [("Stand op", dag), ("Gemaakt op", nu)]
    titel = f"Beschikbare beveiligde bedden op {datum_snel(dag)}"
    if antwoord.moment is not None:
        info += known_at_info(antwoord)
        titel += f", zoals bekend op {datum_snel(antwoord.moment.date())}"
    write_records_xlsx(uit, titel, info, antwoord, BESCHIKBAAR_VELDEN)


SEP = " ·\u00a0"
"""Between the parts of a location's heading; the no-break space keeps a wrapped line from
ending in a dot."""


def _print_available(
    bron: Bron, records: list[dict[str, Any]], dag: dt.date, moment: dt.datetime | None
) -> None:
    from rich.style import Style

    from bedcap.cli.grid import BlockTable, Column, Run
    from bedcap.outputs.dutch import datum_snel

    out = console()
    peildata = sorted({r["peildatum"] for r in records if r["peildatum"]})
    titel = f"Beschikbare bedden, stand op {datum_snel(dag)}"
    if len(peildata) == 1:
        titel += f" (snapshots van {datum_snel(peildata[0])})"
    if moment is not None:
        titel += f", zoals bekend op {datum_snel(moment.date())} {moment:%H:%M}"
        titel += f" (commit {bron.commit[:10] if bron.commit else '?'})"
    if not records:
        out.print(f"{titel}: geen afdelingen gevonden die aan de filters voldoen.")
        return
    locaties: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        locaties.setdefault((r["aanbieder"], r["locatie"]), []).append(r)
    total = {
        m: sum(r[m] or 0 for r in records) for m in ("beschikbaar", "gereserveerd", "capaciteit")
    }
    table = BlockTable(
        [
            Column("Afdeling", footer="Totaal", min_width=8),
            Column("Niveau", justify="right", drop=2),
            Column("Specialisme", drop=1),
            Column("Zorgtype"),
            Column("Vrij", "right", str(total["beschikbaar"])),
            Column("Gereserv.", "right", str(total["gereserveerd"])),
            Column("Cap.", "right", str(total["capaciteit"])),
        ],
        title=titel,
    )
    bold, dim, free, stale = (
        Style(bold=True),
        Style(dim=True),
        Style(bold=True, color="green"),
        Style(bold=True, color="red"),
    )
    regios = bron.statisch.regios
    for (aanbieder, locatie), wards in locaties.items():
        first = wards[0]
        organisatie = bron.statisch.aanbieders.get(aanbieder, aanbieder)
        fresh = first["versheid"]
        contact = [first[k] for k in ("telefoon", "bereikbaarheid", "email") if first[k]]
        heading: list[list[Run]] = [
            [
                (first["naam"] or locatie, bold),
                (f"{SEP}{regios.get(first['regio'], first['regio'])}{SEP}{organisatie}{SEP}", dim),
                (fresh.replace(" ", "\u00a0"), stale if first["verouderd"] else dim),
            ],
        ]
        if contact:
            heading.append([(SEP.join(contact), None)])
        # The provider's note colours in the counts (issue 14): under the heading, per ward.
        heading += [
            [
                (f"{r['afdeling_naam'] or r['afdeling']} ({r['zorgtype']}): ", dim),
                (r["toelichting"], None),
            ]
            for r in wards
            if r["toelichting"]
        ]
        rows = [_ward_row(r, free, stale) for r in wards]
        table.add_block(heading, rows)
    out.print(table)
    out.print(f"{len(locaties)} locaties, {len(records)} afdelingen × zorgtype.")
    say_dropped(out, table)
    verouderd = sorted(
        {(r["aanbieder"], str(r["peildatum"] or GEEN)) for r in records if r["verouderd"]}
    )
    if verouderd:
        lijst = ", ".join(f"{a} ({d})" for a, d in verouderd)
        out.print(f"[red]Verouderd (ouder dan de laatste verplichte werkdag):[/] {lijst}")
    out.print(
        "Dit is geen plaatsingsinstrument: de ontvangende aanbieder beslist over opname. "
        "Bel de locatie voor de actuele stand."
    )


def _ward_row(r: dict[str, Any], free: Any, stale: Any) -> list[Any]:
    """One ward × care type: its facts, then the counts or "geen aanlevering"."""
    counts = (
        [(GEEN, stale), ("", None), ("", None)]
        if r["geen_aanlevering"]
        else [
            (str(r["beschikbaar"]), free if r["beschikbaar"] else None),
            (str(r["gereserveerd"]), None),
            (str(r["capaciteit"]), None),
        ]
    )
    return [
        (r["afdeling_naam"] or r["afdeling"], None),
        (str(r["beveiligingsniveau"]), None),
        (f"{r['specialisme']} ({r['voorziening']})", None),
        (r["zorgtype"], None),
        *counts,
    ]


def register(app: typer.Typer) -> None:
    app.command()(available)
