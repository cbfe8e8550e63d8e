"""Spelling-insensitive search keys for names.

`search_key` folds a name in any spelling, Belarusian or Russian Cyrillic, the
passport's Latin, BGN/PCGN, German, Polish, Łacinka or Ukrainian-style Latin,
with or without diacritics, to one lower-case ASCII key; `search_prefix` turns
what has been typed so far into a prefix for `LIKE 'prefix%'` on those keys.

How a spelling becomes a key:

1. Cyrillic is written out with the passport table (`translit.key_latin`);
   diacritics are taken off (č š ž -> ch sh zh, ŝ -> shch, ł -> l, the rest by
   Unicode decomposition) and apostrophes and soft signs disappear.
2. Letter clusters, longest first, become one symbol each:

   =========================================  ======  ===================
   spellings                                  symbol  Cyrillic
   =========================================  ======  ===================
   ts tz, c ć (Polish, Łacinka)               c       ц
   kh ch h g, tsch cz č                       h       х, ч, г
   s z ś ź, sh sch sz š, zh ž ż               s       с, з, ш, ж
   i y j ı                                    i       і, и, ы, й
   v w ŭ, u after a/e/o, not before a/e/o/u   v       в, ў
   x                                          ks      кс
   q                                          k       к
   =========================================  ======  ===================

   and every other letter stands for itself.
3. A run of one symbol counts once (Natallia = Natalia, Wassil = Vasil).
4. The glide of the iotated vowels is dropped where the schemes disagree on
   it: before e (Franckievič, Yelena, Jewgeni = Frantskevich, Elena, Evgeni),
   after l (Alaksandr = Aliaksandr, Lubow = Liubou), and io/yo/jo/ë become e
   (Fiodar = Fëdar = Fedar: Russian papers write Ё as Е, Belarusian ones as
   IO).  Ia and iu elsewhere keep the i: Sviatlana, Iuryi.

What this costs, on purpose, to find every spelling: ч, х and г share a
symbol because "ch" is ч in English and х in German and Polish; с, з, ш and ж
share one because German writes з as s and both ш and ж as sch; g and h share
one so Belarusian Г (H) meets Russian Г (G).  Names that differ only there
(Жук and Шук) get one key; the officer sees both and chooses.

What still tells names apart: every other consonant, including the ts of
Frantskevich against Frankevich, and the vowels a, e, i, o, u.  So the forms of
one name that differ by akanne (Жукаў and Жуков, Сяргей and Сергей) or by sex
(Іваноў and Іванова, Ціханоўскі and Ціханоўская) keep different keys: they are
different spellings of a record, not different transliterations, and a
masculine -оў/-аў/-ін surname is a prefix of its feminine form anyway.  The
Russian hard sign (ICAO IE, BGN nothing) and German Z for Ц are not folded.
"""

from __future__ import annotations

import re
import unicodedata

from praverka.app.identity.translit import key_latin

_SPECIAL: dict[str, str] = {
    "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ł": "l", "ß": "ss", "ø": "o", "đ": "d", "ı": "i",
    "æ": "ae", "œ": "oe", '"': "",
}  # fmt: skip

# Letter clusters and the letters that change, to their symbol.  The regular
# expression tries the clusters longest first: tsch before ts, sch before sh.
_CLUSTERS: dict[str, str] = {
    "tsch": "h", "sch": "s", "ts": "c", "tz": "c", "zh": "s", "sh": "s", "kh": "h",
    "ch": "h", "cz": "h",
}  # fmt: skip
_SYMBOL: dict[str, str] = _CLUSTERS | {
    "g": "h", "j": "i", "q": "k", "w": "v", "x": "ks", "y": "i", "z": "s",
}  # fmt: skip
_TOKEN = re.compile("|".join(sorted(_CLUSTERS, key=len, reverse=True)) + "|.")

# Ў: ICAO writes U, BGN W, Łacinka Ŭ.  A u closing a syllable after a/e/o is
# read as ў, which is what it nearly always is in these names.
_CLOSING_U = re.compile(r"(?<=[aeo])u(?![aeou])")
_REPEAT = re.compile(r"(.)\1+")
_I_GLIDE = re.compile(r"i(?=e)")
_LI_GLIDE = re.compile(r"(?<=l)i(?=[au])")

# Continuations standing for every other: the rules look one symbol ahead and
# only ask whether it is a, e, o, u, i or anything else ("b"), and clusters can
# swallow a typed t, s, c, k or z only through h, s, z, c, ch or sch.
_PROBES: tuple[str, ...] = ("", "a", "e", "o", "u", "i", "b", "h", "s", "z", "c", "ch", "sch")


def _ascii(text: str) -> str:
    """Lower-case ASCII letters, digits and spaces, from Latin with any diacritics."""
    out: list[str] = []
    for ch in text:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch == "'":
            continue
        elif ch.isascii():
            out.append(ch if ch.isalnum() else " ")
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii())
            if base.isalnum():
                out.append(base.lower())
            elif not (ch.isalpha() or unicodedata.combining(ch)):
                out.append(" ")
            # Letters of other scripts and stray accents are dropped.
    return "".join(out)


def _fold_word(word: str) -> str:
    # Steps 2 to 4 of the module docstring, on one word of ASCII Latin.
    s = "".join(_SYMBOL.get(t, t) for t in _TOKEN.findall(word))
    s = _REPEAT.sub(r"\1", _CLOSING_U.sub("v", s))
    s = _LI_GLIDE.sub("", _I_GLIDE.sub("", s.replace("io", "e")))
    return _REPEAT.sub(r"\1", s)


def _fold(latin: str) -> str:
    return " ".join(key for key in map(_fold_word, latin.split()) if key)


def _common_prefix(keys: list[str]) -> str:
    first, last = min(keys), max(keys)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def search_key(text: str) -> str:
    """The key of a name in any spelling; words joined by single spaces.

    search_key("Францкевіч") == search_key("FRANTSKEVICH") == search_key("Franckievič")

    Each word is folded on its own, so the key of "A B" is the key of A, a
    space, and the key of B (for parts that have a key): keys of name parts
    may be computed once and joined.  Hyphens separate words like spaces.
    """
    return _fold(_ascii(key_latin(text)))


def search_prefix(typed: str) -> str:
    """A prefix of `search_key(full)` for every `full` that has a spelling starting with `typed`.

    The last letters typed may still change their symbol (a t may become ts,
    a u become ў, an i vanish before e), so the key is cut back to what every
    continuation agrees on: "Frant" gives "fran".
    """
    latin = _ascii(key_latin(typed))
    words = latin.split()
    if not words or latin[-1] == " ":
        return _fold(latin)  # a word ended by a space can no longer change
    done = _fold(" ".join(words[:-1]))
    last = _common_prefix([_fold_word(words[-1] + probe) for probe in _PROBES])
    return f"{done} {last}" if done else last
