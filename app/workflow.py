"""The case workflow: which transitions exist, who may take them, and what each needs.

draft ──submit──▶ in_review ──approve──▶ approved ──attest──▶ attested
  ▲                 │   │
  └────return───────┘   └──reject──▶ rejected
draft/in_review ──withdraw──▶ withdrawn        draft ◀──hold/resume──▶ on_hold

Each transition is one transaction with its audit event; a refused one
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.case_access import get_case, lock_case, preparer_ids, touch
from praverka.app.checklist.state import evaluate, unmet_required
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, PermissionDenied, PraverkaError, WorkflowError
from praverka.app.i18n import N_, _
from praverka.app.users import require_role
from praverka.db.enums import CaseStatus, CommentKind, Role
from praverka.db.models import Case, Comment, Transition


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # marked for translation, shown through _()
    sources: frozenset[CaseStatus]
    target: CaseStatus
    roles: tuple[Role, ...]
    comment_required: bool = False
    comment_kind: CommentKind | None = None
    four_eyes: bool = False  # refused to anyone who prepared the case
    needs_checklist: bool = False


S = CaseStatus
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "submit",
            N_("Submit for review"),
            frozenset({S.DRAFT}),
            S.IN_REVIEW,
            (Role.OFFICER, Role.SUPERVISOR),
            needs_checklist=True,
        ),
        Action(
            "approve",
            N_("Approve"),
            frozenset({S.IN_REVIEW}),
            S.APPROVED,
            (Role.SUPERVISOR,),
            four_eyes=True,
        ),
        Action(
            "return",
            N_("Return to officer"),
            frozenset({S.IN_REVIEW}),
            S.DRAFT,
            (Role.SUPERVISOR,),
            comment_required=True,
            comment_kind=CommentKind.RETURN,
            four_eyes=True,
        ),
        Action(
            "reject",
            N_("Reject"),
            frozenset({S.IN_REVIEW}),
            S.REJECTED,
            (Role.SUPERVISOR,),
            comment_required=True,
            comment_kind=CommentKind.REJECT,
            four_eyes=True,
        ),
        Action(
            "withdraw",
            N_("Withdraw"),
            frozenset({S.DRAFT, S.IN_REVIEW}),
            S.WITHDRAWN,
            (Role.OFFICER, Role.SUPERVISOR),
            comment_required=True,
            comment_kind=CommentKind.WITHDRAW,
        ),
        Action(
            "hold",
            N_("Put on hold"),
            frozenset({S.DRAFT}),
            S.ON_HOLD,
            (Role.OFFICER, Role.SUPERVISOR),
            comment_required=True,
            comment_kind=CommentKind.HOLD,
        ),
        Action(
            "resume", N_("Resume"), frozenset({S.ON_HOLD}), S.DRAFT, (Role.OFFICER, Role.SUPERVISOR)
        ),
        # Taken by the letters service when the attestation letter is issued.
        Action(
            "attest",
            N_("Issue letter"),
            frozenset({S.APPROVED}),
            S.ATTESTED,
            (Role.OFFICER, Role.SUPERVISOR),
        ),
    )
}


@dataclass(frozen=True)
class Availability:
    action: str
    label: str
    allowed: bool
    reason: str  # why not, for a disabled button's tooltip


def _refusal(session: Session, case: Case, actor: Actor, action: Action) -> PraverkaError | None:
    """Why `actor` may not take `action` on `case` now (as the error to raise), or None."""
    if case.status not in action.sources:
        allowed = ", ".join(sorted(s.value for s in action.sources))
        return WorkflowError(
            _("Case {number} is {status}; {action} needs a case that is {allowed}.").format(
                number=case.number,
                status=case.status.value,
                action=_(action.label).lower(),
                allowed=allowed,
            )
        )
    if not any(actor.has_role(role) for role in action.roles):
        return PermissionDenied(
            _("{action} needs the role {roles}.").format(
                action=_(action.label), roles=" or ".join(r.value for r in action.roles)
            )
        )
    if action.four_eyes and actor.user_id in preparer_ids(session, case):
        return PermissionDenied(
            _("You prepared case {number}; another supervisor must review it (four eyes).").format(
                number=case.number
            )
        )
    if action.needs_checklist:
        missing = unmet_required(evaluate(session, case))
        if missing:
            items = "; ".join(f"{m.text}" + (f" ({m.reason})" if m.reason else "") for m in missing)
            return WorkflowError(_("Not ready for review. Still open: {items}").format(items=items))
    return None


def available_actions(ctx: AppContext, actor: Actor, case_id: int) -> list[Availability]:
    with ctx.db.read() as session:
        case = get_case(session, case_id)
        result = []
        for action in ACTIONS.values():
            if action.name == "attest":
                continue
            refusal = _refusal(session, case, actor, action)
            reason = str(refusal) if refusal else ""
            result.append(Availability(action.name, _(action.label), refusal is None, reason))
        return result


def transition(
    ctx: AppContext,
    actor: Actor,
    case_id: int,
    expected_version: int,
    action_name: str,
    comment: str = "",
) -> int:
    """Take a workflow action; returns the case's new version."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise InvalidInput(
            _("Unknown action {name!r}; actions are {valid}.").format(
                name=action_name, valid=", ".join(ACTIONS)
            )
        )
    comment = comment.strip()
    if action.comment_required and not comment:
        raise InvalidInput(_("{action} needs a comment saying why.").format(action=_(action.label)))
    now = ctx.now()
    with ctx.db.write() as session:
        require_role(actor, *action.roles)
        case = lock_case(session, case_id, expected_version)
        apply_action(session, actor, case, action, comment, now)
        session.flush()
        return case.version


def apply_action(
    session: Session, actor: Actor, case: Case, action: Action, comment: str, now: dt.datetime
) -> None:
    """Take `action` on a case the caller has locked, inside the caller's transaction."""
    refusal = _refusal(session, case, actor, action)
    if refusal is not None:
        raise refusal
    source = case.status
    case.status = action.target
    case.status_changed_at = now
    touch(case, actor, now)
    session.add(
        Transition(
            case_id=case.id,
            from_status=source,
            to_status=action.target,
            actor_id=actor.user_id,
            at=now,
            comment=comment,
        )
    )
    if comment and action.comment_kind is not None:
        session.add(
            Comment(
                case_id=case.id,
                author_id=actor.user_id,
                kind=action.comment_kind,
                body=comment,
                created_at=now,
            )
        )
    audit.record(
        session,
        now,
        actor,
        f"case.{action.name}",
        "case",
        case.id,
        case_id=case.id,
        changes={"status": [source.value, action.target.value], "comment": comment},
    )
