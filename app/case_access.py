"""Loading a case for change: row lock, optimistic version check, permission to edit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from praverka.app.context import Actor
from praverka.app.errors import ConflictError, NotFound, WorkflowError
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.db.enums import CaseStatus, Role
from praverka.db.models import Case, Transition, User

EDITABLE = frozenset({CaseStatus.DRAFT, CaseStatus.ON_HOLD})


def get_case(session: Session, case_id: int, *, for_update: bool = False) -> Case:
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    case = session.scalars(stmt).one_or_none()
    if case is None:
        raise NotFound(_("There is no case with id {id}.").format(id=case_id))
    return case


def lock_case(session: Session, case_id: int, expected_version: int) -> Case:
    """Lock the case row and refuse if another desk saved it since `expected_version` was read.

    The row lock makes a second desk wait for the first to commit and then see
    the new version, so the check and the write cannot interleave.
    """
    case = get_case(session, case_id, for_update=True)
    if case.version != expected_version:
        who = session.get(User, case.updated_by_id)
        name = who.full_name if who else "?"
        when = case.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        raise ConflictError(
            _(
                "Case {number} was changed by {who} at {when} after you opened it. "
                "Nothing was saved; reload the case to see their changes."
            ).format(number=case.number, who=name, when=when),
            changed_by=name,
            changed_at=when,
        )
    return case


def touch(case: Case, actor: Actor, now: dt.datetime) -> None:
    """Mark the case changed; this bumps its version when the session flushes."""
    case.updated_at = now
    case.updated_by_id = actor.user_id
    # The same person saving twice within one clock tick sets equal values, which
    # the ORM would skip: no UPDATE, no new version, and a stale desk would not conflict.
    flag_modified(case, "updated_at")


def require_editable(case: Case, actor: Actor) -> None:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    if case.status not in EDITABLE:
        raise WorkflowError(
            _("Case {number} is {status}; only draft or on-hold cases can be edited.").format(
                number=case.number, status=case.status.value
            )
        )


def preparer_ids(session: Session, case: Case) -> set[int]:
    """Everyone who prepared the case: its creator and whoever submitted it for review."""
    submitters = session.scalars(
        select(Transition.actor_id).where(
            Transition.case_id == case.id, Transition.to_status == CaseStatus.IN_REVIEW
        )
    )
    return {case.preparer_id, *submitters}
