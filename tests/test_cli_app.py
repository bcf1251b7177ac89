"""The command line registers only the module asked for; that must not change what runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from bedcap.cli import COMMANDS, MODULES, build
from tests.conftest import ENV, invoke


def names(app: typer.Typer) -> set[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.main.TyperGroup)
    return set(group.commands)


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    assert names(build()) == set(COMMANDS)
    for module in MODULES:
        assert names(build((module,))) == {c for c, m in COMMANDS.items() if m == module}


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script (it calls `main`), as a user runs it."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "bedcap"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
    )


def test_a_single_module_app_answers_as_the_whole_app(runner: CliRunner, example: Path) -> None:
    assert run(example, "history").returncode == 0  # builds the cache, and says so on stderr
    for args in (
        ["available", "--niveau", "3"],
        ["history", "--per", "maand", "--format", "csv"],
        ["report", "--kwartaal", "2021Q2", "--format", "md"],
        ["available", "--niveau", "9"],
        ["validate", "--bestaat-niet"],
    ):
        single = run(example, *args)
        whole = invoke(runner, *args, cwd=example)
        assert single.returncode == whole.exit_code, args
        assert single.stdout if single.returncode == 0 else single.stderr, args
        assert single.stdout == whole.stdout, args
        assert single.stderr == whole.stderr, args
    assert run(example, "available", "--niveau", "9").returncode == 2


def test_help_and_unknown_commands_get_the_whole_app(example: Path) -> None:
    listing = run(example, "--help")
    assert listing.returncode == 0
    for command in COMMANDS:
        if command != "textconv":
            assert f"  {command} " in listing.stdout, command
    unknown = run(example, "beschikbaar")
    assert unknown.returncode == 2 and "Onbekend commando 'beschikbaar'" in unknown.stderr
