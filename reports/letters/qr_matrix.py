"""The letter's QR code as rows of modules: segno encodes, the mask is chosen here, faster.

segno encodes the text (error correction M) and picks the data mask the standard asks for:
the one of eight with the lowest penalty (ISO/IEC 18004:2015, 7.8.3).  Its mask search scores
each module in Python and is three quarters of a 13 ms encode, more than the rest of a
letter.  Here segno encodes once with mask 0; the other seven candidates are derived from
that symbol by XOR on whole rows held as integers and scored with bit operations, using
segno's own penalty rules, so the result is the symbol `segno.make` would give, module for
module (the tests compare them).  The per-version layout comes from segno's encoder module;
if a segno release changes it, `qr_rows` falls back to plain `segno.make`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import segno

ERROR = "m"
QUIET_ZONE = 4  # modules of light margin on each side, as the standard requires
# Beyond this a 37 mm symbol has modules under half a millimetre, which a 150 dpi scan of
# the printed letter may no longer resolve (a 260-character code is version 9 or 10).
MAX_VERSION = 12


@dataclass(frozen=True)
class QrRows:
    version: int
    size: int  # modules per side, without the quiet zone
    rows: tuple[int, ...]  # top row first; bit size-1 is the leftmost module, 1 is dark


def qr_rows(text: str) -> QrRows:
    """Encode `text` (ValueError when it does not fit a readable letter-sized symbol)."""
    try:
        code = segno.make(text, error=ERROR, micro=False, boost_error=False, mask=0)
    except segno.DataOverflowError:
        raise ValueError(
            f"The QR text is too long for a QR code ({len(text)} characters)."
        ) from None
    version = int(code.version)
    if version > MAX_VERSION:
        raise ValueError(
            f"The QR text is too long to print readably ({len(text)} characters, "
            f"QR version {version}; at most version {MAX_VERSION})."
        )
    try:
        layout = _layout(version)
    except Exception:  # segno's internal layout helpers moved: its own, slower, search
        return _plain(text)
    return QrRows(version, layout.size, _best_masked(code.matrix, layout))


def _bits(row: bytes | bytearray) -> str:
    return bytes(row).translate(_TO_DIGITS).decode("ascii")


_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _plain(text: str) -> QrRows:
    code = segno.make(text, error=ERROR, micro=False, boost_error=False)
    size = len(code.matrix)
    return QrRows(int(code.version), size, tuple(int(_bits(row), 2) for row in code.matrix))


@dataclass(frozen=True)
class _Layout:
    """One version's symbol with every line packed into one integer, top line first.

    Each line of `size` modules is followed by `_GAP` light bits, so that no run or pattern
    spans two lines and a line's ends read as light, as segno's scoring treats them.
    """

    size: int
    modules: int  # 1 at every module position (0 in the gaps)
    pairs: int  # module positions with a neighbour to the left and one above
    fixed: tuple[int, int]  # dark function modules (format areas still blank): rows, columns
    data: tuple[int, int]  # modules that carry data and so are masked
    masks: tuple[tuple[int, int], ...]  # each mask pattern on the data modules
    row_masks: tuple[tuple[int, ...], ...]  # the same, line by line, for the chosen symbol
    row_formats: tuple[tuple[int, ...], ...]  # format information and dark module, by mask


_GAP = 4


def _pack(lines: Iterable[str]) -> int:
    gap = "0" * _GAP
    return int("".join(line + gap for line in lines), 2)


def _transpose(lines: list[str]) -> list[str]:
    return ["".join(column) for column in zip(*lines, strict=True)]


@functools.lru_cache(maxsize=8)
def _layout(version: int) -> _Layout:
    encoder: Any = importlib.import_module("segno.encoder")
    consts: Any = importlib.import_module("segno.consts")
    size = version * 4 + 17
    # As segno's _encode builds a symbol: 0x2 marks a module still free for data.
    matrix = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(matrix, size, size)
    encoder.add_alignment_patterns(matrix, size, size)
    data = ["".join("1" if v == 2 else "0" for v in row) for row in matrix]
    fixed = ["".join("1" if v == 1 else "0" for v in row) for row in matrix]
    masks: list[tuple[int, int]] = []
    row_masks: list[tuple[int, ...]] = []
    for pattern in encoder.get_data_mask_functions(False):
        lines = [
            "".join("1" if pattern(i, j) and data[i][j] == "1" else "0" for j in range(size))
            for i in range(size)
        ]
        masks.append((_pack(lines), _pack(_transpose(lines))))
        row_masks.append(tuple(int(line, 2) for line in lines))
    row_formats = []
    for mask in range(8):
        blank = tuple(bytearray(size) for _ in range(size))
        encoder.add_format_info(blank, version, consts.ERROR_LEVEL_M, mask)
        row_formats.append(tuple(int(_bits(row), 2) for row in blank))
    all_lines = ["1" * size] * size
    pair_lines = ["0" * size] + ["0" + "1" * (size - 1)] * (size - 1)
    return _Layout(
        size=size,
        modules=_pack(all_lines),
        pairs=_pack(pair_lines),
        fixed=(_pack(fixed), _pack(_transpose(fixed))),
        data=(_pack(data), _pack(_transpose(data))),
        masks=tuple(masks),
        row_masks=tuple(row_masks),
        row_formats=tuple(row_formats),
    )


def _best_masked(matrix: tuple[bytearray, ...], layout: _Layout) -> tuple[int, ...]:
    rows = [_bits(row) for row in matrix]
    columns = _transpose(rows)
    # The symbol segno made with mask 0, unmasked; then each candidate as segno scores it:
    # function patterns, data under the mask, format and version areas still blank.
    plain = (_pack(rows) ^ layout.masks[0][0], _pack(columns) ^ layout.masks[0][1])
    best, best_score = 0, -1
    for number, mask in enumerate(layout.masks):
        candidate = [
            fixed | ((p ^ m) & d)
            for fixed, p, m, d in zip(layout.fixed, plain, mask, layout.data, strict=True)
        ]
        score = _penalty(candidate[0], candidate[1], layout)
        if best_score < 0 or score < best_score:
            best, best_score = number, score
    final = tuple(int(row, 2) for row in rows)
    if best == 0:
        return final
    m0, f0 = layout.row_masks[0], layout.row_formats[0]
    m, f = layout.row_masks[best], layout.row_formats[best]
    return tuple(row ^ a ^ b ^ c ^ d for row, a, b, c, d in zip(final, m0, m, f0, f, strict=True))


def _penalty(rows: int, columns: int, layout: _Layout) -> int:
    """segno's `mask_scores` (N1 + N2 + N3 + N4) of one candidate, on packed lines."""
    size, modules = layout.size, layout.modules
    score = 0
    for lines in (rows, columns):
        # N1: a run of n >= 5 modules of one colour costs n - 2.
        for bits in (lines, lines ^ modules):
            starts = bits & (bits >> 1) & (bits >> 2) & (bits >> 3) & (bits >> 4)
            score += starts.bit_count() + 2 * (starts & ~(starts >> 1)).bit_count()
        score += _finder_like(lines, size * (size + _GAP))
    # N2: a 2x2 block of one colour costs 3.
    same_as_above = (rows ^ (rows >> (size + _GAP))) ^ modules
    same_as_next = (rows ^ (rows >> 1)) ^ modules
    score += 3 * (same_as_above & (same_as_above >> 1) & same_as_next & layout.pairs).bit_count()
    # N4: 10 for every 5 % the dark share strays from half.
    percent = float(rows.bit_count()) / (size**2)
    return score + 10 * int(abs(percent * 100 - 50) / 5)


def _finder_like(lines: int, length: int) -> int:
    """N3 exactly as segno counts it, on packed lines (the first module is the highest bit).

    segno looks for dark-light-dark-dark-dark-light-dark (1011101) from the left of each
    line; a match scores 40 when the 4 modules before or after it are light (or off the
    line: the gaps between lines are light, and no match can span one), and its search
    resumes 7 modules on after a scoring match, 4 after one that does not.  That resuming
    only matters where matches overlap, so it is followed match by match only then.
    """
    dark = lines
    light = lines ^ ((1 << length) - 1)
    starts = (
        dark & (light << 1) & (dark << 2) & (dark << 3) & (dark << 4) & (light << 5) & (dark << 6)
    )
    if not starts:
        return 0
    dark_before = (dark >> 1) | (dark >> 2) | (dark >> 3) | (dark >> 4)
    dark_after = (dark << 7) | (dark << 8) | (dark << 9) | (dark << 10)
    scoring = starts & ~(dark_before & dark_after)
    if not starts & ((starts << 4) | (starts << 6)):
        return 40 * scoring.bit_count()
    count = 0
    allowed = length - 1  # highest bit a match may start at, as the search resumes
    while starts:
        bit = starts.bit_length() - 1
        starts ^= 1 << bit
        if bit > allowed:
            continue
        if (scoring >> bit) & 1:
            count += 40
            allowed = bit - 7
        else:
            allowed = bit - 4
    return count
