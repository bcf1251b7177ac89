"""The real transport: a real `sshd` on a localhost port, pushes over ssh:// to the hook.

Providers push over SSH to the LCBB's git server, whose bare repository has bedcap's
pre-receive hook. Here sshd (Debian's openssh-server, installed by .ci/run) runs as a
child process on a free port with its own host key and authorized_keys; the pusher's git
connects with its own key, and what the hook prints comes back as `remote:` lines.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ENV, PROVIDER, git
from tests.test_gate import OTHER, Gate, edit_location, gate, keygen  # noqa: F401

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"sshd stopte: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                if s.recv(4).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("sshd luistert niet")


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """sshd on a free localhost port; yields the port and the client's private key."""
    folder = tmp_path / "sshd"
    folder.mkdir()
    host_key, _ = keygen(folder, "hostkey")
    client_key, client_public = keygen(folder, "pusher")
    (folder / "authorized_keys").write_text(client_public + "\n")
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
        f"PidFile {folder / 'sshd.pid'}\nAuthorizedKeysFile {folder / 'authorized_keys'}\n"
        "StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PubkeyAuthentication yes\nUsePAM no\nPermitRootLogin prohibit-password\n"
        # The hook's "now" (the example data ends in June 2021), as a server would set it:
        # the same day and clock time the commits are dated at (`date_commits`), so the
        # outcome does not depend on the hour the suite runs.
        f"SetEnv BEDCAP_VANDAAG={ENV['BEDCAP_VANDAAG']} NO_COLOR=1\n"
    )
    # sshd's privilege-separation directory; CI runs as root (.ci/run installs sshd), so a
    # machine where this cannot be made fails here instead of skipping the transport test.
    Path("/run/sshd").mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for(port, proc)
        yield port, client_key
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def push_over_ssh(gate: Gate, port: int, key: Path) -> subprocess.CompletedProcess[str]:  # noqa: F811
    user = (
        os.environ.get("USER")
        or subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    )
    url = f"ssh://{user}@127.0.0.1:{port}{gate.remote}"
    ssh = (
        f"ssh -i {key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    )
    env = {**os.environ, **ENV, "GIT_SSH_COMMAND": ssh}
    return subprocess.run(
        ["git", "push", url, "HEAD:main"], cwd=gate.work, capture_output=True, text=True, env=env
    )


def test_signed_own_change_is_accepted_over_ssh(gate: Gate, sshd: tuple[int, Path]) -> None:  # noqa: F811
    port, key = sshd
    edit_location(gate.work, PROVIDER)
    head = gate.commit("bereikbaarheid")
    pushed = push_over_ssh(gate, port, key)
    assert pushed.returncode == 0, pushed.stderr
    assert git(gate.remote, "rev-parse", "main").strip() == head
    assert "remote: bedcap" in pushed.stderr  # the hook ran on the server and said so


def test_an_attack_is_refused_over_ssh(gate: Gate, sshd: tuple[int, Path]) -> None:  # noqa: F811
    port, key = sshd
    edit_location(gate.work, OTHER)
    attack = gate.commit("van een ander")
    pushed = push_over_ssh(gate, port, key)
    assert pushed.returncode != 0
    assert git(gate.remote, "rev-parse", "main").strip() == gate.base  # nothing landed
    remote = [line for line in pushed.stderr.splitlines() if line.startswith("remote: ")]
    finding = [line for line in remote if "pad-van-ander" in line]
    assert len(finding) == 1, remote
    assert attack[:12] in finding[0]
    assert "data/locaties/voorbeeldzorg-westerduin/" in finding[0]
    fixes = [line for line in remote if line.startswith("remote: bedcap Oplossing")]
    assert len(fixes) == 1 and "Oplossing (eigenaar):" in fixes[0], remote
    assert "eigen map" in fixes[0] and "vraag het de LCBB" in fixes[0]
    assert not any("pull" in line for line in remote)  # never a generic "pull and push again"
    assert "[remote rejected]" in pushed.stderr and "pre-receive hook declined" in pushed.stderr


def test_an_unsigned_push_is_told_to_sign_and_amend(gate: Gate, sshd: tuple[int, Path]) -> None:  # noqa: F811
    port, key = sshd
    edit_location(gate.work, PROVIDER)
    gate.commit("ongetekend", sign=False)
    pushed = push_over_ssh(gate, port, key)
    assert pushed.returncode != 0
    remote = [line for line in pushed.stderr.splitlines() if line.startswith("remote: ")]
    assert any("commit-niet-ondertekend" in line for line in remote), remote
    fixes = [line for line in remote if "Oplossing" in line]
    assert len(fixes) == 1 and "Oplossing (ondertekening):" in fixes[0]
    assert "git commit --amend --no-edit -S" in fixes[0] and "bedcap setup" in fixes[0]
