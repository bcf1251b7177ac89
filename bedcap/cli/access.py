"""`bedcap access …`: CODEOWNERS and allowed-signers from the registry."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bedcap.cli.options import RepoOptie
from bedcap.cli.output import (
    EXIT_DATA,
    console,
    fail,
    handle_errors,
)

if TYPE_CHECKING:
    pass

ZERO = "0" * 40


access_app = typer.Typer(
    help="CODEOWNERS en allowed-signers, gemaakt uit deelnemers.yaml.", no_args_is_help=True
)
UitOptie = Annotated[
    Path | None,
    typer.Option(
        "--uit", help="Schrijf naar dit bestand (standaard: het scherm).", show_default=False
    ),
]


def _keys(repo_pad: Path | None) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    from bedcap.files.repo import DEELNEMERS, DataRepo
    from bedcap.files.yamlio import load_yaml
    from bedcap.gate.access import beheerders

    repo = DataRepo.find(repo_pad)
    loaded = load_yaml(repo.root, DEELNEMERS)
    if loaded.data is None:
        melding = loaded.problems[0].melding if loaded.problems else "leeg"
        raise fail(f"{DEELNEMERS} is onleesbaar: {melding}", EXIT_DATA)
    ids = [d.get("id") for d in loaded.data.get("deelnemers") or [] if isinstance(d, dict)]
    return beheerders(loaded.data), [i for i in ids if isinstance(i, str)]


def _emit(text: str, uit: Path | None) -> None:
    if uit is None:
        sys.stdout.write(text)
        return
    from bedcap.files.yamlio import write_output

    uit.parent.mkdir(parents=True, exist_ok=True)
    write_output(uit, text.encode("utf-8"))
    console().print(f"Geschreven: {uit}")


@access_app.command()
@handle_errors
def signers(uit: UitOptie = None, repo_pad: RepoOptie = None) -> None:
    """Het allowed-signers-bestand voor git (gpg.ssh.allowedSignersFile)."""
    from bedcap.gate.access import allowed_signers

    keys, _ = _keys(repo_pad)
    _emit(allowed_signers(keys), uit)


@access_app.command()
@handle_errors
def codeowners(
    gitlab: Annotated[
        bool, typer.Option("--gitlab", help="Voor GitLab in plaats van GitHub.")
    ] = False,
    uit: UitOptie = None,
    repo_pad: RepoOptie = None,
) -> None:
    """CODEOWNERS: elke aanbieder beheert zijn eigen deel, de LCBB de rest."""
    from bedcap.gate.access import codeowners as make

    keys, ids = _keys(repo_pad)
    _emit(make(keys, ids, gitlab=gitlab), uit)


def register(app: typer.Typer) -> None:
    app.add_typer(access_app, name="access")
