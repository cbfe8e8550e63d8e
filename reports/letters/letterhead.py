"""What every page carries: the letterhead and logo (or an emblem), footer, marks, watermark."""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

from PIL import Image
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]

from praverka.reports.letters.fonts import BOLD, metrics, show_text
from praverka.reports.letters.layout import (
    A4,
    MM,
    Box,
    Canvas,
    Color,
    Drawing,
    Line,
    Op,
    Style,
    Text,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_LOGO_BYTES = 4 * 1024 * 1024
MAX_LOGO_SIDE = 4096  # pixels; a logo is small, and a huge one is a decompression bomb
LOGO_PIXELS = 320  # kept on the longer side: about 400 dpi in the 20 mm box

NAVY: Color = (0.11, 0.23, 0.38)
RED: Color = (0.72, 0.1, 0.1)


@functools.lru_cache(maxsize=8)
def logo_image(png: bytes) -> ImageReader:
    """The logo checked, decoded and reduced for the letterhead (ValueError when unusable)."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("The organisation logo is not a PNG image.")
    if len(png) > MAX_LOGO_BYTES:
        raise ValueError("The organisation logo is larger than 4 MB.")
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            if max(image.size) > MAX_LOGO_SIDE:
                raise ValueError(
                    f"The organisation logo is {image.width} × {image.height} pixels; "
                    f"at most {MAX_LOGO_SIDE} on a side."
                )
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            picture = image.convert("RGBA" if has_alpha else "RGB")
    except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError("The organisation logo is a damaged PNG image.") from exc
    picture.thumbnail((LOGO_PIXELS, LOGO_PIXELS), Image.Resampling.LANCZOS)
    return ImageReader(picture)


def logo(png: bytes, x: float, y: float, side: float) -> Drawing:
    """The logo scaled into the square (x, y, side), centred, keeping its proportions."""
    reader = logo_image(png)
    width_px, height_px = reader.getSize()
    scale = side / max(width_px, height_px)
    width, height = width_px * scale, height_px * scale

    def draw(canvas: Canvas) -> None:
        canvas.drawImage(
            reader, x + (side - width) / 2, y + (side - height) / 2, width, height, mask="auto"
        )

    return Drawing(draw)


def emblem(x: float, y: float, side: float) -> Drawing:
    """A plain shield with a tick, drawn in vectors, for an organisation without a logo."""

    def draw(canvas: Canvas) -> None:
        canvas.translate(x, y)
        canvas.scale(side, side)
        shield = canvas.beginPath()
        shield.moveTo(0.5, 0.98)
        shield.lineTo(0.88, 0.86)
        shield.lineTo(0.88, 0.5)
        shield.curveTo(0.88, 0.24, 0.7, 0.09, 0.5, 0.02)
        shield.curveTo(0.3, 0.09, 0.12, 0.24, 0.12, 0.5)
        shield.lineTo(0.12, 0.86)
        shield.close()
        canvas.setFillColorRGB(*NAVY)
        canvas.drawPath(shield, stroke=0, fill=1)
        tick = canvas.beginPath()
        tick.moveTo(0.3, 0.5)
        tick.lineTo(0.45, 0.34)
        tick.lineTo(0.72, 0.66)
        canvas.setStrokeColorRGB(1, 1, 1)
        canvas.setLineWidth(0.085)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        canvas.drawPath(tick, stroke=1, fill=0)

    return Drawing(draw)


@dataclass(frozen=True)
class Margins:
    left: float = 20 * MM
    right: float = A4[0] - 20 * MM
    top: float = A4[1] - 12 * MM
    bottom: float = 20 * MM  # above the footer


def mark(text: str, right: float, top: float, style: Style) -> list[Op]:
    """A boxed mark ("Copy 2") with its top right corner at (right, top)."""
    width = style.width(text) + 4 * MM
    height = style.leading + 2 * MM
    return [
        Box(right - width, top - height, width, height, (1.0, 0.96, 0.96), style.color, 1.0),
        Text(right - width + 2 * MM, top - height + 1 * MM + style.leading * 0.28, text, style),
    ]


def footer(left_text: str, right_text: str, style: Style, margins: Margins) -> list[Op]:
    rule_y = margins.bottom - 5 * MM
    baseline = rule_y - style.leading
    return [
        Line(margins.left, rule_y, margins.right, rule_y, 0.5, (0.75, 0.78, 0.82)),
        Text(margins.left, baseline, left_text, style),
        Text(margins.right - style.width(right_text), baseline, right_text, style),
    ]


def watermark(lines: tuple[str, ...]) -> Drawing:
    """Large pale diagonal lines across the page, over the text but not hiding it."""
    width, height = A4
    angle = math.degrees(math.atan2(height, width))
    room = math.hypot(width, height) * 0.72
    measure = metrics(BOLD).width
    size = min(64.0, *(room / max(measure(line, 1.0), 1.0) for line in lines))

    def draw(canvas: Canvas) -> None:
        canvas.translate(width / 2, height / 2)
        canvas.rotate(angle)
        canvas.setFillColorRGB(*RED)
        canvas.setFillAlpha(0.16)
        first = (len(lines) - 1) * size * 0.6
        for index, line in enumerate(lines):
            x = -measure(line, size) / 2
            show_text(canvas, BOLD, size, x, first - index * size * 1.2 - size * 0.35, line)

    return Drawing(draw)
