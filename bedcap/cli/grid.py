"""A rich renderable for long tables in blocks, each under a heading across the full width.

`rich.table.Table` measures, wraps and pads every cell through its general layout engine
(about 60 µs a cell: 0.35 s for the national list of 506 wards, three times the whole
budget of `bedcap available`), and it has no cell that spans the columns. The ward list
needs both: a location's name and contact details as one heading over its wards, and
short cells wrapped only when the console is too narrow. This renderable lays out the
columns once and yields whole lines as a few rich segments with rich's own box
characters, so it looks like every other table of the tool and still follows the
console's width, colours and ASCII fallback (docs/decisions.md).
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

Run = tuple[str, Style | None]
"""Text in one style (None: the console's default)."""

_HEADER = Style(bold=True)
_TITLE = Style(italic=True)
_PADDING = 2  # one space either side of a cell


@dataclass(frozen=True)
class Column:
    header: str
    justify: Literal["left", "right"] = "left"
    footer: str = ""
    min_width: int | None = None
    """Narrow (and wrap) down to this width when the console is too narrow; None: never."""
    drop: int | None = None
    """Left out, lowest first, when the table cannot fit even at minimum widths."""


@dataclass
class Block:
    heading: list[list[Run]] = field(default_factory=list)
    rows: list[list[Run]] = field(default_factory=list)


class BlockTable:
    """Rows of short cells in blocks; each block under a heading that spans the columns."""

    def __init__(self, columns: Sequence[Column], *, title: str | None = None) -> None:
        self.columns = list(columns)
        self.title = title
        self.blocks: list[Block] = []

    def add_block(self, heading: list[list[Run]], rows: list[list[Run]]) -> None:
        """`heading`: lines of runs, wrapped to the table's width; `rows`: a run per column.

        Control characters are taken out: location names and contact details are data,
        and an ESC or OSC 8 link in them must not reach a coordinator's terminal.
        """
        from bedcap.files.textsafe import strip_control

        def clean(runs: list[Run]) -> list[Run]:
            return [(strip_control(text), style) for text, style in runs]

        self.blocks.append(Block([clean(line) for line in heading], [clean(r) for r in rows]))

    def layout(self, available: int) -> dict[int, int]:
        """Width per shown column: natural widths, the first widened so the longest heading
        fits on one line if the console allows; if too wide, the widest narrowable column
        gives one cell at a time; if still too wide, columns go in their `drop` order."""
        natural = [max(cell_len(c.header), cell_len(c.footer)) for c in self.columns]
        heading = 0
        for block in self.blocks:
            for row in block.rows:
                for index, (text, _) in enumerate(row):
                    natural[index] = max(natural[index], cell_len(text))
            for runs in block.heading:
                heading = max(heading, sum(cell_len(text) for text, _ in runs))
        shown = list(range(len(self.columns)))
        droppable = sorted((c.drop, i) for i, c in enumerate(self.columns) if c.drop is not None)
        while True:
            widths = {i: natural[i] for i in shown}
            over = _table_width(widths.values()) - available
            floors = {
                i: max(c.min_width, cell_len(c.header), cell_len(c.footer))
                for i, c in enumerate(self.columns)
                if i in widths and c.min_width is not None
            }
            while over > 0:
                candidates = [i for i, floor in floors.items() if widths[i] > floor]
                if not candidates:
                    break
                widths[max(candidates, key=lambda i: widths[i])] -= 1
                over -= 1
            if over <= 0 or not droppable or len(shown) == 1:
                room = min(available, heading + 2 + _PADDING) - _table_width(widths.values())
                if room > 0:
                    widths[next(iter(widths))] += room
                return widths
            shown.remove(droppable.pop(0)[1])

    def dropped(self, available: int) -> list[str]:
        """Headers of the columns left out at this width."""
        shown = self.layout(available)
        return [c.header for i, c in enumerate(self.columns) if i not in shown]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        shown = self.layout(options.max_width)
        columns = [self.columns[i] for i in shown]
        widths = list(shown.values())
        frame = box.HEAVY_HEAD.substitute(options)
        padded = [w + _PADDING for w in widths]
        inner = _table_width(widths) - 2 - _PADDING  # a heading's room between the walls
        if self.title:
            gap = max(0, _table_width(widths) - cell_len(self.title))
            left = " " * (gap // 2)
            yield Segment(left + self.title + " " * (gap - gap // 2), _TITLE)
            yield Segment.line()
        yield Segment(frame.get_top(padded) + "\n")
        yield from _line(
            columns,
            [(c.header, _HEADER) for c in columns],
            widths,
            (frame.head_left, frame.head_vertical, frame.head_right),
        )
        yield Segment(frame.get_row(padded, "head") + "\n")
        for number, block in enumerate(self.blocks):
            if number:
                yield Segment(frame.get_row(padded, "row") + "\n")
            for runs in block.heading:
                for wrapped in _wrap_runs(runs, inner):
                    yield Segment(frame.mid_left + " ")
                    yield from (Segment(text, style) for text, style in wrapped)
                    gap = inner - sum(cell_len(text) for text, _ in wrapped)
                    yield Segment(" " * gap + " " + frame.mid_right + "\n")
            walls = (frame.mid_left, frame.mid_vertical, frame.mid_right)
            for row in block.rows:
                cells = [_wrap(row[i], width) for i, width in shown.items()]
                for offset in range(max(len(lines) for lines in cells)):
                    line = [lines[offset] if offset < len(lines) else _EMPTY for lines in cells]
                    yield from _line(columns, line, widths, walls)
        if any(c.footer for c in columns):
            yield Segment(frame.get_row(padded, "foot") + "\n")
            yield from _line(
                columns,
                [(c.footer, _HEADER) for c in columns],
                widths,
                (frame.foot_left, frame.foot_vertical, frame.foot_right),
            )
        yield Segment(frame.get_bottom(padded) + "\n")


_EMPTY: Run = ("", None)
_NBSP = "\u00a0"


def _table_width(widths: Iterable[int]) -> int:
    """Cells plus their padding plus one wall more than there are columns."""
    widths = list(widths)
    return sum(widths) + _PADDING * len(widths) + len(widths) + 1


def _line(
    columns: Sequence[Column],
    cells: Sequence[Run],
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


def _wrap(run: Run, width: int) -> list[Run]:
    """A cell broken into lines of at most `width` cells (one run per line)."""
    return [line[0] for line in _wrap_runs([run], width)] or [(run[0], run[1])]


def _wrap_runs(runs: Sequence[Run], width: int) -> list[list[Run]]:
    """Styled runs broken at spaces into lines of at most `width` cells, styles kept.

    A no-break space holds words together ("1 werkdag oud") and is printed as a space, so
    the output is plain text to grep."""
    if sum(cell_len(text) for text, _ in runs) <= width:
        return [[(text.replace(_NBSP, " "), style) for text, style in runs]]
    words: list[Run] = []  # each word carries the space before it, if any
    for text, style in runs:
        for n, word in enumerate(text.split(" ")):
            if n:
                words.append((" ", style))
            if word:
                words.extend((piece, style) for piece in chop_cells(word, width))
    lines: list[list[Run]] = [[]]
    used = 0
    for text, style in words:
        size = cell_len(text)
        if text == " ":
            if used and used + 1 < width:
                lines[-1].append((text, style))
                used += 1
            continue
        if used + size > width:
            while lines[-1] and lines[-1][-1][0] == " ":
                lines[-1].pop()
                used -= 1
            lines.append([])
            used = 0
        lines[-1].append((text, style))
        used += size
    while lines[-1] and lines[-1][-1][0] == " ":
        lines[-1].pop()
    return [_merge(line) for line in lines if line]


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for text, style in ((t.replace(_NBSP, " "), s) for t, s in runs):
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    return merged
