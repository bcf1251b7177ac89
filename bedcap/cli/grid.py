"""A rich renderable for long tables of short cells, grouped in blocks.

`rich.table.Table` measures, wraps and pads every cell through its general layout engine:
about 60 µs a cell, 0.35 s for the national list of 506 wards, three times the whole
budget of `bedcap available`. The ward list needs less: cells are short lines, wrapped
only when the console is too narrow. This renderable lays out columns once and yields
rich segments with rich's own box characters, so it looks like every other table of the
tool and still honours the console's width, colours and ASCII fallback (docs/decisions.md).

A table is a list of blocks (one per location). A block has *span* cells, whose lines run
down the whole block (the location's name and contact details), and sub-rows, one per
ward × care type, whose cells stay level with each other even when one of them wraps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

Line = tuple[str, Style | None]
"""One line of a cell: its text and style (None: the console's default)."""

_HEADER = Style(bold=True)
_TITLE = Style(italic=True)
_PADDING = 2  # one space either side of a cell


@dataclass(frozen=True)
class Column:
    header: str
    justify: Literal["left", "right"] = "left"
    footer: str = ""
    span: bool = False
    """The cell belongs to the block, not to one sub-row."""
    max_width: int | None = None
    """Wrap longer lines even when the console is wide enough."""
    min_width: int | None = None
    """Narrow (and wrap) down to this width when the console is too narrow; None: never."""
    drop: int | None = None
    """Left out, lowest first, when the table cannot fit even at minimum widths."""
    fold_into: int | None = None
    """When left out, a span column's lines go below those of this (span) column."""


@dataclass
class Block:
    span: dict[int, list[Line]] = field(default_factory=dict)
    rows: list[dict[int, list[Line]]] = field(default_factory=list)


class BlockTable:
    """Columns of left- or right-aligned lines in blocks separated by rules."""

    def __init__(self, columns: Sequence[Column], *, title: str | None = None) -> None:
        self.columns = list(columns)
        self.title = title
        self.blocks: list[Block] = []

    def add_block(self, span: dict[int, list[Line]], rows: list[dict[int, list[Line]]]) -> None:
        """`span` and each row map a column index to its lines; absent columns stay empty."""
        self.blocks.append(Block(span, rows))

    def layout(self, available: int) -> dict[int, int]:
        """Width per shown column: natural widths capped by `max_width`; if too wide, span
        columns give first (their wrapping does not push sub-rows apart), then the others,
        widest first, one cell at a time; if still too wide, columns are dropped in their
        `drop` order."""
        natural = [max(cell_len(c.header), cell_len(c.footer)) for c in self.columns]
        for block in self.blocks:
            for cells in (block.span, *block.rows):
                for index, lines in cells.items():
                    for text, _ in lines:
                        natural[index] = max(natural[index], cell_len(text))
        shown = list(range(len(self.columns)))
        droppable = sorted((c.drop, i) for i, c in enumerate(self.columns) if c.drop is not None)
        while True:
            widths = {i: self._capped(i, natural[i]) for i in shown}
            over = _table_width(widths.values()) - available
            for span in (True, False):
                over = self._narrow(widths, over, span=span)
            if over <= 0 or not droppable or len(shown) == 1:
                return widths
            shown.remove(droppable.pop(0)[1])

    def dropped(self, available: int) -> list[str]:
        """Headers of the columns left out at this width (not those folded into another)."""
        shown = self.layout(available)
        return [
            c.header
            for i, c in enumerate(self.columns)
            if i not in shown and (c.fold_into is None or c.fold_into not in shown)
        ]

    def _capped(self, index: int, width: int) -> int:
        cap = self.columns[index].max_width
        return min(width, cap) if cap else width

    def _narrow(self, widths: dict[int, int], over: int, *, span: bool) -> int:
        floors = {
            i: max(c.min_width, cell_len(c.header), cell_len(c.footer))
            for i, c in enumerate(self.columns)
            if i in widths and c.span is span and c.min_width is not None
        }
        while over > 0:
            candidates = [i for i, floor in floors.items() if widths[i] > floor]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
            over -= 1
        return over

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        shown = self.layout(options.max_width)
        columns = [self.columns[i] for i in shown]
        widths = list(shown.values())
        frame = box.HEAVY_HEAD.substitute(options)
        padded = [w + _PADDING for w in widths]
        new_line = Segment.line()
        if self.title:
            width = max(_table_width(widths), cell_len(self.title))
            yield Segment(self.title.center(width), _TITLE)
            yield new_line
        yield Segment(frame.get_top(padded))
        yield new_line
        yield from _line(
            columns,
            [(c.header, _HEADER) for c in columns],
            widths,
            (frame.head_left, frame.head_vertical, frame.head_right),
        )
        yield Segment(frame.get_row(padded, "head"))
        yield new_line
        walls = (frame.mid_left, frame.mid_vertical, frame.mid_right)
        for number, block in enumerate(self.blocks):
            if number:
                yield Segment(frame.get_row(padded, "row"))
                yield new_line
            for cells in self._block_lines(console, block, shown):
                yield from _line(columns, cells, widths, walls)
        if any(c.footer for c in columns):
            yield Segment(frame.get_row(padded, "foot"))
            yield new_line
            yield from _line(
                columns,
                [(c.footer, _HEADER) for c in columns],
                widths,
                (frame.foot_left, frame.foot_vertical, frame.foot_right),
            )
        yield Segment(frame.get_bottom(padded))
        yield new_line

    def _block_lines(
        self, console: Console, block: Block, shown: dict[int, int]
    ) -> Iterator[list[Line]]:
        """The block as console lines: sub-rows level with each other, span cells alongside."""
        columns: dict[int, list[Line]] = {i: [] for i in shown}
        rowed = [i for i in shown if not self.columns[i].span]
        for row in block.rows:
            wrapped = {i: _wrap(row.get(i, []), shown[i]) for i in rowed}
            height = max((len(lines) for lines in wrapped.values()), default=1)
            for i, lines in wrapped.items():
                columns[i].extend(lines + [_EMPTY] * (height - len(lines)))
        for i, lines in block.span.items():
            target = i if i in shown else self.columns[i].fold_into
            if target is not None and target in shown:
                columns[target] = columns[target] + _wrap(lines, shown[target])
        height = max((len(lines) for lines in columns.values()), default=0)
        for offset in range(height):
            yield [lines[offset] if offset < len(lines) else _EMPTY for lines in columns.values()]


_EMPTY: Line = ("", None)


def _table_width(widths: Iterable[int]) -> int:
    """Cells plus their padding plus one wall more than there are columns."""
    widths = list(widths)
    return sum(widths) + _PADDING * len(widths) + len(widths) + 1


def _line(
    columns: Sequence[Column],
    cells: Sequence[Line],
    widths: Sequence[int],
    walls: tuple[str, str, str],
) -> Iterator[Segment]:
    """One console line as few segments as possible: unstyled runs are joined, since the
    console's cost is per segment."""
    left, middle, right = walls
    plain = left
    for index, (column, (text, style), width) in enumerate(
        zip(columns, cells, widths, strict=True)
    ):
        if index:
            plain += middle
        gap = " " * (width - cell_len(text))
        before, after = (" " + gap, " ") if column.justify == "right" else (" ", gap + " ")
        if style is None:
            plain += before + text + after
            continue
        yield Segment(plain + before)
        yield Segment(text, style)
        plain = after
    yield Segment(plain + right + "\n")


def _wrap(lines: Iterable[Line], width: int) -> list[Line]:
    """Lines wider than `width` broken at spaces, and words wider than it cut (long e-mail
    addresses); cheap enough to run on every cell, unlike `Text.wrap`."""
    out: list[Line] = []
    for text, style in lines:
        if cell_len(text) <= width:
            out.append((text, style))
            continue
        current = ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if cell_len(candidate) <= width:
                current = candidate
                continue
            if current:
                out.append((current, style))
            pieces = chop_cells(word, width) if cell_len(word) > width else [word]
            out.extend((piece, style) for piece in pieces[:-1])
            current = pieces[-1]
        out.append((current, style))
    return out
