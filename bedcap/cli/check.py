"""`bedcap check`: the gate, on a change (`--base/--head`) or on the state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from bedcap.cli.options import FormaatOptie, RepoOptie, repo_zone
from bedcap.cli.output import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    Formaat,
    console,
    err_console,
    fail,
    handle_errors,
    print_result,
)

if TYPE_CHECKING:
    from rich.console import Console

    from bedcap.findings.catalogue import Result
    from bedcap.gate.reminders import Herinnerd, Herinnering
    from bedcap.gate.state import Stand


def _print_state(stands: list[Stand], result: Result, formaat: Formaat) -> int:
    if formaat is Formaat.JSON:
        from bedcap.cli import render

        print(render.json_with(result, aanbieders=[s.record() for s in stands]))
        return EXIT_OK if result.geldig else EXIT_DATA
    if formaat is Formaat.TEXT:
        from rich.table import Table

        from bedcap.outputs.dutch import datum_snel

        table = Table(title="Aanlevering per aanbieder", header_style="bold")
        for column, justify in (
            ("Aanbieder", "left"),
            ("Verwacht", "right"),
            ("Ontvangen", "right"),
            ("Op tijd", "right"),
            ("Te laat", "right"),
            ("Ontbrekend", "left"),
            ("Nieuwste", "left"),
        ):
            table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for s in stands:
            missing = ", ".join(datum_snel(d) for d in s.ontbrekend) or "-"
            newest = datum_snel(s.nieuwste) if s.nieuwste else "geen"
            table.add_row(
                s.aanbieder,
                str(len(s.verwacht)),
                str(len(s.ontvangen)),
                str(len(s.op_tijd)),
                str(len(s.te_laat)),
                f"[red]{missing}[/]" if s.ontbrekend else missing,
                f"[red]{newest} (verouderd)[/]" if s.verouderd else newest,
            )
        console().print(table)
    return print_result(result, formaat)


HerinneringenOptie = Annotated[
    Path | None,
    typer.Option(
        "--herinneringen",
        metavar="MAP",
        help="Schrijf per aanbieder die te laat is of dagen mist één Markdown-bericht "
        "in MAP (voor een issue of een mail).",
        show_default=False,
    ),
]
SmtpOptie = Annotated[
    str | None,
    typer.Option(
        "--smtp",
        metavar="HOST[:POORT]",
        help="Mail de herinneringen aan de beheerders uit deelnemers.yaml via deze "
        "mailserver; per aanbieder hooguit één keer per dag.",
        show_default=False,
    ),
]
AfzenderOptie = Annotated[
    str, typer.Option("--afzender", metavar="ADRES", help="Afzender van de herinneringen.")
]


def _smtp(value: str | None) -> tuple[str, int] | None:
    """`HOST[:POORT]` as (host, port); port 25 when left out."""
    if value is None:
        return None
    host, _, port = value.rpartition(":") if ":" in value else (value, "", "25")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise fail(f"--smtp {value!r}: verwacht HOST of HOST:POORT, bijv. mail.example:25", 2)
    return host, int(port)


def _print_reminders(done: Herinnerd, out: Console) -> None:
    def names(items: list[Herinnering]) -> str:
        return f"{len(items)} ({', '.join(h.aanbieder for h in items)})"

    out.print(f"Herinneringen: {len(done.bestanden)} in {done.map}", markup=False)
    sent = done.verzending
    if sent is None:
        return
    day = done.bestanden[0].name[:10] if done.bestanden else ""
    out.print(f"Verzonden: {names(sent.verzonden)}", markup=False)
    if sent.overgeslagen:
        out.print(f"Al verzonden op {day}: {names(sent.overgeslagen)}", markup=False)
    if sent.zonder_adres:
        out.print(f"Geen beheerder met e-mail: {names(sent.zonder_adres)}", markup=False)


@handle_errors
def check(
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="REV",
            help="Basisrevisie van de wijziging (bijv. main).",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            metavar="REV",
            help="Eindrevisie van de wijziging (bijv. HEAD).",
            show_default=False,
        ),
    ] = None,
    peildatum: Annotated[
        str | None,
        typer.Option(
            "--peildatum",
            metavar="DATUM",
            help="De stand op die dag, na de deadline (standaard: nu).",
            show_default=False,
        ),
    ] = None,
    formaat: FormaatOptie = Formaat.TEXT,
    repo_pad: RepoOptie = None,
    herinneringen: HerinneringenOptie = None,
    smtp: SmtpOptie = None,
    afzender: AfzenderOptie = "bedcap@localhost",
) -> None:
    """De poort: een wijziging (--base/--head, per commit) of de stand van de aanlevering."""
    from bedcap import calendar

    if (base is None) != (head is None):
        raise fail(
            "geef --base en --head samen (een wijziging), of geen van beide (de stand)", EXIT_USAGE
        )
    if smtp is not None and herinneringen is None:
        raise fail("--smtp vraagt ook --herinneringen MAP", EXIT_USAGE)
    if base is not None and head is not None:
        if herinneringen is not None:
            raise fail("--herinneringen hoort bij de stand, niet bij een wijziging", EXIT_USAGE)
        if peildatum is not None:
            raise fail("--peildatum hoort bij de stand, niet bij een wijziging", EXIT_USAGE)
        from bedcap.files import gitops
        from bedcap.gate.check import check_change

        root = gitops.git_root(repo_pad or Path.cwd())
        for optie, rev in (("--base", base), ("--head", head)):
            if not gitops.is_commit(root, rev):  # a typing error: usage, not "cannot run"
                raise fail(f"{optie} {rev!r} is geen commit in deze repository", EXIT_USAGE)
        zone = repo_zone(root)
        result = check_change(root, base, head, calendar.vandaag(zone), nu=calendar.nu(zone))
        raise typer.Exit(print_result(result, formaat))
    from bedcap.files.repo import DataRepo
    from bedcap.gate.state import check_state

    repo = DataRepo.find(repo_pad)
    zone = ZoneInfo(repo.settings().tijdzone)
    if peildatum is not None:
        import datetime as dt

        day = calendar.parse_datum(peildatum)
        now = dt.datetime.combine(day, dt.time(23, 59), zone)
    else:
        now = calendar.nu(zone)
    stands, result = check_state(repo, now)
    code = _print_state(stands, result, formaat)
    if herinneringen is not None:
        from bedcap.gate.reminders import remind

        done = remind(
            repo.root, stands, now.date(), herinneringen, smtp=_smtp(smtp), afzender=afzender
        )
        _print_reminders(done, console() if formaat is Formaat.TEXT else err_console())
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command()(check)
