"""Names for demo applicants and references, in every spelling a case records.

All transliteration and search-key work is done once per name part when the
pool is built; a person is then put together from ready parts.  That relies
on search keys being word by word (the key of "A B C" is the keys of A, B and
C joined by spaces), which the search module documents and the demo tests
check on every generated name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from praverka.app.identity import names_data
from praverka.app.identity.search import search_key
from praverka.app.identity.translit import to_passport_latin, variants

# Share of passports whose Latin follows the Russian form (older passports, or
# papers issued in Russian): Aleksandr rather than Aliaksandr.
RUSSIAN_LATIN_SHARE = 0.25
OTHER_SPELLING_SHARE = 0.3
RUSSIAN_FIRST_SHARE = 0.3
SEXES: tuple[names_data.Sex, ...] = ("M", "F")


@dataclass(frozen=True)
class _Part:
    """One name part (a surname in one gender form, a given name, a patronymic)."""

    be: str
    ru: str
    be_key: str
    ru_key: str
    latin_be: tuple[str, str]  # passport spelling from the Belarusian form, and its key
    latin_ru: tuple[str, str]
    others: tuple[tuple[str, str], ...]  # other Latin spellings, with their keys


def _part(be: str, ru: str) -> _Part:
    latin_be = to_passport_latin(be, "be")
    latin_ru = to_passport_latin(ru, "ru")
    others = tuple(
        (spelling, search_key(spelling))
        for spelling in dict.fromkeys(variants(be, "be") + variants(ru, "ru"))
        if spelling not in (latin_be, latin_ru)
    )
    return _Part(
        be=be,
        ru=ru,
        be_key=search_key(be),
        ru_key=search_key(ru),
        latin_be=(latin_be, search_key(latin_be)),
        latin_ru=(latin_ru, search_key(latin_ru)),
        others=others,
    )


NameRow = tuple[str, str, str, str, str]  # script, surname, given names, patronymic, search key


@dataclass(frozen=True)
class Person:
    sex: str
    names: tuple[NameRow, ...]
    latin_surname: str
    latin_given: str
    family: int  # which surname: relatives carry it too, in the form for their sex


def _weights(rnd: random.Random, count: int) -> tuple[int, ...]:
    """Indexes 0..count-1, some several times: some names are more common than others."""
    table: list[int] = []
    for index in range(count):
        table.extend([index] * rnd.choice((1, 1, 1, 2, 2, 3, 5, 8)))
    return tuple(table)


def _weighted(rnd: random.Random, parts: list[_Part]) -> tuple[_Part, ...]:
    return tuple(parts[index] for index in _weights(rnd, len(parts)))


class NamePool:
    """Name parts for one seed; picking from it is a few table look-ups."""

    def __init__(self, seed: int) -> None:
        rnd = random.Random(f"names-{seed}")
        male = [_part(be, ru) for be, ru in names_data.MALE_GIVEN]
        female = [_part(be, ru) for be, ru in names_data.FEMALE_GIVEN]
        self._given: dict[str, tuple[_Part, ...]] = {
            "M": _weighted(rnd, male),
            "F": _weighted(rnd, female),
        }
        self._patronymic: dict[str, tuple[_Part, ...]] = {
            sex: _weighted(
                rnd,
                [
                    _part(names_data.patronymic_be(be, sex), names_data.patronymic_ru(ru, sex))
                    for be, ru in names_data.MALE_GIVEN
                ],
            )
            for sex in SEXES
        }
        # One list per sex in the same order, so a family's surname has both forms.
        self._surname: dict[str, list[_Part]] = {
            sex: [
                _part(names_data.surname_for(sex, be), names_data.ru_surname_for(sex, ru))
                for be, ru in names_data.SURNAMES
            ]
            for sex in SEXES
        }
        self._families = _weights(rnd, len(names_data.SURNAMES))

    def person(self, rnd: random.Random, sex: str) -> Person:
        """A new applicant's name in Belarusian, Russian, passport Latin and maybe one more."""
        given, patronymics, families = self._given[sex], self._patronymic[sex], self._families
        g = given[int(rnd.random() * len(given))]
        family = families[int(rnd.random() * len(families))]
        s = self._surname[sex][family]
        p = patronymics[int(rnd.random() * len(patronymics))]
        be: NameRow = ("be", s.be, g.be, p.be, f"{s.be_key} {g.be_key} {p.be_key}")
        ru: NameRow = ("ru", s.ru, g.ru, p.ru, f"{s.ru_key} {g.ru_key} {p.ru_key}")
        russian_latin = rnd.random() < RUSSIAN_LATIN_SHARE
        (ls, ls_key), (lg, lg_key) = (
            (s.latin_ru, g.latin_ru) if russian_latin else (s.latin_be, g.latin_be)
        )
        # Belarusian passports print the patronymic in Cyrillic only.
        rows = [ru, be] if rnd.random() < RUSSIAN_FIRST_SHARE else [be, ru]
        rows.append(("latin_passport", ls, lg, "", f"{ls_key} {lg_key}"))
        if rnd.random() < OTHER_SPELLING_SHARE and (s.others or g.others):
            pick = rnd.randrange(12)
            os_, os_key = s.others[pick % len(s.others)] if s.others else (ls, ls_key)
            og, og_key = g.others[pick % len(g.others)] if g.others else (lg, lg_key)
            rows.append(("other", os_, og, "", f"{os_key} {og_key}"))
        return Person(sex, tuple(rows), ls, lg, family)

    def reference_name(self, rnd: random.Random, sex: str = "", relative: int = -1) -> str:
        """Someone who vouches, written the way the officer noted it down.

        `sex` "" is either; `relative` is the family (`Person.family`) of a
        relative, whose surname they share, or -1.
        """
        sex = sex or ("F" if rnd.random() < 0.55 else "M")
        given = self._given[sex]
        g = given[int(rnd.random() * len(given))]
        if relative < 0:
            relative = self._families[int(rnd.random() * len(self._families))]
        s = self._surname[sex][relative]
        style = rnd.random()
        if style < 0.45:
            return f"{g.be} {s.be}"
        if style < 0.65:
            return f"{g.ru} {s.ru}"
        return f"{g.latin_be[0]} {s.latin_be[0]}"
