"""The shipped DejaVu fonts: registered once per process, measured fast, embedded cheaply.

Every letter embeds a subset of each font.  Subsetting and compressing a TrueType font is
most of the cost of a small PDF, so the subset is made the same for every letter (a fixed
repertoire of characters is assigned first) and its compressed parts are kept.
"""

from __future__ import annotations

import functools
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import rl_config  # type: ignore[import-untyped]
from reportlab.lib.rl_accel import fp_str  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfdoc, pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import (  # type: ignore[import-untyped]
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

# Assigned to codes before any text, in this order, so that every letter in these languages
# embeds the same subset: Ukrainian, Belarusian and Russian Cyrillic, the Latin letters of
# Belarusian, Polish and Lithuanian spellings of names, and the typographic punctuation used.
REPERTOIRE = (
    "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя"
    "ЁёЄєІіЇїҐґЎў"
    "ČčĆćŠšŚśŽžŹźŁłŃńŬŭŻżĄąĘęÓóÉéÜüÖöÄäĖėŪū"
    "«»„“”‘’ʼ—–…№·•"
)

_lock = threading.Lock()
_fonts: dict[str, _EmbeddedFont] = {}


def register() -> None:
    """Load and register the fonts once per process; later calls return at once.

    The letter draws with these font objects directly, not through ReportLab's registry:
    the registry hands out whichever font of a face name came first, and another DejaVu
    Sans registered earlier in the process would otherwise stand in for ours.
    """
    if _fonts:
        return
    with _lock:
        if _fonts:
            return
        # Streams are only deflated, not also ASCII85-armoured: smaller and faster, and every
        # PDF this process writes is one of ours.
        rl_config.useA85 = 0
        loaded = {name: _EmbeddedFont(name, FONT_DIR / file) for name, file in _FILES.items()}
        for embedded in loaded.values():
            pdfmetrics.registerFont(embedded)  # the names exist for the canvas's initial font
        _fonts.update(loaded)


def font(name: str) -> _EmbeddedFont:
    register()
    return _fonts[name]


def seed(canvas: Any) -> None:
    """Assign the repertoire's codes in `canvas`'s document before it draws any text."""
    document = canvas._doc
    for name in _FILES:
        font(name).splitString(REPERTOIRE, document)


def show_text(canvas: Any, name: str, size: float, x: float, y: float, text: str) -> None:
    """Draw `text` with its baseline starting at (x, y): real text, searchable and copyable.

    What `canvas.drawString` writes, without the per-line work a letter does not need
    (shaping, measuring, formatting numbers in Python): the font's own subset encoding, here
    looked up in one `str.translate` for the characters every letter has (`seed`), shown as
    a hexadecimal string.
    """
    embedded = _fonts[name]
    document = canvas._doc
    try:
        pieces: list[tuple[int, bytes]] = [(0, text.translate(_codes(embedded)).encode("latin-1"))]
    except UnicodeEncodeError:  # a character outside the repertoire: ReportLab assigns it
        pieces = embedded.splitString(text, document)
    parts = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm"]
    for subset, data in pieces:
        parts.append(
            f"{embedded.getSubsetInternalName(subset, document)} {size:g} Tf <{data.hex()}> Tj"
        )
    parts.append("ET")
    canvas.addLiteral(" ".join(parts))


@functools.cache
def _codes(font: Any) -> dict[int, str]:
    """The codes `seed` gives the repertoire in subset 0 of every document, as a translation
    table; any other character becomes one that latin-1 cannot encode."""
    scratch = _Scratch()
    if any(subset != 0 for subset, _ in font.splitString(REPERTOIRE, scratch)):
        raise RuntimeError("The font repertoire does not fit in one subset.")
    assignments = font.state.pop(scratch).assignments
    table = {code: "\uffff" for code in range(256)}
    table.update({code: chr(number) for code, number in assignments.items() if number < 256})
    table[0xA0] = table[0x20]  # ReportLab prints a no-break space as a space
    return table


class _Scratch:
    """A stand-in document, only to ask the font which codes the repertoire gets."""


class _EmbeddedFont(TTFont):  # type: ignore[misc]
    """A TrueType font whose subsets, once made, are reused by every later document."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path), asciiReadable=True)

    def addObjects(self, doc: Any) -> None:
        """ReportLab's TTFont.addObjects, with each subset's font file, widths and Unicode
        map made and deflated once per process instead of once per document."""
        state = self._assignState(doc)
        state.frozen = 1
        basic_fonts = doc.idToObject["BasicFonts"].dict
        for number, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(number, doc)[1:]
            parts = _subset_parts(self, number, tuple(subset))
            font_file = pdfdoc.PDFStream(content=parts.font_file)
            font_file.dictionary["Length1"] = parts.font_file_length
            # A stream that names its Filter is written as it is, not compressed again.
            font_file.dictionary["Filter"] = _FLATE
            face = self.face
            descriptor = pdfdoc.PDFDictionary(
                {
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                    "FontBBox": pdfdoc.PDFArray(face.bbox),
                    "FontName": pdfdoc.PDFName(parts.base_name),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    "FontFile2": doc.Reference(
                        font_file, f"fontFile:{face.filename}({parts.base_name})"
                    ),
                    "MissingWidth": face.defaultWidth,
                }
            )
            to_unicode = pdfdoc.PDFStream(content=parts.to_unicode)
            to_unicode.dictionary["Filter"] = _FLATE
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.Name = internal_name
            pdf_font.BaseFont = parts.base_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = _Formatted(parts.widths)
            pdf_font.ToUnicode = doc.Reference(to_unicode, "toUnicodeCMap:" + parts.base_name)
            pdf_font.FontDescriptor = doc.Reference(descriptor, "fontDescriptor:" + parts.base_name)
            doc.Reference(pdf_font, internal_name)
            basic_fonts[internal_name] = pdf_font
        del self.state[doc]


_FLATE = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])


class _Formatted(pdfdoc.PDFObject):  # type: ignore[misc]
    """A PDF value already written out."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


@dataclass(frozen=True)
class _SubsetParts:
    base_name: str
    widths: bytes
    to_unicode: bytes  # deflated
    font_file: bytes  # deflated
    font_file_length: int


@functools.lru_cache(maxsize=32)
def _subset_parts(font: _EmbeddedFont, number: int, subset: tuple[int, ...]) -> _SubsetParts:
    face = font.face
    base_name = b"".join((SUBSETN(number), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
    widths = f"[{fp_str(*map(face.getCharWidth, subset))}]".encode("ascii")
    cmap = makeToUnicodeCMap(base_name, list(subset)).encode("latin-1")
    font_file = face.makeSubset(list(subset))
    return _SubsetParts(
        base_name, widths, zlib.compress(cmap), zlib.compress(font_file), len(font_file)
    )


class Metrics:
    """Advance widths of one font, in points at a given size, with a cache of words."""

    def __init__(self, name: str) -> None:
        face = font(name).face
        self.name = name
        self._widths: dict[int, float] = dict(face.charWidths)
        self._default = float(face.defaultWidth)
        self._words: dict[str, float] = {}

    def width(self, text: str, size: float) -> float:
        units = self._words.get(text)
        if units is None:
            widths, default = self._widths, self._default
            units = sum([widths.get(code, default) for code in map(ord, text)])
            if len(self._words) > 50_000:  # letters repeat their words; names do not
                self._words.clear()
            self._words[text] = units
        return units * size / 1000.0


@functools.cache
def metrics(name: str) -> Metrics:
    return Metrics(name)
