"""Shared fixtures: the example repository copied to tmp_path, made a real git repository."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedcap.cli import app

PROJECT = Path(__file__).resolve().parent.parent
# The example data covers 2021Q2; "today" is the first working day after it.
EXAMPLE_TODAY = "2021-07-01"
ENV = {"COLUMNS": "200", "BEDCAP_VANDAAG": EXAMPLE_TODAY, "NO_COLOR": "1"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def copy_example(target: Path) -> Path:
    """The project's example data repository (data/, schemas/, git files) at `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PROJECT / "data", target / "data")
    shutil.copytree(PROJECT / "schemas", target / "schemas")
    for name in (".gitignore", ".gitattributes"):
        shutil.copy(PROJECT / name, target / name)
    return target


def tree_digest(root: Path, exclude: tuple[str, ...] = ()) -> str:
    """A digest of every file below `root` (paths and bytes), to prove nothing was written;
    `exclude` names top-level folders left out (`.bedcap`: derived, disposable caches)."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        if path.relative_to(root).parts[0] in exclude:
            continue
        h.update(str(path.relative_to(root)).encode())
        if path.is_symlink():
            h.update(str(path.readlink()).encode())
        else:
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="session")
def example_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("template") / "repo")


@pytest.fixture
def example(tmp_path: Path, example_template: Path) -> Path:
    """A fresh copy of the example data, no git (validation does not need it)."""
    target = tmp_path / "repo"
    shutil.copytree(example_template, target, symlinks=True)
    return target


@pytest.fixture
def example_git(example: Path) -> Path:
    """The example as a real git repository with one commit."""
    git(example, "init", "-q", "-b", "main")
    git(example, "-c", "user.name=Test", "-c", "user.email=test@example.org", "add", "-A")
    git(
        example,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.org",
        "commit",
        "-qm",
        "voorbeeld",
    )
    return example


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    return CliRunner()


def invoke(runner: CliRunner, *args: str, cwd: Path | None = None):  # noqa: ANN201
    """Run the CLI in `cwd`; the result carries exit_code, stdout and stderr."""
    import os

    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
PROVIDER = "voorbeeld-ggz-noorderzand"


def make_remote(source: Path, target: Path) -> tuple[Path, Path]:
    """`source` committed, pushed to a bare remote, and cloned as a provider's work tree."""
    git(source, "init", "-q", "-b", "main")
    git(source, *IDENTITY, "add", "-A")
    git(source, *IDENTITY, "commit", "-qm", "voorbeelddata")
    remote = target / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(remote)], check=True)
    work = target / "work"
    subprocess.run(["git", "clone", "-q", str(remote), str(work)], check=True)
    git(work, "config", "user.name", "Beheer Noorderzand")
    git(work, "config", "user.email", f"beheer@{PROVIDER}.example")
    git(work, "config", "bedcap.aanbieder", PROVIDER)
    return work, remote


@pytest.fixture
def provider(example: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A provider's clone of the example repository and the bare remote it pushes to."""
    return make_remote(example, tmp_path)
