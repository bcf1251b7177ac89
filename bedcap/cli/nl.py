"""Dutch for every word the command-line framework prints itself (issue 17).

typer translates its own few strings through `gettext` but ships no catalogue, and the
click copy vendored in typer hard-codes the rest in English ("Usage:", "Show this message
and exit.", "Error:", "No such option", "Did you mean …?"). Rather than ship a compiled .mo
file, `install()` gives typer's `_` a small Dutch dictionary and wraps the few places
where click writes a usage line, a help option or an error, translating its sentences
with the patterns in `ZINNEN`. tests/test_cli_dutch.py runs every help page and a set
of usage errors and fails on any English word of the framework.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from typing import IO, Any

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

HELP = "Toon deze hulp en stop."
GEBRUIK = "Gebruik: "

# Pieces of a usage line (`bedcap [OPTIONS] COMMAND [ARGS]...`) and type metavars.
STUKKEN = {
    "[OPTIONS]": "[OPTIES]",
    "COMMAND [ARGS]...": "COMMANDO [ARGUMENTEN]...",
}
TYPEN = {
    "<path>": "<pad>",
    "<text>": "<tekst>",
    "<str>": "<tekst>",
    "<int>": "<geheel getal>",
    "<integer>": "<geheel getal>",
    "<float>": "<getal>",
    "<boolean>": "<ja|nee>",
    "<filename>": "<bestand>",
}

# click's sentences, in the order they are tried; the first match of each is replaced.
ZINNEN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in (
        (r"No such option: (\S+)", r"Onbekende optie: \1"),
        (r"\(Possible options: (.*)\)", r"(mogelijke opties: \1)"),
        (r"\. Did you mean (.*)\?", r". Bedoel je \1?"),
        (r"Invalid value for (.+?): ", r"Ongeldige waarde voor \1: "),
        (r"^Invalid value: ", "Ongeldige waarde: "),
        (r"^Missing argument (.+?)\.", r"Argument \1 ontbreekt."),
        (r"^Missing option (.+?)\.", r"Optie \1 ontbreekt."),
        (r"^Missing parameter(.*?)\.", r"Parameter\1 ontbreekt."),
        (r"^Missing parameter: (.*)", r"Parameter ontbreekt: \1"),
        (r"Got unexpected extra argument\(s\) \((.*)\)", r"Onverwachte extra argumenten (\1)"),
        (r"Option (\S+) requires an argument\.", r"Optie \1 vraagt een waarde."),
        (r"Option (\S+) requires (\d+) arguments\.", r"Optie \1 vraagt \2 waarden."),
        (r"Option (\S+) does not take a value\.", r"Optie \1 neemt geen waarde."),
        (r"Argument (\S+) takes (\d+) values\.", r"Argument \1 neemt \2 waarden."),
        (r"(.+) is not a valid integer\.", r"\1 is geen geheel getal."),
        (r"(.+) is not a valid float\.", r"\1 is geen getal."),
        (r"(.+) is not a valid (?:int range|float range)\.", r"\1 is geen getal."),
        (r"(.+) is not a valid boolean\. Recognized values: (.*)", r"\1 is geen ja/nee (\2)"),
        (r"(.+) is not a valid UUID\.", r"\1 is geen geldige UUID."),
        (r"(.+) is not one of (.*)\.", r"\1 is niet een van \2."),
        (r"(.+) does not match the formats (.*)\.", r"\1 past bij geen van de vormen \2."),
        (r"(.+) is not in the range (.*)\.", r"\1 ligt niet in het bereik \2."),
        (r"(\d+) values are required, but (\d+) given\.", r"\1 waarden nodig, \2 gegeven."),
        (r"Takes (\d+) values but (\d+) given\.", r"Neemt \1 waarden, \2 gegeven."),
        (r"Value must be an iterable\.", "De waarde moet een lijst zijn."),
        (r"Could not open file (.+?): ", r"Kan bestand \1 niet openen: "),
        (r"unknown error", "onbekende fout"),
        (r"Choose from:\n\t(.*)", r"Kies uit: \1"),
    )
]

_MODULES = ["typer.core"]  # not rich_utils: importing it costs 80 ms


def _gettext(message: str) -> str:
    return NL.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def vertaal(text: str) -> str:
    """One of click's messages in Dutch (unknown sentences pass unchanged)."""
    for pattern, replacement in ZINNEN:
        text = pattern.sub(replacement, text, count=1)
    return text


def _echo(message: str, file: IO[Any] | None, color: bool | None) -> None:
    from typer._click import echo

    echo(message, file=file or sys.stderr, color=color)


def _show_click_exception(self: Any, file: IO[Any] | None = None) -> None:
    _echo(f"Fout: {vertaal(self.format_message())}", file, self.show_color)


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    ctx = self.ctx
    color = None
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = f"Probeer '{ctx.command_path} {ctx.help_option_names[0]}' voor hulp.\n"
        color = ctx.color
        _echo(f"{ctx.get_usage()}\n{hint}", file, color)
    _echo(f"Fout: {vertaal(self.format_message())}", file, color)


def _format_usage(self: Any, ctx: Any, formatter: Any) -> None:
    pieces = [STUKKEN.get(piece, piece) for piece in self.collect_usage_pieces(ctx)]
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=GEBRUIK)


def _dutch_help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = HELP
        return option

    return get_help_option


def _dutch_metavar(original: Callable[..., str]) -> Callable[..., str]:
    def make_metavar(self: Any, *args: Any, **kwargs: Any) -> str:
        metavar = original(self, *args, **kwargs)
        for english, dutch in TYPEN.items():
            metavar = metavar.replace(english, dutch)
        return metavar

    return make_metavar


def install() -> None:
    """Point typer's translation hooks at the Dutch dictionary and wrap click's English."""
    for name in _MODULES:
        module = importlib.import_module(name)
        hooks: dict[str, Callable[..., str]] = {"_": _gettext, "ngettext": _ngettext}
        for attr, hook in hooks.items():
            if hasattr(module, attr):
                setattr(module, attr, hook)
    from typer._click import core, exceptions

    if getattr(core.Command, "_bedcap_nl", False):
        return
    exceptions.ClickException.show = _show_click_exception  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    core.Command.format_usage = _format_usage  # type: ignore[method-assign]
    core.Command.get_help_option = _dutch_help_option(  # type: ignore[method-assign]
        core.Command.get_help_option
    )
    core.Parameter.make_metavar = _dutch_metavar(  # type: ignore[method-assign]
        core.Parameter.make_metavar
    )
    core.Command._bedcap_nl = True  # type: ignore[attr-defined]
