"""Every cell of the case export, read back from CSV and XLSX and compared with values
worked out here from the ORM objects: the names, purposes, birth dates, officers, the
timestamps and the ages (whole days, exact to the microsecond at the day's boundary);
and the progress count and the rows written agree while others add cases."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from praverka.app import cases, exports, queries
from praverka.app.context import AppContext
from praverka.db.enums import NameScript
from praverka.db.models import Applicant, Case, User
from tests.conftest import PASSWORD, Clock, People
from tests.factories import applicant


def _case(
    ctx: AppContext,
    people: People,
    purposes: list[str],
    birth: str,
    *,
    surname: str = "Францкевіч",
    officer: str | None = None,
) -> None:
    person = applicant(surname=surname)
    person = cases.ApplicantInput(
        names=person.names, birth_date=birth, sex="F", address="Kyiv, Khreshchatyk 1"
    )
    cases.create_case(
        ctx,
        people.officer,
        cases.CaseInput(person, purposes=purposes, priority=2, assigned_officer=officer),
    )


def _expected(ctx: AppContext, now: dt.datetime, *, as_text: bool) -> list[list[object]]:
    """The export's rows from the ORM objects, in the queue's order (oldest first)."""
    with ctx.db.read() as session:
        found = session.scalars(
            select(Case)
            .options(
                selectinload(Case.purposes),
                selectinload(Case.applicant).selectinload(Applicant.names),
            )
            .order_by(Case.created_at, Case.id)
        ).all()
        officers = dict(session.execute(select(User.id, User.full_name)).all())
        rows: list[list[object]] = []
        for case in found:
            names = sorted(case.applicant.names, key=lambda n: n.position)
            native = next(
                f"{n.surname} {n.given_names} {n.patronymic}".strip()
                for n in names
                if n.script in (NameScript.BELARUSIAN, NameScript.RUSSIAN)
            )
            latin = next(
                f"{n.surname} {n.given_names}"
                for n in names
                if n.script == NameScript.LATIN_PASSPORT
            )
            a = case.applicant
            birth = "-".join(
                f"{part:0{width}d}"
                for part, width in ((a.birth_year, 4), (a.birth_month, 2), (a.birth_day, 2))
                if part is not None
            )
            created = case.created_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
            changed = case.status_changed_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
            times: list[object] = (
                [created.strftime("%Y-%m-%d %H:%M"), changed.strftime("%Y-%m-%d %H:%M")]
                if as_text
                else [created, changed]
            )
            age = (now - case.created_at).days
            rows.append(
                [
                    case.number,
                    case.status.value,
                    case.priority,
                    ", ".join(sorted(p.purpose.value for p in case.purposes)),
                    native,
                    latin,
                    birth,
                    officers[case.assigned_officer_id] if case.assigned_officer_id else "",
                    *times,
                    max(0, age),
                ]
            )
    return rows


def test_every_cell_equals_the_database(
    ctx: AppContext, people: People, clock: Clock, tmp_path: Path
) -> None:
    clock.now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    _case(ctx, people, ["other", "bank_account", "legalisation"], "14.03.1987")
    clock.now += dt.timedelta(microseconds=1)  # a microsecond later in the day than "now" below
    _case(ctx, people, ["bank_account"], "03.1990", surname="=Каваленка")
    clock.now = dt.datetime(2026, 11, 3, 8, 59, 59, 999_999, tzinfo=dt.UTC)
    _case(ctx, people, ["border_crossing", "legalisation"], "1975", officer="officer2")
    clock.now = dt.datetime(2026, 11, 3, 15, 30, tzinfo=dt.UTC)
    _case(ctx, people, ["legalisation"], "1975-07-01")
    clock.now = dt.datetime(2026, 11, 12, 18, 0, tzinfo=dt.UTC)
    _case(ctx, people, ["other"], "")  # created after the export's "now": age 0, not -1
    # Ten days after the first case to the microsecond: its age is 10 days, the
    # next case's 9.  Of the two cases nine dates back, the one created earlier in
    # the day than now is 9 days old, the other 8.
    now = dt.datetime(2026, 11, 12, 9, 0, tzinfo=dt.UTC)
    clock.now = now
    supervisor = people.supervisor
    flt = queries.CaseFilter()
    exports.export_cases(ctx, supervisor, PASSWORD, flt, "csv", tmp_path / "all.csv")
    exports.export_cases(ctx, supervisor, PASSWORD, flt, "xlsx", tmp_path / "all.xlsx")

    with (tmp_path / "all.csv").open(encoding="utf-8-sig", newline="") as handle:
        from_csv = list(csv.reader(handle))
    book = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    try:
        from_xlsx = [list(row) for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()

    as_text = [[str(cell) for cell in row] for row in _expected(ctx, now, as_text=True)]
    typed = _expected(ctx, now, as_text=False)
    for row in as_text + typed:  # the formula-like surname, quoted the same way everywhere
        row[4] = str(exports.neutralise(row[4]))
        row[5] = str(exports.neutralise(row[5]))
    assert from_csv[0] == from_xlsx[0] == exports.column_headers()
    assert from_csv[1:] == as_text
    # A spreadsheet keeps no empty text: an empty cell reads back as None.
    assert from_xlsx[1:] == [[None if cell == "" else cell for cell in row] for row in typed]
    assert [row[10] for row in typed] == [10, 9, 9, 8, 0]
    assert [row[6] for row in typed] == ["1987-03-14", "1990-03", "1975", "1975-07-01", ""]
    assert str(typed[1][4]).startswith("'=")


def test_the_count_and_the_rows_come_from_one_snapshot(
    ctx: AppContext, people: People, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for birth in ("1980", "1981", "1982", "1983", "1984"):
        _case(ctx, people, ["other"], birth)
    monkeypatch.setattr(exports, "CHUNK", 2)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        if done == 0:  # counted, not yet read: a colleague adds a case meanwhile
            _case(ctx, people, ["legalisation"], "1999")
        return True

    out = tmp_path / "cases.csv"
    result = exports.export_cases(
        ctx, people.supervisor, PASSWORD, queries.CaseFilter(), "csv", out, progress
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        births = [row[6] for row in list(csv.reader(handle))[1:]]
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert result.rows == 5 and births == ["1980", "1981", "1982", "1983", "1984"]
    again = exports.export_cases(
        ctx, people.supervisor, PASSWORD, queries.CaseFilter(), "csv", tmp_path / "again.csv"
    )
    assert again.rows == 6
