"""The cache's lock: one bedcap command at a time writes `.bedcap/`, none where it cannot.

A checkout can be read-only (a mounted snapshot, a shared folder, another user's tree):
then there is no lock and no cache, and a question is answered from the files alone
(issue 13, class 10). Any other failure to make the folder is one Dutch line.

The lock is the kernel's `flock` on `.bedcap/cache.lock`, taken directly: every read
command takes it, and importing `filelock` (which the logbook uses) cost 10–12 ms of each,
a fortieth of a ten-year `history` (issue 18). The kernel lets go when the last descriptor
of the lock closes, so a forked child (the cold build's decoding workers) closes its copy
at once: a worker orphaned by a killed command must not hold the cache for ever.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from pathlib import Path

from bedcap.errors import BedcapError
from bedcap.files.regular import os_reden

# read-only file system, no permission: no cache, but the question can still be answered
UNWRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
POLL_S = 0.05
"""How often a waiting command tries again."""

_HELD: set[int] = set()
"""Descriptors of the locks this process holds."""


def _close_in_child() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


class Held:
    """A lock this process holds until `release` (or its end)."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd
        _HELD.add(fd)

    def release(self) -> None:
        # Only while this process holds it: in a forked child the number was closed and
        # may name another file by now.
        if self._fd is not None and self._fd in _HELD:
            _HELD.discard(self._fd)
            os.close(self._fd)  # the last descriptor of the lock: the kernel lets go
        self._fd = None


def _open(path: Path) -> int:
    """The lock file, made if missing; never through a symlink, never a FIFO or device."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "geen gewoon bestand", str(path))
    return fd


def _still_there(fd: int, path: Path) -> bool:
    """Whether `path` is still the file `fd` locked: a lock file removed or replaced while
    this command waited (`rm -r .bedcap`) locks nothing another command would see."""
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def lock(folder: Path, name: str, timeout: float) -> Held | None:
    """The cache folder's lock, held; None when the folder cannot be written at all."""
    import fcntl

    path = folder / name
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        if exc.errno in UNWRITABLE:
            return None
        raise BedcapError(
            f"kan {folder} niet maken ({os_reden(exc)}); gebruik --geen-cache"
        ) from exc
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = _open(path)
        except OSError as exc:
            if exc.errno in UNWRITABLE:
                return None
            raise BedcapError(
                f"kan het slot {path} niet openen ({os_reden(exc)}); verwijder het (het wordt "
                "opnieuw gemaakt) of gebruik --geen-cache"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise BedcapError(
                    f"de cache in {folder} is al {timeout:g} s bezet door een andere "
                    "bedcap-opdracht; probeer het later of gebruik --geen-cache"
                ) from None
            time.sleep(POLL_S)
            continue
        except OSError as exc:  # a file system without locks
            os.close(fd)
            raise BedcapError(
                f"kan {path} niet vergrendelen ({os_reden(exc)}); gebruik --geen-cache"
            ) from exc
        if _still_there(fd, path):
            return Held(fd)
        os.close(fd)  # replaced while we waited: lock the file that is there now
