"""Printing: consoles, formats, exit codes. The only place that turns errors into exits."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from bedcap.calendar import InvalidDateError
from bedcap.errors import BedcapError, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from bedcap.findings.result import Result
    from bedcap.store.questions import Antwoord

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_CANNOT_RUN = 0, 1, 2, 3
P = ParamSpec("P")
R = TypeVar("R")


def _width() -> int | None:
    value = os.environ.get("COLUMNS")
    return int(value) if value and value.isdigit() else None


def console() -> Console:
    """Rich is imported on first use: scripts asking for JSON never pay for it."""
    from rich.console import Console

    return Console(width=_width(), highlight=False, soft_wrap=True)


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, width=_width(), highlight=False)


class Formaat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    GITLAB = "gitlab"
    JUNIT = "junit"


def fail(message: str, code: int) -> typer.Exit:
    from rich.markup import escape

    # Escaped: a message may hold brackets (`pip install 'bedcap[rapport]'`, a path).
    err_console().print(f"[bold red]Fout:[/] {escape(message)}", markup=True)
    return typer.Exit(code)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Core exceptions to one Dutch line and an exit code; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (InvalidDateError, UsageError) as exc:
            raise fail(str(exc), EXIT_USAGE) from None
        except BedcapError as exc:
            raise fail(str(exc), EXIT_CANNOT_RUN) from None

    return wrapper


def _bar() -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    )


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int], Callable[[int], None]]]:
    """A rich progress bar on stderr; yields `start(total) -> advance(n)`."""
    with _bar() as bar:

        def start(total: int) -> Callable[[int], None]:
            task = bar.add_task(description, total=total)
            return lambda n: bar.advance(task, n)

        yield start


def _command() -> str:
    """The running command's name (`validate`, `check`), for a JUnit suite's name."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    return ctx.info_name if ctx is not None and ctx.info_name else "bedcap"


def print_result(result: Result, formaat: Formaat) -> int:
    """Print findings in the chosen format; returns the exit code (0 or 1)."""
    from bedcap.cli import render

    if formaat is Formaat.JSON:
        print(render.json_text(result))
    elif formaat is Formaat.GITHUB:
        print(render.github(result))
    elif formaat is Formaat.GITLAB:
        sys.stdout.write(render.gitlab(result))
    elif formaat is Formaat.JUNIT:
        sys.stdout.write(render.junit(result, _command()))
    else:
        render.text(result, console())
    return EXIT_OK if result.geldig else EXIT_DATA


class Lijstformaat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def print_records(
    records: Sequence[Mapping[str, Any]], fields: Sequence[str], formaat: Lijstformaat
) -> None:
    """Records for scripts: a JSON array, or CSV with a header, in a stable field order."""
    from bedcap.outputs.records import as_csv, as_json

    sys.stdout.write(
        as_json(records, fields) if formaat is Lijstformaat.JSON else as_csv(records, fields)
    )


@contextmanager
def lazy_progress(description: str) -> Iterator[Callable[[int], Callable[[int], None]]]:
    """Like `progress_bar`, but the bar (and its render thread) starts only when asked for."""
    bar: Progress | None = None

    def start(total: int) -> Callable[[int], None]:
        nonlocal bar
        if bar is None:
            bar = _bar()
            bar.start()
        task = bar.add_task(description, total=total)
        assert bar is not None
        progress = bar
        return lambda n: progress.advance(task, n)

    try:
        yield start
    finally:
        if bar is not None:
            bar.stop()


def known_at_info(antwoord: Antwoord) -> list[tuple[str, Any]]:
    """The lines of a workbook's "Over dit bestand" sheet for an answer as known at a moment:
    the moment on the repository's clock, its zone, and the commit the figures came from,
    so whoever receives the file can see, and check, what it shows."""
    moment = antwoord.moment
    if moment is None:
        return []
    info: list[tuple[str, Any]] = [("Zoals bekend op", moment)]
    offset = f"{moment:%z}"
    info.append(("Tijdzone", f"{moment.tzinfo} (UTC{offset[:3]}:{offset[3:]})"))
    if antwoord.bron.commit:
        info.append(("Commit", antwoord.bron.commit))
    return info


def write_records_xlsx(
    uit: Any,
    titel: str,
    info: Sequence[tuple[str, Any]],
    antwoord: Any,
    fields: Sequence[str],
    groep: str = "",
) -> None:
    """`--format xlsx`: the answer's records as a workbook at `--uit` (required: a
    workbook is no terminal output), speaking the repository's names; `groep` as
    `records_workbook` takes it."""
    from pathlib import Path

    from bedcap.files.yamlio import write_output
    from bedcap.outputs.labels import load_namen
    from bedcap.outputs.spreadsheet import records_workbook

    if uit is None:
        raise UsageError("--format xlsx schrijft een werkmap: geef ook --uit PAD.xlsx")
    target = Path(uit)
    target.parent.mkdir(parents=True, exist_ok=True)
    records = antwoord.records
    namen = load_namen(antwoord.bron.statisch)
    book = records_workbook(titel, info, [dict(r) for r in records], fields, namen, groep)
    write_output(target, book)
    console().print(f"{len(records)} regels geschreven: {target}")
