"""Where the attestation letter draws each line of text, without drawing it.

For tests of the layout, and for the benchmark's floor, which draws the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from praverka.reports.letters import fonts
from praverka.reports.letters.content import LetterContent, check_content
from praverka.reports.letters.layout import Text
from praverka.reports.letters.letter import _Letter


@dataclass(frozen=True)
class PlacedText:
    page: int
    x: float
    y: float  # baseline
    text: str
    font: str
    size: float
    width: float


def placed_texts(content: LetterContent) -> list[PlacedText]:
    """Every line of text the letter draws, where it draws it (pages counted from 1): for
    tests of the layout, and for the benchmark's floor, which draws the same lines."""
    check_content(content)
    fonts.register()
    letter = _Letter(content)
    placed = []
    count = len(letter.flow.pages)
    for number, ops in enumerate(letter.flow.pages, start=1):
        for op in (*letter.decorate(number, count), *ops):
            if isinstance(op, Text):
                style = op.style
                width = style.width(op.text)
                placed.append(
                    PlacedText(number, op.x, op.y, op.text, style.font, style.size, width)
                )
    return placed
