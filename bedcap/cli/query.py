"""`bedcap available` and `bedcap history`: the coordinator's questions, printed."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bedcap.cli.options import RepoOptie, keuzes
from bedcap.cli.output import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    Lijstformaat,
    console,
    err_console,
    fail,
    handle_errors,
    lazy_progress,
    print_records,
)
from bedcap.query import Naar, Per
from bedcap.vocab import Rechtskader, Specialisme, Voorziening, Zorgtype

if TYPE_CHECKING:
    from rich.console import Console

    from bedcap.cli.grid import BlockTable
    from bedcap.query import Bron, Filter
    from bedcap.repo import DataRepo
    from bedcap.store import Sync


LijstformaatOptie = Annotated[
    Lijstformaat,
    typer.Option("--format", "-f", help="Uitvoer: table (tabel), json of csv (scripts)."),
]
NiveauOptie = Annotated[
    list[int] | None,
    typer.Option(
        "--niveau",
        metavar="2|3|4",
        help="Beveiligingsniveau 2, 3 of 4 (herhaalbaar).",
        show_default=False,
    ),
]
SpecialismeOptie = Annotated[
    list[Specialisme] | None,
    typer.Option(
        "--specialisme",
        metavar=keuzes(Specialisme),
        help="Specialisme (herhaalbaar).",
        show_default=False,
    ),
]
VoorzieningOptie = Annotated[
    list[Voorziening] | None,
    typer.Option(
        "--voorziening",
        metavar=keuzes(Voorziening),
        help="Voorziening (herhaalbaar).",
        show_default=False,
    ),
]
ZorgtypeOptie = Annotated[
    list[Zorgtype] | None,
    typer.Option(
        "--zorgtype", metavar=keuzes(Zorgtype), help="Zorgtype (herhaalbaar).", show_default=False
    ),
]
RegioOptie = Annotated[
    list[str] | None,
    typer.Option(
        "--regio",
        metavar="REGIO",
        help="Regio-id uit regios.yaml (herhaalbaar).",
        show_default=False,
    ),
]
AanbiederOptie = Annotated[
    list[str] | None,
    typer.Option(
        "--aanbieder", metavar="AANBIEDER", help="Aanbieder-id (herhaalbaar).", show_default=False
    ),
]
ZoalsBekendOptie = Annotated[
    str | None,
    typer.Option(
        "--zoals-bekend-op",
        metavar="TIJDSTIP",
        help="Wat het dashboard op dat moment liet zien (uit de git-geschiedenis), "
        "bijv. 2021-06-15 of 2021-06-15T14:00; zonder tijdzone is het Amsterdamse tijd.",
        show_default=False,
    ),
]
GeenCacheOptie = Annotated[
    bool,
    typer.Option("--geen-cache", help="Lees alle snapshots opnieuw, buiten de cache om (traag)."),
]


def _filter(
    niveau: list[int] | None,
    specialisme: list[Specialisme] | None,
    voorziening: list[Voorziening] | None,
    zorgtype: list[Zorgtype] | None,
    regio: list[str] | None,
    aanbieder: list[str] | None,
    rechtskader: list[Rechtskader] | None = None,
    zonder: list[str] | None = None,
    alleen_vrij: bool = False,
) -> Filter:
    from bedcap.query import Filter

    for n in niveau or []:
        if n not in (2, 3, 4):
            raise fail(f"--niveau {n} bestaat niet; verwacht: 2, 3 of 4", EXIT_USAGE)
    return Filter(
        niveau=niveau or [],
        specialisme=[str(s) for s in specialisme or []],
        voorziening=[str(v) for v in voorziening or []],
        zorgtype=[str(z) for z in zorgtype or []],
        regio=regio or [],
        aanbieder=aanbieder or [],
        rechtskader=[str(r) for r in rechtskader or []],
        zonder_contra_indicatie=zonder or [],
        alleen_vrij=alleen_vrij,
    )


def _check_ids(bron: Bron, filt: Filter) -> None:
    """Unknown region or provider ids are typing errors, not an empty answer."""
    known_regios = {loc["regio"] for loc in bron.statisch.locaties.values()}
    known_aanbieders = {key.split("/")[0] for key in bron.statisch.locaties}
    for option, values, known in (
        ("--regio", filt.regio, known_regios),
        ("--aanbieder", filt.aanbieder, known_aanbieders),
    ):
        for value in values:
            if value not in known:
                raise fail(
                    f"{option} {value!r} is onbekend; bekend: {', '.join(sorted(known))}",
                    EXIT_USAGE,
                )


def _warn_unreadable(bron: Bron) -> int:
    if not (bron.onleesbaar or bron.statisch.fouten):
        return EXIT_OK
    err = err_console()
    for rel in bron.onleesbaar:
        err.print(
            f"[yellow]Waarschuwing:[/] {rel} is onleesbaar en telt niet mee; "
            "draai 'bedcap validate'",
            markup=True,
        )
    for melding in bron.statisch.fouten.values():
        err.print(f"[yellow]Waarschuwing:[/] {melding}", markup=True)
    return EXIT_DATA if bron.onleesbaar else EXIT_OK


@contextmanager
def _usage_on_no_commit() -> Iterator[None]:
    """A moment before the first commit is a question asked wrongly: exit 2."""
    from bedcap.sources import NoCommitError

    try:
        yield
    except NoCommitError as exc:
        raise fail(str(exc), EXIT_USAGE) from None


def _repo(repo_pad: Path | None) -> DataRepo:
    from bedcap.repo import DataRepo

    return DataRepo.find(repo_pad)


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
    repo_pad: RepoOptie = None,
) -> None:
    """Waar is een bed vrij: de nieuwste stand per aanbieder, per locatie en afdeling."""
    from bedcap import calendar, sources
    from bedcap.query import BESCHIKBAAR_VELDEN, beschikbaar

    filt = _filter(
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
    repo = _repo(repo_pad)
    vandaag = calendar.vandaag()
    moment = calendar.parse_tijdstip(zoals_bekend_op) if zoals_bekend_op else None
    if op is not None:
        dag = calendar.parse_datum(op)
    elif moment is not None:
        dag = moment.astimezone(calendar.TIJDZONE).date()
    else:
        dag = vandaag
    if dag > vandaag:
        raise fail(f"--op {dag} ligt in de toekomst; vandaag is {vandaag}", EXIT_USAGE)

    bron_context = (
        sources.current(repo, dag, {dag.year, dag.year - 1})
        if moment is None
        else sources.current_known_at(repo, moment, dag)
    )
    with _usage_on_no_commit(), bron_context as bron:
        _check_ids(bron, filt)
        records = beschikbaar(bron, dag, filt, dag)
        code = _warn_unreadable(bron)
        if formaat is not Lijstformaat.TABLE:
            print_records(records, BESCHIKBAAR_VELDEN, formaat)
        else:
            _print_available(bron, records, dag, moment)
    raise typer.Exit(code)


SEP = " ·\u00a0"
"""Between the parts of a location's heading; the no-break space keeps a wrapped line from
ending in a dot."""


def _print_available(
    bron: Bron, records: list[dict[str, Any]], dag: dt.date, moment: dt.datetime | None
) -> None:
    from rich.style import Style

    from bedcap.cli.grid import BlockTable, Column, Run
    from bedcap.query import versheid_tekst

    out = console()
    peildata = sorted({r["peildatum"] for r in records}) if records else []
    titel = f"Beschikbare bedden, stand op {dag.isoformat()}"
    if len(peildata) == 1:
        titel += f" (snapshots van {peildata[0]})"
    if moment is not None:
        titel += f", zoals bekend op {moment.isoformat(timespec='minutes')}"
        titel += f" (commit {bron.commit[:10] if bron.commit else '?'})"
    if not records:
        out.print(f"{titel}: geen afdelingen gevonden die aan de filters voldoen.")
        return
    locaties: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        locaties.setdefault((r["aanbieder"], r["locatie"]), []).append(r)
    total = {m: sum(r[m] for r in records) for m in ("beschikbaar", "gereserveerd", "capaciteit")}
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
    for (aanbieder, locatie), wards in locaties.items():
        first = wards[0]
        organisatie = bron.statisch.aanbieders.get(aanbieder, aanbieder)
        fresh = versheid_tekst(first["peildatum"], dag)
        contact = [first[k] for k in ("telefoon", "bereikbaarheid", "email") if first[k]]
        heading: list[list[Run]] = [
            [
                (first["naam"] or locatie, bold),
                (f"{SEP}{first['regio']}{SEP}{organisatie}{SEP}", dim),
                (fresh.replace(" ", "\u00a0"), stale if first["verouderd"] else dim),
            ],
        ]
        if contact:
            heading.append([(SEP.join(contact), None)])
        rows: list[list[Run]] = [
            [
                (r["afdeling_naam"] or r["afdeling"], None),
                (str(r["beveiligingsniveau"]), None),
                (f"{r['specialisme']} ({r['voorziening']})", None),
                (r["zorgtype"], None),
                (str(r["beschikbaar"]), free if r["beschikbaar"] else None),
                (str(r["gereserveerd"]), None),
                (str(r["capaciteit"]), None),
            ]
            for r in wards
        ]
        table.add_block(heading, rows)
    out.print(table)
    out.print(f"{len(locaties)} locaties, {len(records)} afdelingen × zorgtype.")
    _say_dropped(out, table)
    verouderd = sorted({(r["aanbieder"], r["peildatum"]) for r in records if r["verouderd"]})
    if verouderd:
        lijst = ", ".join(f"{a} ({d})" for a, d in verouderd)
        out.print(f"[red]Verouderd (ouder dan de vorige werkdag):[/] {lijst}")
    out.print(
        "Dit is geen plaatsingsinstrument: de ontvangende aanbieder beslist over opname. "
        "Bel de locatie voor de actuele stand."
    )


def _report_sync(started: float, geen_cache: bool) -> Any:
    def report(outcome: Sync) -> None:
        seconds = time.perf_counter() - started
        if geen_cache:
            if outcome.gelezen >= 500:
                err_console().print(
                    f"Zonder cache: {outcome.gelezen} snapshots gelezen in {seconds:.1f} s."
                )
        elif outcome.opnieuw_opgebouwd or outcome.gelezen >= 500:
            err_console().print(
                f"Cache bijgewerkt: {outcome.gelezen} snapshots gelezen, "
                f"{outcome.verwijderd} verwijderd, in {seconds:.1f} s."
            )

    return report


@handle_errors
def history(
    van: Annotated[
        str | None,
        typer.Option(
            "--van",
            metavar="DATUM",
            help="Eerste dag (standaard: een jaar vóór --tot).",
            show_default=False,
        ),
    ] = None,
    tot: Annotated[
        str | None,
        typer.Option(
            "--tot", metavar="DATUM", help="Laatste dag (standaard: vandaag).", show_default=False
        ),
    ] = None,
    per: Annotated[Per, typer.Option("--per", help="Periode per regel.")] = Per.MAAND,
    naar: Annotated[Naar, typer.Option("--naar", help="Uitsplitsing.")] = Naar.LANDELIJK,
    niveau: NiveauOptie = None,
    specialisme: SpecialismeOptie = None,
    voorziening: VoorzieningOptie = None,
    zorgtype: ZorgtypeOptie = None,
    regio: RegioOptie = None,
    aanbieder: AanbiederOptie = None,
    zoals_bekend_op: ZoalsBekendOptie = None,
    geen_cache: GeenCacheOptie = False,
    formaat: LijstformaatOptie = Lijstformaat.TABLE,
    repo_pad: RepoOptie = None,
) -> None:
    """Capaciteit, bezetting en beschikbaarheid door de tijd: gemiddelde, minimum, maximum."""
    from bedcap import calendar, sources
    from bedcap.query import geschiedenis

    filt = _filter(niveau, specialisme, voorziening, zorgtype, regio, aanbieder)
    repo = _repo(repo_pad)
    vandaag = calendar.vandaag()
    eind = calendar.parse_datum(tot) if tot else vandaag
    begin = calendar.parse_datum(van) if van else eind - dt.timedelta(days=365)
    if begin > eind:
        raise fail(f"--van {begin} ligt na --tot {eind}", EXIT_USAGE)
    moment = calendar.parse_tijdstip(zoals_bekend_op) if zoals_bekend_op else None
    started = time.perf_counter()
    with lazy_progress("Cache opbouwen") as start:
        if moment is None:
            context = sources.cached(
                repo,
                geen_cache=geen_cache,
                progress=start,
                report=_report_sync(started, geen_cache),
                jaren=set(range(begin.year, eind.year + 1)),
            )
        else:
            context = sources.history_known_at(
                repo, moment, eind, geen_cache=geen_cache, progress=start
            )
        with _usage_on_no_commit(), context as bron:
            _check_ids(bron, filt)
            records = geschiedenis(bron, begin, eind, per, naar, filt)
            code = _warn_unreadable(bron)
    if formaat is not Lijstformaat.TABLE:
        from bedcap.query import METRIEKEN

        fields = ["periode", "groep", "van", "tot", "werkdagen"]
        fields += [f"{m}_{s}" for m in METRIEKEN for s in ("gem", "min", "max")]
        print_records(records, fields, formaat)
    else:
        _print_history(records, begin, eind, per, naar, moment)
    raise typer.Exit(code)


def _print_history(
    records: list[dict[str, Any]],
    begin: dt.date,
    eind: dt.date,
    per: Per,
    naar: Naar,
    moment: dt.datetime | None,
) -> None:
    from bedcap.cli.grid import BlockTable, Column, Run
    from bedcap.query import METRIEKEN

    out = console()
    titel = f"Verloop {begin} t/m {eind}, per {per}, naar {naar}"
    if moment is not None:
        titel += f", zoals bekend op {moment.isoformat(timespec='minutes')}"
    if not records:
        out.print(f"{titel}: geen snapshots in deze periode.")
        return
    columns = [
        Column("Periode"),
        Column("Groep", min_width=15),
        Column("Werkdagen", justify="right"),
        *(
            # Narrow terminals lose the least asked-for measures first.
            Column(m.replace("_", " ").capitalize(), "right", min_width=11, drop=DROP.get(m))
            for m in METRIEKEN
        ),
    ]
    table = BlockTable(columns, title=titel)
    rows: list[list[Run]] = [
        [
            (r["periode"], None),
            (r["groep"], None),
            (str(r["werkdagen"]), None),
            *((f"{r[m + '_gem']:.1f} ({r[m + '_min']}–{r[m + '_max']})", None) for m in METRIEKEN),
        ]
        for r in records
    ]
    table.add_block([], rows)
    out.print(table)
    out.print("Gemiddelde over de werkdagen van de periode (minimum–maximum).")
    _say_dropped(out, table)


DROP = {"buiten_gebruik": 1, "gereserveerd": 2, "bezet": 3}


def _say_dropped(out: Console, table: BlockTable) -> None:
    dropped = table.dropped(out.width)
    if dropped:
        kolommen = (
            f"de kolom {dropped[0]}" if len(dropped) == 1 else "de kolommen " + ", ".join(dropped)
        )
        out.print(f"Te smal voor {kolommen}: maak het venster breder of gebruik --format csv.")


def register(app: typer.Typer) -> None:
    app.command()(available)
    app.command()(history)
