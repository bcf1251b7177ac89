"""`bedcap setup`: a provider's clone, set up in one command, with real keys and real clones."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import PROVIDER, date_commits, git, invoke, make_remote
from tests.test_gate import edit_location, keygen, set_keys


@pytest.fixture
def clone(example: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A provider's full clone whose registry lists `key` for PROVIDER; and the remote."""
    keys = tmp_path / "keys"
    keys.mkdir()
    key, public = keygen(keys, "noorderzand")
    set_keys(example, {PROVIDER: public})
    work, remote = make_remote(example, tmp_path)
    git(work, "config", "--unset", "bedcap.aanbieder")
    git(work, "config", "user.email", "iemand@elders.example")
    return work, remote, key


def test_setup_makes_a_clone_that_can_submit(
    runner: CliRunner,
    clone,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work, _, key = clone
    date_commits(monkeypatch)  # the gate's "now" is BEDCAP_VANDAAG
    result = invoke(runner, "setup", "--aanbieder", PROVIDER, "--sleutel", str(key), cwd=work)
    assert result.exit_code == 0, result.output
    assert "Klaar: deze kloon kan aanleveren" in result.stdout
    assert "✗" not in result.stdout
    assert git(work, "config", "diff.bedcap-parquet.textconv").strip() == "bedcap textconv"
    assert git(work, "config", "bedcap.aanbieder").strip() == PROVIDER
    assert git(work, "config", "gpg.format").strip() == "ssh"
    assert git(work, "config", "user.signingkey").strip() == str(key)
    assert git(work, "config", "commit.gpgsign").strip() == "true"
    # The registered address replaced the wrong one, and the output says so.
    assert git(work, "config", "user.email").strip() == f"beheer@{PROVIDER}.example"
    assert f"user.email gezet op beheer@{PROVIDER}.example" in result.stdout
    # A plain `git commit` is now signed, and the gate accepts the change.
    base = git(work, "rev-parse", "HEAD").strip()
    edit_location(work, PROVIDER)
    git(work, "commit", "-qam", "bereikbaarheid")
    assert "-----BEGIN SSH SIGNATURE-----" in git(work, "cat-file", "commit", "HEAD")
    checked = invoke(runner, "check", "--base", base, "--head", "HEAD", cwd=work)
    assert checked.exit_code == 0, checked.output
    # Running it again changes nothing and still passes (aanbieder and key from git config).
    again = invoke(runner, "setup", cwd=work)
    assert again.exit_code == 0, again.output


def test_an_unregistered_key_is_named(runner: CliRunner, clone, tmp_path: Path) -> None:  # noqa: ANN001
    work, _, _ = clone
    other, _ = keygen(tmp_path, "vreemd")
    result = invoke(runner, "setup", "--aanbieder", PROVIDER, "--sleutel", str(other), cwd=work)
    assert result.exit_code == 1
    assert f"✗ sleutel-geregistreerd: deze sleutel staat niet bij {PROVIDER}" in result.stdout
    assert "Nog te doen: 1 punt(en)" in result.stdout


def test_an_unknown_provider_and_no_key(runner: CliRunner, clone) -> None:  # noqa: ANN001
    work, _, _ = clone
    result = invoke(runner, "setup", "--aanbieder", "bestaat-niet", cwd=work)
    assert result.exit_code == 1
    assert "'bestaat-niet' staat niet als aanbieder in data/deelnemers.yaml" in result.stdout
    assert "✗ ondertekening: geen ondertekensleutel; geef --sleutel" in result.stdout
    unset = subprocess.run(["git", "config", "--get", "bedcap.aanbieder"], cwd=work)
    assert unset.returncode == 1  # nothing wrong was written


def test_a_shallow_clone_is_refused(runner: CliRunner, clone, tmp_path: Path) -> None:  # noqa: ANN001
    _, remote, key = clone
    shallow = tmp_path / "ondiep"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{remote}", str(shallow)], check=True
    )
    result = invoke(runner, "setup", "--aanbieder", PROVIDER, "--sleutel", str(key), cwd=shallow)
    assert result.exit_code == 1
    assert "✗ geschiedenis: ondiepe kloon" in result.stdout
    assert "git fetch --unshallow" in result.stdout


def test_outside_a_clone_it_cannot_run(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "setup", cwd=tmp_path)
    assert result.exit_code == 3
    assert "geen git-repository" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "map", "kapot"])
def test_settings_it_cannot_read_are_a_step_to_do(
    runner: CliRunner,
    clone,  # noqa: ANN001
    kind: str,
) -> None:
    """`submit` reads the settings first: `setup` must not pass a clone whose settings it
    cannot read (a FIFO, a folder by that name, broken TOML)."""
    import os

    work, _, key = clone
    settings = work / "data/bedcap.toml"
    settings.unlink()
    if kind == "fifo":
        os.mkfifo(settings)
    elif kind == "map":
        settings.mkdir()
    else:
        settings.write_text("tijdzone = [\n")
    result = invoke(runner, "setup", "--aanbieder", PROVIDER, "--sleutel", str(key), cwd=work)
    assert result.exit_code == 1, result.output
    said = {
        "fifo": "geen gewoon bestand maar een FIFO (named pipe)",
        "map": "geen gewoon bestand maar een map",
        "kapot": "data/bedcap.toml",
    }[kind]
    line = next(line for line in result.stdout.splitlines() if "✗ instellingen" in line)
    assert "data/bedcap.toml is onleesbaar" in line and said in line, result.stdout
    assert "Nog te doen: 1 punt(en)" in result.stdout
