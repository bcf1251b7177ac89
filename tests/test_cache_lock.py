"""The cache's lock (`store.cachelock`): one command at a time, released however it ends."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bedcap.errors import BedcapError
from bedcap.store.cachelock import lock

HOLD = """
import sys, time
from pathlib import Path
from bedcap.store.cachelock import lock
held = lock(Path(sys.argv[1]), "cache.lock", 5)
print("held", flush=True)
time.sleep(60)
"""


def _holder(folder: Path) -> subprocess.Popen[str]:
    """Another process holding the lock of `folder`, as a second bedcap command would."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_command_waits_and_then_says_so_in_dutch(tmp_path: Path) -> None:
    folder = tmp_path / ".bedcap"
    proc = _holder(folder)
    try:
        started = time.monotonic()
        with pytest.raises(BedcapError) as caught:
            lock(folder, "cache.lock", 0.3)
        assert time.monotonic() - started >= 0.3  # it waited for the other command
        message = str(caught.value)
        assert "is al 0.3 s bezet door een andere bedcap-opdracht" in message
        assert "--geen-cache" in message
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_holder_that_dies_lets_go(tmp_path: Path, how: signal.Signals) -> None:
    """No stale lock file to clean up: the kernel releases the lock with the process."""
    folder = tmp_path / ".bedcap"
    proc = _holder(folder)
    proc.send_signal(how)
    proc.wait()
    held = lock(folder, "cache.lock", 1)
    assert held is not None
    held.release()


def test_released_it_can_be_taken_again_and_a_child_does_not_keep_it(tmp_path: Path) -> None:
    folder = tmp_path / ".bedcap"
    held = lock(folder, "cache.lock", 1)
    assert held is not None
    # A git child started while the lock is held does not inherit it (the descriptor
    # is not inheritable), or the lock would outlive its release while the child runs.
    child = subprocess.Popen(["sleep", "30"])
    try:
        held.release()
        held.release()  # twice is harmless
        again = lock(folder, "cache.lock", 0.2)
        assert again is not None
        again.release()
    finally:
        child.kill()
        child.wait()


def test_a_lock_file_that_is_a_folder_is_one_dutch_line(tmp_path: Path) -> None:
    folder = tmp_path / ".bedcap"
    (folder / "cache.lock").mkdir(parents=True)
    with pytest.raises(BedcapError, match=r"kan .*\.bedcap niet maken \(Is a directory\)"):
        lock(folder, "cache.lock", 0.2)
