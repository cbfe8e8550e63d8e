"""A demo case's documents, references, contact attempts, checklist marks and screening hits.

Rows are lists in the column order of `COLUMNS`, not dicts: a demo batch has
about a hundred thousand of them, and lists cost a fraction of dicts to build
and to hand to executemany.  Times are office time (see `at`) until the row is made.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from praverka.app import demo_text as t

Row = list[Any]

COLUMNS: dict[str, tuple[str, ...]] = {
    "applicants": (
        "id", "birth_year", "birth_month", "birth_day", "sex", "citizenship", "phone", "email",
        "address", "created_at",
    ),
    "applicant_names": (
        "id", "applicant_id", "position", "script", "surname", "given_names", "patronymic",
        "search_key",
    ),
    "cases": (
        "id", "number", "applicant_id", "status", "priority", "assigned_officer_id", "preparer_id",
        "checklist_template_id", "created_at", "updated_at", "updated_by_id", "status_changed_at",
        "version", "applicant_sort_key", "purposes_sort_key",
    ),
    "case_purposes": ("case_id", "purpose"),
    "documents": (
        "id", "case_id", "kind", "number", "issuing_country", "issuing_authority", "issue_date",
        "expiry_date", "seen_as", "verification", "note", "created_at",
    ),
    "case_references": (
        "id", "case_id", "name", "relationship", "contact", "years_known", "confirmed",
        "linked_applicant_id", "note", "created_at",
    ),
    "contact_attempts": ("id", "reference_id", "at", "by_user_id", "channel", "outcome", "note"),
    "transitions": ("id", "case_id", "from_status", "to_status", "actor_id", "at", "comment"),
    "comments": ("id", "case_id", "author_id", "kind", "body", "created_at"),
    "screening_hits": (
        "id", "case_id", "kind", "status", "matched_applicant_id", "description", "score",
        "created_at", "resolved_by_id", "resolved_at", "resolution_note",
    ),
    "case_checklist_items": (
        "id", "case_id", "item_code", "satisfied", "evidence", "satisfied_by_id", "satisfied_at",
        "waived", "waive_reason", "waived_by_id", "waived_at",
    ),
}  # fmt: skip
# Insert order: parents before children, for the foreign keys.
TABLES = tuple(COLUMNS)
ID_TABLES = tuple(name for name in TABLES if name != "case_purposes")

DAY = 86_400.0
HOUR = 3_600.0
# Times are drawn in office time: seconds counted over working days only, so
# that every call, tick and decision falls between 08:00 and 19:00 in Kyiv,
# Warsaw or Vilnius (06:00 to 17:00 UTC), however the durations add up.
WORKDAY = 11 * HOUR
OPENS = 6 * HOUR
_from_posix = partial(dt.datetime.fromtimestamp, tz=dt.UTC)


def at(office: float) -> dt.datetime:
    """The moment `office` seconds of office time after the epoch's first opening."""
    days, into = divmod(office, WORKDAY)
    return _from_posix(days * DAY + OPENS + into)


def office_time(moment: dt.datetime) -> float:
    """The office time of a moment; outside office hours, that of the last closing or opening."""
    days, into = divmod(moment.timestamp(), DAY)
    return days * WORKDAY + min(max(into - OPENS, 0.0), WORKDAY)


def table(*weighted: tuple[Any, int]) -> tuple[Any, ...]:
    """A lookup table: picking a uniform index gives each value its weight in percent."""
    return tuple(value for value, weight in weighted for _ in range(weight))


IDENTITY_KINDS = table(("passport", 85), ("national_id", 10), ("residence_permit", 5))
OTHER_KINDS = table(
    ("birth_certificate", 30), ("driving_licence", 20), ("military_id", 15), ("national_id", 10),
    ("residence_permit", 10), ("bank_statement", 10), ("other", 5),
)  # fmt: skip
PASSPORT_SEEN = table(("original", 50), ("copy", 15), ("lost", 22), ("stolen", 13))
OTHER_SEEN = table(("original", 60), ("copy", 25), ("lost", 10), ("stolen", 5))
EXTRA_DOCUMENTS = table((0, 45), (1, 35), (2, 20))
REFS_COMPLETE = table((2, 50), (3, 35), (4, 15))
REFS_OPEN = table((1, 30), (2, 35), (3, 25), (4, 10))
FAILED_CALLS = table((0, 60), (1, 30), (2, 10))
OPEN_CALLS = table((0, 35), (1, 45), (2, 20))
OPEN_OUTCOMES = table(("no_answer", 55), ("call_back", 25), ("wrong_contact", 10), ("denied", 10))
HOSTS = table(*((country, weight) for country, weight, _ in t.HOST_COUNTRIES))
CITIES = {country: cities for country, _, cities in t.HOST_COUNTRIES}


@dataclass(frozen=True)
class Staff:
    """Who the generated work is attributed to: (user id, user name) pairs."""

    officers: tuple[tuple[int, str], ...]
    supervisors: tuple[tuple[int, str], ...]


def unchanged(value: dt.datetime) -> Any:
    return value


class RecordRows:
    """Row lists, id counters and the random helpers the case generator builds on.

    `stamp` turns a moment into what its timestamp columns store (the
    database's text for SQLite): done once per moment, however many rows
    carry it, rather than once per value by a pass over the rows.
    """

    def __init__(
        self,
        rnd: random.Random,
        staff: Staff,
        next_ids: dict[str, int],
        stamp: Callable[[dt.datetime], Any] = unchanged,
    ) -> None:
        self.rnd = rnd
        self._random = rnd.random
        self._stamp = stamp
        self.staff = staff
        self.ids = dict(next_ids)
        self.rows: dict[str, list[Row]] = {name: [] for name in TABLES}

    def _id(self, name: str) -> int:
        value = self.ids[name]
        self.ids[name] = value + 1
        return value

    def _pick(self, values: Sequence[Any]) -> Any:
        return values[int(self._random() * len(values))]

    def _below(self, low: int, high: int) -> int:
        """An integer from `low` up to but not including `high` (randrange, cheaper)."""
        return low + int(self._random() * (high - low))

    def _moment(self, ts: float) -> Any:
        """Office time as a timestamp column stores it."""
        return self._stamp(at(ts))

    # ------------------------------------------------------------- documents

    def documents(
        self,
        case_id: int,
        created: float,
        year: int,
        person: tuple[str, int, str],
        complete: bool,
        false: bool,
    ) -> int:
        """1 to 3 documents, the first an identity document; returns how many.

        `person` is the applicant's sex, year of birth and country of residence.
        """
        sex, born, host = person
        kinds = [self._pick(IDENTITY_KINDS)]
        for _ in range(self._pick(EXTRA_DOCUMENTS)):
            kind = self._pick(OTHER_KINDS)
            if kind == "military_id" and sex == "F":
                kind = "birth_certificate"
            if kind not in kinds:
                kinds.append(kind)
        entered = self._moment(created + 120)  # typed in during the intake, in one sitting
        rows = self.rows["documents"]
        for index, kind in enumerate(kinds):
            number, country, authority, issued, expires = self._details(kind, year, born, host)
            seen = self._pick(PASSPORT_SEEN if kind == "passport" else OTHER_SEEN)
            if false and index == 0:
                seen = "original"
            if seen in ("lost", "stolen"):
                verification = "pending"
                # Reviewed cases explain every loss; some drafts are still waiting for it.
                explained = complete or index > 0 or self._random() < 0.8
                since = max(2020, issued.year if issued else born + 18)
                note = self._loss_note(seen, self._below(since, year + 1)) if explained else ""
            elif index == 0 and complete:
                verification, note = "verified", self._pick(t.VERIFIED_NOTES)
            else:
                roll = self._random()
                if roll < (0.75 if complete else 0.4):
                    verification, note = "verified", self._pick(t.VERIFIED_NOTES)
                elif roll < 0.93:
                    verification, note = "pending", ""
                else:
                    verification, note = "doubtful", self._pick(t.DOUBTFUL_NOTES)
            if false and index == 0:
                verification, note = "false", t.FALSE_NOTE
            rows.append(
                [
                    self._id("documents"), case_id, kind, number, country, authority, issued,
                    expires, seen, verification, note, entered,
                ]
            )  # fmt: skip
        return len(kinds)

    def _loss_note(self, seen: str, year: int) -> str:
        """Why a document is missing, lost or stolen in `year`."""
        template: str = self._pick(t.LOST_NOTES if seen == "lost" else t.STOLEN_NOTES)
        return template.format(
            town=self._pick(t.BY_TOWNS),
            city=self._pick(CITIES[self._pick(HOSTS)])[0],
            post=self._pick(t.BORDER_POSTS),
            year=year,
            report=f"{self._below(100, 9999)}/{year}",
        )

    def _date(self, first_year: int, last_year: int) -> dt.date:
        return dt.date(
            self._below(first_year, last_year + 1), self._below(1, 13), self._below(1, 29)
        )

    def _details(
        self, kind: str, year: int, born: int, host: str
    ) -> tuple[str, str, str, dt.date | None, dt.date | None]:
        """Number, issuing country and authority, issue and expiry date of a document."""
        r = self._below
        town = self._pick(t.BY_TOWNS)
        # Passports from 14; military IDs and driving licences from 18.
        issued = self._date(max(year - 12, born + (14 if kind == "passport" else 18)), year - 1)
        if kind in ("passport", "national_id"):
            district = self._pick(t.MINSK_DISTRICTS) if town == "Minsk" else town
            authority = f"Department of Internal Affairs, {district} district, {town}"
            series = self._pick(t.PASSPORT_SERIES)
            if kind == "national_id":
                series, issued = "ID", self._date(2021, year)
            expires = issued.replace(year=issued.year + 10)
            return f"{series}{r(0, 10**7):07d}", "BLR", authority, issued, expires
        if kind == "birth_certificate":
            number = f"{'I' * r(1, 4)}-{self._pick(t.CYRILLIC_SERIES)} {r(0, 10**6):06d}"
            return number, "BLR", f"Civil registry office, {town}", None, None
        if kind == "military_id":
            number = f"{self._pick(t.CYRILLIC_SERIES)} {r(0, 10**7):07d}"
            return number, "BLR", f"Military commissariat, {town}", issued, None
        if kind == "driving_licence":
            number = f"{r(1, 8)}{self._pick(t.PASSPORT_SERIES)} {r(0, 10**6):06d}"
            expires = issued.replace(year=issued.year + 10)
            return number, "BLR", f"Traffic police, {town}", issued, expires
        if kind == "residence_permit":
            issued = self._date(max(2020, year - 4), year)
            expires = issued.replace(year=issued.year + r(1, 4))
            numbers = {"POL": f"RP{r(0, 10**7):07d}", "LTU": f"{r(0, 10**8):08d}"}
            number = numbers.get(host, f"{r(0, 10**9):09d}")
            return number, host, t.RESIDENCE_AUTHORITY[host], issued, expires
        if kind == "bank_statement":
            return "", "BLR", self._pick(t.BANKS), issued, None
        return "", "", "", None, None

    # --------------------------------------------------------------- contacts

    def phone(self, country: str) -> str:
        r = self._below
        if country == "UKR":
            return f"+380 {self._pick(t.UA_OPERATORS)} {r(100, 1000)} {r(10, 100)} {r(10, 100)}"
        if country == "POL":
            return f"+48 {r(5, 9)}{r(10, 100)} {r(100, 1000)} {r(100, 1000)}"
        return f"+370 6{r(10, 100)} {r(10000, 100000)}"

    def address(self, country: str) -> str:
        r = self._below
        city, streets = self._pick(CITIES[country])
        street = self._pick(streets)
        if self._random() < 0.05:
            return f"Shelter for displaced people, {city}"
        if country == "UKR":
            return f"{street}, {r(1, 120)}, kv. {r(1, 200)}, {city}"
        if country == "POL":
            return f"{street} {r(1, 120)}/{r(1, 80)}, {r(10, 100)}-{r(100, 1000)} {city}"
        return f"{street} {r(1, 90)}-{r(1, 60)}, LT-{r(10000, 100000)} {city}"

    def references(
        self,
        case_id: int,
        created: float,
        prep: float,
        officer_id: int,
        complete: bool,
        name_of: Callable[[str, bool], str],
        age: int,
        known: Sequence[int],
    ) -> int:
        """People who vouch, and the calls made to them; returns how many changes that was.

        A reviewed case has at least two confirmed references, each confirmed by a call.
        `name_of(sex, relative)` names someone ("" either sex); some references are
        applicants themselves, from `known`.
        """
        # The busiest loop of the generator: picks are written out in full here.
        rand, next_id, ids = self._random, self._id, self.ids
        if complete:
            count = REFS_COMPLETE[int(rand() * len(REFS_COMPLETE))]
            confirmed_count = 2 + (count > 2 and rand() < 0.6) + (count > 3 and rand() < 0.6)
        else:
            count = REFS_OPEN[int(rand() * len(REFS_OPEN))]
            confirmed_count = sum([rand() < 0.45 for _ in range(count)])
        refs, attempts = self.rows["case_references"], self.rows["contact_attempts"]
        entered = self._moment(created + 600)
        first_call = min(HOUR, prep * 0.2)
        calling = prep - first_call
        changes = 0
        for index in range(count):
            relationship, low, high, sex, family = t.RELATIONSHIPS[
                int(rand() * len(t.RELATIONSHIPS))
            ]
            name = name_of(sex, family)
            about: tuple[str, ...] = t.REFERENCE_NOTES
            if relationship in t.ORGANISATIONS:
                name = f"{name} ({self._pick(t.ORGANISATIONS[relationship])})"
                about = t.ORGANISATION_NOTES
            host = HOSTS[int(rand() * len(HOSTS))]
            contact = self.phone(host)
            channels: tuple[str, ...] = t.CHANNELS
            if rand() < 0.15:
                contact, channels = f"Signal {contact}", t.MESSENGER_CHANNELS
            linked = None
            note = about[int(rand() * len(about))]
            if known and rand() < 0.04:
                linked, note = self._pick(known), "Also a registered applicant."
            elif "{" in note:
                note = note.format(town=self._pick(t.BY_TOWNS), country=t.COUNTRY_NAMES[host])
            confirmed = index < confirmed_count
            reference_id = next_id("case_references")
            years = age if family else low + int(rand() * (min(high, age) + 1 - low))
            refs.append(
                [
                    reference_id, case_id, name, relationship, contact, years, confirmed, linked,
                    note, entered,
                ]
            )  # fmt: skip
            if confirmed:
                outcomes = ["no_answer"] * FAILED_CALLS[int(rand() * 100)] + ["confirmed"]
            else:
                calls = OPEN_CALLS[int(rand() * 100)]
                outcomes = [OPEN_OUTCOMES[int(rand() * 100)] for _ in range(calls)]
            channel = channels[int(rand() * len(channels))]
            offsets = sorted([first_call + rand() * calling for _ in outcomes])
            first = ids["contact_attempts"]
            ids["contact_attempts"] = first + len(outcomes)
            for number, (outcome, offset) in enumerate(zip(outcomes, offsets, strict=True)):
                notes = t.CONTACT_NOTES[outcome]
                note = notes[int(rand() * len(notes))]
                if "{" in note:
                    note = note.format(town=self._pick(t.BY_TOWNS))
                attempts.append(
                    [
                        first + number, reference_id, self._moment(created + offset), officer_id,
                        channel, outcome, note,
                    ]
                )  # fmt: skip
            changes += 1 + len(outcomes)
        return changes

    # ---------------------------------------------------------- checklist, hits

    def checklist(
        self,
        case_id: int,
        created: float,
        prep: float,
        officer_id: int,
        complete: bool,
        codes: Sequence[str],
    ) -> int:
        """Ticks (and rarely a waiver) on the manual items: all of them once a case is reviewed."""
        rows = self.rows["case_checklist_items"]
        waived = self._pick(codes) if complete and codes and self._random() < 0.03 else ""
        # Most items are ticked at the end of the interview; an answer from outside comes later.
        interview = self._moment(created + prep * (0.3 + 0.3 * self._random()))
        marked = 0
        for code in codes:
            if not complete and self._random() >= 0.5:
                continue
            when = interview
            if code == "security_check_answered":
                when = self._moment(created + prep * (0.6 + 0.35 * self._random()))
            if code == waived:
                supervisor = self._pick(self.staff.supervisors)[0]
                reason = self._pick(t.WAIVE_REASONS)
                row = [False, "", None, None, True, reason, supervisor, when]
            else:
                evidence = self._pick(t.EVIDENCE.get(code, t.GENERIC_EVIDENCE))
                row = [True, evidence, officer_id, when, False, "", None, None]
            rows.append([self._id("case_checklist_items"), case_id, code, *row])
            marked += 1
        return marked

    def hits(
        self,
        case_id: int,
        created: float,
        prep: float,
        complete: bool,
        duplicate_of: tuple[int, str] | None,
        watchlist_confirmed: bool,
    ) -> None:
        """Screening hits: open on some drafts, resolved before review, confirmed on rejection."""
        found: list[tuple[str, int | None, str]] = []
        if duplicate_of is not None:
            matched, number = duplicate_of
            text = f"Same name and year of birth as the applicant of case {number}."
            found.append(("duplicate", matched, text))
        if watchlist_confirmed or self._random() < 0.015:
            entry = f"WL-{self._below(2019, 2026)}-{self._below(0, 10000):04d}"
            text = f"Name similar to entry {entry} on the {self._pick(t.WATCHLISTS)}."
            found.append(("watchlist", None, text))
        for kind, matched_id, description in found:
            when = created + min(prep * 0.1, 300.0)
            status = "open"
            if watchlist_confirmed and kind == "watchlist":
                status = "confirmed"
            elif complete or self._random() < 0.3:
                status = "cleared"
            resolved_by: int | None = None
            resolved_at = None
            note = ""
            if status != "open":
                resolved_by = self._pick(self.staff.supervisors)[0]
                resolved_at = self._moment(when + prep * 0.5)
                note = self._pick(t.HIT_CONFIRMED if status == "confirmed" else t.HIT_CLEARED)
            self.rows["screening_hits"].append(
                [
                    self._id("screening_hits"), case_id, kind, status, matched_id, description,
                    self._below(62, 99), self._moment(when), resolved_by, resolved_at, note,
                ]
            )  # fmt: skip

    def comment(self, case_id: int, author_id: int, kind: str, when: Any, body: str) -> None:
        """A comment at `when`, already stamped."""
        self.rows["comments"].append([self._id("comments"), case_id, author_id, kind, body, when])
