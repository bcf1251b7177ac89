"""What the YAML and TOML readers say of a broken file is Dutch, with its line: the parsers'
own English ("while parsing a flow sequence did not find expected ',' or ']'", "Invalid
value (at line 1, column 12)") reached `validate`, `setup` and every command before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedcap.files.tomltaal import TomlFoutError, read_toml
from bedcap.files.yamlio import parse_yaml
from tests.conftest import invoke

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
    "zorgtypen: - behandeling\n",  # the common one: a list on the key's own line
    "a: b\x07c\n",  # a control character: "ReaderError" before
    "%FOO bar\n---\na: 1\n",
    "a: &\n",
    "a: !foo!bar x\n",
    'a: "\\x4"\n',
]


@pytest.mark.parametrize("text", BROKEN_YAML, ids=lambda v: repr(v)[:40])
def test_yaml_errors_are_dutch_with_a_line(text: str) -> None:
    loaded = parse_yaml(text, "data/locaties/a/b.yaml")
    assert loaded.problems, text
    for problem in loaded.problems:
        assert not ENGLISH.search(problem.melding), problem.melding
        assert "Error" not in problem.melding, problem.melding
        assert problem.regel is not None and problem.regel >= 1


def test_yaml_numbers_and_nesting_beyond_python_say_so() -> None:
    digits = parse_yaml("a: " + "1" * 5000 + "\n", "data/x.yaml").problems
    assert [p.melding for p in digits] == ["YAML-fout: een getal met te veel cijfers"]
    deep = parse_yaml("a: " + "[" * 3000 + "\n", "data/x.yaml").problems
    assert deep and not ENGLISH.search(deep[0].melding), deep


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
    (b'deadline = "12:00"\nhoofdtak = "main"\ndeadline = "13:00"\n', "twee keer (deadline)"),
    (b"x = " + b"1" * 5000, "een getal met te veel cijfers"),  # a traceback before
    (b"x = " + b"[" * 3000, "te diep genest"),  # a traceback before
]


@pytest.mark.parametrize(("raw", "said"), BROKEN_TOML, ids=lambda v: repr(v)[:40])
def test_toml_errors_are_dutch(raw: bytes, said: str) -> None:
    with pytest.raises(TomlFoutError) as caught:
        read_toml(raw)
    assert said in caught.value.reden
    assert not ENGLISH.search(caught.value.reden), caught.value.reden


def test_toml_with_a_byte_order_mark_is_read() -> None:
    """Editors on Windows write one; `validate` refused it where every other command read it."""
    assert read_toml(b"\xef\xbb\xbfdeadline = '12:00'\n") == {"deadline": "12:00"}


LOCATION = "data/locaties/fictief-forensisch-centrum-oosterveld/kliniek-heidewijk.yaml"


@pytest.mark.parametrize(
    ("line", "broken", "said"),
    [
        ("email:", "email: opname@@x.nl", "veld email: gevonden: 'opname@@x.nl'"),
        ("telefoon:", "telefoon: '+31 20 55'", "veld telefoon: gevonden: '+31 20 55'"),
        ("    specialisme: psychiatrie", "    specialisme: psych", "'verslaving', 'sglvg', "),
    ],
)
def test_available_names_a_broken_location_in_dutch(
    runner: CliRunner, example: Path, line: str, broken: str, said: str
) -> None:
    """`available` warns about a location file the model refuses with what `validate` says,
    line and field included; it passed pydantic's English on ("value is not a valid email
    address", "Input should be … or …", and a raw "{waarde!r}")."""
    path = example / LOCATION
    text = path.read_text("utf-8")
    old = next(row for row in text.splitlines() if row.startswith(line))
    path.write_text(text.replace(old, broken, 1), "utf-8")
    result = invoke(runner, "available", "--format", "csv", cwd=example)
    warning = " ".join(result.stderr.split())
    assert f"{LOCATION}: regel " in warning and said in warning, warning
    assert not re.search(r"Input should|value is not|\{waarde| or '", warning), warning


def test_system_errors_are_said_in_dutch(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    """`--identiteit` and `--uit` passed the system's English on ("No such file or
    directory", "Is a directory")."""
    missing = tmp_path / "geen-sleutel"
    result = invoke(
        runner, "report", "--kwartaal", "2021Q2", "--identiteit", str(missing), cwd=example
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert f"{missing}: niet te lezen (bestaat niet)" in said, said
    folder = ("report", "--kwartaal", "2021Q2", "--identiteit", str(tmp_path))
    result = invoke(runner, *folder, cwd=example)
    assert "niet te lezen (is een map)" in " ".join(result.stderr.split())
    assert not re.search(r"No such file|Is a directory", result.stderr + said)


def test_an_output_into_a_stream_is_written_into_it(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    """`--uit` naming a named pipe (or a device: /dev/null, /dev/stdout into a pipe) gets the
    bytes written into it, as the shell's `>` would; it was replaced by a regular file
    through a rename, which turned the machine's /dev/null into a file. Without a reader
    the pipe is refused, never waited on."""
    import os
    import stat
    import threading

    pipe = tmp_path / "pijp"
    os.mkfifo(pipe)
    args = ("available", "--format", "xlsx", "--uit", str(pipe))
    alone = invoke(runner, *args, cwd=example)
    assert alone.exit_code == 3, alone.output
    assert "niet schrijven: geen apparaat of socket zonder ontvanger" in " ".join(
        alone.stderr.split()
    )
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    import time

    time.sleep(0.3)  # the reader opens the pipe first, as `cat pijp` would
    done = invoke(runner, *args, cwd=example)
    reader.join(timeout=30)
    assert done.exit_code == 0, done.output
    assert got and got[0].startswith(b"PK")  # the workbook, a zip
    assert stat.S_ISFIFO(pipe.lstat().st_mode)  # still a pipe
