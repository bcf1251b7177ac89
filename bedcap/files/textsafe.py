"""Hostile text, made harmless where it enters and where it leaves (issue 13).

In: only ASCII digits are numbers (Python's `int()` also reads full-width and
Arabic-Indic digits and `1_5`), counts fit the contract's int32, and text carries no
control characters (an ESC or an OSC 8 link would reach a coordinator's terminal).
Out: the terminal gets text without control characters; a spreadsheet cell that starts
like a formula gets a leading apostrophe (the OWASP CSV-injection rule).
"""

from __future__ import annotations

import re
from typing import Any

INT32_MAX = 2**31 - 1
"""The largest count the contract's int32 columns hold."""

_ASCII_INT = re.compile(r"[+-]?[0-9]+")
# C0 except tab, LF and CR; DEL; C1; and the invisible bidirectional overrides, which
# reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?")


def ascii_int(text: str) -> int | None:
    """`text` as an integer when it is one written in ASCII digits, else None."""
    text = text.strip()
    return int(text) if _ASCII_INT.fullmatch(text) else None


def control_character(text: str) -> str | None:
    """The first control character in `text`, written readably (`U+001B`), or None."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def strip_control(text: str) -> str:
    """`text` without control characters, for a terminal."""
    return _CONTROL.sub("", text)


def csv_cell(value: str) -> str:
    """Text for a CSV cell: no control characters, line breaks as LF and no formula start.

    A CR inside a value was written unquoted (our CSV ends its rows with LF, so the
    writer does not count CR as a break), and a spreadsheet starts a new row there: "=6+6"
    after it stood unguarded at the start of that row. As LF the value is quoted whole."""
    return str(neutralise_cell(strip_control(value).replace("\r\n", "\n").replace("\r", "\n")))


def starts_formula(value: Any) -> bool:
    """Whether a spreadsheet could read `value` as a formula: text starting with = + - @
    tab or CR; a plain signed number written as text ("-5") and a lone "-" cannot."""
    return (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and value != "-"
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def neutralise_cell(value: Any) -> Any:
    """A CSV cell that cannot start a formula: such text gets a leading apostrophe (the only
    guard a CSV has; a workbook marks the cell instead, `outputs.spreadsheet._put`)."""
    return "'" + value if starts_formula(value) else value


def stray_byte(raw: bytes) -> int | None:
    """The offset of the first invalid byte of text that is otherwise UTF-8, or None.

    Text with valid multi-byte UTF-8 sequences is UTF-8: decoding it whole as
    Windows-1252 because of one stray byte would garble every accented letter.
    """
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", "ignore")
        tail = raw[exc.end :].decode("utf-8", "replace")
        if any(ord(c) > 127 and c != "\ufffd" for c in head + tail):
            return exc.start
        return None
