"""Names in alphabetical order, by a plain comparison of stored keys.

The queue sorts 100,000 cases by a stored key, compared byte by byte on both
databases (SQLite's BINARY, PostgreSQL's "C" collation), so the same order
comes out of either and an index serves it.  Compared raw, Cyrillic would sort
by code point: Belarusian І (U+0406) and Ў (U+040E) before А (U+0410), Ё
before А, capitals before small letters.  `sort_key` rewrites a name so that
the plain comparison gives dictionary order instead:

* case is ignored (casefold);
* Cyrillic letters take the places of one merged alphabet of Belarusian,
  Russian and Ukrainian, а б в г ґ д е ё є ж з и і ї й к л м н о п р с т у ў
  ф х ц ч ш щ ъ ы ь э ю я, written as private-use characters (U+E000 on),
  which sort after every Latin letter, as Cyrillic does in Unicode;
* Latin letters lose their accents (Ž files with Z, Ł with L);
* apostrophes (Дар'я, Вас’ковіч) are left out, as dictionaries do.

The key is never shown; the name beside it is.  Changing the rules means a
migration that recomputes the stored keys (see 0007).
"""

from __future__ import annotations

import unicodedata

CYRILLIC_ALPHABET = "абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюя"
_FIRST_PLACE = 0xE000
_PLACES = {letter: chr(_FIRST_PLACE + i) for i, letter in enumerate(CYRILLIC_ALPHABET)}
_APOSTROPHES = frozenset("'\u2019\u02bc`")
# Latin letters that do not decompose into a base letter and an accent.
_LATIN_FOLDS = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"}


def sort_key(name: str) -> str:
    """A key whose plain (code point or byte) order is the names' alphabetical order."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", name).casefold():
        if char in _APOSTROPHES:
            continue
        place = _PLACES.get(char)
        if place is not None:
            out.append(place)
        elif char in _LATIN_FOLDS:
            out.append(_LATIN_FOLDS[char])
        elif "a" <= char <= "z" or not char.isalpha():
            out.append(char)
        else:
            out.append(_without_accents(char))
    return "".join(out)


def _without_accents(char: str) -> str:
    # Й and Ў decompose too, but they are in the alphabet above and never get here.
    base = unicodedata.normalize("NFD", char)
    kept = "".join(c for c in base if not unicodedata.combining(c))
    return "".join(_PLACES.get(c, c) for c in kept) or char
