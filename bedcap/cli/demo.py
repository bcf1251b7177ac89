"""`bedcap init`, `bedcap demo` and the `bedcap textconv` helper for git diff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.output import EXIT_DATA, console, err_console, handle_errors, progress_bar


@handle_errors
def init(
    pad: Annotated[Path, typer.Argument(help="Nieuwe of lege map.")] = Path("."),
) -> None:
    """Maak een nieuwe, lege, geldige datarepository (git, data/, instellingen, schema's)."""
    from bedcap.scaffold import init_repo

    created = init_repo(pad)
    out = console()
    out.print(f"Nieuwe datarepository in {created.root}")
    for rel in created.bestanden:
        out.print(f"  {rel}")
    out.print(
        "\nVolgende stappen:\n"
        "  1. Vul data/regios.yaml, data/contra-indicaties.yaml en data/deelnemers.yaml.\n"
        "  2. Zet per aanbieder locaties in data/locaties/<aanbieder>/<locatie>.yaml.\n"
        "  3. bedcap validate\n"
        "  4. git add -A && git commit -m 'Nieuwe datarepository'"
    )


@handle_errors
def demo(
    pad: Annotated[Path, typer.Argument(help="Nieuwe of lege map.")] = Path("bedcap-demo"),
    seed: Annotated[int, typer.Option("--seed", help="Zelfde seed, zelfde data.")] = 2021,
) -> None:
    """Maak een Git-repository met realistische, fictieve data tot de vorige werkdag."""
    from bedcap import calendar
    from bedcap.demo import Opzet, generate

    tot = calendar.vorige_werkdag(calendar.vandaag())
    with progress_bar("Voorbeelddata maken") as start:
        r = generate(pad, Opzet(tot=tot, seed=seed), progress=start)
    out = console()
    niveaus = ", ".join(f"niveau {n}: {b}" for n, b in r.bedden.items())
    out.print(f"[bold]Demo-repository gemaakt in {r.root}[/]")
    out.print(
        f"  {r.aanbieders} aanbieders, {r.locaties} locaties, {r.afdelingen} afdelingen; "
        f"bedden {niveaus} (samen {sum(r.bedden.values())})"
    )
    out.print(f"  {r.snapshots} dagsnapshots van {r.van} t/m {r.tot} in {r.commits} commits")
    if r.stil:
        out.print(f"  {r.stil} leverde de laatste 3 werkdagen niets aan (verouderd)")
    if r.nieuw:
        out.print(f"  afdeling {r.nieuw[1]} van {r.nieuw[0]} is open sinds {r.nieuw[2]}")
    out.print(
        "\nProbeer nu:\n"
        f"  cd {pad}\n"
        "  bedcap validate\n"
        "  git log --stat -3\n"
        "  git show HEAD   # een snapshot als tekst, via bedcap textconv"
    )


@handle_errors
def textconv(
    bestand: Annotated[Path, typer.Argument(help="Een Parquet-snapshot.")],
) -> None:
    """Toon een Parquet-snapshot als tekst (git diff-driver, zie .gitattributes)."""
    from bedcap.snapshots import render_text

    try:
        text = render_text(bestand)
    except Exception as exc:  # noqa: BLE001 - git shows whatever we print; never a traceback
        err_console().print(f"kan {bestand} niet lezen als Parquet: {exc}")
        raise typer.Exit(EXIT_DATA) from None
    typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(demo)
    app.command(hidden=False)(textconv)
