"""The dashboard's figures against independent counts on demo data, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, select, text

from praverka.app import demo, setup, users
from praverka.app.context import Actor, AppContext
from praverka.app.dashboard import (
    DashboardFigures,
    DashboardFilter,
    _weeks,
    dashboard,
    default_filter,
)
from praverka.app.errors import InvalidInput, PermissionDenied
from praverka.db.models import Case, CasePurpose, Letter, Transition

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
WIDE = DashboardFilter(dt.date(2026, 7, 1), dt.date(2026, 11, 2))
OPEN = ("draft", "on_hold", "in_review", "approved")


@pytest.fixture(scope="module")
def populated(module_db_url: str) -> Iterator[AppContext]:
    context = AppContext(setup.open_database(module_db_url), clock=lambda: NOW)
    demo.populate(context, cases=300, seed=11)
    yield context
    context.db.dispose()


@pytest.fixture(scope="module")
def supervisor(populated: AppContext) -> Actor:
    return users.actor_by_username(populated, "supervisor1")


def _instant(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _independent(ctx: AppContext, flt: DashboardFilter) -> dict[str, object]:
    """The same figures counted plainly, one simple query each."""
    start, end = _instant(flt.start), _instant(flt.end + dt.timedelta(days=1))
    purpose_sql = " AND id IN (SELECT case_id FROM case_purposes WHERE purpose = :p)"
    with ctx.db.read() as session:
        params = {"p": flt.purpose} if flt.purpose else {}
        by_status: dict[str, int] = dict(
            session.execute(
                text(
                    "SELECT status, COUNT(*) FROM cases WHERE 1 = 1"
                    + (purpose_sql if flt.purpose else "")
                    + " GROUP BY status"
                ),
                params,
            ).all()
        )

        def of_purpose(case_id: Any) -> list[ColumnElement[bool]]:
            if not flt.purpose:
                return []
            return [
                case_id.in_(select(CasePurpose.case_id).where(CasePurpose.purpose == flt.purpose))
            ]

        weeks = []
        monday = flt.start - dt.timedelta(days=flt.start.weekday())
        while monday <= flt.end:
            low = _instant(max(monday, flt.start))
            high = _instant(min(monday + dt.timedelta(days=7), flt.end + dt.timedelta(days=1)))
            intake = session.scalar(
                select(func.count())
                .select_from(Case)
                .where(Case.created_at >= low, Case.created_at < high, *of_purpose(Case.id))
            )
            approvals = session.scalar(
                select(func.count())
                .select_from(Transition)
                .where(
                    Transition.to_status == "approved",
                    Transition.at >= low,
                    Transition.at < high,
                    *of_purpose(Transition.case_id),
                )
            )
            weeks.append((monday, intake, approvals))
            monday += dt.timedelta(days=7)

        # A few hundred open cases: their ages in Python, as the queue computes age.
        created = session.scalars(
            select(Case.created_at).where(Case.status.in_(OPEN), *of_purpose(Case.id))
        ).all()
        ages = [(NOW - at).days for at in created]
        bands = [
            sum(1 for a in ages if 0 <= a <= 3),
            sum(1 for a in ages if 4 <= a <= 7),
            sum(1 for a in ages if 8 <= a <= 14),
            sum(1 for a in ages if 15 <= a <= 30),
            sum(1 for a in ages if 31 <= a <= 60),
            sum(1 for a in ages if a > 60),
        ]

        submitted = dict(
            session.execute(
                # Submissions: a case returned and submitted again counts twice.
                select(Transition.actor_id, func.count())
                .where(
                    Transition.to_status == "in_review",
                    Transition.at >= start,
                    Transition.at < end,
                    *of_purpose(Transition.case_id),
                )
                .group_by(Transition.actor_id)
            ).all()
        )
        approved = {}
        for (preparer,) in session.execute(text("SELECT DISTINCT preparer_id FROM cases")):
            approved[preparer] = session.scalar(
                select(func.count(func.distinct(Transition.case_id)))
                .join(Case, Case.id == Transition.case_id)
                .where(
                    Case.preparer_id == preparer,
                    Transition.to_status == "approved",
                    Transition.at >= start,
                    Transition.at < end,
                    *of_purpose(Transition.case_id),
                )
            )
        letters = {}
        for purpose in ("legalisation", "bank_account", "border_crossing", "other"):
            letters[purpose] = session.scalar(
                select(func.count())
                .select_from(Letter)
                .where(Letter.purpose == purpose, Letter.issued_at >= start, Letter.issued_at < end)
            )
    return {
        "by_status": by_status,
        "weeks": weeks,
        "bands": bands,
        "submitted": submitted,
        "approved": approved,
        "letters": letters,
    }


def _check(figures: DashboardFigures, expected: dict[str, object]) -> None:
    by_status = dict(figures.by_status)
    assert {s: n for s, n in by_status.items() if n} == expected["by_status"]
    assert [(w.monday, w.intake, w.approvals) for w in figures.weeks] == expected["weeks"]
    assert [band.count for band in figures.age_bands] == expected["bands"]
    submitted = expected["submitted"]
    approved = expected["approved"]
    assert isinstance(submitted, dict) and isinstance(approved, dict)
    for row in figures.officers:
        assert row.submitted == submitted.get(row.user_id, 0), row
        assert row.approved == approved.get(row.user_id, 0), row
    shown = {row.user_id for row in figures.officers}
    assert {u for u, n in submitted.items() if n} <= shown
    assert {u for u, n in approved.items() if n} <= shown
    letters = expected["letters"]
    assert isinstance(letters, dict)
    for purpose, count in figures.letters:
        assert count == letters[purpose], purpose


@pytest.mark.parametrize("purpose", [None, "bank_account", "border_crossing"])
def test_figures_equal_independent_counts(
    populated: AppContext, supervisor: Actor, purpose: str | None
) -> None:
    flt = DashboardFilter(WIDE.start, WIDE.end, purpose)
    figures = dashboard(populated, supervisor, flt)
    _check(figures, _independent(populated, flt))
    # The demo data has something in every chart, so the comparison means something.
    assert sum(w.intake for w in figures.weeks) > 0
    assert sum(w.approvals for w in figures.weeks) > 0
    assert figures.open_cases > 0
    assert any(row.submitted for row in figures.officers)
    if purpose is None:
        assert sum(n for _p, n in figures.letters) > 0
        assert sum(n for _s, n in figures.by_status) == 300


def test_purpose_and_dates_narrow_the_figures(populated: AppContext, supervisor: Actor) -> None:
    everything = dashboard(populated, supervisor, WIDE)
    bank = dashboard(populated, supervisor, DashboardFilter(WIDE.start, WIDE.end, "bank_account"))
    assert [p for p, _n in bank.letters] == ["bank_account"]
    assert bank.letters[0] == ("bank_account", dict(everything.letters)["bank_account"])
    for narrow, wide in zip(bank.by_status, everything.by_status, strict=True):
        assert narrow[0] == wide[0] and narrow[1] <= wide[1]
    assert sum(n for _s, n in bank.by_status) < sum(n for _s, n in everything.by_status)
    assert sum(w.intake for w in bank.weeks) < sum(w.intake for w in everything.weeks)

    # One ISO week: its figures are the wide range's figures for that week.
    week = everything.weeks[-3]
    one = dashboard(
        populated, supervisor, DashboardFilter(week.monday, week.monday + dt.timedelta(days=6))
    )
    assert one.weeks == (week,)
    assert one.by_status == everything.by_status  # "now", whatever the range
    assert one.age_bands == everything.age_bands
    assert sum(r.submitted for r in one.officers) < sum(r.submitted for r in everything.officers)
    _check(one, _independent(populated, one.filter))

    # Half a week counts only its days, and still says which week they belong to.
    half = DashboardFilter(week.monday + dt.timedelta(days=2), week.monday + dt.timedelta(days=4))
    partial = dashboard(populated, supervisor, half)
    assert [w.week for w in partial.weeks] == [week.week]
    assert partial.weeks[0].intake <= week.intake
    _check(partial, _independent(populated, half))

    # Before the office opened: nothing happened, but the standing figures stay.
    empty = dashboard(
        populated, supervisor, DashboardFilter(dt.date(2020, 1, 1), dt.date(2020, 3, 1))
    )
    assert all(w.intake == w.approvals == 0 for w in empty.weeks)
    assert all(r.submitted == r.approved == 0 for r in empty.officers)
    assert all(n == 0 for _p, n in empty.letters)
    assert empty.by_status == everything.by_status


def test_officers_are_refused_and_bad_filters_explained(
    populated: AppContext, supervisor: Actor
) -> None:
    officer = users.actor_by_username(populated, "officer1")
    with pytest.raises(PermissionDenied, match="supervisors and administrators"):
        dashboard(populated, officer, WIDE)
    admin = users.actor_by_username(populated, "admin")
    assert dashboard(populated, admin, WIDE).by_status
    with pytest.raises(InvalidInput, match="before its start"):
        dashboard(populated, supervisor, DashboardFilter(WIDE.end, WIDE.start))
    with pytest.raises(InvalidInput, match="purpose"):
        dashboard(populated, supervisor, DashboardFilter(WIDE.start, WIDE.end, "fishing"))
    with pytest.raises(InvalidInput, match="at most"):
        dashboard(populated, supervisor, DashboardFilter(dt.date(2020, 1, 1), WIDE.end))


def test_weeks_are_iso_weeks_across_a_new_year() -> None:
    flt = DashboardFilter(dt.date(2025, 12, 24), dt.date(2026, 1, 6))
    approvals = {dt.date(2025, 12, 28): 1, dt.date(2025, 12, 29): 2, dt.date(2026, 1, 4): 4}
    weeks = _weeks(flt, [3, 5, 8], approvals)
    assert [(w.week, w.monday, w.intake, w.approvals) for w in weeks] == [
        ("2025-W52", dt.date(2025, 12, 22), 3, 1),
        ("2026-W01", dt.date(2025, 12, 29), 5, 6),
        ("2026-W02", dt.date(2026, 1, 5), 8, 0),
    ]
    assert default_filter(dt.date(2026, 11, 4)) == DashboardFilter(
        dt.date(2026, 8, 17), dt.date(2026, 11, 4)
    )
