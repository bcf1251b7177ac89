"""Docs generated from code, used by cog in README.md and docs/bevindingen.md.

`cog -r README.md docs/bevindingen.md` rewrites them; `cog --check` (CI) fails on drift.
"""

from __future__ import annotations

from typer.testing import CliRunner

from bedcap.cli import build
from bedcap.contract.model import SCHEMA_MODELLEN
from bedcap.findings.catalogue import FAMILIES


def commands() -> list[tuple[str, str]]:
    """Every command and subcommand of the typer app as (`access signers`, help), in the
    order `--help` lists them: the reference cannot miss a command the app has."""
    import typer.main

    found: list[tuple[str, str]] = []

    def walk(group: object, path: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            if command.hidden:
                continue
            found.append((" ".join([*path, name]), (command.help or "").strip()))
            walk(command, [*path, name])

    walk(typer.main.get_command(build()), [])
    return found


def _help(*args: str) -> str:
    result = CliRunner().invoke(
        build(), [*args, "--help"], terminal_width=100, env={"COLUMNS": "100", "NO_COLOR": "1"}
    )
    return result.stdout.rstrip() + "\n"


def cli_reference() -> str:
    """Every command's --help, as the user sees it."""
    parts = ["```text\n$ bedcap --help\n" + _help() + "```\n"]
    for command, _ in commands():
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
    """The page of every finding code, one table per family, from the catalogue itself."""
    parts = []
    for family, types in FAMILIES.items():
        lines = [
            f"## {family}\n",
            "| code | ernst | titel | uitleg | melding |",
            "|---|---|---|---|---|",
        ]
        for soort in types:
            lines.append(
                f"| `{soort.code.value}` | {soort.ernst.value} | {soort.titel} | {soort.uitleg} "
                f"| {soort.sjabloon.replace('|', '/')} |"
            )
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
