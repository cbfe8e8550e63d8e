"""Dates of birth that may be known only to the year or the month.

Refugee paperwork often has "1987" or "03.1987" where a full date should be;
`PartialDate` keeps exactly what is known, and `matches` compares two such
dates without pretending to know more.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from praverka.app.i18n import _

MIN_YEAR = 1900

_FORMATS_HINT = "1987, 03.1987, 14.03.1987, 1987-03 or 1987-03-14"

_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"([0-9]{4})"), ("year",)),
    (re.compile(r"([0-9]{4})-([0-9]{1,2})"), ("year", "month")),
    (re.compile(r"([0-9]{1,2})[./]([0-9]{4})"), ("month", "year")),
    (re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), ("year", "month", "day")),
    (re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})"), ("day", "month", "year")),
)


@dataclass(frozen=True)
class PartialDate:
    """A calendar date of which the month, or the month and day, may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        this_year = dt.date.today().year
        if not MIN_YEAR <= self.year <= this_year:
            raise ValueError(
                _("the year must be between {first} and {last}").format(
                    first=MIN_YEAR, last=this_year
                )
            )
        if self.month is None:
            if self.day is not None:
                raise ValueError(_("a day needs a month"))
            return
        if not 1 <= self.month <= 12:
            raise ValueError(_("the month must be between 1 and 12"))
        if self.day is not None and not 1 <= self.day <= self._days_in_month():
            raise ValueError(
                _("{date} is not a date: that month has {days} days").format(
                    date=f"{self.day:02d}.{self.month:02d}.{self.year:04d}",
                    days=self._days_in_month(),
                )
            )

    def _days_in_month(self) -> int:
        return calendar.monthrange(self.year, self.month or 12)[1]

    def __str__(self) -> str:
        """ISO 8601 with the unknown parts left off: "1987", "1987-03", "1987-03-14"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """The way Belarusian papers write it: "14.03.1987", "03.1987", "1987"."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.insert(0, f"{self.month:02d}")
        if self.day is not None:
            parts.insert(0, f"{self.day:02d}")
        return ".".join(parts)

    def earliest(self) -> dt.date:
        """The first day this date can be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day this date can be."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month, self.day or self._days_in_month())

    def matches(self, other: PartialDate) -> bool:
        """Whether both can be the same day: every part known on both sides is equal.

        PartialDate(1987) matches 1987-03-14 and 1987-04; 1987-03 does not match 1987-04.
        """
        return (
            self.year == other.year
            and (self.month is None or other.month is None or self.month == other.month)
            and (self.day is None or other.day is None or self.day == other.day)
        )

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)


def parse(text: str) -> PartialDate:
    """Read "1987", "1987-03", "03.1987", "1987-03-14" or "14.03.1987".

    Raises ValueError with a message for the person who typed it.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(_("enter a date such as {formats}").format(formats=_FORMATS_HINT))
    for pattern, fields in _PATTERNS:
        found = pattern.fullmatch(cleaned)
        if found:
            values = dict(zip(fields, map(int, found.groups()), strict=True))
            return PartialDate(values["year"], values.get("month"), values.get("day"))
    raise ValueError(
        _("“{text}” is not a date; write it as {formats}").format(
            text=cleaned, formats=_FORMATS_HINT
        )
    )
