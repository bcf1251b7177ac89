"""The installed distribution: its one version, and its optional extras (issue 17).

The version has one source, `pyproject.toml`, read back from the package metadata.
The gate's CI job installs bedcap for `validate` and `check` only; WeasyPrint (PDF),
matplotlib (charts) and the spreadsheet writers are an extra (`pip install
'bedcap[rapport]'`), imported on first use through `require`, which turns a missing
package into one Dutch "cannot run" line instead of a traceback.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from bedcap.errors import BedcapError

RAPPORT = "rapport"
NAAM = "bedcap"


def versie() -> str:
    """The installed bedcap's version (the package metadata, written from pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(NAAM)
    except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
        return "0+onbekend"


class MissingExtraError(BedcapError):
    """A package of an optional extra is not installed (exit 3)."""


def require(module: str, extra: str = RAPPORT, *, waarvoor: str = "dit onderdeel") -> ModuleType:
    """Import `module`, or say in Dutch which extra to install for `waarvoor`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        pakket = module.split(".")[0]
        raise MissingExtraError(
            f"voor {waarvoor} is het pakket '{pakket}' nodig, maar dat is niet geïnstalleerd; "
            f"installeer bedcap met het extra '{extra}': pip install 'bedcap[{extra}]'"
        ) from exc
