"""`bedcap check`, `bedcap access …` and `bedcap hook …`: the gate and its helpers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bedcap.cli.options import FormaatOptie, RepoOptie
from bedcap.cli.output import (
    EXIT_CANNOT_RUN,
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    Formaat,
    console,
    fail,
    handle_errors,
    print_result,
)

if TYPE_CHECKING:
    from bedcap.check import Stand
    from bedcap.problems import Result

ZERO = "0" * 40


def _git_root(repo_pad: Path | None) -> Path:
    """The repository to read commits from: a data repository, or any git dir (a hook)."""
    from bedcap import gitops

    start = (repo_pad or Path.cwd()).absolute()
    try:
        out = gitops.git_bytes(start, "rev-parse", "--absolute-git-dir").decode().strip()
        bare = gitops.git_bytes(start, "rev-parse", "--is-bare-repository").decode().strip()
    except Exception as exc:  # noqa: BLE001 - GitError or missing folder, both "cannot run"
        raise fail(f"{start} is geen git-repository ({exc})", EXIT_CANNOT_RUN) from None
    if bare == "true":
        return Path(out)
    top = gitops.git_bytes(start, "rev-parse", "--show-toplevel").decode().strip()
    return Path(top)


def _print_state(stands: list[Stand], result: Result, formaat: Formaat) -> int:
    if formaat is Formaat.JSON:
        from bedcap.problems import to_json

        payload = json.loads(to_json(result))
        payload["aanbieders"] = [s.record() for s in stands]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK if result.geldig else EXIT_DATA
    if formaat is Formaat.TEXT:
        from rich.table import Table

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
            missing = ", ".join(d.isoformat() for d in s.ontbrekend) or "-"
            newest = s.nieuwste.isoformat() if s.nieuwste else "geen"
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
) -> None:
    """De poort: een wijziging (--base/--head, per commit) of de stand van de aanlevering."""
    from bedcap import calendar

    if (base is None) != (head is None):
        raise fail(
            "geef --base en --head samen (een wijziging), of geen van beide (de stand)", EXIT_USAGE
        )
    if base is not None and head is not None:
        if peildatum is not None:
            raise fail("--peildatum hoort bij de stand, niet bij een wijziging", EXIT_USAGE)
        from bedcap.check import check_change

        root = _git_root(repo_pad)
        result = check_change(root, base, head)
        raise typer.Exit(print_result(result, formaat))
    from bedcap.check import check_state
    from bedcap.repo import DataRepo

    repo = DataRepo.find(repo_pad)
    if peildatum is not None:
        import datetime as dt

        day = calendar.parse_datum(peildatum)
        now = dt.datetime.combine(day, dt.time(23, 59), calendar.TIJDZONE)
    else:
        now = calendar.nu()
    stands, result = check_state(repo, now)
    raise typer.Exit(_print_state(stands, result, formaat))


access_app = typer.Typer(
    help="CODEOWNERS en allowed-signers, gemaakt uit deelnemers.yaml.", no_args_is_help=True
)
UitOptie = Annotated[
    Path | None,
    typer.Option(
        "--uit", help="Schrijf naar dit bestand (standaard: het scherm).", show_default=False
    ),
]


def _keys(repo_pad: Path | None) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    from bedcap.access import beheerders
    from bedcap.repo import DEELNEMERS, DataRepo
    from bedcap.yamlio import load_yaml

    repo = DataRepo.find(repo_pad)
    loaded = load_yaml(repo.root, DEELNEMERS)
    if loaded.data is None:
        melding = loaded.problems[0].melding if loaded.problems else "leeg"
        raise fail(f"{DEELNEMERS} is onleesbaar: {melding}", EXIT_DATA)
    ids = [d.get("id") for d in loaded.data.get("deelnemers") or [] if isinstance(d, dict)]
    return beheerders(loaded.data), [i for i in ids if isinstance(i, str)]


def _emit(text: str, uit: Path | None) -> None:
    if uit is None:
        sys.stdout.write(text)
        return
    from bedcap.yamlio import atomic_write

    uit.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(uit, text.encode("utf-8"))
    console().print(f"Geschreven: {uit}")


@access_app.command()
@handle_errors
def signers(uit: UitOptie = None, repo_pad: RepoOptie = None) -> None:
    """Het allowed-signers-bestand voor git (gpg.ssh.allowedSignersFile)."""
    from bedcap.access import allowed_signers

    keys, _ = _keys(repo_pad)
    _emit(allowed_signers(keys), uit)


@access_app.command()
@handle_errors
def codeowners(
    gitlab: Annotated[
        bool, typer.Option("--gitlab", help="Voor GitLab in plaats van GitHub.")
    ] = False,
    uit: UitOptie = None,
    repo_pad: RepoOptie = None,
) -> None:
    """CODEOWNERS: elke aanbieder beheert zijn eigen deel, de LCBB de rest."""
    from bedcap.access import codeowners as make

    keys, ids = _keys(repo_pad)
    _emit(make(keys, ids, gitlab=gitlab), uit)


hook_app = typer.Typer(
    help="De server-hook voor een zelf beheerde git-server.", no_args_is_help=True
)


@hook_app.command("pre-receive")
@handle_errors
def pre_receive() -> None:
    """Leest '<oud> <nieuw> <ref>' van stdin en weigert een push die de regels breekt."""
    from bedcap import gitops
    from bedcap.check import check_change

    root = _git_root(None)
    refused = False
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        old, new, ref = parts
        if new == ZERO:
            head_ref = gitops.git_bytes(root, "symbolic-ref", "-q", "HEAD").decode().strip()
            if ref == head_ref:
                print(f"bedcap: {ref} verwijderen mag niet")
                refused = True
            continue
        base = old
        if old == ZERO:
            try:
                base = gitops.git_bytes(root, "merge-base", "HEAD", new).decode().strip()
            except Exception:  # noqa: BLE001 - no common history, or an empty repository
                print(
                    f"bedcap: {ref} heeft geen gemeenschappelijke basis met de hoofdtak; "
                    "push eerst de beginstand en installeer daarna de hook"
                )
                refused = True
                continue
        result = check_change(root, base, new)
        for p in result.ordered():
            kind = "FOUT" if p.ernst == "fout" else "WAARSCHUWING"
            veld = f" [{p.veld}]" if p.veld else ""
            print(f"bedcap {kind} {p.plek}{veld}: {p.melding} ({p.code})")
        print(f"bedcap {ref}: {result.summary()}")
        refused = refused or not result.geldig
    raise typer.Exit(EXIT_DATA if refused else EXIT_OK)


HOOK_SCRIPT = """#!/bin/sh
# Geïnstalleerd door 'bedcap hook install': dezelfde regels als 'bedcap check'.
exec "{python}" -m bedcap hook pre-receive
"""


@hook_app.command("install")
@handle_errors
def install(
    pad: Annotated[Path, typer.Argument(help="De kale repository (PAD.git) op de server.")],
) -> None:
    """Installeer de pre-receive-hook in een kale git-repository."""
    from bedcap.yamlio import atomic_write

    if not (pad / "objects").is_dir() or not (pad / "HEAD").is_file():
        raise fail(f"{pad} is geen kale git-repository (verwacht: objects/ en HEAD)", EXIT_USAGE)
    target = pad / "hooks" / "pre-receive"
    text = HOOK_SCRIPT.format(python=sys.executable)
    if target.exists() and target.read_text(errors="replace") != text:
        raise fail(f"{target} bestaat al met andere inhoud; haal die eerst weg", EXIT_USAGE)
    target.parent.mkdir(exist_ok=True)
    atomic_write(target, text.encode())
    target.chmod(0o755)
    console().print(f"Hook geïnstalleerd: {target}")


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.add_typer(access_app, name="access")
    app.add_typer(hook_app, name="hook")
