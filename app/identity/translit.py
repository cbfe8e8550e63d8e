"""Latin spellings of Belarusian and Russian names, and Belarusian <-> Russian respelling.

`to_passport_latin` gives the spelling a passport prints; `variants` the other
spellings the same name turns up in (older passports, English-language
reference works, German and Polish papers, Łacinka, Ukrainian documents).  The
search keys in `search.py` fold all of them together, so every table here must
stay within what that folding understands; the tests check it name by name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Literal

from praverka.app.identity import names_data

Lang = Literal["be", "ru"]

_VOWELS = frozenset("аеёиіоуыэюяєї")
# After these an iotated vowel (е ё ю я) starts with its own [j] sound.
_SOFT_BEFORE = _VOWELS | frozenset("ьъ'ўй")
_HUSHING = frozenset("жшчщц")

_APOSTROPHES = str.maketrans(dict.fromkeys("’ʼ`´ʹ‘", "'"))

# Letters that look alike in both scripts, mistyped with the wrong keyboard layout.
_LATIN_LOOKALIKES = "aceiopxyACEHIKMOPTXYB"
_CYRILLIC_LOOKALIKES = "асеіорхуАСЕНІКМОРТХУВ"
_TO_CYRILLIC = str.maketrans(_LATIN_LOOKALIKES, _CYRILLIC_LOOKALIKES)
_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES, _LATIN_LOOKALIKES)

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|')*")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def normalize_script(text: str) -> str:
    """NFC, one apostrophe character, and each word in a single script.

    A word that mixes Cyrillic and Latin letters (Цiханоўская typed with a
    Latin i) gets its look-alike letters moved into the script most of the
    word is in; ties go to Cyrillic, the script the names are recorded in.
    """
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        cyrillic = sum(1 for ch in word if _is_cyrillic(ch))
        latin = sum(1 for ch in word if ch.isascii() and ch.isalpha())
        if not cyrillic or not latin:
            return word
        return word.translate(_TO_CYRILLIC if cyrillic >= latin else _TO_LATIN)

    return _WORD.sub(fix, text)


# ------------------------------------------------------------ letter tables
#
# Every scheme is a function (word, index, lang) -> Latin text for one letter
# of a lower-case word.  Context is read from the neighbouring letters only.

# What _prev and _next give at the edge of a word: a character that is in none
# of the letter sets below, where "" would be found in every string.
_EDGE = " "


def _prev(word: str, i: int) -> str:
    return word[i - 1] if i > 0 else _EDGE


def _next(word: str, i: int) -> str:
    return word[i + 1] if i + 1 < len(word) else _EDGE


def _soft_start(word: str, i: int) -> bool:
    """Whether an iotated vowel at `i` is pronounced with [j] in front."""
    return i == 0 or word[i - 1] in _SOFT_BEFORE


# ICAO Doc 9303 Part 3 (7th edition, 2015), section 6, transliteration of
# Cyrillic in the visual inspection zone.  For Belarusian names the same table
# is applied with the Belarusian letter values Г -> H, Ё -> IO, Ў -> U, І -> I,
# which is what current Belarusian passports print: the passport instruction
# of the Ministry of Internal Affairs (resolution No. 200 of 28 June 2010)
# writes Г as H, giving for example "Babrykovich Aliaksandr", "Mikhovich
# Maryia", "Ihar".  Russian keeps Г -> G and Ё -> E.
_ICAO: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ie", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "",
}  # fmt: skip


def _icao(word: str, i: int, lang: Lang) -> str:
    ch = word[i]
    if lang == "be":
        if ch == "г":
            return "h"
        if ch == "ё":
            return "io"
    return _ICAO.get(ch, ch)


def _passport_y(word: str, i: int, lang: Lang) -> str:
    """The passport table with Y- forms: Yauhen, Yuliya, Tsikhanouskaya, Dzmitry, Yury.

    Many Belarusian passports and residence papers carry these: an iotated
    vowel at the start of a word or after a vowel is written with Y, and the
    й of a final -ый/-ій is left out.
    """
    ch = word[i]
    if ch in "яюё" and _soft_start(word, i):
        return {"я": "ya", "ю": "yu", "ё": "yo"}[ch]
    if ch == "й" and i == len(word) - 1 and _prev(word, i) in "ыіи":
        return ""
    return _icao(word, i, lang)


# BGN/PCGN romanization: Russian (1947) and Belarusian (1979) tables, with the
# soft and hard signs left out as name spellings usually do.
def _bgn(word: str, i: int, lang: Lang) -> str:
    ch = word[i]
    if ch == "е":
        return "ye" if _soft_start(word, i) else "e"
    if ch == "ё":
        return "yë" if _soft_start(word, i) else "ë"
    special = {
        "ю": "yu", "я": "ya", "й": "y", "ы": "y", "ь": "", "ъ": "", "э": "e", "є": "ye",
        "ї": "yi", "ў": "w",
    }  # fmt: skip
    return special[ch] if ch in special else _icao(word, i, lang)


# German transcription after Duden, with "tz" for Ц as older German papers have
# it (Duden's plain "z" would collide with the З of every other scheme).
def _german(word: str, i: int, lang: Lang) -> str:
    ch, prev, nxt = word[i], _prev(word, i), _next(word, i)
    if ch == "к":
        return "x" if nxt == "с" else "k"
    if ch == "с":
        if prev == "к":
            return ""
        return "ss" if prev in _VOWELS and nxt in _VOWELS else "s"
    if ch == "е":
        return "je" if _soft_start(word, i) else "e"
    if ch == "й":
        return "" if nxt == _EDGE and prev in "иыі" else "j"
    if ch == "г":
        return "h" if lang == "be" else "g"
    table = {
        "в": "w", "ж": "sch", "з": "s", "х": "ch", "ц": "tz", "ч": "tsch", "ш": "sch",
        "щ": "schtsch", "ё": "jo", "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "ъ": "",
        "ь": "", "'": "", "ы": "y", "э": "e", "ў": "u",
    }  # fmt: skip
    return table.get(ch, _icao(word, i, lang))


# Polish transcription (as in Polish papers and press): w, cz, sz, ż, ch, c,
# j, "ie" after consonants, ł for the hard Л, and no i after a soft л
# (Alaksandr, Natalla).  Лё is kept as "lio": the "lo" of the Polish rule
# could not be told from ло by the search keys.
def _polish(word: str, i: int, lang: Lang) -> str:
    ch, prev, nxt = word[i], _prev(word, i), _next(word, i)
    soft = _soft_start(word, i)
    if ch == "л":
        return "l" if nxt in "еёюяіиь'" else "ł"
    if ch in "еє":
        if soft:
            return "je"
        return "e" if prev == "л" or prev in _HUSHING else "ie"
    if ch in "юяё":
        vowel = {"ю": "u", "я": "a", "ё": "o"}[ch]
        if soft:
            return "j" + vowel
        return vowel if prev == "л" and ch != "ё" else "i" + vowel
    if ch in "зсцн" and nxt == "ь":
        return {"з": "ź", "с": "ś", "ц": "ć", "н": "ń"}[ch]
    if ch == "и":
        return "y" if prev in "жшц" else "i"
    if ch == "г":
        return "h" if lang == "be" else "g"
    table = {
        "в": "w", "ж": "ż", "з": "z", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz",
        "щ": "szcz", "й": "j", "ы": "y", "ь": "", "ъ": "", "'": "", "э": "e", "ў": "u",
        "ї": "ji",
    }  # fmt: skip
    return table.get(ch, _icao(word, i, lang))


# The Belarusian national Latin alphabet of the instruction on transliterating
# Belarusian geographical names (2000, revised 2007 and 2023): č š ž, c for Ц,
# ch for Х, j for Й, ŭ for Ў, ie/ia/io/iu after consonants, je/ja/jo/ju after
# vowels, and an acute for the soft sign (ś ź ć ń ĺ).
def _lacinka(word: str, i: int, lang: Lang) -> str:
    ch, prev, nxt = word[i], _prev(word, i), _next(word, i)
    if ch in "еєёюя":
        vowel = {"е": "e", "є": "e", "ё": "o", "ю": "u", "я": "a"}[ch]
        if _soft_start(word, i):
            return "j" + vowel
        return vowel if ch == "е" and prev in _HUSHING else "i" + vowel
    if ch in "злнсц" and nxt == "ь":
        return {"з": "ź", "л": "ĺ", "н": "ń", "с": "ś", "ц": "ć"}[ch]
    if ch == "г":
        return "h" if lang == "be" else "g"
    table = {
        "ж": "ž", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "й": "j", "ы": "y",
        "ь": "", "ъ": "", "'": "", "э": "e", "ў": "ŭ", "ї": "ji",
    }  # fmt: skip
    return table.get(ch, _icao(word, i, lang))


# Ukrainian national transliteration (Cabinet of Ministers resolution No. 55 of
# 27 January 2010): И -> Y, Г -> H, Y- forms only at the start of a word.  The
# Belarusian and Russian letters it lacks take their nearest Ukrainian value,
# and a Belarusian -іч is written -ych, as the Ukrainian form of the name has -ич.
def _ukrainian(word: str, i: int, lang: Lang) -> str:
    ch, nxt = word[i], _next(word, i)
    start = i == 0
    if ch in "єїйюяё":
        if start:
            return {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya", "ё": "yo"}[ch]
        return {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia", "ё": "io"}[ch]
    if ch == "і" and nxt == "ч" and i + 2 == len(word) and lang == "be":
        return "y"
    if ch == "и" and start:
        return "i"  # the Ukrainian forms of these names start with І: Іван, Ігор
    table = {"и": "y", "г": "h", "ы": "y", "э": "e", "ъ": "", "ь": "", "'": "", "ў": "u"}
    return table.get(ch, _icao(word, i, lang))


Scheme = Callable[[str, int, Lang], str]


def _transliterate(text: str, lang: Lang, scheme: Scheme) -> str:
    text = normalize_script(text)
    if lang == "ru":
        # Russian papers mostly write Ё as Е, and ICAO does the same.
        text = text.replace("ё", "е").replace("Ё", "Е")
    parts: list[str] = []
    for token in re.split(r"([^\w']+)", " ".join(text.split())):
        if not token or not any(ch.isalpha() for ch in token):
            parts.append(token)
            continue
        word = token.lower()
        latin = "".join(scheme(word, i, lang) for i in range(len(word)))
        parts.append(latin[:1].upper() + latin[1:])
    return "".join(parts)


def to_passport_latin(text: str, lang: Lang) -> str:
    """The passport (ICAO Doc 9303) Latin spelling, in title case: "Frantskevich Ales"."""
    return _transliterate(text, lang, _icao)


def variants(text: str, lang: Lang) -> list[str]:
    """Other Latin spellings of the same name, most official first, without the passport one.

    Order: passport with Y- forms (Belarusian only), BGN/PCGN, German, Polish,
    Belarusian Latin alphabet, Ukrainian.  Duplicates are dropped.
    """
    schemes: list[Scheme] = [_bgn, _german, _polish, _lacinka, _ukrainian]
    if lang == "be":
        schemes.insert(0, _passport_y)
    seen = {to_passport_latin(text, lang)}
    result: list[str] = []
    for scheme in schemes:
        spelling = _transliterate(text, lang, scheme)
        if spelling not in seen:
            seen.add(spelling)
            result.append(spelling)
    return result


def key_latin(text: str) -> str:
    """Lower-case Latin used by the search keys: the passport table, language-blind.

    Г becomes h and Ё io whatever the language; the search keys treat g and h,
    and io and e, as the same, so Belarusian and Russian spellings still meet.
    Only looks back, never ahead, so a prefix of the text gives a prefix here.
    """
    text = normalize_script(text).lower()
    return "".join(_icao(text, i, "be") if _is_cyrillic(ch) else ch for i, ch in enumerate(text))


# ------------------------------------------------ Belarusian <-> Russian Cyrillic


def _name_pairs() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for be, ru in names_data.SURNAMES:
        pairs.append((be, ru))
        pairs.append((names_data.surname_for("F", be), names_data.ru_surname_for("F", ru)))
    for be, ru in names_data.MALE_GIVEN:
        pairs.append((be, ru))
        for sex in ("M", "F"):
            pairs.append((names_data.patronymic_be(be, sex), names_data.patronymic_ru(ru, sex)))
    pairs.extend(names_data.FEMALE_GIVEN)
    return [(be.lower(), ru.lower()) for be, ru in pairs]


_BE_TO_RU: dict[str, str] = {}
_RU_TO_BE: dict[str, str] = {}
for _be, _ru in _name_pairs():
    # The first pair wins, so Дзмітрый (listed before Зміцер) is the Belarusian Дмитрий.
    _BE_TO_RU.setdefault(_be, _ru)
    _RU_TO_BE.setdefault(_ru, _be)

_SOFT_VOWELS = "еёіюяи"
_BE_RU_ENDINGS: tuple[tuple[str, str], ...] = (
    ("авич", "ович"),
    ("авна", "овна"),
    ("ски", "ский"),
    ("цки", "цкий"),
    ("зки", "зкий"),
    ("ёнак", "ёнок"),
    ("енак", "енок"),
)
_RU_BE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("скій", "скі"),
    ("цкій", "цкі"),
    ("зкій", "зкі"),
    ("кій", "кі"),
    ("ый", "ы"),
    ("оўна", "аўна"),
    ("ёнок", "ёнак"),
    ("енок", "енак"),
    ("ко", "ка"),
)


def _match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _respell(text: str, convert: Callable[[str], str]) -> str:
    text = normalize_script(text)
    return _WORD.sub(lambda m: _match_case(m.group(0), convert(m.group(0).lower())), text)


def _be_to_ru_word(word: str) -> str:
    if word in _BE_TO_RU:
        return _BE_TO_RU[word]
    out: list[str] = []
    i = 0
    while i < len(word):
        ch, prev, nxt = word[i], _prev(word, i), _next(word, i)
        after = _next(word, i + 1)
        if ch == "д" and nxt == "з" and (after in _SOFT_VOWELS + "ь" or after == "д"):
            out.append("д")  # дзеканне: Дзяніс ~ Денис
            i += 2
            continue
        if ch == nxt and after in "еёюяі" and ch in "лнсзц":
            # A doubled consonant before a soft vowel is Russian consonant + ь:
            # Наталля ~ Наталья, Таццяна ~ Татьяна.
            out.append(("т" if ch == "ц" else ch) + "ь")
            i += 2
            continue
        if ch == "і":
            out.append("и")
        elif ch == "ў":
            out.append("в")
        elif ch == "'":
            out.append("ь")
        elif ch == "э":
            out.append("э" if i == 0 or prev in _VOWELS else "е")
        elif ch == "ы" and (prev in "жшч" or (prev == "р" and i > 1)):
            out.append("и")  # Ірына ~ Ирина, but Рыжы ~ Рыжий
        elif ch == "ц" and (nxt in _SOFT_VOWELS or nxt == "ь"):
            out.append("т")  # цеканне: Ціхан ~ Тихон
        elif (
            ch == "я"
            and 0 < i < len(word) - 1
            and prev not in _SOFT_BEFORE
            and (i < 2 or prev != word[i - 2])  # not after a doubled consonant: Таццяна
        ):
            # яканне: an unstressed я after a consonant is a Russian е (Сяргей ~
            # Сергей, Святлана ~ Светлана).  A stressed one stays я (Ляхоўскі);
            # only the table knows the stress.
            out.append("е")
        else:
            out.append(ch)
        i += 1
    result = "".join(out)
    if word.endswith("аў") and not word.endswith("слаў"):
        return result[:-2] + "ов"
    if word.endswith("ава") and not word.endswith("слава") and len(word) > 4:
        return result[:-3] + "ова"
    if word.endswith("ы") and len(word) > 3 and word[-2] not in _VOWELS:
        return result + "й"
    for old, new in _BE_RU_ENDINGS:
        if result.endswith(old) and len(result) > len(old) + 1:
            return result[: -len(old)] + new
    if result.endswith("ка") and len(result) >= 6:
        return result[:-2] + "ко"  # surnames: Лукашэнка ~ Лукашенко, Цвірка ~ Цвирко
    return result


def _ru_to_be_word(word: str) -> str:
    if word in _RU_TO_BE:
        return _RU_TO_BE[word]
    out: list[str] = []
    for i, ch in enumerate(word):
        prev, nxt = _prev(word, i), _next(word, i)
        if ch == "и":
            out.append("ы" if prev in "жшчцр" else "і")
        elif ch == "щ":
            out.append("шч")
        elif ch == "ъ":
            out.append("'")
        elif ch == "ь":
            if prev == "р":
                out.append("'" if nxt in "еёюяи" else "")
            elif prev not in "жшчв":  # Belarusian has no ь after these (Салаўёў)
                out.append("ь")
        elif ch == "е" and prev in "жшчцр":
            out.append("э")
        elif ch == "ё" and prev in "жшчщ":
            out.append("о")
        elif ch == "т" and (nxt in "еёиюяь"):
            out.append("ц")
        elif ch == "д" and (nxt in "еёиюяь"):
            out.append("дз")
        elif ch == "в" and i > 0 and prev in _VOWELS and nxt not in _VOWELS:
            out.append("ў")
        else:
            out.append(ch)
    result = "".join(out)
    for old, new in _RU_BE_ENDINGS:
        if result.endswith(old) and len(result) > len(old) + 2:
            return result[: -len(old)] + new
    return result


def be_to_ru(text: str) -> str:
    """A plausible Russian spelling of a Belarusian name: Францкевіч -> Францкевич.

    Known names come from `names_data`; anything else is respelt letter by
    letter (і->и, ў->в, э->е, '->ь, дзе->де, це->те, Наталля->Наталья) and by
    the regular endings (-авіч->-ович, -аў->-ов, -скі->-ский, and -ка->-ко in
    words of six letters or more, which are surnames rather than given names).
    An я after a consonant becomes е, as it is in most names (Сцяпан ~ Степан).
    Unstressed а for о (akanne) cannot be undone without knowing the stress:
    an unlisted Барысевіч becomes Барисевич, not Борисевич.
    """
    return _respell(text, _be_to_ru_word)


def ru_to_be(text: str) -> str:
    """A plausible Belarusian spelling of a Russian name: Тихановская -> Ціханоўская.

    Known names come from `names_data`; otherwise и->і/ы, щ->шч, е->э after
    hard consonants, т/д before soft vowels -> ц/дз, в->ў after a vowel, and
    the endings -ский->-скі, -ко->-ка, -овна->-аўна.  Unstressed о stays о
    (an unlisted Воронов becomes Вороноў, not Варонаў), and an unlisted -ович
    becomes -овіч, which is right for stressed surnames only; the patronymics
    of the listed given names come from the table (Михайлович -> Міхайлавіч).
    """
    return _respell(text, _ru_to_be_word)
