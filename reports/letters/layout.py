"""A small typed layer over the ReportLab canvas: styles, wrapped text, rows, pages.

Text flows down a column in `Flow`, which breaks pages and records what to draw as plain
operations; `render` then draws every page on a canvas, knowing by then how many pages there
are ("page 1 of 2").  Wrapping measures words with cached widths, so the parts of a letter
that do not change from one letter to the next cost almost nothing after the first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from praverka.reports.letters.fonts import metrics, show_text

Color = tuple[float, float, float]
Align = Literal["left", "right", "centre"]
Canvas = Any  # reportlab.pdfgen.canvas.Canvas, which ships without type information

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    color: Color

    def width(self, text: str) -> float:
        return metrics(self.font).width(text, self.size)

    def wrap(self, text: str, width: float) -> tuple[str, ...]:
        return _wrap(text, self.font, self.size, round(width, 2))


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    style: Style


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: Color
    dash: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float  # bottom
    width: float
    height: float
    fill: Color | None
    stroke: Color | None = None
    line_width: float = 0.5
    dash: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Drawing:
    """Anything else (a QR code, a logo): a function of the canvas, drawn in order."""

    draw: Callable[[Canvas], None]


Op = Text | Line | Box | Drawing
Cell = Sequence[tuple[str, Style]]  # pieces stacked in the cell, each wrapped on its own
_PIECE_GAP = 1.0  # between the pieces of a cell


def baseline(style: Style, top: float) -> float:
    """The baseline of a line whose box starts at `top`: the font's ascent (0.93 em for
    DejaVu, 1.17 em with the descent), the box's extra leading shared above and below."""
    return top - style.size * 0.93 - (style.leading - style.size * 1.17) / 2


class Flow:
    """A column down A4 pages: each piece goes below the last, or at the top of a new page."""

    def __init__(self, left: float, right: float, top: float, later_top: float, bottom: float):
        self.left, self.right, self.bottom = left, right, bottom
        self.later_top = later_top
        self.y = top
        self.pages: list[list[Op]] = [[]]

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def ops(self) -> list[Op]:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.later_top

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` fits below the cursor."""
        if self.y - height < self.bottom:
            if height > self.later_top - self.bottom:
                raise ValueError("A part of the letter is too long to fit on a page.")
            self.new_page()

    def space(self, height: float) -> None:
        if self.y - height >= self.bottom:
            self.y -= height

    def paragraph(
        self,
        text: str,
        style: Style,
        *,
        indent: float = 0.0,
        align: Align = "left",
        keep: int = 2,
    ) -> None:
        """Wrapped lines; a page break leaves at least `keep` lines together."""
        lines = style.wrap(text, self.width - indent)
        self.ensure(style.leading * min(keep, len(lines)))
        for line in lines:
            self.ensure(style.leading)
            self.ops.append(self.placed(line, style, self.y, indent=indent, align=align))
            self.y -= style.leading

    def placed(
        self, text: str, style: Style, top: float, *, indent: float = 0.0, align: Align = "left"
    ) -> Text:
        x = self.left + indent
        if align == "right":
            x = self.right - style.width(text)
        elif align == "centre":
            x = self.left + indent + (self.width - indent - style.width(text)) / 2
        return Text(x, baseline(style, top), text, style)

    def measure(
        self,
        widths: Sequence[float],
        cells: Sequence[Cell],
        *,
        padding: float = 1.3,
        inset: float = 1.3,
    ) -> tuple[list[list[tuple[tuple[str, ...], Style]]], list[float], float]:
        """Each cell's pieces wrapped to its column less `inset` on each side, how far each
        cell is lowered so that the first lines of all cells share a baseline, and the height
        of the row with `padding` above and below."""
        wrapped = [
            [(style.wrap(text, width - 2 * inset), style) for text, style in cell if text]
            for width, cell in zip(widths, cells, strict=True)
        ]
        drops = [-baseline(pieces[0][1], 0.0) if pieces else 0.0 for pieces in wrapped]
        lowest = max(drops, default=0.0)
        offsets = [lowest - drop for drop in drops]
        heights = [
            offset
            + sum(len(lines) * style.leading for lines, style in pieces)
            + _PIECE_GAP * max(len(pieces) - 1, 0)
            for offset, pieces in zip(offsets, wrapped, strict=True)
        ]
        return wrapped, offsets, max(heights, default=0.0) + 2 * padding

    def row(
        self,
        widths: Sequence[float],
        cells: Sequence[Cell],
        *,
        padding: float = 1.3,
        inset: float = 1.3,
        fill: Color | None = None,
        rule: Color | None = None,
    ) -> None:
        """One row of cells side by side, as tall as its tallest cell; never split."""
        wrapped, offsets, height = self.measure(widths, cells, padding=padding, inset=inset)
        pages = len(self.pages)
        self.ensure(height)
        top = self.y
        if rule is not None and len(self.pages) > pages:  # a ruled table goes on: close its top
            self.ops.append(Line(self.left, top, self.right, top, 0.4, rule))
        if fill is not None:
            self.ops.append(Box(self.left, top - height, self.width, height, fill))
        x = self.left
        for width, offset, pieces in zip(widths, offsets, wrapped, strict=True):
            y = top - padding - offset
            for lines, style in pieces:
                for line in lines:
                    self.ops.append(Text(x + inset, baseline(style, y), line, style))
                    y -= style.leading
                y -= _PIECE_GAP
            x += width
        self.y = top - height
        if rule is not None:
            self.ops.append(Line(self.left, self.y, self.right, self.y, 0.4, rule))

    def block(self, height: float, draw: Callable[[Flow, float], None]) -> None:
        """A piece laid out by `draw(flow, top)`, kept whole on one page."""
        self.ensure(height)
        draw(self, self.y)
        self.y -= height


@functools.lru_cache(maxsize=4096)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    measure = metrics(font).width
    space = measure(" ", size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            advance = measure(word, size)
            if line and used + space + advance <= width:
                line, used = f"{line} {word}", used + space + advance
                continue
            if line:
                lines.append(line)
            while advance > width:  # a word wider than the column is cut where it must be
                cut = _fitting_prefix(word, font, size, width)
                lines.append(word[:cut])
                word = word[cut:]
                advance = measure(word, size)
            line, used = word, advance
        lines.append(line)
    return tuple(lines)


def _fitting_prefix(word: str, font: str, size: float, width: float) -> int:
    measure = metrics(font).width
    used = 0.0
    for index, char in enumerate(word):
        used += measure(char, size)
        if used > width:
            return max(index, 1)
    return len(word)


class _Pen:
    """Sets the canvas's font and colours only when they change."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.reset()

    def reset(self) -> None:
        self.fill: Color | None = None
        self.stroke: Color | None = None

    def fill_color(self, color: Color) -> None:
        if color != self.fill:
            red, green, blue = color
            self.canvas.addLiteral(f"{red:.3f} {green:.3f} {blue:.3f} rg")
            self.fill = color

    def stroke_color(self, color: Color) -> None:
        if color != self.stroke:
            self.canvas.setStrokeColorRGB(*color)
            self.stroke = color

    def text(self, op: Text) -> None:
        style = op.style
        self.fill_color(style.color)
        show_text(self.canvas, style.font, style.size, op.x, op.y, op.text)

    def line(self, op: Line) -> None:
        canvas = self.canvas
        self.stroke_color(op.color)
        canvas.setLineWidth(op.width)
        canvas.setDash(list(op.dash) or [])
        canvas.line(op.x1, op.y1, op.x2, op.y2)

    def box(self, op: Box) -> None:
        canvas = self.canvas
        if op.fill is not None:
            self.fill_color(op.fill)
        if op.stroke is not None:
            self.stroke_color(op.stroke)
            canvas.setLineWidth(op.line_width)
            canvas.setDash(list(op.dash) or [])
        canvas.rect(
            op.x, op.y, op.width, op.height, stroke=op.stroke is not None, fill=op.fill is not None
        )

    def draw(self, ops: Sequence[Op]) -> None:
        for op in ops:
            if isinstance(op, Text):
                self.text(op)
            elif isinstance(op, Line):
                self.line(op)
            elif isinstance(op, Box):
                self.box(op)
            else:
                self.canvas.saveState()
                op.draw(self.canvas)
                self.canvas.restoreState()
                self.reset()  # restoreState brought back the colours set before it


def render(
    canvas: Canvas,
    pages: Sequence[Sequence[Op]],
    decorate: Callable[[int, int], Sequence[Op]],
    overlay: Callable[[int, int], Sequence[Op]] = lambda page, pages: (),
) -> None:
    """Draw each page: `decorate(page, pages)` below the flow, `overlay` above it."""
    pen = _Pen(canvas)
    count = len(pages)
    for number, ops in enumerate(pages, start=1):
        pen.reset()  # a new page starts with the canvas's initial state
        pen.draw(decorate(number, count))
        pen.draw(ops)
        pen.draw(overlay(number, count))
        canvas.showPage()
