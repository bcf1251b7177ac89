"""Dutch for typer's own words in help pages (headings, defaults, "required").

typer translates these through `gettext` but ships no catalogue; rather than ship a
compiled .mo file we give its modules that use `_`/`ngettext` a small Dutch dictionary.
The click copy vendored in typer hard-codes a few strings ("Usage:", "Show this message
and exit.", "Error:"); those stay English (docs/decisions.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

NL = {
    "Options": "Opties",
    "Arguments": "Argumenten",
    "Commands": "Commando's",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(dynamisch)",
    "Aborted!": "Afgebroken.",
    "Missing command.": "Commando ontbreekt.",
    "No such command {name!r}.": "Onbekend commando {name!r}.",
}

_MODULES = ["typer.core"]  # not rich_utils: importing it costs 80 ms


def _gettext(message: str) -> str:
    return NL.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Point click's and typer's translation hooks at the Dutch dictionary."""
    for name in _MODULES:
        module = importlib.import_module(name)
        hooks: dict[str, Callable[..., str]] = {"_": _gettext, "ngettext": _ngettext}
        for attr, hook in hooks.items():
            if hasattr(module, attr):
                setattr(module, attr, hook)
