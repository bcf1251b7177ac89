"""Options and checks shared by `available` and `history`: the facet filters, the source."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bedcap.cli.options import keuzes
from bedcap.cli.output import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    Lijstformaat,
    err_console,
    fail,
)
from bedcap.contract.vocab import Rechtskader, Specialisme, Voorziening, Zorgtype

if TYPE_CHECKING:
    from rich.console import Console

    from bedcap.cli.grid import BlockTable
    from bedcap.files.repo import DataRepo
    from bedcap.store.query import Bron, Filter


LijstformaatOptie = Annotated[
    Lijstformaat,
    typer.Option(
        "--format",
        "-f",
        help="Uitvoer: table (tabel), json of csv (scripts), xlsx (werkmap, met --uit).",
    ),
]
UitOptie = Annotated[
    Path | None,
    typer.Option("--uit", help="Het bestand voor --format xlsx.", show_default=False),
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
RechtskaderOptie = Annotated[
    list[Rechtskader] | None,
    typer.Option(
        "--rechtskader",
        metavar=keuzes(Rechtskader),
        help="Alleen afdelingen die dit kader aannemen (herhaalbaar).",
        show_default=False,
    ),
]
ZoalsBekendOptie = Annotated[
    str | None,
    typer.Option(
        "--zoals-bekend-op",
        metavar="TIJDSTIP",
        help="Wat het dashboard op dat moment liet zien (uit de git-geschiedenis), "
        "bijv. 2021-06-15 of 2021-06-15T14:00; zonder tijdzone in de tijdzone van "
        "bedcap.toml (standaard Amsterdam).",
        show_default=False,
    ),
]
GeenCacheOptie = Annotated[
    bool,
    typer.Option("--geen-cache", help="Lees alle snapshots opnieuw, buiten de cache om (traag)."),
]


def make_filter(
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
    from bedcap.store.query import Filter

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


def warn_unreadable(bron: Bron) -> int:
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
def usage_on_no_commit() -> Iterator[None]:
    """A moment before the first commit is a question asked wrongly: exit 2."""
    from bedcap.store.sources import NoCommitError

    try:
        yield
    except NoCommitError as exc:
        raise fail(str(exc), EXIT_USAGE) from None


def open_data_repo(repo_pad: Path | None) -> DataRepo:
    from bedcap.files.repo import DataRepo

    return DataRepo.find(repo_pad)


def say_dropped(out: Console, table: BlockTable) -> None:
    dropped = table.dropped(out.width)
    if dropped:
        kolommen = (
            f"de kolom {dropped[0]}" if len(dropped) == 1 else "de kolommen " + ", ".join(dropped)
        )
        out.print(f"Te smal voor {kolommen}: maak het venster breder of gebruik --format csv.")
