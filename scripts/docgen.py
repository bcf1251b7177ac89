"""Docs generated from code, used by cog in README.md and docs/bevindingen.md.

`cog -r README.md docs/bevindingen.md` rewrites them; `cog --check` (CI) fails on drift.
"""

from __future__ import annotations

from typer.testing import CliRunner

from bedcap.cli import app
from bedcap.contract.model import SCHEMA_MODELLEN
from bedcap.findings.catalogue import CATALOGUE

COMMANDS = [
    "init",
    "demo",
    "validate",
    "submit",
    "available",
    "history",
    "check",
    "access",
    "access signers",
    "access codeowners",
    "hook",
    "hook pre-receive",
    "hook install",
    "schema",
    "textconv",
]


def _help(*args: str) -> str:
    result = CliRunner().invoke(
        app, [*args, "--help"], terminal_width=100, env={"COLUMNS": "100", "NO_COLOR": "1"}
    )
    return result.stdout.rstrip() + "\n"


def cli_reference() -> str:
    """Every command's --help, as the user sees it."""
    parts = ["```text\n$ bedcap --help\n" + _help() + "```\n"]
    for command in COMMANDS:
        parts.append(
            f"\n### `bedcap {command}`\n\n```text\n$ bedcap {command} --help\n"
            + _help(*command.split())
            + "```\n"
        )
    return "".join(parts)


def schema_list() -> str:
    return "".join(
        f"- [`schemas/{name}.schema.json`](schemas/{name}.schema.json) — {model.__name__}\n"
        for name, model in SCHEMA_MODELLEN.items()
    )


def findings_catalogue() -> str:
    """The page of every finding code, from the catalogue itself."""
    lines = ["| code | ernst | titel | uitleg | melding |", "|---|---|---|---|---|"]
    for soort in CATALOGUE.values():
        lines.append(
            f"| `{soort.code}` | {soort.ernst.value} | {soort.titel} | {soort.uitleg} "
            f"| {soort.sjabloon.replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n"
