"""Exports of the case list (CSV, XLSX) and the weekly report (PDF), read back and compared
with the database counted independently."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import json
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from sqlalchemy import func, select

from praverka.app import demo, exports, queries, setup, users, weekly_figures
from praverka.app.context import Actor, AppContext
from praverka.app.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from praverka.db.enums import CaseStatus
from praverka.db.models import Applicant, AuditEvent, Case, CasePurpose, Letter, Transition, User
from praverka.reports.weekly import weekly_report_pdf
from tests.conftest import PASSWORD, Clock, People
from tests.factories import new_case

DEMO_CASES = 300
SUPERVISOR = "supervisor1"
SUPERVISOR_PASSWORD = "supervisor-demo-1"
OFFICER = "officer1"
OFFICER_PASSWORD = "officer-demo-1"


@pytest.fixture(scope="module")
def demo_ctx(module_db_url: str) -> Iterator[AppContext]:
    """One demo database for the module's tests, which only read it (and add audit events)."""
    context = AppContext(setup.open_database(module_db_url))
    setup.upgrade(context)
    clock = Clock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))
    context.clock = clock
    demo.populate(context, cases=DEMO_CASES, seed=7)
    clock.advance(hours=1)
    yield context
    context.db.dispose()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where the exports go: apart from the test's SQLite database and its side files."""
    made = tmp_path / "out"
    made.mkdir()
    return made


def _actor(ctx: AppContext, username: str, password: str) -> Actor:
    return users.authenticate(ctx, username, password)


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read it as UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _read_xlsx(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(row) for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "partial" in p.name)


def _birth(year: int | None, month: int | None, day: int | None) -> str:
    parts = [
        f"{year:04d}" if year else "",
        f"{month:02d}" if month else "",
        f"{day:02d}" if day else "",
    ]
    return "-".join(p for p in parts if p)


def test_csv_export_equals_the_database(demo_ctx: AppContext, folder: Path) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    wanted = ("draft", "in_review")
    out = folder / "cases.csv"
    result = exports.export_cases(
        ctx, actor, SUPERVISOR_PASSWORD, queries.CaseFilter(statuses=wanted), "csv", out
    )
    rows = _read_csv(out)
    header, body = rows[0], rows[1:]
    assert header == exports.column_headers()
    with ctx.db.read() as session:
        expected = {
            number: (status.value, _birth(y, m, d))
            for number, status, y, m, d in session.execute(
                select(
                    Case.number,
                    Case.status,
                    Applicant.birth_year,
                    Applicant.birth_month,
                    Applicant.birth_day,
                )
                .join(Applicant, Applicant.id == Case.applicant_id)
                .where(Case.status.in_([CaseStatus(s) for s in wanted]))
            )
        }
    assert result.rows == len(body) == len(expected) > 0
    assert result.path == out
    assert {row[0]: (row[1], row[6]) for row in body} == expected
    created = [row[8] for row in body]
    assert created == sorted(created)  # the queue's order: oldest first
    assert all(int(row[10]) >= 0 for row in body)
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in row[4]) for row in body)
    assert _leftovers(folder) == []


def test_xlsx_export_equals_the_database(demo_ctx: AppContext, folder: Path) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    out = folder / "cases.xlsx"
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    result = exports.export_cases(
        ctx,
        actor,
        SUPERVISOR_PASSWORD,
        queries.CaseFilter(purpose="bank_account"),
        "xlsx",
        out,
        progress,
    )
    rows = _read_xlsx(out)
    with ctx.db.read() as session:
        count = session.scalar(
            select(func.count())
            .select_from(CasePurpose)
            .where(CasePurpose.purpose == "bank_account")
        )
        numbers = set(
            session.scalars(
                select(Case.number)
                .join(CasePurpose, CasePurpose.case_id == Case.id)
                .where(CasePurpose.purpose == "bank_account")
            )
        )
    assert rows[0] == exports.column_headers()
    assert count and result.rows == len(rows) - 1 == count
    assert {row[0] for row in rows[1:]} == numbers
    assert all("bank_account" in str(row[3]) for row in rows[1:])
    assert all(isinstance(row[8], dt.datetime) and isinstance(row[10], int) for row in rows[1:])
    assert seen[0] == (0, count) and seen[-1] == (count, count)


def test_a_wrong_password_writes_nothing(demo_ctx: AppContext, folder: Path) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    before = _exports_audited(ctx)
    for fmt in exports.FORMATS:
        out = folder / f"cases.{fmt}"
        with pytest.raises(AuthenticationFailed, match="export was not done"):
            exports.export_cases(ctx, actor, "wrong", queries.CaseFilter(), fmt, out)
        assert not out.exists()
    assert list(folder.iterdir()) == []
    assert _exports_audited(ctx) == before


def _exports_audited(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "export.cases")
            )
            or 0
        )


def test_cancel_removes_the_partial_file(
    demo_ctx: AppContext, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    monkeypatch.setattr(exports, "CHUNK", 50)
    for fmt in exports.FORMATS:
        calls: list[int] = []

        def progress(done: int, total: int, calls: list[int] = calls) -> bool:
            calls.append(done)
            assert _leftovers(folder), "the rows go to a partial file beside the target"
            return done < 100

        out = folder / f"cases.{fmt}"
        with pytest.raises(exports.ExportCancelled):
            exports.export_cases(
                ctx, actor, SUPERVISOR_PASSWORD, queries.CaseFilter(), fmt, out, progress
            )
        assert calls == [0, 50, 100]
        assert list(folder.iterdir()) == []


def test_unwritable_targets_give_one_clear_sentence(demo_ctx: AppContext, folder: Path) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    flt = queries.CaseFilter()
    with pytest.raises(exports.ExportFailed, match="does not exist; nothing was written"):
        exports.export_cases(ctx, actor, SUPERVISOR_PASSWORD, flt, "csv", folder / "no" / "x.csv")
    plain = folder / "plain-file"
    plain.write_text("x")
    with pytest.raises(exports.ExportFailed, match="does not exist"):
        exports.export_cases(ctx, actor, SUPERVISOR_PASSWORD, flt, "csv", plain / "x.csv")
    with pytest.raises(exports.ExportFailed, match="is a folder"):
        exports.export_cases(ctx, actor, SUPERVISOR_PASSWORD, flt, "csv", folder)
    with pytest.raises(InvalidInput, match="Unknown export format"):
        exports.export_cases(ctx, actor, SUPERVISOR_PASSWORD, flt, "ods", folder / "x.ods")
    if os.geteuid() != 0:  # root writes anywhere
        locked = folder / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(exports.ExportFailed, match="No permission to write"):
                exports.export_cases(
                    ctx, actor, SUPERVISOR_PASSWORD, flt, "xlsx", locked / "x.xlsx"
                )
            assert list(locked.iterdir()) == []
        finally:
            locked.chmod(0o700)
    assert sorted(p.name for p in folder.iterdir() if p.name != "locked") == ["plain-file"]


def test_a_full_disk_leaves_nothing(
    demo_ctx: AppContext, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    real = exports._rows
    calls = [0]

    def filling(*args: Any, **kwargs: Any) -> list[list[object]]:
        calls[0] += 1
        if calls[0] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, "CHUNK", 50)
    monkeypatch.setattr(exports, "_rows", filling)
    before = _exports_audited(ctx)
    for fmt in exports.FORMATS:
        calls[0] = 0
        with pytest.raises(exports.ExportFailed, match="No space left on device"):
            exports.export_cases(
                ctx, actor, SUPERVISOR_PASSWORD, queries.CaseFilter(), fmt, folder / f"a.{fmt}"
            )
    assert list(folder.iterdir()) == []
    assert _exports_audited(ctx) == before


def test_the_export_is_audited_without_the_data(demo_ctx: AppContext, folder: Path) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    result = exports.export_cases(
        ctx,
        actor,
        SUPERVISOR_PASSWORD,
        queries.CaseFilter(statuses=("approved",)),
        "csv",
        folder / "approved.csv",
    )
    with ctx.db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "export.cases", AuditEvent.entity_id == "approved.csv"
            )
        ).one()
        some_name = session.scalars(select(Case.applicant_sort_key).limit(1)).one()
    changes = json.loads(event.changes)
    assert event.actor_name == SUPERVISOR
    assert changes["rows"] == result.rows and changes["format"] == "csv"
    assert changes["filter"]["statuses"] == ["approved"]
    assert some_name not in event.changes


def test_officers_export_only_their_own_cases(demo_ctx: AppContext, folder: Path) -> None:
    ctx = demo_ctx
    officer = _actor(ctx, OFFICER, OFFICER_PASSWORD)
    other = users.get_user(ctx, "officer2")
    with pytest.raises(PermissionDenied, match="only the cases assigned to them"):
        exports.export_cases(
            ctx,
            officer,
            OFFICER_PASSWORD,
            queries.CaseFilter(officer_id=other.id),
            "csv",
            folder / "theirs.csv",
        )
    result = exports.export_cases(
        ctx, officer, OFFICER_PASSWORD, queries.CaseFilter(), "csv", folder / "mine.csv"
    )
    with ctx.db.read() as session:
        mine = session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.assigned_officer_id == officer.user_id)
        )
    body = _read_csv(folder / "mine.csv")[1:]
    assert mine and result.rows == len(body) == mine
    assert {row[7] for row in body} == {officer.full_name}


def test_formula_cells_are_neutralised(ctx: AppContext, people: People, folder: Path) -> None:
    for n, name in enumerate(('=HYPERLINK("http://x","y")', "@SUM(1+1)", "+1-2", "-3+4")):
        users.create_user(ctx, people.admin, f"tricky{n}", name, PASSWORD, ["officer"])
        new_case(ctx, users.authenticate(ctx, f"tricky{n}", PASSWORD))
    supervisor = people.supervisor
    exports.export_cases(ctx, supervisor, PASSWORD, queries.CaseFilter(), "csv", folder / "a.csv")
    exports.export_cases(ctx, supervisor, PASSWORD, queries.CaseFilter(), "xlsx", folder / "a.xlsx")
    from_csv = sorted(row[7] for row in _read_csv(folder / "a.csv")[1:])
    from_xlsx = sorted(str(row[7]) for row in _read_xlsx(folder / "a.xlsx")[1:])
    expected = sorted(['\'=HYPERLINK("http://x","y")', "'@SUM(1+1)", "'+1-2", "'-3+4"])
    assert from_csv == from_xlsx == expected
    book = openpyxl.load_workbook(folder / "a.xlsx")
    assert all(cell.data_type == "s" for cell in book.active["H"][1:])
    assert exports.neutralise("\tx") == "'\tx" and exports.neutralise(5) == 5
    assert exports.neutralise("Kavalenka") == "Kavalenka"


def _expected_week(ctx: AppContext, week: tuple[int, int]) -> dict[str, object]:
    """The weekly figures counted in Python from plain rows: independent of the SQL sums."""
    start = weekly_figures.week_start(week)
    end = start + dt.timedelta(days=7)
    now = ctx.now()

    def day(at: dt.datetime) -> int | None:
        return (at - start).days if start <= at < end else None

    def per_day(times: list[dt.datetime]) -> tuple[int, ...]:
        counted = Counter(day(at) for at in times)
        return tuple(counted.get(d, 0) for d in range(7))

    with ctx.db.read() as session:
        cases = session.execute(
            select(Case.status, Case.created_at, Case.preparer_id, Case.assigned_officer_id)
        ).all()
        moves = session.execute(
            select(Transition.from_status, Transition.to_status, Transition.at, Transition.actor_id)
        ).all()
        letters = session.execute(select(Letter.issued_at, Letter.issued_by_id)).all()
        names = dict(session.execute(select(User.id, User.full_name)).all())
    s = CaseStatus

    def moved(pair: tuple[CaseStatus, CaseStatus]) -> tuple[int, ...]:
        return per_day([at for f, t, at, _ in moves if (f, t) == pair])

    open_ = [c for c in cases if c.status in weekly_figures.OPEN_STATUSES]
    ages = [(now - c.created_at).days for c in open_]
    bands = tuple(
        sum(1 for a in ages if a >= low and (high is None or a < high))
        for low, high, _ in weekly_figures.AGE_BANDS
    )
    people: dict[str, list[int]] = {}

    def bump(user_id: int | None, column: int) -> None:
        if user_id is not None:
            people.setdefault(names[user_id], [0] * 5)[column] += 1

    for c in cases:
        if day(c.created_at) is not None:
            bump(c.preparer_id, 0)
        if c.status in weekly_figures.OPEN_STATUSES:
            bump(c.assigned_officer_id, 4)
    for f, t, at, actor in moves:
        if day(at) is None:
            continue
        if (f, t) == (s.DRAFT, s.IN_REVIEW):
            bump(actor, 1)
        if f == s.IN_REVIEW and t in (s.APPROVED, s.DRAFT, s.REJECTED):
            bump(actor, 2)
    for at, by in letters:
        if day(at) is not None:
            bump(by, 3)
    return {
        "intake": per_day([c.created_at for c in cases]),
        "submitted": moved((s.DRAFT, s.IN_REVIEW)),
        "approved": moved((s.IN_REVIEW, s.APPROVED)),
        "returned": moved((s.IN_REVIEW, s.DRAFT)),
        "rejected": moved((s.IN_REVIEW, s.REJECTED)),
        "letters": per_day([at for at, _ in letters]),
        "by_status": tuple(Counter(c.status for c in cases).get(st, 0) for st in CaseStatus),
        "age_bands": bands,
        "officers": dict(sorted(people.items())),
    }


def test_weekly_figures_equal_independent_counts(demo_ctx: AppContext) -> None:
    ctx = demo_ctx
    this_week = weekly_figures.current_week(ctx.now())
    last_week = (this_week[0], this_week[1] - 1)
    busy = 0
    for week in (last_week, this_week):
        figures = weekly_figures.weekly_figures(ctx, week)
        expected = _expected_week(ctx, week)
        assert figures.first_day == dt.date.fromisocalendar(*week, 1)
        for name in ("intake", "submitted", "approved", "returned", "rejected", "letters"):
            assert getattr(figures, name) == expected[name], name
        assert tuple(n for _, n in figures.by_status) == expected["by_status"]
        assert tuple(n for _, n in figures.age_bands) == expected["age_bands"]
        assert {
            o.name: [o.intake, o.submitted, o.decided, o.letters, o.open_assigned]
            for o in figures.officers
        } == expected["officers"]
        busy += sum(figures.intake) + sum(figures.approved) + sum(figures.letters)
    assert busy > 0, "the demo data should have activity in these weeks"
    with ctx.db.read() as session:
        assert sum(n for _, n in figures.by_status) == session.scalar(
            select(func.count()).select_from(Case)
        )


def test_weeks_are_checked() -> None:
    assert exports.parse_week("2026-W47") == (2026, 47)
    assert exports.parse_week("2026w05") == (2026, 5)
    for bad in ("2026-47", "2026-W54", "W47", "next week"):
        with pytest.raises(InvalidInput, match="YYYY-Www"):
            exports.parse_week(bad)
    assert weekly_figures.week_start((2026, 53)).date() == dt.date(2026, 12, 28)
    with pytest.raises(InvalidInput, match="no week 53"):
        weekly_figures.week_start((2025, 53))


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def test_weekly_report_pdf_shows_the_figures(demo_ctx: AppContext, folder: Path) -> None:
    ctx = demo_ctx
    actor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    week = weekly_figures.current_week(ctx.now() - dt.timedelta(days=7))
    out = exports.export_weekly_report(ctx, actor, SUPERVISOR_PASSWORD, week, folder / "w.pdf")
    figures = weekly_figures.weekly_figures(ctx, week)
    text = _pdf_text(out)
    assert f"{week[0]}-W{week[1]:02d}" in text
    assert "Weekly report" in text and "Demo" in text
    intake_line = next(line for line in text.splitlines() if line.strip().startswith("New cases"))
    assert intake_line.split()[2:] == [str(n) for n in (*figures.intake, sum(figures.intake))]
    for label, count in figures.by_status:
        assert any(
            line.split()[-1:] == [str(count)] and label in line for line in text.splitlines()
        )
    for officer in figures.officers:
        assert officer.name in text
    fonts = _pdf_fonts(out)
    assert fonts and all(f[0].split("+")[-1].startswith("DejaVuSans") for f in fonts)
    assert all(f[-5] == "yes" for f in fonts)  # embedded
    with ctx.db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "export.weekly_report", AuditEvent.entity_id == "w.pdf"
            )
        ).one()
    assert json.loads(event.changes)["week"] == f"{week[0]}-W{week[1]:02d}"


def test_weekly_report_needs_a_supervisor_and_the_password(
    demo_ctx: AppContext, folder: Path
) -> None:
    ctx = demo_ctx
    week = weekly_figures.current_week(ctx.now())
    officer = _actor(ctx, OFFICER, OFFICER_PASSWORD)
    with pytest.raises(PermissionDenied):
        exports.export_weekly_report(ctx, officer, OFFICER_PASSWORD, week, folder / "w.pdf")
    supervisor = _actor(ctx, SUPERVISOR, SUPERVISOR_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        exports.export_weekly_report(ctx, supervisor, "wrong", week, folder / "w.pdf")
    assert list(folder.iterdir()) == []


def test_an_empty_week_renders(ctx: AppContext) -> None:
    figures = weekly_figures.weekly_figures(ctx, (2026, 1))
    assert figures.officers == () and sum(figures.intake) == 0
    pdf = weekly_report_pdf(figures, "Centre <&> Kyiv")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
