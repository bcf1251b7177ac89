"""Reading what bedcap derived and kept in `.bedcap/` (caches of the calendar, the static
data, the validation and the working tree): never block, never trust the kind of file.

A FIFO where a cache file should be made every command wait for a writer that never
comes (found by a sweep over `.bedcap/`). The derived files are disposable, so anything
that is not a regular file reads as "no cache" and the command works it out again.
"""

from __future__ import annotations

import errno
import os
import stat


def _not_regular(path: str | os.PathLike[str]) -> OSError:
    return OSError(errno.EINVAL, "geen gewoon bestand", os.fspath(path))


def regular_or_absent(*paths: str | os.PathLike[str]) -> None:
    """OSError unless each of `paths` is a regular file (a link to one is followed) or
    absent: for a derived file another program opens, such as DuckDB's cache and log."""
    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            raise _not_regular(path)


def read_derived(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a derived file; OSError when it is missing, unreadable or no regular
    file (the callers treat any OSError as no cache)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _not_regular(path)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
