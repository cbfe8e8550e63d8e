"""The rows of the case export: one SELECT for every column, turned into cells.

Reading 100,000 cases is most of an export's time once the file writer is fast:
one statement streams every column (the names and the purposes from correlated
subqueries, timestamps as UTC text), and the cells are made from plain values
with what repeats (officers, purposes, birth dates, days) worked out once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.orm import Session

from praverka.app import queries
from praverka.db.models import Applicant, Case, CasePurpose, User

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made plain text with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _birth(year: int | None, month: int | None, day: int | None) -> str:
    if year is None:
        return ""
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _utc_text(column: Any, dialect: str) -> ColumnElement[str]:
    """A timestamp as UTC text, 'YYYY-MM-DD HH:MM:SS.ffffff', on either database.

    Turning aware datetimes into naive UTC ones and formatting them cost
    several times what reading the rest of a row does; from this text a
    slice is the CSV cell and one parse the spreadsheet's.  SQLite already
    stores UTC timestamps as this text.
    """
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24:MI:SS.US", type_=String)
    return type_coerce(column, String)


def export_statement(flt: queries.CaseFilter, now: dt.datetime, dialect: str) -> Select[Any]:
    """Every column of the export, for the cases of `flt` in the queue's order, in one SELECT.

    The queue's own statement (`filtered_ids`, with its filter and order) with the
    row's columns added: the names and the purposes come from correlated
    subqueries, the officer as an id (their names are looked up once).
    """
    purposes = (
        select(func.aggregate_strings(type_coerce(CasePurpose.purpose, String), ","))
        .where(CasePurpose.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    return (
        queries.filtered_ids(flt, now)
        .add_columns(
            Case.number,
            type_coerce(Case.status, String),
            Case.priority,
            purposes,
            queries.native_name_column(),  # the queue's own name columns
            queries.latin_name_column(),
            Applicant.birth_year,
            Applicant.birth_month,
            Applicant.birth_day,
            Case.assigned_officer_id,
            _utc_text(Case.created_at, dialect),
            _utc_text(Case.status_changed_at, dialect),
        )
        .join(Applicant, Applicant.id == Case.applicant_id)
    )


def officer_names(session: Session) -> dict[int | None, str]:
    """Every user's name as its cell: a few dozen people, looked up once an export."""
    return {
        user_id: str(neutralise(name))
        for user_id, name in session.execute(select(User.id, User.full_name))
    }


@dataclass
class Lookups:
    """What an export works out once and reuses row after row.

    Officers are a few dozen, purpose combinations a handful, and the birth
    dates and creation days repeat across 100,000 cases: a dictionary look-up
    costs less than formatting or date arithmetic on every row.
    """

    now: dt.datetime
    officers: dict[int | None, str]
    purposes: dict[str | None, str] = field(default_factory=dict)
    births: dict[tuple[int | None, int | None, int | None], str] = field(default_factory=dict)
    days_ago: dict[str, int] = field(default_factory=dict)
    today: dt.date = field(init=False)  # UTC
    clock: str = field(init=False)

    def __post_init__(self) -> None:
        utc = self.now.astimezone(dt.UTC)
        self.today = utc.date()
        # The time of day as `_utc_text` writes it, so that two such texts
        # compare as the times they show.
        self.clock = utc.strftime("%H:%M:%S.%f")

    def purpose_cell(self, gathered: str | None) -> str:
        codes = sorted(gathered.split(",")) if gathered else []
        cell = self.purposes[gathered] = str(neutralise(", ".join(codes)))
        return cell

    def birth_cell(self, key: tuple[int | None, int | None, int | None]) -> str:
        cell = self.births[key] = _birth(*key)
        return cell

    def day_count(self, day: str) -> int:
        count = self.days_ago[day] = (self.today - dt.date.fromisoformat(day)).days
        return count


def cells(raw: Sequence[Sequence[Any]], lookups: Lookups, *, as_text: bool) -> list[list[object]]:
    """The cells of a chunk of `export_statement` rows.

    Timestamps become minutes as text for CSV and naive UTC datetimes to the
    second for XLSX.  A case's age is the whole days since it was created:
    the days between the dates, one fewer when the creation's time of day is
    later than now's.
    """
    parse = dt.datetime.fromisoformat
    starts = FORMULA_STARTS
    officers, purposes, births, days_ago = (
        lookups.officers,
        lookups.purposes,
        lookups.births,
        lookups.days_ago,
    )
    clock = lookups.clock
    out: list[list[object]] = []
    append = out.append
    for row in raw:
        _, number, status, priority, gathered, native, latin = row[:7]
        year, month, day, officer_id, created, changed = row[7:]
        shown_purposes = purposes.get(gathered)
        if shown_purposes is None:
            shown_purposes = lookups.purpose_cell(gathered)
        birth_key = (year, month, day)
        birth = births.get(birth_key)
        if birth is None:
            birth = lookups.birth_cell(birth_key)
        created_day = created[:10]
        age = days_ago.get(created_day)
        if age is None:
            age = lookups.day_count(created_day)
        if created[11:] > clock:
            age -= 1
        native = native or ""
        if native.startswith(starts):
            native = "'" + native
        latin = latin or ""
        if latin.startswith(starts):
            latin = "'" + latin
        if number.startswith(starts):
            number = "'" + number
        if as_text:
            created_cell: object = f"{created_day} {created[11:16]}"
            changed_cell: object = f"{changed[:10]} {changed[11:16]}"
        else:
            created_cell = parse(created[:19])
            changed_cell = parse(changed[:19])
        append(
            [
                number,
                status,
                priority,
                shown_purposes,
                native,
                latin,
                birth,
                officers.get(officer_id, ""),
                created_cell,
                changed_cell,
                age if age > 0 else 0,
            ]
        )
    return out
