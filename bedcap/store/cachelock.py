"""The cache's lock: one bedcap command at a time writes `.bedcap/`, none where it cannot.

A checkout can be read-only (a mounted snapshot, a shared folder, another user's tree):
then there is no lock and no cache, and a question is answered from the files alone
(issue 13, class 10). Any other failure to make the folder is one Dutch line.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING

from bedcap.errors import BedcapError

if TYPE_CHECKING:
    from filelock import BaseFileLock

# read-only file system, no permission: no cache, but the question can still be answered
UNWRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def lock(folder: Path, name: str, timeout: float) -> BaseFileLock | None:
    """The cache folder's lock, held; None when the folder cannot be written at all."""
    from filelock import FileLock, Timeout

    try:
        folder.mkdir(exist_ok=True)
        held = FileLock(str(folder / name))
        held.acquire(timeout=timeout)
    except Timeout as exc:
        raise BedcapError(
            f"de cache in {folder} is al {timeout:g} s bezet door een andere "
            "bedcap-opdracht; probeer het later of gebruik --geen-cache"
        ) from exc
    except OSError as exc:
        if exc.errno in UNWRITABLE:
            return None
        raise BedcapError(
            f"kan {folder} niet maken ({exc.strerror}); gebruik --geen-cache"
        ) from exc
    return held
