"""The supervisor's dashboard: the office's figures for a date range, counted by the database.

No case is loaded: every figure is a COUNT.  Ranges of an indexed instant
(the cases of each ISO week, the open cases of each age band) are counted as
one UNION ALL of range counts, which the database answers along its index
without sorting; what has no such index (transitions) is grouped by its UTC
day, with each dialect's own date expression, and the at most few hundred
days are folded into ISO weeks here.  Cases by status and the ages of open
cases are as they stand now; the weekly figures, the officers' throughput and
the letters count what happened from `start` to `end`, both days included, in
UTC.  The purpose filter keeps the cases (and letters) of that purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, cast, exists, func, literal, select, union_all
from sqlalchemy.orm import Session

from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, PermissionDenied
from praverka.app.i18n import _
from praverka.db.collation import sort_key
from praverka.db.enums import CaseStatus, Purpose, Role
from praverka.db.models import Case, CasePurpose, Letter, Transition, User, UserRole

MAX_DAYS = 731  # two years: the weekly figures stay a readable chart

OPEN_STATUSES = (
    CaseStatus.DRAFT,
    CaseStatus.ON_HOLD,
    CaseStatus.IN_REVIEW,
    CaseStatus.APPROVED,
)

# Age bands of open cases in whole days (as the queue counts age); None: no upper end.
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 3),
    (4, 7),
    (8, 14),
    (15, 30),
    (31, 60),
    (61, None),
)


@dataclass(frozen=True)
class DashboardFilter:
    start: dt.date
    end: dt.date  # included
    purpose: str | None = None


@dataclass(frozen=True)
class WeekFigures:
    week: str  # ISO week, "2026-W45"
    monday: dt.date
    intake: int  # cases created that week (within the range)
    approvals: int  # transitions to approved that week (within the range)


@dataclass(frozen=True)
class AgeBand:
    low: int  # days, included
    high: int | None  # days, included; None for "more than low - 1"
    count: int

    @property
    def label(self) -> str:
        if self.high is None:
            return f"> {self.low - 1}"
        return f"{self.low}\N{EN DASH}{self.high}"


@dataclass(frozen=True)
class OfficerFigures:
    user_id: int
    name: str
    submitted: int  # submissions for review they made in the range (a resubmission counts)
    approved: int  # cases they prepared that were approved in the range


@dataclass(frozen=True)
class DashboardFigures:
    filter: DashboardFilter
    computed_at: dt.datetime
    by_status: tuple[tuple[str, int], ...]  # every status, in workflow order
    weeks: tuple[WeekFigures, ...]  # every ISO week the range touches, oldest first
    age_bands: tuple[AgeBand, ...]
    officers: tuple[OfficerFigures, ...]  # by name
    letters: tuple[tuple[str, int], ...]  # purpose, letters issued in the range

    @property
    def open_cases(self) -> int:
        return sum(band.count for band in self.age_bands)


def check_filter(flt: DashboardFilter) -> Purpose | None:
    """The filter's purpose; InvalidInput for a range or purpose that makes no sense."""
    if flt.end < flt.start:
        raise InvalidInput(_("The end of the date range is before its start."))
    if (flt.end - flt.start).days >= MAX_DAYS:
        raise InvalidInput(_("Choose a date range of at most {days} days.").format(days=MAX_DAYS))
    if not flt.purpose:
        return None
    try:
        return Purpose(flt.purpose)
    except ValueError:
        raise InvalidInput(_("Unknown purpose {p!r}.").format(p=flt.purpose)) from None


def may_view(actor: Actor) -> bool:
    """Whether the dashboard is for this person: supervisors and administrators."""
    return actor.has_role(Role.SUPERVISOR) or actor.has_role(Role.ADMIN)


def _require_reader(actor: Actor) -> None:
    if not may_view(actor):
        raise PermissionDenied(_("The dashboard is for supervisors and administrators."))


def _bounds(flt: DashboardFilter) -> tuple[dt.datetime, dt.datetime]:
    """The range as UTC instants: from the start day's midnight to the midnight after the end."""
    start = dt.datetime.combine(flt.start, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(flt.end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return start, end


def utc_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The UTC calendar day of a stored instant, as the dialect can group by it.

    SQLite keeps UTC instants as ISO text, whose first ten characters are the
    day; PostgreSQL keeps timestamptz, turned to UTC before taking its date.
    """
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.substr(column, 1, 10)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _has_purpose(case_id: Any, purpose: Purpose) -> ColumnElement[bool]:
    return exists().where(CasePurpose.case_id == case_id, CasePurpose.purpose == purpose)


def _counts(session: Session, base: Select[Any], buckets: Sequence[list[Any]]) -> list[int]:
    """`base` (a COUNT) under each bucket's conditions, in one statement of UNION ALLs.

    Each bucket is a range of an indexed column, which the database counts
    along the index without sorting anything (a GROUP BY of a computed day
    or band would sort every row first).
    """
    if not buckets:
        return []
    parts = [
        base.add_columns(literal(index).label("bucket")).where(*conditions)
        for index, conditions in enumerate(buckets)
    ]
    counts = [0] * len(buckets)
    for count, index in session.execute(union_all(*parts)):
        counts[int(index)] = int(count)
    return counts


def _week_spans(flt: DashboardFilter) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Each ISO week the range touches: its Monday, and its days within the range as instants."""
    start, end = _bounds(flt)
    monday = flt.start - dt.timedelta(days=flt.start.weekday())
    spans = []
    while monday <= flt.end:
        week_start = dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC)
        week_end = week_start + dt.timedelta(days=7)
        spans.append((monday, max(week_start, start), min(week_end, end)))
        monday += dt.timedelta(days=7)
    return spans


def _weeks(
    flt: DashboardFilter, intake: Sequence[int], approvals: dict[dt.date, int]
) -> tuple[WeekFigures, ...]:
    """The weekly figures: intake counted per week, approvals folded from days into weeks."""
    weeks: list[WeekFigures] = []
    for (monday, _start, _end), created in zip(_week_spans(flt), intake, strict=True):
        year, number, _weekday = monday.isocalendar()
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        weeks.append(
            WeekFigures(
                week=f"{year}-W{number:02d}",
                monday=monday,
                intake=created,
                approvals=sum(approvals.get(day, 0) for day in days),
            )
        )
    return tuple(weeks)


def _intake(session: Session, flt: DashboardFilter, purpose: Purpose | None) -> list[int]:
    base = select(func.count()).select_from(Case)
    if purpose is not None:
        base = base.where(_has_purpose(Case.id, purpose))
    buckets = [
        [Case.created_at >= low, Case.created_at < high] for _m, low, high in _week_spans(flt)
    ]
    return _counts(session, base, buckets)


def _by_status(session: Session, purpose: Purpose | None) -> tuple[tuple[str, int], ...]:
    stmt = select(Case.status, func.count()).group_by(Case.status)
    if purpose is not None:
        stmt = (
            select(Case.status, func.count())
            .select_from(CasePurpose)
            .join(Case, Case.id == CasePurpose.case_id)
            .where(CasePurpose.purpose == purpose)
            .group_by(Case.status)
        )
    counts = {status: int(count) for status, count in session.execute(stmt)}
    return tuple((status.value, counts.get(status, 0)) for status in CaseStatus)


def _age_bands(session: Session, now: dt.datetime, purpose: Purpose | None) -> tuple[AgeBand, ...]:
    # Age in whole days is (now - created_at).days, so "age <= high" is
    # "created after now - (high + 1) days" and "age >= low" is "created at
    # or before now - low days": ranges of instants, exact to the second and
    # the same on both databases, that the (status, created_at) index counts.
    # (A case stamped ahead of this desk's clock is of age 0, as in the queue.)
    buckets = []
    for low, high in AGE_BANDS:
        conditions: list[Any] = []
        if low > 0:
            conditions.append(Case.created_at <= now - dt.timedelta(days=low))
        if high is not None:
            conditions.append(Case.created_at > now - dt.timedelta(days=high + 1))
        buckets.append(conditions)
    base = select(func.count()).select_from(Case).where(Case.status.in_(OPEN_STATUSES))
    if purpose is not None:
        base = base.where(_has_purpose(Case.id, purpose))
    counts = _counts(session, base, buckets)
    return tuple(
        AgeBand(low, high, count) for (low, high), count in zip(AGE_BANDS, counts, strict=True)
    )


def _approvals(
    session: Session, start: dt.datetime, end: dt.datetime, purpose: Purpose | None
) -> tuple[dict[dt.date, int], dict[int, int]]:
    """Approvals in the range per UTC day, and per preparer of the approved case.

    A case is approved at most once (nothing leads back to in_review), so
    approvals count cases.
    """
    day = utc_day(session, Transition.at)
    stmt = (
        select(day, Case.preparer_id, func.count())
        .select_from(Transition)
        .join(Case, Case.id == Transition.case_id)
        .where(
            Transition.to_status == CaseStatus.APPROVED,
            Transition.at >= start,
            Transition.at < end,
        )
        .group_by(day, Case.preparer_id)
    )
    if purpose is not None:
        stmt = stmt.where(_has_purpose(Transition.case_id, purpose))
    per_day: dict[dt.date, int] = {}
    per_preparer: dict[int, int] = {}
    for when, preparer_id, count in session.execute(stmt):
        key = _as_date(when)
        per_day[key] = per_day.get(key, 0) + int(count)
        per_preparer[preparer_id] = per_preparer.get(preparer_id, 0) + int(count)
    return per_day, per_preparer


def _submissions(
    session: Session, start: dt.datetime, end: dt.datetime, purpose: Purpose | None
) -> dict[int, int]:
    """Submissions for review in the range per person who submitted (a resubmission counts)."""
    stmt = (
        select(Transition.actor_id, func.count())
        .where(
            Transition.to_status == CaseStatus.IN_REVIEW,
            Transition.at >= start,
            Transition.at < end,
        )
        .group_by(Transition.actor_id)
    )
    if purpose is not None:
        stmt = stmt.where(_has_purpose(Transition.case_id, purpose))
    return {int(actor): int(n) for actor, n in session.execute(stmt)}


def _officers(
    session: Session, submitted: dict[int, int], approved: dict[int, int]
) -> tuple[OfficerFigures, ...]:
    # Every officer, with nothing to show or not, and anyone else who submitted or prepared.
    officers = set(session.scalars(select(UserRole.user_id).where(UserRole.role == Role.OFFICER)))
    wanted = officers | set(submitted) | set(approved)
    if not wanted:
        return ()
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(wanted))).all())
    rows = [
        OfficerFigures(user, names.get(user, "?"), submitted.get(user, 0), approved.get(user, 0))
        for user in wanted
    ]
    rows.sort(key=lambda row: (sort_key(row.name), row.user_id))
    return tuple(rows)


def _letters(
    session: Session, start: dt.datetime, end: dt.datetime, purpose: Purpose | None
) -> tuple[tuple[str, int], ...]:
    stmt = (
        select(Letter.purpose, func.count())
        .where(Letter.issued_at >= start, Letter.issued_at < end)
        .group_by(Letter.purpose)
    )
    if purpose is not None:
        stmt = stmt.where(Letter.purpose == purpose)
    counts = {p: int(n) for p, n in session.execute(stmt)}
    shown: Sequence[Purpose] = (purpose,) if purpose is not None else tuple(Purpose)
    return tuple((p.value, counts.get(p, 0)) for p in shown)


def dashboard(ctx: AppContext, actor: Actor, flt: DashboardFilter) -> DashboardFigures:
    """The dashboard's figures for the filter; supervisors and administrators only."""
    _require_reader(actor)
    purpose = check_filter(flt)
    now = ctx.now()
    start, end = _bounds(flt)
    with ctx.db.read() as session:
        intake = _intake(session, flt, purpose)
        approvals, approved = _approvals(session, start, end, purpose)
        submitted = _submissions(session, start, end, purpose)
        return DashboardFigures(
            filter=flt,
            computed_at=now,
            by_status=_by_status(session, purpose),
            weeks=_weeks(flt, intake, approvals),
            age_bands=_age_bands(session, now, purpose),
            officers=_officers(session, submitted, approved),
            letters=_letters(session, start, end, purpose),
        )


def default_filter(today: dt.date, *, weeks: int = 12) -> DashboardFilter:
    """The last `weeks` whole ISO weeks up to and including today's."""
    monday = today - dt.timedelta(days=today.weekday())
    return DashboardFilter(start=monday - dt.timedelta(weeks=weeks - 1), end=today)
