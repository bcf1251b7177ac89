"""What the YAML and TOML readers say of a broken file is Dutch, with its line: the parsers'
own English ("while parsing a flow sequence did not find expected ',' or ']'", "Invalid
value (at line 1, column 12)") reached `validate`, `setup` and every command before."""

from __future__ import annotations

import re

import pytest

from bedcap.files.repo import TomlFoutError, read_toml
from bedcap.files.yamlio import parse_yaml

ENGLISH = re.compile(
    r"\b(?:while|parsing|scanning|expected|found|could not|not allowed|Invalid|Unterminated"
    r"|Unclosed|Cannot|Illegal|statement|stream|character|token|document start|at line"
    r"|end of document|Duplicate|mapping|scalar|reader)\b"
)

BROKEN_YAML = [
    "naam: [Kliniek\n",
    "a: {b: 1\n",
    "a: b: c\n",
    "a:\n  - x\n - y\n",
    "a: 'b\n",
    'a: "\\q"\n',
    "a: @x\n",
    "a: `x`\n",
    "- a\nb: 1\n",
    "a: *x\n",
    "a: b\n\tc: d\n",
    "a: 1\n...\nb: 2\n",
    "a: &x 1\nb: &x 2\n",
    "%YAML 2.0\n---\na: 1\n",
    "--- a\n--- b\n",
    "a: 'x' y\n",
    "a: |\n  x\n y: 1\n",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_yaml_errors_are_dutch_with_a_line(text: str) -> None:
    loaded = parse_yaml(text, "data/locaties/a/b.yaml")
    assert loaded.problems, text
    for problem in loaded.problems:
        assert not ENGLISH.search(problem.melding), problem.melding
        assert problem.regel is not None and problem.regel >= 1


BROKEN_TOML = [
    (b"deadline = \n", "op regel 1, kolom 12: ongeldige of ontbrekende waarde"),
    (b"a = 1\na = 2\n", "een sleutel staat er twee keer"),
    (b"[x\n", "op regel 1, kolom 3: de tabelkop mist zijn ']'"),
    (b'a = "b', "een tekst wordt niet afgesloten met een aanhalingsteken"),
    (b"a = 1 b", "op regel 1, kolom 7: na een waarde hoort een nieuwe regel"),
    (b"= 1", "op regel 1, kolom 1: ongeldige regel"),
    (b'a = "\\q"', "een losse backslash in een tekst"),
    (b"[a]\n[a]", "op regel 2, kolom 3: de tabel [a] staat er twee keer"),
    (b"a = {b=1, b=2}", "de sleutel 'b' staat twee keer in dezelfde tabel"),
    (b'a = "\x01"', "ongeldig teken '\\x01'"),
    (b"a = [1\nb=2", "op regel 2, kolom 1: een lijst wordt niet gesloten met ']'"),
    (b"a = {b = 1\n", "een tabel wordt niet gesloten met '}'"),
    (b'a = "\\uD800"', "een escape zonder Unicode-teken"),
    (b'x = 1\ny = "\xff"', "geen geldige UTF-8 (byte 0xff op regel 2)"),
]


@pytest.mark.parametrize(("raw", "said"), BROKEN_TOML)
def test_toml_errors_are_dutch(raw: bytes, said: str) -> None:
    with pytest.raises(TomlFoutError) as caught:
        read_toml(raw)
    assert said in caught.value.reden
    assert not ENGLISH.search(caught.value.reden), caught.value.reden


def test_toml_with_a_byte_order_mark_is_read() -> None:
    """Editors on Windows write one; `validate` refused it where every other command read it."""
    assert read_toml(b"\xef\xbb\xbfdeadline = '12:00'\n") == {"deadline": "12:00"}
