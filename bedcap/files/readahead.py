"""Ask the kernel to read many small files ahead of the reader (issue 18).

A cold build or a cold validation reads 150,000 files of a few KB one after another.
When they are not in the page cache, each read waits for the disk on its own and the
workers sit idle: a national cold build took 34 s from disk against 19 s from the page
cache. Announcing a batch's files first (`POSIX_FADV_WILLNEED`) lets the kernel fetch
them together while the reader works through them: 20 s from disk, and no measurable
cost when they are already cached.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable


def will_need(paths: Iterable[str]) -> None:
    """Hint that `paths` are about to be read. Only regular files are opened, never through
    a symlink: opening a FIFO or a device has effects of its own (a writer waiting on a FIFO
    is let through), and the readers skip them too. A path that cannot be opened is
    skipped (the reader says what is wrong with it). A no-op where the OS has no such hint."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    for path in paths:
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            fd = os.open(path, flags)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):  # not swapped since the lstat
                advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)
