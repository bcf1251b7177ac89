"""Optional dependencies: report-only packages live in the `rapport` extra (issue 17).

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


class MissingExtraError(BedcapError):
    """A package of an optional extra is not installed (exit 3)."""


def require(module: str, extra: str = RAPPORT, *, waarvoor: str = "dit onderdeel") -> ModuleType:
    """Import `module`, or say in Dutch which extra to install for `waarvoor`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        pakket = module.split(".")[0]
        raise MissingExtraError(
            f"{waarvoor} heeft het pakket '{pakket}' nodig, dat niet is geïnstalleerd; "
            f"installeer bedcap met dit extra: pip install 'bedcap[{extra}]'"
        ) from exc
