"""The words of a letter in one language, and how that language writes dates.

reports/ cannot use the application's gettext catalogue (it sits above this layer), and a
letter's wording is a legal text reviewed as a whole, so each language is one table here:
texts_en.py, texts_uk.py and texts_be.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    code: str  # the language tag written into the PDF: "uk", "be", "en"
    months_genitive: tuple[str, ...]  # "23 November 2026"
    months_nominative: tuple[str, ...]  # "March 1987"
    year_suffix: str  # after a year: " р." in Ukrainian, " г." in Belarusian
    number_sign: str  # before a serial: "No.", "№"
    title: str
    subtitles: Mapping[str, str]  # by purpose code
    opening: str  # {organisation}
    purpose_texts: Mapping[str, str]  # by purpose code
    limitation: str
    validity: str  # {start}, {end}
    supersedes: str  # {serial}
    copy: str  # {number}
    draft: str
    draft_no_qr: str
    screen_view: str
    screen_view_no_qr: str
    section_applicant: str
    section_documents: str
    section_verification: str
    section_signatures: str
    name_native: str
    name_latin: str
    other_names: str
    birth_date: str
    sex: str
    sexes: Mapping[str, str]
    document_columns: tuple[str, str, str, str, str]
    document_kinds: Mapping[str, str]
    seen_as: Mapping[str, str]
    verifications: Mapping[str, str]
    no_documents: str
    documents_examined: str
    documents_examined_value: str  # {count}, {verified}
    references: str
    interview: str
    interview_held: str  # {date}
    interview_not_held: str
    checks: str
    check_names: Mapping[str, str]
    no_checks: str
    roles: Mapping[str, str]
    signature: str
    stamp: str
    qr_serial: str  # {number_sign}, {serial}
    qr_key: str  # {key_id}
    qr_verify: str
    page: str  # {page}, {pages}

    def date(self, day: dt.date) -> str:
        return f"{day.day} {self.months_genitive[day.month - 1]} {day.year}{self.year_suffix}"

    def partial_date(self, text: str) -> str:
        """A birth date as stored ("1987-03-14", "1987-03", "1987") in this language's words."""
        match = _PARTIAL_DATE.fullmatch(text.strip())
        if match is None:
            return text  # whatever was recorded is shown rather than guessed at
        year, month, day = (int(part) if part else 0 for part in match.groups())
        try:
            if day:
                return self.date(dt.date(year, month, day))
            dt.date(year, month or 1, 1)
        except ValueError:
            return text
        if month:
            return f"{self.months_nominative[month - 1]} {year}{self.year_suffix}"
        return f"{year}{self.year_suffix}"


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
