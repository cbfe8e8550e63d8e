"""Transliteration and search keys: every spelling of a name meets, typed prefixes stay prefixes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praverka.app.identity import names_data
from praverka.app.identity.search import search_key, search_prefix
from praverka.app.identity.translit import Lang, to_passport_latin, variants

# Surname, given name, patronymic.  Цiханоўская is typed with a Latin i on purpose.
BE_NAMES = [
    "Францкевіч Алесь Міхайлавіч",
    "Лукашэвіч Андрэй Іванавіч",
    "Шушкевіч Станіслаў Станіслававіч",
    "Цiханоўская Святлана Георгіеўна",
    "Жукаў Яўген Пятровіч",
    "Ягоўдзік Ілья Сяргеевіч",
    "Хадасевіч Наталля Мікалаеўна",
    "Мікалаеў Юрый Аляксандравіч",
    "Дзяменцьеў Аляксей Уладзіміравіч",
    "Юркевіч Вольга Юр'еўна",
    "Кавалёнак Дар'я Андрэеўна",
    "Салаўёва Марыя Васілеўна",
    "Вераб'ёў Цімафей Генадзевіч",
    "Кісялёва Юлія Дзмітрыеўна",
    "Бабрыковіч Аляксандр Фёдаравіч",
    "Шаўчэнка Кацярына Віктараўна",
    "Каліноўскі Кастусь Паўлавіч",
    "Бяляцкі Алесь Віктаравіч",
    "Кузняцова Ірына Леанідаўна",
    "Чарнецкая Людміла Антонаўна",
    "Мацкевіч Мацвей Ігаравіч",
    "Гаўрыловіч Уладзіслаў Яраслававіч",
    "Ярашэвіч Ульяна Міхайлаўна",
    "Шчур Алла Рыгораўна",
    "Пазняк Зянон Станіслававіч",
    "Сцяпанёнак Кірыл Аляксеевіч",
    "Ткачук Любоў Сымонаўна",
    "Вішнеўская Ксенія Эдуардаўна",
    "Дашкевіч Зміцер Мікалаевіч",
    "Навумовіч Таццяна Вадзімаўна",
    "Лябедзева Святлана Валер'еўна",
    "Жылевіч Віталь Аркадзевіч",
    "Чыж Яна Лявонаўна",
    "Сямёнаў Арцём Язэпавіч",
    "Гурыновіч Эвеліна Францішкаўна",
    "Васілёнак Глеб Грыгор'евіч",
    "Іванова-Пятроўская Ганна Іосіфаўна",
]

RU_NAMES = [
    "Францкевич Александр Михайлович",
    "Тихановская Светлана Георгиевна",
    "Лукашенко Александр Григорьевич",
    "Шушкевич Станислав Станиславович",
    "Ходасевич Наталья Николаевна",
    "Воробьёв Фёдор Ильич",
    "Щукин Юрий Дмитриевич",
    "Соловьёва Дарья Сергеевна",
    "Кузнецов Евгений Петрович",
    "Дементьев Алексей Владимирович",
    "Яковлева Ксения Яковлевна",
    "Жуков Игорь Васильевич",
    "Зайцева Юлия Аркадьевна",
    "Шевченко Татьяна Юрьевна",
]

# Belarusian and Russian forms that differ only in letters the keys fold.
SAME_NAME = [
    ("Францкевіч", "Францкевич"),
    ("Шушкевіч", "Шушкевич"),
    ("Юркевіч", "Юркевич"),
    ("Мацкевіч", "Мацкевич"),
    ("Гаўрыловіч", "Гаврилович"),
    ("Цiханоўскі", "Ціханоўскі"),
    ("Ткачук", "Ткачук"),
    ("Шчур", "Щур"),
    ("Фёдар", "Федар"),
]

# Different names, or different forms of one (sex, akanne), keep apart.
DIFFERENT = [
    ("Frantskevich", "Frankevich"),
    ("Іваноў", "Іванова"),
    ("Ціханоўскі", "Ціханоўская"),
    ("Жукаў", "Жуков"),
    ("Шушкевіч", "Лукашэвіч"),
    ("Марына", "Марыя"),
    ("Юрый", "Юлія"),
    ("Каваль", "Кавалёў"),
    ("Мацкевіч", "Міцкевіч"),
    ("Іван", "Ян"),
    ("Лявон", "Лявонаў"),
    ("Алесь", "Алеся"),
]


def spellings(name: str, lang: Lang) -> list[str]:
    return [name, to_passport_latin(name, lang), *variants(name, lang)]


ALL_SPELLINGS = [s for n in BE_NAMES for s in spellings(n, "be")] + [
    s for n in RU_NAMES for s in spellings(n, "ru")
]


# ------------------------------------------------------------- transliteration


@pytest.mark.parametrize(
    ("cyrillic", "lang", "latin"),
    [
        ("Францкевіч Алесь Міхайлавіч", "be", "Frantskevich Ales Mikhailavich"),
        ("Бабрыковіч Аляксандр", "be", "Babrykovich Aliaksandr"),
        ("Міховіч Марыя", "be", "Mikhovich Maryia"),
        ("СВЯТЛАНА", "be", "Sviatlana"),
        ("Ігар", "be", "Ihar"),
        ("Цiханоўская", "be", "Tsikhanouskaia"),
        ("Фёдар Жукаў", "be", "Fiodar Zhukau"),
        ("Іванова-Пятроўская", "be", "Ivanova-Piatrouskaia"),
        ("Дар'я Ілья", "be", "Daria Ilia"),
        ("Щукин  Юрий", "ru", "Shchukin Iurii"),
        ("Фёдор Хохлов", "ru", "Fedor Khokhlov"),
        ("Подъячев", "ru", "Podieiachev"),
        ("Цыганков Игорь", "ru", "Tsygankov Igor"),
    ],
)
def test_passport_spelling(cyrillic: str, lang: Lang, latin: str) -> None:
    assert to_passport_latin(cyrillic, lang) == latin


def test_variants_cover_the_usual_schemes() -> None:
    found = variants("Францкевіч", "be")
    assert "Frantzkewitsch" in found  # German
    assert "Franckiewicz" in found  # Polish
    assert "Franckievič" in found  # Belarusian Latin alphabet
    assert "Frantskevych" in found  # Ukrainian
    assert "Frantskevich" not in found  # the passport spelling itself
    assert len(found) == len(set(found))
    assert variants("Цiханоўская", "be")[:2] == ["Tsikhanouskaya", "Tsikhanowskaya"]
    assert variants("Яўген", "be") == variants("Яўген", "be")  # deterministic
    assert all(v[:1].isupper() and not v[1:].isupper() for v in found)


# ------------------------------------------------------------------ search keys


def test_the_spellings_of_frantskevich_meet() -> None:
    spelt = [
        "Францкевіч",
        "Францкевич",
        "Frantskevich",
        "Frantzkevych",
        "Frantskevych",
        "Francķevič",
        "FRANTSKEVICH",
        "Frantzkewitsch",
        "Franckiewicz",
        "Franckievič",
    ]
    assert {search_key(s) for s in spelt} == {"franckevih"}


@pytest.mark.parametrize("name", BE_NAMES)
def test_belarusian_name_and_all_its_spellings_share_a_key(name: str) -> None:
    keys = {s: search_key(s) for s in spellings(name, "be")}
    assert len(set(keys.values())) == 1, keys


@pytest.mark.parametrize("name", RU_NAMES)
def test_russian_name_and_all_its_spellings_share_a_key(name: str) -> None:
    keys = {s: search_key(s) for s in spellings(name, "ru")}
    assert len(set(keys.values())) == 1, keys


@given(st.sampled_from(names_data.SURNAMES + names_data.MALE_GIVEN + names_data.FEMALE_GIVEN))
def test_every_corpus_name_meets_its_spellings(pair: tuple[str, str]) -> None:
    be, ru = pair
    forms: list[tuple[str, Lang]] = [(be, "be"), (ru, "ru")]
    for name, lang in forms:
        assert {search_key(s) for s in spellings(name, lang)} == {search_key(name)}


@pytest.mark.parametrize(("be", "ru"), SAME_NAME)
def test_belarusian_and_russian_forms_that_differ_only_in_spelling_meet(be: str, ru: str) -> None:
    assert search_key(be) == search_key(ru)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert search_key(one) != search_key(other)


def test_key_shape() -> None:
    assert search_key("  Францкевіч   Алесь\tМіхайлавіч ") == "franckevih ales mihailavih"
    assert search_key("Іванова-Пятроўская") == search_key("Ivanova Piatrouskaia")
    assert search_key("") == search_key("  -  ") == ""
    assert search_key("Дар’я") == search_key("Дар'я") == search_key("Darja")


@given(st.text(alphabet="абвгдеёжзійклмнопрстуўфхцчшщъыьэюяАБВГДЕЁЖЗІЙКЛМНОПРСТУЎЦЧШЫЭЮЯ '-"))
def test_key_is_lower_ascii_words(text: str) -> None:
    key = search_key(text)
    assert key.isascii() and key == key.lower()
    assert key == " ".join(key.split())


@given(st.lists(st.sampled_from(ALL_SPELLINGS), min_size=1, max_size=4))
def test_key_is_word_by_word(parts: list[str]) -> None:
    assert search_key(" ".join(parts)) == " ".join(search_key(p) for p in parts)


# --------------------------------------------------------------------- prefixes


@pytest.mark.parametrize("spelling", ALL_SPELLINGS)
def test_every_prefix_of_every_spelling_finds_the_name(spelling: str) -> None:
    key = search_key(spelling)
    for end in range(len(spelling) + 1):
        typed = spelling[:end]
        assert key.startswith(search_prefix(typed)), (typed, search_prefix(typed), key)


def test_prefix_of_one_spelling_finds_the_key_of_the_cyrillic() -> None:
    key = search_key("Францкевіч Алесь Міхайлавіч")
    for typed in ("Frant", "Frants", "Frantz", "Францк", "frantzkevych", "Franckiewicz A", "F"):
        assert key.startswith(search_prefix(typed)), typed
    assert search_prefix("Frant") == "fran"
    assert search_prefix("Frantskevich") == "franckevih"
    assert search_prefix("Frants") == "fran"  # Frantschuk (Франчук) is still possible
    assert not search_key("Frankevich").startswith(search_prefix("Frantsk"))
    assert search_prefix("") == ""


LATIN_TYPED = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCKSTZ čšžćśźżńłŭĺëéķ'-",
    max_size=24,
)
CYRILLIC_TYPED = st.text(
    alphabet="абвгдеёжзійклмнопрстуўфхцчшщъыьэюяАЕЁІЦЧШЎЯ '-",
    max_size=24,
)


@settings(max_examples=400)
@given(st.one_of(LATIN_TYPED, CYRILLIC_TYPED), st.data())
def test_prefix_of_any_text_is_a_prefix_of_its_key(text: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert search_key(text).startswith(search_prefix(text[:end]))
