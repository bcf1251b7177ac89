"""The one place findings are rendered: text (a rich table), JSON, GitHub annotations and
the pre-receive hook's lines (git shows them to the pusher as `remote: …`).

A command builds one result object and hands it here; the exit code follows from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bedcap.files.textsafe import strip_control
from bedcap.findings.finding import Ernst
from bedcap.findings.result import Result, dumps, to_github, to_json

if TYPE_CHECKING:
    from rich.console import Console


def _safe(data: str) -> str:
    """Data on a terminal: no control characters, no rich markup (issue 13)."""
    from rich.markup import escape

    return escape(strip_control(data))


def text(result: Result, out: Console) -> None:
    """Errors first, then warnings, in a table; one Dutch summary line last."""
    problems = result.ordered()
    if problems:
        from rich.table import Table

        table = Table(show_lines=False, header_style="bold")
        for column in ("Plek", "Veld", "Code", "Melding"):
            table.add_column(column, overflow="fold")
        for p in problems:
            style = "red" if p.ernst is Ernst.FOUT else "yellow"
            table.add_row(
                _safe(p.plek), _safe(p.veld or ""), f"[{style}]{p.code}[/]", _safe(p.melding)
            )
        out.print(table)
    style = "green" if result.geldig else "red"
    out.print(f"[{style}]{result.summary()}[/]")


def json_text(result: Result) -> str:
    """The result's JSON: `geldig`, `bestanden`, `fouten`, `waarschuwingen`, `bevindingen`."""
    return to_json(result)


def github(result: Result) -> str:
    """GitHub Actions workflow commands, one annotation per finding, then the summary."""
    return to_github(result)


def hook_lines(result: Result, ref: str) -> list[str]:
    """The pre-receive hook's lines for one ref: each finding, then the summary."""
    lines = []
    for p in result.ordered():
        kind = "FOUT" if p.ernst is Ernst.FOUT else "WAARSCHUWING"
        veld = f" [{p.veld}]" if p.veld else ""
        lines.append(f"bedcap {kind} {p.plek}{veld}: {p.melding} ({p.code})")
    lines.append(f"bedcap {ref}: {result.summary()}")
    return [strip_control(line) for line in lines]  # the pusher's terminal shows them


@dataclass(frozen=True)
class Ingediend:
    """What `bedcap submit` did, for `--format json`: the file, the day, the commit, the push."""

    snapshot: str
    peildatum: dt.date
    commit: str
    gepusht: bool
    upstream: str | None
    rijen: int
    beschikbaar: int


def json_with(result: Result, **extra: Any) -> str:
    """The result's JSON with a command's own keys after the findings' (e.g. `aanbieders`)."""
    return dumps({**result.as_dict(), **extra})


def submitted_json(result: Result, done: Ingediend) -> str:
    """The submission's JSON: the result's keys plus `ingediend` and what was written."""
    return json_with(
        result,
        ingediend={
            "snapshot": done.snapshot,
            "peildatum": done.peildatum.isoformat(),
            "commit": done.commit,
            "gepusht": done.gepusht,
            "upstream": done.upstream,
            "rijen": done.rijen,
            "beschikbaar": done.beschikbaar,
        },
    )
