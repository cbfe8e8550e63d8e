"""The workflow as a state machine: random sequences of real service calls against a model.

Hypothesis drives the services on a real database (SQLite and PostgreSQL) while
the machine keeps its own idea of every case: status, version, who prepared it,
what its checklist holds.  Each call is predicted to succeed or to be refused,
and the database must agree: a refusal changes nothing (not even the audit
trail), a success moves the case exactly as the model says.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from praverka.app import audit, cases, queries, records, workflow
from praverka.app.checklist import state
from praverka.app.context import Actor, AppContext
from praverka.app.errors import (
    ConflictError,
    InvalidInput,
    PermissionDenied,
    PraverkaError,
    WorkflowError,
)
from praverka.db.enums import CaseStatus, Role
from praverka.db.models import AuditEvent, Case, Transition
from tests.conftest import Clock, People
from tests.factories import MANUAL_ITEMS, applicant

S = CaseStatus
EVALUATED_ITEMS = (
    "identity_document",
    "references_confirmed",
    "no_open_duplicate",
    "no_open_watchlist_hit",
)
ALL_ITEMS = EVALUATED_ITEMS + MANUAL_ITEMS
EDITABLE = frozenset({S.DRAFT, S.ON_HOLD})
WAIVABLE = frozenset({S.DRAFT, S.ON_HOLD, S.IN_REVIEW})
# Once a case is here its data is frozen; only these events may still name it.
FROZEN = frozenset({S.APPROVED, S.ATTESTED, S.REJECTED, S.WITHDRAWN})
ALLOWED_ON_FROZEN = frozenset({"case.open", "comment.add", "case.attest"})
REVIEW_ACTIONS = frozenset({"approve", "return", "reject"})

USERNAMES = ("officer", "officer2", "supervisor", "supervisor2", "admin")
EDITORS = ("officer", "officer2", "supervisor", "supervisor2")
# Mostly the version just read, sometimes one another desk has moved past.
OFFSETS = st.sampled_from([0, 0, 0, 0, 0, -1, 1])
COMMENTS = st.sampled_from(["", "   ", "Reference could not be reached twice"])

# A few applicants' names.  The model assumes no screening hits (intake does not
# screen yet); once it does, repeated names here must be modelled as duplicates.
SURNAMES = ("Францкевіч", "Багдановіч", "Казлова", "Шведава", "Лісоўскі", "Дуброўская")
GIVEN = ("Алесь", "Ігар", "Святлана", "Ганна", "Яўген", "Вольга", "Міхась")


@dataclass
class CaseModel:
    id: int
    number: str
    creator: str
    status: CaseStatus = S.DRAFT
    version: int = 1
    priority: int = 1
    submitters: set[str] = field(default_factory=set)
    ticked: set[str] = field(default_factory=set)
    waived: set[str] = field(default_factory=set)
    identity_ok: bool = False
    references: dict[int, bool] = field(default_factory=dict)

    @property
    def preparers(self) -> set[str]:
        return {self.creator, *self.submitters}

    def done(self, code: str) -> bool:
        if code in self.waived:
            return True
        if code == "identity_document":
            return self.identity_ok
        if code == "references_confirmed":
            return sum(self.references.values()) >= 2
        if code in MANUAL_ITEMS:
            return code in self.ticked
        return True  # the screening items: no hits are ever raised here

    @property
    def ready(self) -> bool:
        return all(self.done(code) for code in ALL_ITEMS)


Reasons = set[type[PraverkaError]]


def _db_state(ctx: AppContext, case_id: int) -> tuple[CaseStatus, int]:
    with ctx.db.read() as session:
        status, version = session.execute(
            select(Case.status, Case.version).where(Case.id == case_id)
        ).one()
        return status, version


def _snapshot(ctx: AppContext, case_id: int | None) -> tuple[tuple[CaseStatus, int] | None, int]:
    """The case's (status, version), if any, and how many audit events exist: one read."""
    with ctx.db.read() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        if case_id is None:
            return None, events
        status, version = session.execute(
            select(Case.status, Case.version).where(Case.id == case_id)
        ).one()
        return (status, version), events


class WorkflowMachine(RuleBasedStateMachine):
    """Bound to a database by `bind` below; hypothesis builds one instance per example."""

    ctx: AppContext
    actors: dict[str, Actor]
    clock: Clock

    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.models: dict[int, CaseModel] = {}

    # ------------------------------------------------------------ predictions

    def _edit_reasons(self, model: CaseModel, who: str, offset: int) -> Reasons:
        reasons: Reasons = set()
        if offset:
            reasons.add(ConflictError)
        if who not in EDITORS:
            reasons.add(PermissionDenied)
        if model.status not in EDITABLE:
            reasons.add(WorkflowError)
        return reasons

    def _transition_reasons(
        self, model: CaseModel, action_name: str, who: str, comment: str, offset: int
    ) -> Reasons:
        action = workflow.ACTIONS[action_name]
        actor = self.actors[who]
        reasons: Reasons = set()
        if action.comment_required and not comment.strip():
            reasons.add(InvalidInput)
        if offset:
            reasons.add(ConflictError)
        if not any(actor.has_role(role) for role in action.roles):
            reasons.add(PermissionDenied)
        if model.status not in action.sources:
            reasons.add(WorkflowError)
        if action.four_eyes and who in model.preparers:
            reasons.add(PermissionDenied)
        if action.needs_checklist and not model.ready:
            reasons.add(WorkflowError)
        return reasons

    # ------------------------------------------------------------ one checked call

    def _run(
        self,
        model: CaseModel | None,
        reasons: Reasons,
        call: Callable[[], Any],
        *,
        bumps: bool = True,
        events: int = 1,
        status: CaseStatus | None = None,
        version_of: Callable[[Any], int] | None = None,
    ) -> Any:
        """Make one call the model has judged, and check the database agrees."""
        self.clock.advance(seconds=1)
        case_id = model.id if model is not None else None
        before, events_before = _snapshot(self.ctx, case_id)
        if model is not None:
            assert before == (model.status, model.version), "the model lost track of the case"
        if reasons:
            with pytest.raises(PraverkaError) as refused:
                call()
            assert isinstance(refused.value, tuple(reasons)), (
                f"expected one of {sorted(r.__name__ for r in reasons)}, "
                f"got {type(refused.value).__name__}: {refused.value}"
            )
            assert str(refused.value).strip(), "a refusal must say why"
            after, events_after = _snapshot(self.ctx, case_id)
            assert after == before, "a refused call changed the case"
            assert events_after == events_before, "a refused call wrote audit events"
            return None
        result = call()
        after, events_after = _snapshot(self.ctx, case_id)
        assert events_after == events_before + events
        if model is not None:
            assert before is not None and after is not None
            status_after, version_after = after
            assert status_after == (status or model.status)
            assert version_after == before[1] + (1 if bumps else 0)
            if version_of is not None:
                assert version_of(result) == version_after
            model.status, model.version = status_after, version_after
        return result

    # ------------------------------------------------------------ cases

    @rule(
        target=cases,
        who=st.sampled_from(EDITORS),
        surname=st.sampled_from(SURNAMES),
        given=st.sampled_from(GIVEN),
    )
    def create_case(self, who: str, surname: str, given: str) -> int:
        return self._create(who, surname, given)

    def _create(self, who: str, surname: str, given: str) -> int:
        made = self._run(
            None,
            set(),
            lambda: cases.create_case(
                self.ctx,
                self.actors[who],
                cases.CaseInput(applicant(surname, given), purposes=["bank_account"]),
            ),
        )
        assert _db_state(self.ctx, made.id) == (S.DRAFT, made.version)
        self.models[made.id] = CaseModel(made.id, made.number, who, version=made.version)
        return int(made.id)

    @initialize(
        target=cases,
        creator=st.sampled_from(EDITORS),
        submitter=st.sampled_from(EDITORS),
        waiving=st.booleans(),
    )
    def case_in_review(self, creator: str, submitter: str, waiving: bool) -> int:
        """Every run starts with one case waiting for review, where four eyes matter most."""
        case = self._create(creator, "Лісоўскі", "Міхась")
        self.complete_checklist(case, creator, waiving)
        self._transition(self.models[case], "submit", submitter, "", 0)
        return case

    @rule()
    def create_case_without_role(self) -> None:
        self._run(
            None,
            {PermissionDenied},
            lambda: cases.create_case(
                self.ctx, self.actors["admin"], cases.CaseInput(applicant(), purposes=["other"])
            ),
        )

    @rule(case=cases, who=st.sampled_from(USERNAMES), priority=st.integers(0, 3), offset=OFFSETS)
    def update_priority(self, case: int, who: str, priority: int, offset: int) -> None:
        model = self.models[case]
        changes = priority != model.priority
        reasons = self._edit_reasons(model, who, offset)
        self._run(
            model,
            reasons,
            lambda: cases.update_case(
                self.ctx, self.actors[who], case, model.version + offset, priority=priority
            ),
            bumps=changes,
            events=int(changes),
            version_of=lambda v: v,
        )
        if not reasons:
            model.priority = priority

    @rule(case=cases, who=st.sampled_from(USERNAMES), body=st.sampled_from(["", "  ", "Called"]))
    def comment(self, case: int, who: str, body: str) -> None:
        # A note is allowed in any state and is not a change to the case.
        model = self.models[case]
        reasons: Reasons = set() if body.strip() else {InvalidInput}
        self._run(
            model,
            reasons,
            lambda: records.add_comment(self.ctx, self.actors[who], case, body),
            bumps=False,
        )

    @rule(case=cases, who=st.sampled_from(USERNAMES))
    def open_case(self, case: int, who: str) -> None:
        model = self.models[case]
        detail = self._run(
            model,
            set(),
            lambda: queries.open_case(self.ctx, self.actors[who], case),
            bumps=False,
        )
        assert detail.summary.status == model.status.value
        assert detail.summary.version == model.version

    # ------------------------------------------------------------ documents and references

    @rule(case=cases, who=st.sampled_from(USERNAMES), offset=OFFSETS)
    def add_identity_document(self, case: int, who: str, offset: int) -> None:
        model = self.models[case]
        reasons = self._edit_reasons(model, who, offset)
        self._run(
            model,
            reasons,
            lambda: records.add_document(
                self.ctx,
                self.actors[who],
                case,
                model.version + offset,
                records.DocumentInput(
                    "passport", "lost", number="MP1234567", note="Taken at the border in 2024"
                ),
            ),
            version_of=lambda r: r[1],
        )
        if not reasons:
            model.identity_ok = True

    @rule(case=cases, who=st.sampled_from(USERNAMES), offset=OFFSETS, confirm=st.booleans())
    def add_reference(self, case: int, who: str, offset: int, confirm: bool) -> None:
        model = self.models[case]
        reasons = self._edit_reasons(model, who, offset)
        made = self._run(
            model,
            reasons,
            lambda: records.add_reference(
                self.ctx,
                self.actors[who],
                case,
                model.version + offset,
                records.ReferenceInput("Ihar Bahdanovich", "neighbour", "+380671112233", 10),
            ),
            version_of=lambda r: r[1],
        )
        if reasons:
            return
        ref_id = made[0]
        model.references[ref_id] = False
        if confirm:
            self._run(
                model,
                set(),
                lambda: records.log_contact(
                    self.ctx, self.actors[who], ref_id, model.version, "confirmed"
                ),
                version_of=lambda v: v,
            )
            model.references[ref_id] = True

    @rule(case=cases, who=st.sampled_from(USERNAMES), confirmed=st.booleans(), data=st.data())
    def set_reference_confirmed(
        self, case: int, who: str, confirmed: bool, data: st.DataObject
    ) -> None:
        model = self.models[case]
        if not model.references:
            return
        ref_id = data.draw(st.sampled_from(sorted(model.references)))
        reasons = self._edit_reasons(model, who, 0)
        changes = model.references[ref_id] != confirmed
        self._run(
            model,
            reasons,
            lambda: records.set_reference_confirmed(
                self.ctx, self.actors[who], ref_id, model.version, confirmed
            ),
            bumps=changes,
            events=int(changes),
            version_of=lambda v: v,
        )
        if not reasons:
            model.references[ref_id] = confirmed

    # ------------------------------------------------------------ checklist

    @rule(
        case=cases,
        who=st.sampled_from(USERNAMES),
        code=st.sampled_from((*MANUAL_ITEMS, "identity_document")),
        evidence=st.sampled_from(["Seen in person", "  "]),
        offset=OFFSETS,
    )
    def tick(self, case: int, who: str, code: str, evidence: str, offset: int) -> None:
        model = self.models[case]
        reasons = self._edit_reasons(model, who, offset)
        if not evidence.strip() or code not in MANUAL_ITEMS:
            reasons.add(InvalidInput)
        self._run(
            model,
            reasons,
            lambda: state.tick(
                self.ctx, self.actors[who], case, model.version + offset, code, evidence
            ),
            version_of=lambda v: v,
        )
        if not reasons:
            model.ticked.add(code)

    @rule(case=cases, who=st.sampled_from(USERNAMES), code=st.sampled_from(MANUAL_ITEMS))
    def untick(self, case: int, who: str, code: str) -> None:
        model = self.models[case]
        reasons = self._edit_reasons(model, who, 0)
        # Unticking an open item is a no-op: no new version, nothing to audit.
        changes = code in model.ticked
        self._run(
            model,
            reasons,
            lambda: state.untick(self.ctx, self.actors[who], case, model.version, code),
            bumps=changes,
            events=int(changes),
            version_of=lambda v: v,
        )
        if not reasons:
            model.ticked.discard(code)

    @rule(
        case=cases,
        who=st.sampled_from(USERNAMES),
        code=st.sampled_from(ALL_ITEMS),
        reason=st.sampled_from(["Interview held by video, applicant in hospital", " "]),
        offset=OFFSETS,
    )
    def waive(self, case: int, who: str, code: str, reason: str, offset: int) -> None:
        model = self.models[case]
        reasons: Reasons = set()
        if not reason.strip():
            reasons.add(InvalidInput)
        if offset:
            reasons.add(ConflictError)
        if not self.actors[who].has_role(Role.SUPERVISOR):
            reasons.add(PermissionDenied)
        if model.status not in WAIVABLE:
            reasons.add(WorkflowError)
        self._run(
            model,
            reasons,
            lambda: state.waive(
                self.ctx, self.actors[who], case, model.version + offset, code, reason
            ),
            version_of=lambda v: v,
        )
        if not reasons:
            model.waived.add(code)

    @rule(case=cases, who=st.sampled_from(EDITORS), waiving=st.booleans())
    def complete_checklist(self, case: int, who: str, waiving: bool = False) -> None:
        """Do what an officer does before submitting, or have a supervisor waive what is left."""
        model = self.models[case]
        if model.status not in EDITABLE:
            return
        if waiving:
            supervisor = who if self.actors[who].has_role(Role.SUPERVISOR) else "supervisor2"
            for code in ALL_ITEMS:
                if not model.done(code):
                    self.waive(case, supervisor, code, "Seen by the partner organisation", 0)
        if not model.identity_ok:
            self.add_identity_document(case, who, 0)
        while sum(model.references.values()) < 2:
            self.add_reference(case, who, 0, True)
        for code in MANUAL_ITEMS:
            if code not in model.ticked:
                self.tick(case, who, code, "Seen in person", 0)
        assert model.ready
        assert not state.unmet_required(state.case_checklist(self.ctx, case))

    # ------------------------------------------------------------ workflow

    def _transition(
        self, model: CaseModel, action: str, who: str, comment: str, offset: int
    ) -> None:
        if action == "submit":
            # The model's idea of readiness must be the checklist's own.
            unmet = state.unmet_required(state.case_checklist(self.ctx, model.id))
            assert model.ready == (not unmet), [item.code for item in unmet]
        reasons = self._transition_reasons(model, action, who, comment, offset)
        target = workflow.ACTIONS[action].target
        # Shown by --hypothesis-show-statistics: which transitions really got exercised.
        event(f"{action} from {model.status.value}: {'refused' if reasons else 'taken'}")
        self._run(
            model,
            reasons,
            lambda: workflow.transition(
                self.ctx, self.actors[who], model.id, model.version + offset, action, comment
            ),
            status=target,
            version_of=lambda v: v,
        )
        if reasons:
            return
        if action == "submit":
            model.submitters.add(who)
        if action in REVIEW_ACTIONS:
            assert who not in model.preparers, "four eyes: a preparer reviewed their own case"

    @rule(
        case=cases,
        action=st.sampled_from(sorted(workflow.ACTIONS)),
        who=st.sampled_from(USERNAMES),
        comment=COMMENTS,
        offset=OFFSETS,
    )
    def attempt(self, case: int, action: str, who: str, comment: str, offset: int) -> None:
        self._transition(self.models[case], action, who, comment, offset)

    @rule(case=cases, data=st.data())
    def legal_transition(self, case: int, data: st.DataObject) -> None:
        model = self.models[case]
        comment = "Checked with the supervisor"
        legal = [
            (action, who)
            for action in sorted(workflow.ACTIONS)
            for who in USERNAMES
            if not self._transition_reasons(model, action, who, comment, 0)
        ]
        if legal:
            action, who = data.draw(st.sampled_from(legal))
            self._transition(model, action, who, comment, 0)

    @rule(case=cases, data=st.data())
    def progress(self, case: int, data: st.DataObject) -> None:
        """One legal step along the main road, so that reviews and letters are reached often."""
        model = self.models[case]
        if model.status == S.DRAFT and not model.ready:
            self.complete_checklist(
                case, data.draw(st.sampled_from(EDITORS)), data.draw(st.booleans())
            )
        forward = {
            S.DRAFT: ("submit",),
            S.ON_HOLD: ("resume",),
            S.IN_REVIEW: ("approve", "return", "reject"),
            S.APPROVED: ("attest",),
        }.get(model.status, ())
        comment = "Documents and references checked"
        legal = [
            (action, who)
            for action in forward
            for who in USERNAMES
            if not self._transition_reasons(model, action, who, comment, 0)
        ]
        if legal:
            action, who = data.draw(st.sampled_from(legal))
            self._transition(model, action, who, comment, 0)

    @rule(case=cases, action=st.sampled_from(sorted(REVIEW_ACTIONS)), data=st.data())
    def review_by_the_wrong_person(self, case: int, action: str, data: st.DataObject) -> None:
        """Whoever prepared the case, or lacks the supervisor role, tries to review it."""
        model = self.models[case]
        wrong = sorted(model.preparers | {"officer", "officer2", "admin"})
        who = data.draw(st.sampled_from(wrong))
        self._transition(model, action, who, "Looks fine to me", 0)

    @rule(case=cases, who=st.sampled_from(USERNAMES))
    def available_actions_agree(self, case: int, who: str) -> None:
        model = self.models[case]
        offered = workflow.available_actions(self.ctx, self.actors[who], case)
        for choice in offered:
            expected = not self._transition_reasons(model, choice.action, who, "because", 0)
            assert choice.allowed == expected, (choice, model.status, who)
            assert choice.allowed == (not choice.reason)

    # ------------------------------------------------------------ at the end of each run

    def teardown(self) -> None:
        for model in self.models.values():
            assert _db_state(self.ctx, model.id) == (model.status, model.version)
        self._check_history()
        result = audit.verify(self.ctx)
        assert result.ok, result.message()

    def _check_history(self) -> None:
        """Read back what was stored and check it obeys the rules, whatever the model says."""
        if not self.models:
            return
        ids = sorted(self.models)
        with self.ctx.db.read() as session:
            creators = dict(
                session.execute(select(Case.id, Case.preparer_id).where(Case.id.in_(ids))).all()
            )
            transitions = session.scalars(
                select(Transition).where(Transition.case_id.in_(ids)).order_by(Transition.id)
            ).all()
            events = session.execute(
                select(AuditEvent.case_id, AuditEvent.action, AuditEvent.seq)
                .where(AuditEvent.case_id.in_(ids))
                .order_by(AuditEvent.seq)
            ).all()
        submitted: dict[int, set[int]] = {i: set() for i in ids}
        for t in transitions:
            if t.from_status == S.IN_REVIEW and t.to_status in (S.APPROVED, S.DRAFT, S.REJECTED):
                preparers = {creators[t.case_id], *submitted[t.case_id]}
                assert t.actor_id not in preparers, f"case {t.case_id} reviewed by its preparer"
            if t.to_status == S.IN_REVIEW:
                submitted[t.case_id].add(t.actor_id)
        status = {i: S.DRAFT for i in ids}
        for case_id, action, seq in events:
            assert case_id is not None
            if status[case_id] in FROZEN:
                assert action in ALLOWED_ON_FROZEN, (
                    f"event {seq} {action} changed case {case_id} while {status[case_id]}"
                )
            name = action.removeprefix("case.")
            if action.startswith("case.") and name in workflow.ACTIONS:
                status[case_id] = workflow.ACTIONS[name].target
        assert status == {i: m.status for i, m in self.models.items()}


_NAMES = itertools.count()


def bind(ctx: AppContext, people: People, clock: Clock) -> type[WorkflowMachine]:
    actors = {name: getattr(people, name) for name in USERNAMES}

    class Bound(WorkflowMachine):
        pass

    Bound.ctx, Bound.actors, Bound.clock = ctx, actors, clock
    Bound.__name__ = Bound.__qualname__ = f"WorkflowMachine{next(_NAMES)}"
    return Bound


# Kept modest: every step is several real transactions, on both backends.
MACHINE_SETTINGS = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_workflow_follows_the_model(ctx: AppContext, people: People, clock: Clock) -> None:
    run_state_machine_as_test(bind(ctx, people, clock), settings=MACHINE_SETTINGS)
