"""Name corpora, patronymics, feminine surnames, and Belarusian <-> Russian respelling."""

from __future__ import annotations

import pytest

from praverka.app.identity import names_data
from praverka.app.identity.names_data import (
    patronymic_be,
    patronymic_ru,
    ru_surname_for,
    surname_for,
)
from praverka.app.identity.translit import be_to_ru, ru_to_be


def test_corpus_sizes_and_shape() -> None:
    assert len(names_data.MALE_GIVEN) >= 60
    assert len(names_data.FEMALE_GIVEN) >= 60
    assert len(names_data.SURNAMES) >= 150
    for corpus in (names_data.MALE_GIVEN, names_data.FEMALE_GIVEN, names_data.SURNAMES):
        assert len({be for be, _ in corpus}) == len(corpus), "a Belarusian form is listed twice"
        for be, ru in corpus:
            assert be[:1].isupper() and ru[:1].isupper()
            assert not set(be.lower()) & set("ищъ"), be  # letters Belarusian does not have
            assert not set(ru.lower()) & set("іў'"), ru  # letters Russian does not have


def test_corpus_has_the_typical_surname_endings() -> None:
    surnames = [be for be, _ in names_data.SURNAMES]
    for ending in ("віч", "скі", "цкі", "ка", "ёнак", "ук", "еня", "ені", "аў", "оў", "ін"):
        assert sum(s.endswith(ending) for s in surnames) >= 2, ending


@pytest.mark.parametrize(
    ("father", "male", "female"),
    [
        ("Міхаіл", "Міхайлавіч", "Міхайлаўна"),
        ("Іван", "Іванавіч", "Іванаўна"),
        ("Аляксандр", "Аляксандравіч", "Аляксандраўна"),
        ("Сяргей", "Сяргеевіч", "Сяргееўна"),
        ("Мікалай", "Мікалаевіч", "Мікалаеўна"),
        ("Юрый", "Юр'евіч", "Юр'еўна"),
        ("Валерый", "Валер'евіч", "Валер'еўна"),
        ("Дзмітрый", "Дзмітрыевіч", "Дзмітрыеўна"),
        ("Георгій", "Георгіевіч", "Георгіеўна"),
        ("Васіль", "Васілевіч", "Васілеўна"),
        ("Генадзь", "Генадзевіч", "Генадзеўна"),
        ("Станіслаў", "Станіслававіч", "Станіславаўна"),
        ("Пётр", "Пятровіч", "Пятроўна"),
        ("Павел", "Паўлавіч", "Паўлаўна"),
        ("Ілья", "Ільіч", "Ільінічна"),
        ("Мікіта", "Мікітавіч", "Мікітаўна"),
    ],
)
def test_belarusian_patronymics(father: str, male: str, female: str) -> None:
    assert patronymic_be(father, "M") == male
    assert patronymic_be(father, "F") == female
    assert patronymic_be(father, "X") == male


@pytest.mark.parametrize(
    ("father", "male", "female"),
    [
        ("Михаил", "Михайлович", "Михайловна"),
        ("Иван", "Иванович", "Ивановна"),
        ("Сергей", "Сергеевич", "Сергеевна"),
        ("Николай", "Николаевич", "Николаевна"),
        ("Юрий", "Юрьевич", "Юрьевна"),
        ("Василий", "Васильевич", "Васильевна"),
        ("Геннадий", "Геннадьевич", "Геннадьевна"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
        ("Георгий", "Георгиевич", "Георгиевна"),
        ("Игорь", "Игоревич", "Игоревна"),
        ("Пётр", "Петрович", "Петровна"),
        ("Павел", "Павлович", "Павловна"),
        ("Илья", "Ильич", "Ильинична"),
        ("Никита", "Никитич", "Никитична"),
        ("Тадеуш", "Тадеушевич", "Тадеушевна"),
    ],
)
def test_russian_patronymics(father: str, male: str, female: str) -> None:
    assert patronymic_ru(father, "M") == male
    assert patronymic_ru(father, "F") == female


@pytest.mark.parametrize(
    ("male", "female"),
    [
        ("Ціханоўскі", "Ціханоўская"),
        ("Бяляцкі", "Бяляцкая"),
        ("Жукаў", "Жукава"),
        ("Іваноў", "Іванова"),
        ("Мікалаеў", "Мікалаева"),
        ("Салаўёў", "Салаўёва"),
        ("Ільін", "Ільіна"),
        ("Чорны", "Чорная"),
        ("Францкевіч", "Францкевіч"),
        ("Лукашэнка", "Лукашэнка"),
        ("Кавалёнак", "Кавалёнак"),
        ("Кавальчук", "Кавальчук"),
        ("Ягоўдзік", "Ягоўдзік"),
        ("Юрэня", "Юрэня"),
        ("Сасені", "Сасені"),
    ],
)
def test_feminine_belarusian_surnames(male: str, female: str) -> None:
    assert surname_for("F", male) == female
    assert surname_for("M", male) == male
    assert surname_for("X", male) == male


@pytest.mark.parametrize(
    ("male", "female"),
    [
        ("Тихановский", "Тихановская"),
        ("Беляцкий", "Беляцкая"),
        ("Жуков", "Жукова"),
        ("Соловьёв", "Соловьёва"),
        ("Николаев", "Николаева"),
        ("Ильин", "Ильина"),
        ("Чёрный", "Чёрная"),
        ("Рыжий", "Рыжая"),
        ("Францкевич", "Францкевич"),
        ("Лукашенко", "Лукашенко"),
    ],
)
def test_feminine_russian_surnames(male: str, female: str) -> None:
    assert ru_surname_for("F", male) == female
    assert ru_surname_for("M", male) == male


@pytest.mark.parametrize(
    ("be", "ru"),
    [
        ("Францкевіч Алесь Міхайлавіч", "Францкевич Алесь Михайлович"),
        ("Цiханоўская Святлана", "Тихановская Светлана"),
        ("Лукашэнка", "Лукашенко"),
        ("Жукава", "Жукова"),
        ("Таццяна Юр'еўна", "Татьяна Юрьевна"),
        ("ШУШКЕВІЧ", "ШУШКЕВИЧ"),
        ("Іванова-Пятроўская", "Иванова-Петровская"),
    ],
)
def test_be_to_ru(be: str, ru: str) -> None:
    assert be_to_ru(be) == ru


@pytest.mark.parametrize(
    ("be", "ru"),
    [
        ("Барысевіч", "Барисевич"),  # akanne is not undone: Борисевич needs the table
        ("Цярэшка", "Терешко"),  # цеканне and яканне are: ця -> те; -ка -> -ко
        ("Ляўчук", "Левчук"),
        ("Гарэля", "Гареля"),  # a final я stays
        ("Дзенісевіч", "Денисевич"),  # and дзеканне: дзе -> де
        ("Краўчанка", "Кравчанко"),  # ча for че is not undone
        ("Кравец", "Кравец"),
        ("Рыбак Янка", "Рыбак Янка"),  # a given name keeps -ка
    ],
)
def test_be_to_ru_unknown_names(be: str, ru: str) -> None:
    assert be_to_ru(be) == ru


@pytest.mark.parametrize(
    ("ru", "be"),
    [
        ("Тихановская Светлана", "Ціханоўская Святлана"),
        ("Лукашенко Александр Григорьевич", "Лукашэнка Аляксандр Грыгор'евіч"),
        ("Михайловна", "Міхайлаўна"),
        ("Наталья", "Наталля"),
        ("Кравченко", "Краўчэнка"),  # unlisted: е after р/ч -> э, в -> ў, -ко -> -ка
        ("Тимошевский", "Цімошэўскі"),  # т -> ц before и, -ский -> -скі; о stays
        ("Щёкина", "Шчокіна"),
        ("Дарьин", "Дар'ін"),
        ("Ипатов", "Іпатоў"),
        ("Дементьев", "Дзяменцьеў"),  # listed
        ("Деменков", "Дземенкоў"),  # unlisted: яканне is not guessed
        ("Соловцов", "Солоўцоў"),  # nor akanne
    ],
)
def test_ru_to_be(ru: str, be: str) -> None:
    assert ru_to_be(ru) == be


LISTED = names_data.SURNAMES + names_data.MALE_GIVEN + names_data.FEMALE_GIVEN


@pytest.mark.parametrize(("be", "ru"), LISTED)
def test_listed_names_respell_both_ways(be: str, ru: str) -> None:
    assert be_to_ru(be) == ru
    # Several Belarusian forms share one Russian name (Дзмітрый and Зміцер are
    # both Дмитрий); the Russian one goes back to the first listed.
    assert ru_to_be(ru) == next(b for b, r in LISTED if r == ru)
