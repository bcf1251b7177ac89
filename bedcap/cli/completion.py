"""`bedcap completion SHELL`: the shell completion script for bash, zsh or fish."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bedcap.cli.options import keuzes


class Shell(StrEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


def completion(
    shell: Annotated[Shell, typer.Argument(metavar=keuzes(Shell), help="De shell.")],
) -> None:
    """Toon het aanvulscript voor bash, zsh of fish.

    Zet het in je shell, bijvoorbeeld: eval "$(bedcap completion bash)" in ~/.bashrc;
    voor fish: bedcap completion fish > ~/.config/fish/completions/bedcap.fish.
    """
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    from bedcap.cli import COMPLETE_VAR

    completion_init()
    print(get_completion_script(prog_name="bedcap", complete_var=COMPLETE_VAR, shell=shell.value))


def register(app: typer.Typer) -> None:
    app.command()(completion)
