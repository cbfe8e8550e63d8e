"""Attestation letters against their floor: a plain ReportLab page with the same text and font.

The floor draws every line the letter draws, at the same place, in the same DejaVu fonts
(registered afresh as plain ReportLab TrueType fonts), with one `drawString` each: no QR
code, no layout, no letterhead drawing.  Each letter carries its own QR text, as issued
letters do, so no code is drawn from a cache.  Letter and floor are timed in turn, so that
on a shared machine both meet the same load.

`python -m bench.letter_bench` prints the figures on their own.
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from bench import harness
from bench.harness import Timing
from praverka.reports.letters import LetterContent, render_letter
from praverka.reports.letters.fonts import BOLD, FONT_DIR, REGULAR
from praverka.reports.letters.placed_texts import PlacedText, placed_texts
from praverka.reports.letters.sample import random_qr_text, sample_content

BATCH = 1_000
SHAPES = (
    ("uk", "legalisation"),
    ("be", "bank_account"),
    ("en", "border_crossing"),
    ("uk+en", "other"),
)
_FLOOR_FONTS = {REGULAR: "FloorDejaVuSans", BOLD: "FloorDejaVuSans-Bold"}
_FLOOR_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


def _letters(seed: int) -> Iterator[LetterContent]:
    """Letters of every language and purpose in turn, each with its own code."""
    rng = random.Random(seed)
    number = 0
    while True:
        language, purpose = SHAPES[number % len(SHAPES)]
        number += 1
        yield replace(
            sample_content(language, purpose),
            serial=f"PRV-2026-{number:06d}",
            qr_text=random_qr_text(rng, rng.randint(200, 260)),
        )


def _register_floor_fonts() -> None:
    """Plain ReportLab fonts from the same files.  ReportLab's registry hands out the first
    font registered for a face name, so each gets a face name of its own: otherwise the
    floor would draw with the letter's fonts (and their cache), or the reverse."""
    for name, floor_name in _FLOOR_FONTS.items():
        if floor_name not in pdfmetrics.getRegisteredFontNames():
            plain = TTFont(floor_name, str(FONT_DIR / _FLOOR_FILES[name]))
            plain.face.name = floor_name.encode("ascii")
            pdfmetrics.registerFont(plain)


def _plain_page(lines: list[PlacedText]) -> bytes:
    """The floor: the same lines of text drawn straight on a canvas."""
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, initialFontName=_FLOOR_FONTS[REGULAR], invariant=1, pageCompression=1
    )
    page = 1
    for line in lines:
        if line.page != page:
            canvas.showPage()
            page = line.page
        canvas.setFont(_FLOOR_FONTS[line.font], line.size)
        canvas.drawString(line.x, line.y, line.text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _paired(
    letter: Callable[[], object], floor: Callable[[], object], *, repeat: int, warmup: int
) -> tuple[Timing, Timing]:
    """Both timed in turn, run by run, so that both see the same load on a shared machine."""
    for _ in range(warmup):
        letter()
        floor()
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, times in zip((letter, floor), runs, strict=True):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    letter_runs, floor_runs = runs
    return (
        Timing(min(letter_runs), statistics.median(letter_runs), repeat),
        Timing(min(floor_runs), statistics.median(floor_runs), repeat),
    )


def _batch(
    letters: list[LetterContent], lines: list[list[PlacedText]], chunk: int = 50
) -> tuple[Timing, Timing]:
    """All the letters and all the floor pages, alternating in chunks; each total is the
    figure, as one run of each."""
    totals = [0.0, 0.0]
    for first in range(0, len(letters), chunk):
        start = time.perf_counter()
        for content in letters[first : first + chunk]:
            render_letter(content)
        middle = time.perf_counter()
        for page in lines[first : first + chunk]:
            _plain_page(page)
        totals[0] += middle - start
        totals[1] += time.perf_counter() - middle
    return Timing(totals[0], totals[0], 1), Timing(totals[1], totals[1], 1)


def run() -> list[tuple[str, Timing, Timing, str]]:
    _register_floor_fonts()
    letters = _letters(seed=2026)
    singles = [next(letters) for _ in range(80)]
    batch = [next(letters) for _ in range(BATCH)]
    single_lines = [placed_texts(content) for content in singles]
    batch_lines = [placed_texts(content) for content in batch]
    position = 0

    def letter_one() -> None:
        render_letter(singles[position % len(singles)])

    def floor_one() -> None:
        nonlocal position
        _plain_page(single_lines[position % len(single_lines)])
        position += 1

    one, one_floor = _paired(letter_one, floor_one, repeat=60, warmup=10)
    many, many_floor = _batch(batch, batch_lines)
    floor_is = "same lines, same DejaVu TTFs, drawString on a bare canvas, no QR"
    return [
        ("letter PDF with QR, one", one, one_floor, floor_is),
        (f"letter PDFs with QR, {BATCH:,}", many, many_floor, floor_is),
    ]


def main() -> int:
    print(harness.columns())
    for row in run():
        print(harness.line(*row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
