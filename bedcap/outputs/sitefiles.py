"""Writing the dashboard site: into a temporary folder, then swapped in atomically.

A web server or a colleague reads the site while it is rebuilt, so there is never half a
site and never a moment without `index.html` (issue 13); folders and files follow the
umask. Beside the pages go `beschikbaar.json` and `beschikbaar.csv` for other systems.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bedcap.errors import UsageError
from bedcap.files.repo import DataRepo

if TYPE_CHECKING:
    from bedcap.outputs.dashboard import LocatiePagina, Overzicht

MARKER = ".bedcap-dashboard"  # marks a folder this command built, so a rebuild may replace it


def write_site(
    repo: DataRepo,
    uit: Path,
    overzicht: Overzicht,
    pages: list[LocatiePagina],
    records: list[dict[str, Any]],
) -> int:
    """Render into a temporary folder beside `uit`, then swap it in: never half a site,
    never a moment without `index.html` (issue 13). Folders and files follow the umask."""
    from bedcap.files.yamlio import shared_mode, write_error
    from bedcap.outputs.templating import environment

    env = environment(repo)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".dashboard-", dir=uit.parent))
    except OSError as exc:
        raise write_error(uit, exc) from None
    try:
        tmp.chmod(shared_mode(folder=True))  # mkdtemp makes 0700: a web server must read it
        (tmp / "index.html").write_text(
            env.get_template("dashboard.html.j2").render(site=overzicht, pagina=overzicht.pagina),
            encoding="utf-8",
        )
        template = env.get_template("locatie.html.j2")
        for page in pages:
            target = tmp / "locaties" / page.aanbieder / f"{page.locatie}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(template.render(loc=page, pagina=page.pagina), encoding="utf-8")
        for name, data in machine_files(records).items():
            (tmp / name).write_bytes(data)
        (tmp / MARKER).write_text("gebouwd door bedcap dashboard\n", encoding="utf-8")
        (tmp / ".nojekyll").write_text("", encoding="utf-8")
        _swap(tmp, uit)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise write_error(uit, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(tmp, ignore_errors=True)  # after an exchange: the previous site
    return 1 + len(pages)


def _swap(new: Path, uit: Path) -> None:
    """Put `new` at `uit` in one step: Linux exchanges the two folders atomically
    (renameat2 RENAME_EXCHANGE), so `uit/index.html` never goes missing; elsewhere, or
    for a first build, a rename (the old site briefly moved aside)."""
    if uit.is_dir() and _exchange(new, uit):
        return
    if uit.exists():
        aside = new.with_name(new.name + ".oud")
        os.replace(uit, aside)
        os.replace(new, uit)
        shutil.rmtree(aside, ignore_errors=True)
        return
    os.replace(new, uit)


def _exchange(one: Path, other: Path) -> bool:
    """Swap two paths atomically with renameat2; False where the system cannot."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(one), at_fdcwd, os.fsencode(other), rename_exchange)
    return done == 0


def check_target(repo: DataRepo, uit: Path) -> None:
    """Never inside `data/`; never over a folder this command did not build."""
    shown = uit
    uit = uit.resolve()  # `..` and links resolved: `--uit x/../data` is data/ (issue 13)
    data = (repo.root / "data").resolve()
    if uit == data or data in uit.parents:
        raise UsageError(f"{shown} ligt in data/; kies een map buiten de data")
    if shown.is_symlink():
        raise UsageError(f"{shown} is een symbolische link; kies een gewone map")
    if uit.exists() and not uit.is_dir():
        raise UsageError(f"{shown} is een bestand; verwacht: een (lege) map voor het dashboard")
    if uit.exists() and any(uit.iterdir()) and not (uit / MARKER).exists():
        raise UsageError(f"{uit} is niet leeg en geen eerder gebouwd dashboard; kies een lege map")
    uit.parent.mkdir(parents=True, exist_ok=True)


def machine_files(records: list[dict[str, Any]]) -> dict[str, bytes]:
    """`beschikbaar.json` and `beschikbaar.csv` for other systems: byte for byte what
    `bedcap available --format json|csv` prints (`outputs.records`)."""
    from bedcap.outputs.records import as_csv, as_json
    from bedcap.store.query import BESCHIKBAAR_VELDEN

    return {
        "beschikbaar.json": as_json(records, BESCHIKBAAR_VELDEN).encode("utf-8"),
        "beschikbaar.csv": as_csv(records, BESCHIKBAAR_VELDEN).encode("utf-8"),
    }
