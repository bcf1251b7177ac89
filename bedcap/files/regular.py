"""Reading a repository file that must be a regular file (issue 18 review).

Any file under `data/` may be something else by mistake or on purpose: a FIFO, a
socket, a device, a folder, a symlink. `open()` on a FIFO waits for a writer for ever,
and reading a file of many gigabytes takes all memory: both stopped `validate` (a hang,
a `MemoryError` traceback). Every reader of the repository's data goes through here: it
looks with `lstat` first (opening a FIFO would let a writer waiting on it through),
opens without following a symlink and without blocking, checks again on the open file,
refuses what is larger than the caller allows, and reads to the end (one `read` may
return less than asked, at most 2 GiB on Linux).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)

_KINDS = (
    (stat.S_ISDIR, "een map"),
    (stat.S_ISLNK, "een symlink"),
    (stat.S_ISFIFO, "een FIFO (named pipe)"),
    (stat.S_ISSOCK, "een socket"),
    (stat.S_ISCHR, "een apparaat"),
    (stat.S_ISBLK, "een apparaat"),
)


MAX_TEXT_BYTES = 5_000_000
"""The largest text file of the repository read (YAML, TOML): far above any real one."""


class NietLeesbaarError(OSError):
    """Why a path may not be read, in Dutch; `str()` is that reason alone."""

    def __str__(self) -> str:
        return str(self.strerror)


def changed_ns(st: os.stat_result) -> int:
    """When a file or folder last changed, as the derived caches compare it: the later of
    its mtime and its ctime. `cp -p`, `touch -r`, `rsync -a` and `tar x` set the mtime
    back, so a rewrite of the same size looked unchanged and kept its old findings and
    rows; the ctime they cannot set (git's index compares both). Whether an entry is too
    recent to trust ("racy") is still judged on the mtime, as `rules.formcache` does: a
    test or a restore may date a file back on purpose."""
    return max(st.st_mtime_ns, st.st_ctime_ns)


RACY_NS = 2_000_000_000
"""A file changed within this many nanoseconds of being looked at may change again within
the same mtime tick (whole seconds on some file systems); every derived cache leaves such
an entry to be looked at again ("racy" in git's words)."""


def racy_from() -> int:
    """The moment from which a file's mtime is too recent for a derived cache to trust."""
    return time.time_ns() - RACY_NS


def settled(changed: int, mtime_ns: int, racy_from: int) -> int:
    """The change time a cache may keep, or -1 while the mtime is too recent to tell a
    second write in the same clock tick by (the entry is looked at again next time)."""
    return changed if mtime_ns < racy_from else -1


_OS_REDENEN = {
    errno.ENOENT: "bestaat niet",
    errno.EISDIR: "is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EACCES: "geen toegang",
    errno.EPERM: "geen toegang",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "het schijfquotum is op",
    errno.EFBIG: "het bestand wordt groter dan toegestaan",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.ELOOP: "een kring van symlinks",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EBUSY: "in gebruik",
    errno.EAGAIN: "tijdelijk niet beschikbaar",
    errno.EIO: "een leesfout van de schijf",
    errno.ENXIO: "geen apparaat of socket zonder ontvanger",
    errno.EEXIST: "bestaat al",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.EMFILE: "te veel open bestanden",
}


def os_reden(exc: OSError) -> str:
    """Why the system refused, in Dutch: `strerror` is English ("No such file or
    directory"), and reached users in --identiteit, --uit and the cache's messages. An
    error this table does not know keeps the system's words after a Dutch one."""
    if isinstance(exc, NietLeesbaarError):
        return str(exc)
    known = _OS_REDENEN.get(exc.errno or 0)
    if known:
        return known
    return f"systeemfout ({exc.strerror})" if exc.strerror else f"systeemfout ({exc})"


def not_regular(mode: int) -> NietLeesbaarError:
    kind = next((name for test, name in _KINDS if test(mode)), "geen gewoon bestand")
    return NietLeesbaarError(errno.EINVAL, f"geen gewoon bestand maar {kind}")


def too_large(limit: int) -> NietLeesbaarError:
    return NietLeesbaarError(errno.EFBIG, f"groter dan {limit:,} bytes".replace(",", "."))


def open_regular(path: str | Path) -> tuple[int, os.stat_result]:
    """An open descriptor of the regular file at `path` and its `fstat`; the caller closes
    it. NietLeesbaarError for anything else, OSError when it cannot be opened."""
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise not_regular(mode)
    fd = os.open(path, FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped since the lstat
            raise not_regular(st.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_fd(fd: int, size: int, limit: int | None = None) -> bytes:
    """Everything from `fd` (at its start) to the end: `size` is what `fstat` said, so
    one read usually does; a file that grew, shrank or came back short is read on."""
    if limit is not None and size > limit:
        raise too_large(limit)
    data = os.read(fd, size + 1)
    if len(data) == size:
        return data
    parts, total = [data], len(data)
    while part := os.read(fd, 1 << 20):
        parts.append(part)
        total += len(part)
        if limit is not None and total > limit:
            raise too_large(limit)
    return b"".join(parts)


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; NietLeesbaarError
    (a Dutch reason) for anything that is no regular file or is too large, OSError for
    a file that cannot be opened or read."""
    fd, st = open_regular(path)
    try:
        return read_fd(fd, st.st_size, limit)
    finally:
        os.close(fd)


def read_head(path: str | Path, size: int) -> bytes:
    """The first `size` bytes (or fewer) of the regular file at `path`, as `read_regular`
    opens it."""
    fd, _ = open_regular(path)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)
