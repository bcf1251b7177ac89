"""`bedcap hook …`: the pre-receive hook for a self-hosted git server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bedcap.cli.options import repo_zone
from bedcap.cli.output import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    console,
    fail,
    handle_errors,
)

hook_app = typer.Typer(
    help="De server-hook voor een zelf beheerde git-server.", no_args_is_help=True
)


@hook_app.command("pre-receive")
@handle_errors
def pre_receive() -> None:
    """Leest '<oud> <nieuw> <ref>' van stdin en weigert een push die de regels breekt."""
    from bedcap import calendar
    from bedcap.cli import render
    from bedcap.files import gitops
    from bedcap.gate.hook import pre_receive as judge

    root = gitops.git_root(Path.cwd())
    zone = repo_zone(root)
    uitslag = judge(root, sys.stdin.read(), calendar.vandaag(zone), calendar.nu(zone))
    for verdict in uitslag.refs:
        lines = list(verdict.meldingen)
        if verdict.result is not None:
            lines += render.hook_lines(verdict.result, verdict.ref, verdict.nieuw)
        for line in lines:
            print(line)
    raise typer.Exit(EXIT_DATA if uitslag.geweigerd else EXIT_OK)


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
    from bedcap.files.yamlio import atomic_write

    if not (pad / "objects").is_dir() or not (pad / "HEAD").is_file():
        raise fail(f"{pad} is geen kale git-repository (verwacht: objects/ en HEAD)", EXIT_USAGE)
    target = pad / "hooks" / "pre-receive"
    text = HOOK_SCRIPT.format(python=sys.executable)
    if target.exists() and target.read_text(errors="replace") != text:
        raise fail(f"{target} bestaat al met andere inhoud; haal die eerst weg", EXIT_USAGE)
    target.parent.mkdir(exist_ok=True)
    atomic_write(target, text.encode())
    target.chmod(0o755)
    # git's own guards say the same as the hook (issue 13), even if the hook is removed.
    from bedcap.files import githistory

    githistory.set_config(pad, "receive.denyNonFastForwards", "true")
    githistory.set_config(pad, "receive.denyDeletes", "true")
    console().print(f"Hook geïnstalleerd: {target}")


def register(app: typer.Typer) -> None:
    app.add_typer(hook_app, name="hook")
