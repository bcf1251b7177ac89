"""The cache's lock (`store.cachelock`): one command at a time, released however it ends."""

from __future__ import annotations

import os
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


@pytest.mark.parametrize("shape", ["folder", "symlink", "fifo"])
def test_a_lock_file_in_the_wrong_shape_is_one_dutch_line(tmp_path: Path, shape: str) -> None:
    """Never through a symlink (it would make or lock a file elsewhere), never a FIFO."""
    folder = tmp_path / ".bedcap"
    folder.mkdir()
    target = folder / "cache.lock"
    elsewhere = tmp_path / "elders"
    if shape == "folder":
        target.mkdir()
    elif shape == "symlink":
        target.symlink_to(elsewhere)
    else:
        os.mkfifo(target)
    with pytest.raises(BedcapError) as caught:
        lock(folder, "cache.lock", 0.2)
    message = " ".join(str(caught.value).split())
    assert f"kan het slot {target} niet openen (" in message, message
    assert "--geen-cache" in message
    assert not elsewhere.exists()


def test_a_forked_child_does_not_keep_the_lock(tmp_path: Path) -> None:
    """The cold build forks its decoding workers while the lock is held. A worker that
    outlives its command (killed with SIGKILL, its workers orphaned) must not hold the
    cache: the child closes its copy of the lock at once."""
    folder = tmp_path / ".bedcap"
    held = lock(folder, "cache.lock", 1)
    assert held is not None
    pid = os.fork()
    if pid == 0:  # the orphaned worker: alive, doing nothing with the lock
        time.sleep(30)
        os._exit(0)
    try:
        held.release()
        other = subprocess.run(
            [sys.executable, "-c", TAKE, str(folder)], capture_output=True, text=True, timeout=30
        )
        assert other.stdout.strip() == "taken", other.stderr
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


TAKE = """
import sys
from pathlib import Path
from bedcap.store.cachelock import lock
lock(Path(sys.argv[1]), "cache.lock", 1).release()
print("taken")
"""


def test_a_lock_file_removed_while_waiting_is_not_a_lock(tmp_path: Path) -> None:
    """`rm -r .bedcap` while one command holds the lock and another waits: the waiter must
    lock the file that is there now, or a third command locking the new file would run
    beside it."""
    folder = tmp_path / ".bedcap"
    proc = _holder(folder)
    try:
        waiter = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE, text=True
        )
        time.sleep(0.5)  # the waiter polls the old file
        (folder / "cache.lock").unlink()
        assert waiter.stdout is not None
        assert waiter.stdout.readline().strip() == "held"  # it took the new file
        with pytest.raises(BedcapError, match="bezet door een andere bedcap-opdracht"):
            lock(folder, "cache.lock", 0.3)  # and holds it: no third command beside it
        waiter.kill()
        waiter.wait()
    finally:
        proc.kill()
        proc.wait()


def test_release_in_a_forked_child_closes_nothing_else(tmp_path: Path) -> None:
    """In a child the lock's descriptor number was closed at the fork and may name another
    file by now: a `release` there must not close that file."""
    folder = tmp_path / ".bedcap"
    held = lock(folder, "cache.lock", 1)
    assert held is not None
    pid = os.fork()
    if pid == 0:
        other = os.open(tmp_path / "ander-bestand", os.O_RDWR | os.O_CREAT)
        held.release()
        try:
            os.fstat(other)
        except OSError:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    held.release()
    again = lock(folder, "cache.lock", 0.2)
    assert again is not None
    again.release()
