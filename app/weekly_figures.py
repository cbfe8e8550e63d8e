"""The figures of one ISO week for the supervisors' weekly report, counted in SQL.

Days run midnight to midnight UTC, Monday first.  "Now" figures (cases by status, open
cases by age, open cases per officer) are as of the moment the figures are made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from praverka.app.context import AppContext
from praverka.app.errors import InvalidInput
from praverka.app.i18n import N_, _
from praverka.db.collation import sort_key
from praverka.db.enums import CaseStatus
from praverka.db.models import Case, Letter, Transition, User
from praverka.reports.weekly import OfficerFigures, WeeklyFigures, WeeklyLabels

OPEN_STATUSES = (
    CaseStatus.DRAFT,
    CaseStatus.ON_HOLD,
    CaseStatus.IN_REVIEW,
    CaseStatus.APPROVED,
)
# (from days, up to days or None): an open case's age in whole days since it was created.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 3, N_("0–2 days")),
    (3, 7, N_("3–6 days")),
    (7, 14, N_("7–13 days")),
    (14, 30, N_("14–29 days")),
    (30, None, N_("30 days or more")),
)
STATUS_LABELS = {
    CaseStatus.DRAFT: N_("Draft"),
    CaseStatus.ON_HOLD: N_("On hold"),
    CaseStatus.IN_REVIEW: N_("In review"),
    CaseStatus.APPROVED: N_("Approved"),
    CaseStatus.ATTESTED: N_("Letter issued"),
    CaseStatus.REJECTED: N_("Rejected"),
    CaseStatus.WITHDRAWN: N_("Withdrawn"),
}
DAY_LABELS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
S = CaseStatus
# Which transitions count as what, by (from, to).
SUBMITTED = (S.DRAFT, S.IN_REVIEW)
APPROVED = (S.IN_REVIEW, S.APPROVED)
RETURNED = (S.IN_REVIEW, S.DRAFT)
REJECTED = (S.IN_REVIEW, S.REJECTED)


def week_start(week: tuple[int, int]) -> dt.datetime:
    """Monday 00:00 UTC of the ISO week (year, week)."""
    try:
        monday = dt.date.fromisocalendar(week[0], week[1], 1)
    except ValueError:
        raise InvalidInput(
            _("There is no week {week} in {year}.").format(week=week[1], year=week[0])
        ) from None
    return dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC)


def current_week(now: dt.datetime) -> tuple[int, int]:
    year, week, _day = now.astimezone(dt.UTC).isocalendar()
    return year, week


def _transition(pair: tuple[CaseStatus, CaseStatus]) -> list[ColumnElement[bool]]:
    return [Transition.from_status == pair[0], Transition.to_status == pair[1]]


def _per_day(
    session: Session, column: Any, start: dt.datetime, where: Sequence[ColumnElement[bool]]
) -> tuple[int, ...]:
    """How many rows fall on each of the seven days from `start`, in one SELECT."""
    bounds = [start + dt.timedelta(days=day) for day in range(8)]
    counts = [
        func.coalesce(
            func.sum(when((and_(column >= bounds[day], column < bounds[day + 1]), 1), else_=0)), 0
        )
        for day in range(7)
    ]
    row = session.execute(
        select(*counts).where(column >= bounds[0], column < bounds[7], *where)
    ).one()
    return tuple(int(n) for n in row)


def _grouped(session: Session, key: Any, *where: ColumnElement[bool]) -> dict[int, int]:
    return {k: int(n) for k, n in session.execute(select(key, func.count()).where(*where).group_by(key))
            if k is not None}  # fmt: skip


def _officers(session: Session, start: dt.datetime, end: dt.datetime) -> tuple[OfficerFigures, ...]:
    in_week = and_(Transition.at >= start, Transition.at < end)
    intake = _grouped(session, Case.preparer_id, Case.created_at >= start, Case.created_at < end)
    submitted = _grouped(session, Transition.actor_id, in_week, *_transition(SUBMITTED))
    decided = _grouped(
        session,
        Transition.actor_id,
        in_week,
        Transition.from_status == S.IN_REVIEW,
        Transition.to_status.in_([APPROVED[1], RETURNED[1], REJECTED[1]]),
    )
    letters = _grouped(
        session, Letter.issued_by_id, Letter.issued_at >= start, Letter.issued_at < end
    )
    open_assigned = _grouped(session, Case.assigned_officer_id, Case.status.in_(OPEN_STATUSES))
    ids = set(intake) | set(submitted) | set(decided) | set(letters) | set(open_assigned)
    if not ids:
        return ()
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
    found = [
        OfficerFigures(
            name=names.get(user_id, "?"),
            intake=intake.get(user_id, 0),
            submitted=submitted.get(user_id, 0),
            decided=decided.get(user_id, 0),
            letters=letters.get(user_id, 0),
            open_assigned=open_assigned.get(user_id, 0),
        )
        for user_id in ids
    ]
    return tuple(sorted(found, key=lambda o: (sort_key(o.name), o.name)))


def _age_bands(session: Session, now: dt.datetime) -> tuple[tuple[str, int], ...]:
    counts = []
    for low, high, _label in AGE_BANDS:
        condition = Case.created_at <= now - dt.timedelta(days=low)
        if high is not None:
            condition = and_(condition, Case.created_at > now - dt.timedelta(days=high))
        counts.append(func.coalesce(func.sum(when((condition, 1), else_=0)), 0))
    row = session.execute(select(*counts).where(Case.status.in_(OPEN_STATUSES))).one()
    return tuple((_(label), int(n)) for (_low, _high, label), n in zip(AGE_BANDS, row, strict=True))


def weekly_figures(ctx: AppContext, week: tuple[int, int]) -> WeeklyFigures:
    """Everything the weekly report shows about the ISO week `week` (year, week number)."""
    start = week_start(week)
    end = start + dt.timedelta(days=7)
    now = ctx.now()
    with ctx.db.read() as session:
        statuses = dict(
            session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
        )

        def moves(pair: tuple[CaseStatus, CaseStatus]) -> tuple[int, ...]:
            return _per_day(session, Transition.at, start, _transition(pair))

        return WeeklyFigures(
            iso_year=week[0],
            iso_week=week[1],
            first_day=start.date(),
            generated_at=now.astimezone(dt.UTC),
            day_labels=tuple(_(label) for label in DAY_LABELS),
            intake=_per_day(session, Case.created_at, start, ()),
            submitted=moves(SUBMITTED),
            approved=moves(APPROVED),
            returned=moves(RETURNED),
            rejected=moves(REJECTED),
            letters=_per_day(session, Letter.issued_at, start, ()),
            by_status=tuple(
                (_(STATUS_LABELS[status]), int(statuses.get(status, 0))) for status in CaseStatus
            ),
            age_bands=_age_bands(session, now),
            officers=_officers(session, start, end),
        )


def weekly_labels() -> WeeklyLabels:
    """The report's headings in the active language (the English defaults are the msgids)."""
    english = WeeklyLabels()
    return WeeklyLabels(
        **{f.name: _(getattr(english, f.name)) for f in dataclasses.fields(english)}
    )
