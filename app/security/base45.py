"""Base45 (RFC 9285): bytes as text made only of the QR code's alphanumeric characters.

A QR code stores its 45 "alphanumeric" characters (``0-9 A-Z``, space and
``$%*+-./:``) at 5.5 bits each, against 8 bits for a byte, so binary data
written in Base45 takes about the same room in a QR code as the raw bytes
would, yet survives every scanner app that hands the code over as text.

The encoding, as the RFC defines it:

- Each pair of bytes ``[a, b]`` is the number ``n = a * 256 + b`` and is written
  as three characters ``c, d, e`` with ``n = c + d * 45 + e * 45 * 45``
  (least significant digit first).
- A last, unpaired byte ``a`` is written as two characters ``c, d`` with
  ``a = c + d * 45``.
- The digit values are the positions in ``ALPHABET`` below.

Decoding refuses (``ValueError``) a character outside the alphabet, a length
that leaves one character over (length % 3 == 1), and a group whose number
does not fit its bytes (above 65535 for three characters, 255 for two): RFC
9285 section 6 requires all three to be treated as errors.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUES = {char: value for value, char in enumerate(ALPHABET)}


def encode(data: bytes) -> str:
    chars: list[str] = []
    for start in range(0, len(data) - 1, 2):
        number = data[start] * 256 + data[start + 1]
        e, rest = divmod(number, 45 * 45)
        d, c = divmod(rest, 45)
        chars += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        chars += (ALPHABET[c], ALPHABET[d])
    return "".join(chars)


def decode(text: str) -> bytes:
    if len(text) % 3 == 1:
        raise ValueError("Base45 text has a length that no byte string encodes to.")
    try:
        values = [_VALUES[char] for char in text]
    except KeyError as error:
        raise ValueError(f"Base45 text holds a character outside its alphabet: {error}.") from None
    out = bytearray()
    for start in range(0, len(values), 3):
        group = values[start : start + 3]
        number = sum(value * 45**power for power, value in enumerate(group))
        if len(group) == 3:
            if number > 0xFFFF:
                raise ValueError("Base45 text holds a group too large for two bytes.")
            out += number.to_bytes(2, "big")
        else:
            if number > 0xFF:
                raise ValueError("Base45 text ends with a group too large for one byte.")
            out.append(number)
    return bytes(out)
