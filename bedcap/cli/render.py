"""The one place findings are rendered: text (a rich table), JSON, GitHub annotations and
the pre-receive hook's lines (git shows them to the pusher as `remote: …`).

A command builds one result object and hands it here; the exit code follows from it.
For logs and forges (issue 17): a CI log, a cron mail or a pipe is not a terminal, and a
table broken at 80 columns through a file path helps nobody there, so text findings become
one line each, `pad:regel: code: melding`, which editors and forges link to the file and
line. `gitlab` is GitLab's Code Quality report and `junit` a JUnit XML report, both wired
into the GitLab template so findings show in the merge request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from bedcap.files.textsafe import strip_control
from bedcap.findings.finding import Ernst, Finding
from bedcap.findings.result import Result, dumps, to_github, to_json

if TYPE_CHECKING:
    from rich.console import Console


def _safe(data: str) -> str:
    """Data on a terminal: no control characters, no rich markup (issue 13)."""
    from rich.markup import escape

    return escape(strip_control(data))


def text(result: Result, out: Console) -> None:
    """Errors first, then warnings, in a table; one Dutch summary line last.

    Off a terminal (a log, a mail, a pipe) one finding per line instead, never wrapped.
    """
    if not out.is_terminal:
        import sys

        sys.stdout.write(lines(result))
        return
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


def hook_lines(result: Result, ref: str, commit: str = "") -> list[str]:
    """The pre-receive hook's lines for one ref: each finding on one line, the summary
    with the ref and the pushed `commit`, then per kind of refusal what fixes it."""
    from bedcap.gate.remedies import remedies

    found = []
    for p in result.ordered():
        kind = "FOUT" if p.ernst is Ernst.FOUT else "WAARSCHUWING"
        veld = f" [{p.veld}]" if p.veld else ""
        found.append(_one_line(f"bedcap {kind} {p.plek}{veld}: {p.melding} ({p.code})"))
    pushed = f" (commit {commit[:12]})" if commit else ""
    found.append(f"bedcap {ref}{pushed}: {result.summary()}")
    found += [f"bedcap {fix}" for fix in remedies(f.code for f in result.fouten)]
    return [strip_control(line) for line in found]  # the pusher's terminal shows them


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


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _message(p: Finding) -> str:
    """The message with the commit, row and field it is about, on one line."""
    context = f"commit {p.commit}, " if p.commit else ""
    if p.rij is not None:
        context += f"rij {p.rij}, "
    if p.veld:
        context += f"veld {p.veld}: "
    return _one_line(context + p.melding)


def line(p: Finding) -> str:
    """`pad:regel: code: melding`, with commit, row and field inside the message."""
    where = p.bestand + (f":{p.regel}" if p.regel is not None else "")
    code = p.code if p.ernst is Ernst.FOUT else f"{p.code} (waarschuwing)"
    return _one_line(f"{where}: {code}: {_message(p)}")


def lines(result: Result) -> str:
    """Every finding on its own line, errors first, then the summary line."""
    return "\n".join([*(line(p) for p in result.ordered()), result.summary()]) + "\n"


def _fingerprint(p: Finding) -> str:
    key = "\0".join(str(x) for x in (p.code, p.bestand, p.regel, p.rij, p.veld, p.commit))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def gitlab(result: Result) -> str:
    """GitLab Code Quality JSON: one issue per finding, shown on the merge request's diff."""
    issues: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in result.ordered():
        fingerprint = _fingerprint(p)
        while fingerprint in seen:  # the same place and code twice: keep both, distinct
            fingerprint = hashlib.sha256((fingerprint + p.melding).encode()).hexdigest()[:32]
        seen.add(fingerprint)
        issues.append(
            {
                "description": f"{p.code}: {_message(p)}",
                "check_name": p.code,
                "fingerprint": fingerprint,
                "severity": "major" if p.ernst is Ernst.FOUT else "minor",
                "location": {"path": p.bestand, "lines": {"begin": p.regel or 1}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def junit(result: Result, command: str) -> str:
    """JUnit XML: one test case per finding (an error fails it), or one passing case."""
    fouten = len(result.fouten)
    suites = ET.Element("testsuites", name="bedcap")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"bedcap {command}",
        tests=str(max(1, len(result.ordered()))),
        failures=str(fouten),
        errors="0",
        skipped="0",
    )
    for p in result.ordered():
        case = ET.SubElement(suite, "testcase", classname=p.bestand, name=f"{p.code}: {p.plek}")
        if p.ernst is Ernst.FOUT:
            failure = ET.SubElement(case, "failure", message=_one_line(p.melding), type=p.code)
            failure.text = line(p)
        else:
            ET.SubElement(case, "system-out").text = line(p)
    if not result.ordered():
        case = ET.SubElement(suite, "testcase", classname="bedcap", name=f"bedcap {command}")
        ET.SubElement(case, "system-out").text = result.summary()
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
