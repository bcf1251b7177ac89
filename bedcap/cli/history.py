"""`bedcap history`: capacity, occupancy and availability through time."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bedcap.cli.filters import (
    AanbiederOptie,
    GeenCacheOptie,
    LijstformaatOptie,
    NiveauOptie,
    RechtskaderOptie,
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
from bedcap.cli.options import RepoOptie
from bedcap.cli.output import (
    Lijstformaat,
    console,
    err_console,
    handle_errors,
    known_at_info,
    lazy_progress,
    print_records,
    write_records_xlsx,
)
from bedcap.store.query import Naar, Per

if TYPE_CHECKING:
    from bedcap.store.cache import Sync


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
            "--tot",
            metavar="DATUM",
            help="Laatste dag (standaard: vandaag; met --zoals-bekend-op de dag van dat tijdstip).",
            show_default=False,
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
    rechtskader: RechtskaderOptie = None,
    zoals_bekend_op: ZoalsBekendOptie = None,
    geen_cache: GeenCacheOptie = False,
    formaat: LijstformaatOptie = Lijstformaat.TABLE,
    uit: UitOptie = None,
    repo_pad: RepoOptie = None,
) -> None:
    """Capaciteit, bezetting en beschikbaarheid door de tijd: gemiddelde, minimum, maximum."""
    from bedcap import calendar
    from bedcap.store import questions

    filt = make_filter(niveau, specialisme, voorziening, zorgtype, regio, aanbieder, rechtskader)
    repo = open_data_repo(repo_pad)
    klok = repo.klok()
    zone = klok.zone
    started = time.perf_counter()
    with (
        lazy_progress("Cache opbouwen") as start,
        usage_on_no_commit(),
        questions.history(
            repo,
            filt,
            vandaag=calendar.vandaag(zone),
            per=per,
            naar=naar,
            van=calendar.parse_datum(van) if van else None,
            tot=calendar.parse_datum(tot) if tot else None,
            zoals_bekend_op=calendar.parse_tijdstip(zoals_bekend_op, zone)
            if zoals_bekend_op
            else None,
            zone=zone,
            geen_cache=geen_cache,
            progress=start,
            report=_report_sync(started, geen_cache),
            nu=calendar.nu(zone),
            deadline=klok.deadline,
        ) as antwoord,
    ):
        code = warn_unreadable(antwoord.bron)
    _print_answer(antwoord, formaat, uit, per, naar, calendar.nu(zone))
    raise typer.Exit(code)


def _print_answer(
    antwoord: Any,
    formaat: Lijstformaat,
    uit: Any,
    per: Any,
    naar: Any,
    nu: dt.datetime,
) -> None:
    """The series as records (json, csv, xlsx) or as the block table."""
    if formaat is not Lijstformaat.TABLE:
        from bedcap.store.query import METRIEKEN

        fields = ["periode", "groep", "van", "tot", "werkdagen"]
        fields += [
            f"{m}_{s}" for m in (*METRIEKEN, "bezettingsgraad") for s in ("gem", "min", "max")
        ]
        if antwoord.melding:
            err_console().print(antwoord.melding)
        if formaat is Lijstformaat.XLSX:
            from bedcap.outputs.dutch import datum_snel

            van_tot = f"{datum_snel(antwoord.van)} t/m {datum_snel(antwoord.tot)}"
            info: list[tuple[str, Any]] = [("Periode", van_tot), ("Per", str(per))]
            info.append(("Naar", str(naar)))
            info.append(("Gemaakt op", nu.replace(tzinfo=None)))
            info += known_at_info(antwoord)
            titel = f"Verloop {van_tot}"
            if antwoord.moment is not None:
                titel += f", zoals bekend op {datum_snel(antwoord.moment.date())}"
            write_records_xlsx(uit, titel, info, antwoord, fields, str(naar))
        else:
            print_records(antwoord.records, fields, formaat)
    else:
        groep = _Groep(naar, antwoord.bron.statisch)
        _print_history(antwoord.records, antwoord.van, antwoord.tot, per, groep, antwoord.moment)
        if antwoord.melding:
            console().print(antwoord.melding)


class _Groep:
    """The group column as a person reads it, as the workbook names it: its heading after
    what it holds ("Regio", "Niveau"), each value by name ("Landelijk", "Niveau 2", the
    region's name), from the static facts the answer was read with."""

    def __init__(self, naar: Naar, statisch: Any) -> None:
        from bedcap.outputs import labels

        tabel = f"gegevens_{naar}"
        self.naar = naar
        self._soort = labels.soort(tabel, "groep")
        self._namen = labels.load_namen(statisch)
        self._naam = labels.naam
        # "Locatie (aanbieder)" in a workbook; a terminal's heading cannot wrap, and each
        # location's name carries its provider in brackets anyway.
        self.kop = labels.kop("groep", tabel).split(" (")[0]

    def tekst(self, rij: dict[str, Any]) -> str:
        return self._naam(self._soort, str(rij["groep"]), rij, self._namen)


def _print_history(
    records: list[dict[str, Any]],
    begin: dt.date,
    eind: dt.date,
    per: Per,
    groep: _Groep,
    moment: dt.datetime | None,
) -> None:
    from bedcap.cli.grid import BlockTable, Column, Run
    from bedcap.outputs.dutch import datum_snel, getal_snel
    from bedcap.store.query import METRIEKEN

    out = console()
    titel = f"Verloop {datum_snel(begin)} t/m {datum_snel(eind)}, per {per}, naar {groep.naar}"
    if moment is not None:
        titel += f", zoals bekend op {datum_snel(moment.date())} {moment:%H:%M}"
    if not records:
        out.print(f"{titel}: geen snapshots in deze periode.")
        return
    columns = [
        Column("Periode"),
        Column(groep.kop, min_width=15),
        Column("Werkdagen", justify="right"),
        *(
            # Narrow terminals lose the least asked-for measures first.
            Column(m.replace("_", " ").capitalize(), "right", min_width=11, drop=DROP.get(m))
            for m in METRIEKEN
        ),
        Column("Bezettingsgraad", "right", min_width=11, drop=4),
    ]
    table = BlockTable(columns, title=titel)
    rows: list[list[Run]] = [
        [
            (_periode(r["periode"], per), None),
            (groep.tekst(r), None),
            (str(r["werkdagen"]), None),
            *(
                (
                    f"{getal_snel(r[m + '_gem'], 1)} "
                    f"({getal_snel(r[m + '_min'])}–{getal_snel(r[m + '_max'])})",
                    None,
                )
                for m in METRIEKEN
            ),
            (_graad(r), None),
        ]
        for r in records
    ]
    table.add_block([], rows)
    out.print(table)
    out.print(
        "Gemiddelde over de werkdagen van de periode (minimum–maximum); bezettingsgraad = "
        "bezet / (capaciteit − buiten gebruik)."
    )
    say_dropped(out, table)


DROP = {"buiten_gebruik": 1, "gereserveerd": 2, "bezet": 3}


def _graad(r: dict[str, Any]) -> str:
    """Occupancy over the period, with the lowest and highest day, as percentages."""
    from bedcap.outputs.dutch import getal_snel

    if r["bezettingsgraad_gem"] is None:
        return "–"
    gem, laag, hoog = (
        getal_snel(r[f"bezettingsgraad_{k}"], 1) if r[f"bezettingsgraad_{k}"] is not None else "–"
        for k in ("gem", "min", "max")
    )
    return f"{gem}% ({laag}–{hoog})"


def _periode(code: str, per: Per) -> str:
    """A period as people read it: `augustus 2026`, `3 augustus 2026`, `week 31 van 2026`,
    `Q3 2026`, as the reports and workbooks write them. JSON and CSV keep codes."""
    from bedcap import calendar

    if per is Per.MAAND:
        jaar, maand = code.split("-")
        return f"{calendar.MAANDEN[int(maand) - 1]} {jaar}"
    if per is Per.DAG:
        return calendar.datum_tekst(dt.date.fromisoformat(code))
    if per is Per.WEEK:
        jaar, week = code.split("-W")
        return calendar.week_tekst(int(jaar), int(week))
    if per is Per.KWARTAAL:
        return calendar.Kwartaal.parse(code).tekst
    return code


def register(app: typer.Typer) -> None:
    app.command()(history)
