"""Reading TOML, with its errors in Dutch (issue 18 review: bad input gets a clear Dutch error).

`bedcap.toml` is the repository's one TOML file. tomllib says what is wrong in English,
"Invalid value (at line 1, column 12)", and raises plain `ValueError` or `RecursionError`
for numbers and nesting beyond Python's limits. This is the one reader: every command and
`validate` get the same Dutch line, with line and column where tomllib gives them.
"""

from __future__ import annotations

import re
import tomllib


class TomlFoutError(ValueError):
    """Why a TOML file cannot be read, in Dutch, and the line where that is known."""

    def __init__(self, reden: str, regel: int | None = None) -> None:
        super().__init__(reden)
        self.reden = reden
        self.regel = regel


_TOML_REDENEN = tuple(
    (re.compile(english), dutch)
    for english, dutch in (
        (r"Invalid value", "ongeldige of ontbrekende waarde"),
        (r"Invalid statement", "ongeldige regel (verwacht: sleutel = waarde, of [tabel])"),
        (
            r"Expected newline or end of document after a statement",
            "na een waarde hoort een nieuwe regel",
        ),
        (r"Expected '=' after a key in a key/value pair", "na een sleutel hoort '='"),
        (r"Expected '\]' at the end of a table declaration", "de tabelkop mist zijn ']'"),
        (r"Expected '\]\]' at the end of an array declaration", "de tabelkop mist zijn ']]'"),
        (r"Cannot overwrite a value", "een sleutel staat er twee keer"),
        (r"Cannot declare (.+) twice", "de tabel {} staat er twee keer"),
        (r"Cannot mutate immutable namespace (.+)", "{} is al vastgelegd, niet aan te vullen"),
        (r"Cannot redefine namespace (.+)", "{} is al vastgelegd"),
        (r"Duplicate inline table key (.+)", "de sleutel {} staat twee keer in dezelfde tabel"),
        (r"Unclosed array", "een lijst wordt niet gesloten met ']'"),
        (r"Unclosed inline table", "een tabel wordt niet gesloten met '}}'"),
        (r"Unterminated string", "een tekst wordt niet afgesloten met een aanhalingsteken"),
        (r"Unescaped '.' in a string", "een losse backslash in een tekst (schrijf er twee)"),
        (r"Invalid hex value", "ongeldige hexadecimale waarde in een escape"),
        (r"Escaped character is not a Unicode scalar value", "een escape zonder Unicode-teken"),
        (r"Invalid date or datetime", "ongeldige datum of tijd"),
        (r"Invalid initial character for a key part", "ongeldig eerste teken van een sleutel"),
        (r"(?:Illegal|Found invalid) character (.+)", "ongeldig teken {}"),
        (r"Expected (.+)", "verwacht: {}"),
    )
)
"""tomllib's messages (Python 3.11 to 3.13) in Dutch; `{}` is the key or character named."""
_TOML_PLEK = re.compile(r"^(.*) \(at (?:line (\d+), column (\d+)|end of document)\)$", re.S)


def read_toml(raw: bytes) -> dict[str, object]:
    """A TOML file's table; TomlFoutError says in Dutch what is wrong and where (tomllib's
    own message is English: "Invalid value (at line 1, column 12)"). A byte-order mark is
    allowed, as editors on Windows write one."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        regel = raw[: exc.start].count(b"\n") + 1
        raise TomlFoutError(f"geen geldige UTF-8 (byte 0x{bad} op regel {regel})", regel) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_fout(str(exc), text) from exc
    except RecursionError as exc:
        raise TomlFoutError("TOML-fout: te diep genest") from exc
    except ValueError as exc:  # Python refuses to turn more than 4,300 digits into a number
        raise TomlFoutError("TOML-fout: een getal met te veel cijfers") from exc


_SLEUTEL_OP_REGEL = re.compile(r"\s*([A-Za-z0-9_.\"' -]+?)\s*=")


def _toml_fout(message: str, text: str) -> TomlFoutError:
    found = _TOML_PLEK.match(message)
    what, line, column = found.groups() if found else (message, None, None)
    reden = what  # a message of a later Python: its own words rather than none
    for pattern, dutch in _TOML_REDENEN:
        if matched := pattern.fullmatch(what):
            reden = dutch.format(*(_sleutel(part) for part in matched.groups()))
            break
    if what == "Cannot overwrite a value" and line is not None:  # tomllib names no key
        lines = text.splitlines()
        key = _SLEUTEL_OP_REGEL.match(lines[int(line) - 1]) if int(line) <= len(lines) else None
        if key:
            reden += f" ({key.group(1).strip()})"
    if line is None:
        plek = "aan het eind van het bestand" if found else ""
    else:
        plek = f"op regel {line}, kolom {column}"
    melding = f"TOML-fout {plek}: {reden}" if plek else f"TOML-fout: {reden}"
    return TomlFoutError(melding, _int(line))


def _sleutel(named: str) -> str:
    """A key as the file writes it: tomllib names a table as a tuple, `('a', 'b')`."""
    import ast

    if named.startswith("("):
        try:
            parts = ast.literal_eval(named)
        except (ValueError, SyntaxError):
            return named
        if isinstance(parts, tuple) and all(isinstance(p, str) for p in parts):
            return "[" + ".".join(parts) + "]"
    return named


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)
