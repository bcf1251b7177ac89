"""`bedcap demo`: a git repository filled with realistic fictitious data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.output import console, handle_errors, progress_bar


@handle_errors
def demo(
    pad: Annotated[Path, typer.Argument(help="Nieuwe of lege map.")] = Path("bedcap-demo"),
    seed: Annotated[int, typer.Option("--seed", help="Zelfde seed, zelfde data.")] = 2021,
) -> None:
    """Maak een Git-repository met realistische, fictieve data tot de laatste verplichte werkdag.

    Voor 12:00 is dat de vorige werkdag, daarna vandaag: zoals `bedcap available` oordeelt.
    """
    from bedcap import calendar
    from bedcap.scaffold.demo import make_demo

    nu = calendar.nu()
    with progress_bar("Voorbeelddata maken") as start:
        r = make_demo(pad, seed=seed, nu=nu, progress=start)
    from bedcap.outputs.dutch import datum_snel, getal_snel

    out = console()
    niveaus = ", ".join(f"niveau {n}: {getal_snel(b)}" for n, b in r.bedden.items())
    out.print(f"[bold]Demo-repository gemaakt in {r.root}[/]")
    out.print(
        f"  {r.aanbieders} aanbieders, {r.locaties} locaties, {r.afdelingen} afdelingen; "
        f"bedden {niveaus} (samen {getal_snel(sum(r.bedden.values()))})"
    )
    out.print(
        f"  {getal_snel(r.snapshots)} dagsnapshots van {datum_snel(r.van)} t/m "
        f"{datum_snel(r.tot)} in {getal_snel(r.commits)} commits"
    )
    if r.stil:
        out.print(f"  {r.stil} leverde de laatste 3 werkdagen niets aan (verouderd)")
    if r.nieuw:
        since = datum_snel(r.nieuw[2])
        out.print(f"  afdeling {r.nieuw[1]} van {r.nieuw[0]} is open sinds {since}")
    out.print(
        "\nProbeer nu:\n"
        f"  cd {pad}\n"
        "  bedcap validate\n"
        "  git log --stat -3\n"
        "  git show HEAD   # een snapshot als tekst, via bedcap textconv\n"
        "  bedcap financiering toon --kwartaal <JJJJQn> --aanbieder <id> "
        "--identiteit .bedcap/sleutels/lcbb\n"
        "De sleutels in .bedcap/sleutels/ horen bij deze fictieve data; gebruik ze nergens anders."
    )


def register(app: typer.Typer) -> None:
    app.command()(demo)
