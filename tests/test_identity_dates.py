"""Partial dates: parsing, validation, display, bounds and matching."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from praverka.app.identity.dates import PartialDate, parse

THIS_YEAR = dt.date.today().year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1987", PartialDate(1987)),
        ("1987-03", PartialDate(1987, 3)),
        ("03.1987", PartialDate(1987, 3)),
        ("1987-03-14", PartialDate(1987, 3, 14)),
        ("14.03.1987", PartialDate(1987, 3, 14)),
        ("  14.3.1987 ", PartialDate(1987, 3, 14)),
        ("3/1987", PartialDate(1987, 3)),
        ("29.02.2000", PartialDate(2000, 2, 29)),
    ],
)
def test_parse_accepts_the_usual_forms(text: str, expected: PartialDate) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a date"),
        ("   ", "enter a date"),
        ("14 March 1987", "is not a date; write it as 1987, 03.1987"),
        ("87", "is not a date"),
        ("1987-3-14-1", "is not a date"),
        ("1987/03/14", "is not a date"),
        ("١٩٨٧", "is not a date"),
        ("13.1987", "the month must be between 1 and 12"),
        ("1987-00", "the month must be between 1 and 12"),
        ("31.02.1987", "31.02.1987 is not a date: that month has 28 days"),
        ("29.02.1900", "that month has 28 days"),
        ("00.03.1987", "is not a date"),
        ("1899", "the year must be between 1900 and"),
        (str(THIS_YEAR + 1), f"between 1900 and {THIS_YEAR}"),
    ],
)
def test_parse_explains_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_day_needs_a_month() -> None:
    with pytest.raises(ValueError, match="a day needs a month"):
        PartialDate(1987, None, 14)


def test_is_frozen() -> None:
    date = PartialDate(1987, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        date.year = 1988  # type: ignore[misc]


@pytest.mark.parametrize(
    ("date", "iso", "shown"),
    [
        (PartialDate(1987), "1987", "1987"),
        (PartialDate(1987, 3), "1987-03", "03.1987"),
        (PartialDate(1987, 3, 14), "1987-03-14", "14.03.1987"),
    ],
)
def test_iso_and_display(date: PartialDate, iso: str, shown: str) -> None:
    assert str(date) == iso
    assert date.display() == shown
    assert parse(iso) == date
    assert parse(shown) == date


def test_bounds() -> None:
    assert PartialDate(1987).earliest() == dt.date(1987, 1, 1)
    assert PartialDate(1987).latest() == dt.date(1987, 12, 31)
    assert PartialDate(2000, 2).latest() == dt.date(2000, 2, 29)
    assert PartialDate(1987, 2).latest() == dt.date(1987, 2, 28)
    assert PartialDate(1987, 3, 14).earliest() == PartialDate(1987, 3, 14).latest()


def test_matches() -> None:
    full = PartialDate(1987, 3, 14)
    assert PartialDate(1987).matches(full) and full.matches(PartialDate(1987))
    assert PartialDate(1987, 3).matches(full)
    assert PartialDate(1987).matches(PartialDate(1987, 4))
    assert not PartialDate(1987, 4).matches(full)
    assert not PartialDate(1987, 3, 15).matches(full)
    assert not PartialDate(1988).matches(full)
    assert full.matches(full)


def test_from_date() -> None:
    assert PartialDate.from_date(dt.date(1987, 3, 14)) == PartialDate(1987, 3, 14)


partial_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(THIS_YEAR, 1, 1)).flatmap(
    lambda d: st.sampled_from(
        [PartialDate(d.year), PartialDate(d.year, d.month), PartialDate.from_date(d)]
    )
)


@given(partial_dates)
def test_round_trips(date: PartialDate) -> None:
    assert parse(str(date)) == date
    assert parse(date.display()) == date
    assert date.earliest() <= date.latest()


@given(partial_dates, partial_dates)
def test_matching_is_overlap(one: PartialDate, other: PartialDate) -> None:
    overlap = one.earliest() <= other.latest() and other.earliest() <= one.latest()
    assert one.matches(other) == overlap == other.matches(one)
