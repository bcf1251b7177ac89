"""The block table of `bedcap available`: rectangular, level sub-rows, nothing lost in wrapping."""

from __future__ import annotations

import io
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from bedcap.cli.grid import BlockTable, Column, Line

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé0123456789@.-中", min_size=1, max_size=14)
TEXT = st.lists(WORD, min_size=1, max_size=5).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> tuple[BlockTable, int]:
    count = draw(st.integers(2, 6))
    spans = [draw(st.booleans()) for _ in range(count)]
    span_indexes = [i for i, span in enumerate(spans) if span]
    columns = [
        Column(
            header=draw(st.sampled_from(["Locatie", "Afdeling", "Vrij", "Cap.", "Zorgtype"])),
            justify=draw(st.sampled_from(["left", "right"])),
            footer=draw(st.sampled_from(["", "Totaal", "12"])),
            span=span,
            max_width=draw(st.none() | st.integers(10, 30)),
            min_width=draw(st.none() | st.integers(4, 10)),
            drop=draw(st.none() | st.integers(1, 3)),
            fold_into=draw(st.none() | st.sampled_from(span_indexes)) if span else None,
        )
        for span in spans
    ]
    table = BlockTable(columns, title=draw(st.none() | TEXT))
    marker = 0
    for _ in range(draw(st.integers(1, 4))):
        span = {
            i: [(text, None) for text in draw(st.lists(TEXT, max_size=4))]
            for i, c in enumerate(columns)
            if c.span
        }
        rows = []
        for _ in range(draw(st.integers(1, 3))):
            marker += 1
            rows.append(
                {
                    # Each sub-row's cells start with the same marker, to find them again.
                    i: [
                        (f"§{marker} {draw(TEXT)}", None),
                        *((t, None) for t in draw(st.lists(TEXT, max_size=2))),
                    ]
                    for i, c in enumerate(columns)
                    if not c.span
                }
            )
        table.add_block(span, rows)
    return table, draw(st.integers(20, 160))


def render(table: BlockTable, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, soft_wrap=True).print(table)
    lines = out.getvalue().splitlines()
    return lines[1:] if table.title else lines


def body_cells(table: BlockTable, lines: list[str], shown: list[int]) -> list[list[str]]:
    """The cells of each body line: after the header rule, before the footer (if any)."""
    start = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    end = len(lines) - 1  # the bottom wall
    if any(table.columns[i].footer for i in shown):
        end -= 2  # the footer rule and the footer line
    return [
        [cell.strip() for cell in line[1:-1].split("│")]
        for line in lines[start + 1 : end]
        if not line.startswith("├")
    ]


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
        for cells in (block.span, *block.rows):
            for index, lines_of_cell in cells.items():
                for text, _ in lines_of_cell:
                    natural[index] = max(natural[index], cell_len(text))
    floors = 0
    for i in shown:
        c = table.columns[i]
        capped = min(natural[i], c.max_width or natural[i])
        least = max(c.min_width, cell_len(c.header), cell_len(c.footer)) if c.min_width else capped
        floors += min(capped, least)
    if floors + 3 * len(shown) + 1 <= width:
        assert widths.pop() <= width


@settings(max_examples=150, deadline=None)
@given(tables())
def test_wrapping_loses_nothing_and_keeps_sub_rows_level(case: tuple[BlockTable, int]) -> None:
    table, width = case
    lines = render(table, width)
    shown = list(table.layout(width))
    body = body_cells(table, lines, shown)
    for position, index in enumerate(shown):
        given_chars: Counter[str] = Counter()
        sources = [index] + [
            i
            for i, c in enumerate(table.columns)
            if i not in shown and c.fold_into == index and table.columns[index].span and i != index
        ]
        for source in sources:
            column = table.columns[source]
            for block in table.blocks:
                cells = (
                    [block.span.get(source, [])]
                    if column.span
                    else [r.get(source, []) for r in block.rows]
                )
                for lines_of_cell in cells:
                    given_chars.update("".join(text for text, _ in lines_of_cell).replace(" ", ""))
        printed = Counter("".join(row[position] for row in body).replace(" ", ""))
        assert printed == given_chars, table.columns[index].header
    rowed = [p for p, i in enumerate(shown) if not table.columns[i].span]
    for number in range(1, sum(len(b.rows) for b in table.blocks) + 1):
        first_lines = {
            next(n for n, row in enumerate(body) if row[p].split(" ")[0] == f"§{number}")
            for p in rowed
        }
        assert len(first_lines) <= 1, f"sub-row {number} is not level: {first_lines}"


def test_too_narrow_drops_columns_in_their_order_and_says_so() -> None:
    columns = [
        Column("Locatie", span=True, min_width=8),
        Column("Specialisme", drop=1),
        Column("Niveau", justify="right", drop=2),
        Column("Vrij", justify="right"),
    ]
    table = BlockTable(columns)
    row: dict[int, list[Line]] = {
        1: [("psychiatrie (fpa)", None)],
        2: [("3", None)],
        3: [("1", None)],
    }
    table.add_block({0: [("Kliniek Hoogeweide", None)]}, [row])
    assert table.dropped(200) == []
    assert table.dropped(40) == ["Specialisme"]
    assert table.dropped(25) == ["Specialisme", "Niveau"]
    narrow = "\n".join(render(table, 25))
    assert "Specialisme" not in narrow and "Niveau" not in narrow and "Kliniek" in narrow


def test_an_ascii_terminal_gets_ascii_walls() -> None:
    table = BlockTable([Column("Locatie", span=True), Column("Vrij", "right", "1")])
    table.add_block({0: [("Kliniek", None)]}, [{1: [("1", None)]}])
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    Console(file=stream, width=40, color_system=None).print(table)
    stream.flush()
    text = raw.getvalue().decode("ascii")
    assert "Kliniek" in text and "|" in text and "┃" not in text
