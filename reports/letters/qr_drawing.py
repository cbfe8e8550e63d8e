"""The QR code drawn as vector rectangles (no image, no font), and a draft's placeholder."""

from __future__ import annotations

import functools
import re

from praverka.reports.letters.layout import Box, Canvas, Drawing, Op, Style, Text
from praverka.reports.letters.qr_matrix import QUIET_ZONE, QrRows, qr_rows

_DARK = re.compile("1+")


@functools.lru_cache(maxsize=64)
def _path(text: str) -> tuple[int, str]:
    """The symbol as one PDF path in module units (origin at the quiet zone's lower left):
    each run of dark modules in a row is one rectangle, and the path is filled once, so that
    no hairline shows between neighbouring modules.  Cached: a reprint draws the same code."""
    code: QrRows = qr_rows(text)
    size = code.size
    parts = []
    for index, row in enumerate(code.rows):
        y = size - 1 - index + QUIET_ZONE
        for run in _DARK.finditer(format(row, f"0{size}b")):
            start, end = run.span()
            parts.append(f"{start + QUIET_ZONE} {y} {end - start} 1 re")
    return size + 2 * QUIET_ZONE, "\n".join(parts)


def check_qr_text(text: str) -> None:
    """ValueError when `text` cannot be printed as the letter's QR code."""
    _path(text)


def qr_code(text: str, x: float, y: float, width: float) -> Drawing:
    """The code for `text`, quiet zone included, `width` points wide with its lower left at
    (x, y)."""
    modules, path = _path(text)

    def draw(canvas: Canvas) -> None:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.translate(x, y)
        canvas.scale(width / modules, width / modules)
        # Integer module coordinates written directly: ReportLab's rect() would format
        # a thousand floats per code.
        canvas.addLiteral(f"{path}\nf")

    return Drawing(draw)


def qr_placeholder(
    lines: tuple[str, ...], x: float, y: float, width: float, style: Style
) -> list[Op]:
    """A dashed square where an issued letter has its code, saying why there is none."""
    ops: list[Op] = [
        Box(x, y, width, width, (0.97, 0.97, 0.97), (0.55, 0.55, 0.55), 0.8, (3.0, 2.0))
    ]
    pieces = [piece for line in lines for piece in style.wrap(line, width - 8)]
    top = y + width / 2 + len(pieces) * style.leading / 2
    for piece in pieces:
        top -= style.leading
        ops.append(Text(x + (width - style.width(piece)) / 2, top + 2, piece, style))
    return ops
