"""Findings for logs and forges (issue 17): one line each, GitLab Code Quality, JUnit XML.

A CI log, a cron mail or a pipe is not a terminal: there a table broken at 80 columns
through a file path helps nobody, so text findings become one line each,
`pad:regel: code: melding`, which editors and forges already link to a file and line.
`--format gitlab` writes GitLab's Code Quality report and `--format junit` a JUnit XML
report, both wired into the GitLab template so findings show in the merge request.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from xml.etree import ElementTree as ET

from bedcap.findings.catalogue import Ernst, Problem, Result


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _message(p: Problem) -> str:
    """The message with the commit, row and field it is about, on one line."""
    context = ""
    if p.commit:
        context += f"commit {p.commit}, "
    if p.rij is not None:
        context += f"rij {p.rij}, "
    if p.veld:
        context += f"veld {p.veld}: "
    return _one_line(context + p.melding)


def line(p: Problem) -> str:
    """`pad:regel: code: melding`, with commit, row and field inside the message."""
    where = p.bestand + (f":{p.regel}" if p.regel is not None else "")
    code = p.code if p.ernst is Ernst.FOUT else f"{p.code} (waarschuwing)"
    return _one_line(f"{where}: {code}: {_message(p)}")


def lines(result: Result) -> str:
    """Every finding on its own line, errors first, then the summary line."""
    return "\n".join([*(line(p) for p in result.ordered()), result.summary()]) + "\n"


def _fingerprint(p: Problem) -> str:
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
