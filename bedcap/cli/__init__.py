"""The `bedcap` command line: one typer app, one module per command group."""

from __future__ import annotations

import typer

from bedcap.cli import check as _check
from bedcap.cli import demo as _demo
from bedcap.cli import logbook as _logbook
from bedcap.cli import nl
from bedcap.cli import query as _query
from bedcap.cli import report as _report
from bedcap.cli import schema as _schema
from bedcap.cli import site as _site
from bedcap.cli import submit as _submit
from bedcap.cli import validate as _validate

nl.install()

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
for module in (_demo, _validate, _submit, _query, _report, _check, _site, _logbook, _schema):
    module.register(app)


def main() -> None:
    app()
