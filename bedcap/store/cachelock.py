"""The cache's lock: one bedcap command at a time writes `.bedcap/`, none where it cannot.

A checkout can be read-only (a mounted snapshot, a shared folder, another user's tree):
then there is no lock and no cache, and a question is answered from the files alone
(issue 13, class 10). Any other failure to make the folder is one Dutch line.

The lock is the kernel's `flock` on `.bedcap/cache.lock`, taken directly: every read
command takes it, and importing `filelock` (which the logbook uses) cost 10–12 ms of each,
a fortieth of a ten-year `history` (issue 18). The kernel lets go when the process ends,
however it ends.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from bedcap.errors import BedcapError

# read-only file system, no permission: no cache, but the question can still be answered
UNWRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
POLL_S = 0.05
"""How often a waiting command tries again."""


class Held:
    """A lock this process holds until `release` (or its end)."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor lets go of the lock
            self._fd = None


def lock(folder: Path, name: str, timeout: float) -> Held | None:
    """The cache folder's lock, held; None when the folder cannot be written at all."""
    import fcntl

    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / name, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno in UNWRITABLE:
            return None
        raise BedcapError(
            f"kan {folder} niet maken ({exc.strerror}); gebruik --geen-cache"
        ) from exc
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return Held(fd)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise BedcapError(
                    f"de cache in {folder} is al {timeout:g} s bezet door een andere "
                    "bedcap-opdracht; probeer het later of gebruik --geen-cache"
                ) from None
            time.sleep(POLL_S)
        except OSError as exc:  # a file system without locks
            os.close(fd)
            raise BedcapError(
                f"kan {folder / name} niet vergrendelen ({exc.strerror}); gebruik --geen-cache"
            ) from exc
