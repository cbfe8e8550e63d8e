"""The supervisor's side of the queue: the review queue, workload per officer, assigning many
cases at once, and the returned cases an officer has to see.

Every figure here is counted by the database; nothing loads every case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from praverka.app import cases, queries, settings
from praverka.app.case_access import get_case, preparer_ids
from praverka.app.context import Actor, AppContext
from praverka.app.errors import PermissionDenied, PraverkaError
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.db.collation import sort_key
from praverka.db.enums import CaseStatus, Role
from praverka.db.models import AuditEvent, Case, Transition, User, UserRole

# Cases still being worked on: what counts towards an officer's workload.
OPEN_STATUSES = (
    CaseStatus.DRAFT,
    CaseStatus.ON_HOLD,
    CaseStatus.IN_REVIEW,
    CaseStatus.APPROVED,
)
# Closed cases keep the officer who worked them.
CLOSED_STATUSES = frozenset({CaseStatus.ATTESTED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})

DEFAULT_AGE_AMBER_DAYS = 3
DEFAULT_AGE_RED_DAYS = 7


# ---------------------------------------------------------------- the review queue


def review_queue_filter() -> queries.CaseFilter:
    """Cases waiting for a supervisor, oldest first: the "Review queue" preset."""
    return queries.CaseFilter(statuses=(CaseStatus.IN_REVIEW.value,), sort="age", descending=False)


@dataclass(frozen=True)
class AgeThresholds:
    amber_days: int = DEFAULT_AGE_AMBER_DAYS
    red_days: int = DEFAULT_AGE_RED_DAYS

    def level(self, age_days: int) -> str:
        """ "red", "amber" or "" (young enough) for a case `age_days` old."""
        if age_days >= self.red_days:
            return "red"
        if age_days >= self.amber_days:
            return "amber"
        return "normal"


def age_thresholds(ctx: AppContext) -> AgeThresholds:
    """The office's age thresholds, from the shared settings (3 and 7 days unless changed)."""
    stored = settings.get_settings(ctx)
    return AgeThresholds(stored.age_amber_days, stored.age_red_days)


# ---------------------------------------------------------------- four eyes


def prepared_by(ctx: AppContext, actor: Actor, case_id: int) -> bool:
    """Whether `actor` prepared the case (created or submitted it): they may not review it."""
    with ctx.db.read() as session:
        return actor.user_id in preparer_ids(session, get_case(session, case_id))


# ---------------------------------------------------------------- workload


@dataclass(frozen=True)
class OfficerLoad:
    user_id: int
    username: str
    full_name: str
    open_cases: int  # draft, on hold, in review or approved, assigned to them
    in_review: int  # of those, waiting for a supervisor


def workload(ctx: AppContext) -> list[OfficerLoad]:
    """Every active officer with the open cases assigned to them, least loaded first."""
    is_officer = exists().where(UserRole.user_id == User.id, UserRole.role == Role.OFFICER)
    open_count = func.count(Case.id)
    in_review = func.count(Case.id).filter(Case.status == CaseStatus.IN_REVIEW)
    stmt = (
        select(User.id, User.username, User.full_name, open_count, in_review)
        .outerjoin(
            Case,
            and_(Case.assigned_officer_id == User.id, Case.status.in_(OPEN_STATUSES)),
        )
        .where(User.active.is_(True), is_officer)
        .group_by(User.id, User.username, User.full_name)
    )
    with ctx.db.read() as session:
        loads = [OfficerLoad(*row) for row in session.execute(stmt)]
    # Names in alphabetical order among equals, whichever database sorted the counts.
    return sorted(loads, key=lambda load: (load.open_cases, sort_key(load.full_name), load.user_id))


# ---------------------------------------------------------------- assigning


@dataclass(frozen=True)
class AssignOutcome:
    case_id: int
    number: str
    changed: bool  # False when refused or already theirs
    refusal: str  # why not, "" when assigned or already theirs


@dataclass(frozen=True)
class AssignReport:
    officer: str
    outcomes: tuple[AssignOutcome, ...]

    @property
    def assigned(self) -> int:
        return sum(1 for o in self.outcomes if o.changed)

    @property
    def unchanged(self) -> int:
        return sum(1 for o in self.outcomes if not o.changed and not o.refusal)

    @property
    def refused(self) -> tuple[AssignOutcome, ...]:
        return tuple(o for o in self.outcomes if o.refusal)


def assign_many(
    ctx: AppContext, actor: Actor, case_ids: Sequence[int], officer: str
) -> AssignReport:
    """Assign each case to `officer` (a user name) on its own: one refusal stops no other.

    A closed case (attested, rejected, withdrawn) keeps its officer.
    """
    require_role(actor, Role.SUPERVISOR)
    wanted = list(dict.fromkeys(case_ids))
    with ctx.db.read() as session:
        found = {
            row.id: (row.number, row.status)
            for row in session.execute(
                select(Case.id, Case.number, Case.status).where(Case.id.in_(wanted))
            )
        }
    outcomes: list[AssignOutcome] = []
    for case_id in wanted:
        if case_id not in found:
            outcomes.append(
                AssignOutcome(
                    case_id,
                    str(case_id),
                    False,
                    _("There is no case with id {id}.").format(id=case_id),
                )
            )
            continue
        number, status = found[case_id]
        if status in CLOSED_STATUSES:
            outcomes.append(
                AssignOutcome(
                    case_id,
                    number,
                    False,
                    _("Case {number} is {status}; a closed case keeps its officer.").format(
                        number=number, status=status.value
                    ),
                )
            )
            continue
        try:
            changed = cases.assign(ctx, actor, [case_id], officer)
        except PermissionDenied:
            raise
        except PraverkaError as exc:
            outcomes.append(AssignOutcome(case_id, number, False, str(exc)))
            continue
        outcomes.append(AssignOutcome(case_id, number, changed > 0, ""))
    return AssignReport(officer, tuple(outcomes))


# ---------------------------------------------------------------- returned cases


@dataclass(frozen=True)
class ReturnedCase:
    number: str
    returned_at: dt.datetime
    by: str  # the supervisor who returned it
    comment: str
    case_id: int = 0
    seen: bool = False  # opened by the officer since it came back


def returned_to(ctx: AppContext, actor: Actor, *, unseen_only: bool = False) -> list[ReturnedCase]:
    """Drafts assigned to or prepared by `actor` that came back from review, newest first.

    A case counts while its last transition is the return; `seen` says whether
    the officer has opened it since (so a status bar can count what is new).
    """
    last = aliased(Transition)
    latest_id = (
        select(func.max(last.id)).where(last.case_id == Case.id).correlate(Case).scalar_subquery()
    )
    seen = (
        exists()
        .where(
            AuditEvent.case_id == Case.id,
            AuditEvent.action == "case.open",
            AuditEvent.actor_id == actor.user_id,
            AuditEvent.at >= Transition.at,
        )
        .correlate(Case, Transition)
    )
    stmt = (
        select(Case.id, Case.number, Transition.at, User.full_name, Transition.comment, seen)
        .join(Transition, Transition.case_id == Case.id)
        .join(User, User.id == Transition.actor_id)
        .where(
            Case.status == CaseStatus.DRAFT,
            or_(Case.assigned_officer_id == actor.user_id, Case.preparer_id == actor.user_id),
            Transition.id == latest_id,
            Transition.from_status == CaseStatus.IN_REVIEW,
            Transition.to_status == CaseStatus.DRAFT,
        )
        .order_by(Transition.at.desc(), Case.id.desc())
    )
    if unseen_only:
        stmt = stmt.where(~seen)
    with ctx.db.read() as session:
        return [
            ReturnedCase(
                number=number,
                returned_at=at,
                by=by,
                comment=comment,
                case_id=case_id,
                seen=bool(was_seen),
            )
            for case_id, number, at, by, comment, was_seen in session.execute(stmt)
        ]
