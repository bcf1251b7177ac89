"""The block table of `bedcap available`: rectangular, rows level, nothing lost in wrapping."""

from __future__ import annotations

import io
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style

from bedcap.cli.grid import BlockTable, Column, Run

# Cells and headings draw from different letters, so each printed character can be traced
# back to where it came from.
CELL = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé0123456789@.-中", min_size=1, max_size=14)
LETTERS = st.text(alphabet="HIJKÜ", min_size=1, max_size=12)
HEAD = LETTERS | st.tuples(LETTERS, LETTERS).map("\u00a0".join)  # a no-break space glues
BOLD = Style(bold=True)


def words(word: st.SearchStrategy[str], most: int) -> st.SearchStrategy[str]:
    return st.lists(word, min_size=1, max_size=most).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> tuple[BlockTable, int]:
    count = draw(st.integers(1, 6))
    columns = [
        Column(
            header=draw(st.sampled_from(["Afdeling", "Vrij", "Cap.", "Zorgtype", "N"])),
            justify=draw(st.sampled_from(["left", "right"])),
            footer=draw(st.sampled_from(["", "Totaal", "12"])),
            min_width=draw(st.none() | st.integers(4, 10)),
            drop=draw(st.none() | st.integers(1, 3)),
        )
        for _ in range(count)
    ]
    table = BlockTable(columns, title=draw(st.none() | words(CELL, 4)))
    marker = 0
    for _ in range(draw(st.integers(1, 4))):
        heading = [
            [(text, draw(st.sampled_from([None, BOLD]))) for text in runs]
            for runs in draw(st.lists(st.lists(words(HEAD, 6), min_size=1, max_size=3), max_size=3))
        ]
        rows: list[list[Run]] = []
        for _ in range(draw(st.integers(1, 3))):
            marker += 1
            # Each row's cells start with the same marker, to find the row's first line.
            rows.append([(f"§{marker} {draw(words(CELL, 4))}", None) for _ in columns])
        table.add_block(heading, rows)
    return table, draw(st.integers(20, 160))


def render(table: BlockTable, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, soft_wrap=True).print(table)
    lines = out.getvalue().splitlines()
    return lines[1:] if table.title else lines


def body(table: BlockTable, lines: list[str], shown: list[int]) -> list[str]:
    """The lines between the header rule and the footer (if any), rules between blocks out."""
    start = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    end = len(lines) - 1  # the bottom wall
    if any(table.columns[i].footer for i in shown):
        end -= 2  # the footer rule and the footer line
    return [line for line in lines[start + 1 : end] if not line.startswith("├")]


def heading_line(line: str) -> bool:
    return any(ch in "HIJKÜ" for ch in line)


@settings(max_examples=150, deadline=None)
@given(tables())
def test_the_table_is_rectangular_and_fits_when_it_can(case: tuple[BlockTable, int]) -> None:
    table, width = case
    lines = render(table, width)
    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1, "\n".join(lines)
    shown = table.layout(width)
    assert widths == {sum(shown.values()) + 3 * len(shown) + 1}
    natural = [max(cell_len(c.header), cell_len(c.footer)) for c in table.columns]
    for block in table.blocks:
        for row in block.rows:
            for index, (text, _) in enumerate(row):
                natural[index] = max(natural[index], cell_len(text))
    floors = sum(
        min(natural[i], max(c.min_width, cell_len(c.header), cell_len(c.footer)))
        if c.min_width
        else natural[i]
        for i, c in enumerate(table.columns)
        if i in shown
    )
    if floors + 3 * len(shown) + 1 <= width:
        assert widths.pop() <= width


@settings(max_examples=150, deadline=None)
@given(tables())
def test_wrapping_loses_nothing_and_keeps_rows_level(case: tuple[BlockTable, int]) -> None:
    table, width = case
    lines = render(table, width)
    shown = list(table.layout(width))
    lines_of_body = body(table, lines, shown)
    headings = [line for line in lines_of_body if heading_line(line)]
    given_heading = "".join(text for b in table.blocks for runs in b.heading for text, _ in runs)
    assert Counter("".join(headings).replace(" ", "").replace("│", "")) == Counter(
        given_heading.replace("\u00a0", "").replace(" ", "")
    )
    rows = [
        [cell.strip() for cell in line[1:-1].split("│")]
        for line in lines_of_body
        if not heading_line(line)
    ]
    for position, index in enumerate(shown):
        given_chars = Counter(
            "".join(row[index][0] for block in table.blocks for row in block.rows).replace(" ", "")
        )
        printed = Counter("".join(row[position] for row in rows).replace(" ", ""))
        assert printed == given_chars, table.columns[index].header
    for number in range(1, sum(len(b.rows) for b in table.blocks) + 1):
        first_lines = {
            next(n for n, row in enumerate(rows) if row[p].split(" ")[0] == f"§{number}")
            for p in range(len(shown))
        }
        assert len(first_lines) == 1, f"row {number} is not level: {first_lines}"


def test_headings_keep_their_styles_when_wrapped() -> None:
    table = BlockTable([Column("Afdeling"), Column("Vrij", "right")])
    name, rest = ("Kliniek Hoogeweide", BOLD), (" · limburg · 1 werkdag oud", None)
    table.add_block([[name, rest]], [[("FPA 2", None), ("1", None)]])
    out = io.StringIO()
    Console(file=out, width=30, color_system="standard", force_terminal=True).print(table)
    text = out.getvalue()
    assert "\x1b[1mKliniek Hoogeweide\x1b[0m" in text
    assert "1 werkdag oud" in text and "\x1b[1m1 werkdag" not in text


def test_too_narrow_drops_columns_in_their_order_and_says_so() -> None:
    columns = [
        Column("Afdeling", min_width=8),
        Column("Specialisme", drop=1),
        Column("Niveau", justify="right", drop=2),
        Column("Vrij", justify="right"),
    ]
    table = BlockTable(columns)
    row: list[Run] = [
        ("FPA Hoogeweide 2", None),
        ("psychiatrie (fpa)", None),
        ("3", None),
        ("1", None),
    ]
    table.add_block([[("Kliniek Hoogeweide", None)]], [row])
    assert table.dropped(200) == []
    assert table.dropped(45) == ["Specialisme"]
    assert table.dropped(20) == ["Specialisme", "Niveau"]
    narrow = "\n".join(render(table, 20))
    assert "Specialisme" not in narrow and "Niveau" not in narrow and "Kliniek" in narrow


def test_an_ascii_terminal_gets_ascii_walls() -> None:
    table = BlockTable([Column("Afdeling"), Column("Vrij", "right", "1")])
    table.add_block([[("Kliniek", None)]], [[("FPA 2", None), ("1", None)]])
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    Console(file=stream, width=40, color_system=None).print(table)
    stream.flush()
    text = raw.getvalue().decode("ascii")
    assert "Kliniek" in text and "|" in text and "┃" not in text
