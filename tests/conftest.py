"""Shared fixtures: the example repository copied to tmp_path, made a real git repository."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedcap.cli import app

# Fixtures of a generated repository with real history (issue 14), rewritten by pytest.
pytest_plugins = ["tests.lifedata"]

PROJECT = Path(__file__).resolve().parent.parent
# The example data covers 2021Q2; "today" is the first working day after it.
EXAMPLE_TODAY = "2021-07-01"
# At 09:00, before the deadline: freshness does not depend on when the tests run (issue 14).
ENV = {"COLUMNS": "200", "BEDCAP_VANDAAG": f"{EXAMPLE_TODAY}T09:00", "NO_COLOR": "1"}


def load_bench(name: str):  # noqa: ANN201 - a script of bench/, loaded as a module
    """`bench/<name>.py` as a module: the bench scripts are not a package."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(f"bench_{name}", PROJECT / f"bench/{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


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


def tree_digest(root: Path, exclude: tuple[str, ...] = (".bedcap",)) -> str:
    """A digest of every file below `root` (paths and bytes), to prove nothing was written.

    `exclude` names top-level folders left out; by default `.bedcap/`, the derived,
    disposable caches (queries, validation results) that any read may refresh.
    """
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


def gate_moment(hours: float = 0) -> dt.datetime:
    """ "Now" as the gate sees it in a test (BEDCAP_VANDAAG at the clock's time in
    Amsterdam), shifted by `hours`: commits and `ingediend_op` must agree with it."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Amsterdam")
    tijd = ENV["BEDCAP_VANDAAG"].partition("T")[2]  # a fixed time, as `calendar.nu` reads it
    clock = (
        dt.time.fromisoformat(tijd).replace(tzinfo=zone) if tijd else dt.datetime.now(zone).timetz()
    )
    now = dt.datetime.combine(dt.date.fromisoformat(EXAMPLE_TODAY), clock)
    return now + dt.timedelta(hours=hours)


def date_commits(monkeypatch: pytest.MonkeyPatch, when: dt.datetime | None = None) -> None:
    """Date the test's commits at `when` (default: the gate's now), as git would by itself."""
    stamp = (when or gate_moment()).isoformat()
    monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)
    monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)


# --- confidential files (issue 15) ---------------------------------------------------


def ssh_keygen(folder: Path, name: str) -> tuple[Path, str]:
    """A real ed25519 key pair made by `ssh-keygen`: (private key path, public key line)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key, key.with_suffix(".pub").read_text().strip()


def example_identities(folder: Path) -> dict[str, Path]:
    """The example's maintainers' private keys, rebuilt from its seed (scaffold/demokeys)."""
    from bedcap.scaffold.demokeys import identities
    from bedcap.scaffold.example import VOORBEELD

    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for org, pem in identities(VOORBEELD).items():
        paths[org] = folder / org
        paths[org].write_bytes(pem)
        paths[org].chmod(0o600)
    return paths


def unseal_all(root: Path, identities: list[Path]) -> list[str]:
    """Every `.yaml.age` below data/ replaced by its plaintext `.yaml`; returns those paths."""
    from bedcap.files import agefile

    ids = agefile.load_identities(identities)
    written = []
    for path in sorted((root / "data").rglob("*.yaml.age")):
        plain = agefile.decrypt(path.read_bytes(), ids)
        assert plain is not None, path
        path.with_suffix("").write_bytes(plain)
        path.unlink()
        written.append(path.with_suffix("").relative_to(root).as_posix())
    return written


@pytest.fixture(scope="session")
def example_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's private keys as files (its confidential files are encrypted to them)."""
    return example_identities(tmp_path_factory.mktemp("voorbeeldsleutels"))


def seal_all(root: Path) -> None:
    """Every plaintext confidential file encrypted to the registry's prescribed keys."""
    from bedcap.files import agefile
    from bedcap.files.repo import VERTROUWELIJK, DataRepo, classify
    from bedcap.gate.confidential import prescribed, registry_keys

    repo = DataRepo(root)
    keys = registry_keys(repo)
    for path in sorted((root / "data").rglob("*.yaml")):
        pad = classify(repo.rel(path))
        if pad.soort in VERTROUWELIJK:
            to = [b.signing_key for b in prescribed(pad.eigenaar, keys)]
            path.with_name(path.name + ".age").write_bytes(agefile.encrypt(path.read_bytes(), to))
            path.unlink()
