"""A case's checklist: evaluate rules, tick manual items with evidence, waive with a reason."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.case_access import get_case, lock_case, require_editable, touch
from praverka.app.checklist.rules import RULES, CaseFacts, DocumentFact, HitFact, ReferenceFact
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound, WorkflowError
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.db.enums import CaseStatus, ItemKind, Role
from praverka.db.models import (
    Case,
    CaseChecklistItem,
    ChecklistItem,
    ChecklistTemplate,
    Document,
    Reference,
    ScreeningHit,
)


@dataclass(frozen=True)
class ItemState:
    code: str
    text: str
    kind: str  # "evaluated" or "manual"
    required: bool
    met: bool  # satisfied by the data or by a tick
    waived: bool
    reason: str  # why an evaluated item is not met
    evidence: str
    satisfied_by_id: int | None
    satisfied_at: dt.datetime | None
    waive_reason: str
    waived_by_id: int | None
    waived_at: dt.datetime | None

    @property
    def done(self) -> bool:
        return self.met or self.waived


def case_facts(session: Session, case_id: int) -> CaseFacts:
    documents = session.execute(
        select(Document.kind, Document.seen_as, Document.verification, Document.note).where(
            Document.case_id == case_id
        )
    )
    references = session.scalars(select(Reference.confirmed).where(Reference.case_id == case_id))
    hits = session.execute(
        select(ScreeningHit.kind, ScreeningHit.status).where(ScreeningHit.case_id == case_id)
    )
    return CaseFacts(
        documents=tuple(DocumentFact(*row) for row in documents),
        references=tuple(ReferenceFact(bool(c)) for c in references),
        hits=tuple(HitFact(*row) for row in hits),
    )


def evaluate(session: Session, case: Case) -> list[ItemState]:
    template = session.get(ChecklistTemplate, case.checklist_template_id)
    assert template is not None
    marks = {
        m.item_code: m
        for m in session.scalars(
            select(CaseChecklistItem).where(CaseChecklistItem.case_id == case.id)
        )
    }
    facts = case_facts(session, case.id)
    states: list[ItemState] = []
    for item in template.items:
        mark = marks.get(item.code)
        if item.kind == ItemKind.EVALUATED:
            result = RULES[item.rule](facts, json.loads(item.params or "{}"))
            met, reason = result.met, result.reason
        else:
            met = bool(mark and mark.satisfied)
            reason = "" if met else _("Not ticked yet.")
        states.append(
            ItemState(
                code=item.code,
                text=item.text,
                kind=item.kind.value,
                required=item.required,
                met=met,
                waived=bool(mark and mark.waived),
                reason=reason,
                evidence=mark.evidence if mark else "",
                satisfied_by_id=mark.satisfied_by_id if mark else None,
                satisfied_at=mark.satisfied_at if mark else None,
                waive_reason=mark.waive_reason if mark else "",
                waived_by_id=mark.waived_by_id if mark else None,
                waived_at=mark.waived_at if mark else None,
            )
        )
    return states


def unmet_required(states: list[ItemState]) -> list[ItemState]:
    return [s for s in states if s.required and not s.done]


def case_checklist(ctx: AppContext, case_id: int) -> list[ItemState]:
    with ctx.db.read() as session:
        return evaluate(session, get_case(session, case_id))


def _template_item(session: Session, case: Case, code: str) -> ChecklistItem:
    template = session.get(ChecklistTemplate, case.checklist_template_id)
    assert template is not None
    for item in template.items:
        if item.code == code:
            return item
    raise NotFound(
        _("Checklist item {code!r} is not on this case's checklist (version {v}).").format(
            code=code, v=template.version
        )
    )


def _mark(session: Session, case_id: int, code: str) -> CaseChecklistItem:
    mark = session.scalars(
        select(CaseChecklistItem).where(
            CaseChecklistItem.case_id == case_id, CaseChecklistItem.item_code == code
        )
    ).one_or_none()
    if mark is None:
        mark = CaseChecklistItem(case_id=case_id, item_code=code, satisfied=False, waived=False)
        session.add(mark)
    return mark


def tick(
    ctx: AppContext, actor: Actor, case_id: int, expected_version: int, code: str, evidence: str
) -> int:
    """Tick a manual item with an evidence note; returns the case's new version."""
    evidence = evidence.strip()
    if not evidence:
        raise InvalidInput(_("Say what shows this item is done (an evidence note)."))
    now = ctx.now()
    with ctx.db.write() as session:
        case = lock_case(session, case_id, expected_version)
        require_editable(case, actor)
        item = _template_item(session, case, code)
        if item.kind != ItemKind.MANUAL:
            raise InvalidInput(
                _("{code!r} is computed from the case's data and cannot be ticked.").format(
                    code=code
                )
            )
        mark = _mark(session, case.id, code)
        before = {"satisfied": mark.satisfied, "evidence": mark.evidence}
        mark.satisfied, mark.evidence = True, evidence
        mark.satisfied_by_id, mark.satisfied_at = actor.user_id, now
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "checklist.tick",
            "case",
            case.id,
            case_id=case.id,
            changes={"item": code, **audit.diff(before, {"satisfied": True, "evidence": evidence})},
        )
        session.flush()
        return case.version


def untick(ctx: AppContext, actor: Actor, case_id: int, expected_version: int, code: str) -> int:
    now = ctx.now()
    with ctx.db.write() as session:
        case = lock_case(session, case_id, expected_version)
        require_editable(case, actor)
        _template_item(session, case, code)
        mark = _mark(session, case.id, code)
        if mark.satisfied:
            mark.satisfied, mark.satisfied_by_id, mark.satisfied_at = False, None, None
            touch(case, actor, now)
            audit.record(
                session,
                now,
                actor,
                "checklist.untick",
                "case",
                case.id,
                case_id=case.id,
                changes={"item": code},
            )
        session.flush()
        return case.version


WAIVABLE = frozenset({CaseStatus.DRAFT, CaseStatus.ON_HOLD, CaseStatus.IN_REVIEW})


def waive(
    ctx: AppContext, actor: Actor, case_id: int, expected_version: int, code: str, reason: str
) -> int:
    """A supervisor waives an item, with a reason; returns the case's new version."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("A waiver needs a reason."))
    now = ctx.now()
    with ctx.db.write() as session:
        require_role(actor, Role.SUPERVISOR)
        case = lock_case(session, case_id, expected_version)
        if case.status not in WAIVABLE:
            raise WorkflowError(
                _("Case {number} is {status}; its checklist can no longer change.").format(
                    number=case.number, status=case.status.value
                )
            )
        _template_item(session, case, code)
        mark = _mark(session, case.id, code)
        mark.waived, mark.waive_reason = True, reason
        mark.waived_by_id, mark.waived_at = actor.user_id, now
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "checklist.waive",
            "case",
            case.id,
            case_id=case.id,
            changes={"item": code, "reason": reason},
        )
        session.flush()
        return case.version
