"""The `bedcap` command line: one typer app, one module per command group.

`main` registers only the module of the command asked for: building every command costs
typer 20 ms of signature inspection and the imports of all modules, paid on each call of
a command whose budget is 1.5 × the import floor (docs/decisions.md). Help, unknown
commands and `bedcap.cli.app` get the whole app.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Annotated

import typer

from bedcap.cli import nl
from bedcap.distribution import versie

nl.install()

MODULES = (
    "init",
    "demo",
    "textconv",
    "validate",
    "submit",
    "available",
    "history",
    "report",
    "check",
    "access",
    "hook",
    "dashboard",
    "logbook",
    "schema",
    "setup",
    "completion",
    "financiering",
    "herversleutel",
)
"""The command modules, in the order `bedcap --help` lists their commands."""

COMMANDS = {name: name for name in MODULES}
"""Each top-level command and the module that registers it: the module is named after it."""


COMPLETE_VAR = "_BEDCAP_COMPLETE"
"""The environment variable the shell completion scripts set (`bedcap completion`)."""


def _toon_versie(value: bool) -> None:
    if value:
        print(f"bedcap {versie()}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_toon_versie,
            is_eager=True,
            help="Toon de versie van bedcap en stop.",
        ),
    ] = False,
) -> None:
    """Gedeelde data over beveiligde bedden, gevalideerd in een Git-repository."""


def build(modules: tuple[str, ...] = MODULES) -> typer.Typer:
    app = typer.Typer(
        name="bedcap",
        help="Dashboard Capaciteit Beveiligde Bedden: gedeelde data over beveiligde bedden, "
        "gevalideerd in een Git-repository.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    # A group even when only one command is registered: `bedcap report` stays a subcommand.
    app.callback()(_root)
    for name in modules:
        import_module(f"bedcap.cli.{name}").register(app)
    return app


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return build()
    raise AttributeError(name)


def main() -> None:
    if os.environ.get(COMPLETE_VAR):
        from typer._completion_classes import completion_init

        completion_init()
    asked = sys.argv[1] if len(sys.argv) > 1 else None
    module = COMMANDS.get(asked) if asked else None
    build((module,) if module else MODULES)()
