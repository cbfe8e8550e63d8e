"""Many desks at once: optimistic locking loses no update and the audit chain stays whole.

Each thread plays one desk.  It shares only the AppContext (engines are
thread-safe; every service call opens its own session), reads a case, and then
saves with the version it read, the way a form does.  A ConflictError is the
expected answer when another desk saved first; anything that is not a
PraverkaError is a failure.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from praverka.app import audit, cases, queries, records, users, workflow
from praverka.app.checklist import state
from praverka.app.context import Actor, AppContext
from praverka.app.errors import ConflictError, PraverkaError, WorkflowError
from praverka.db.enums import CaseStatus
from praverka.db.models import AuditEvent, Case, CaseChecklistItem, Transition
from tests.conftest import Clock, People
from tests.factories import MANUAL_ITEMS, applicant, new_case, ready_case

THREADS = 10
OPS_PER_THREAD = 30
SHARED_CASES = 4
JOIN_TIMEOUT = 120  # seconds; a thread still running after this is stuck on a lock


@dataclass(frozen=True)
class Op:
    """One save attempted by a desk, and how it ended."""

    kind: str  # priority, tick, untick, comment or transition
    case_id: int
    read_version: int
    new_version: int | None = None  # None when refused
    code: str = ""  # checklist item, or the transition's action
    priority: int | None = None
    error: str = ""  # the PraverkaError's class name when refused

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def bumped(self) -> bool:
        return self.new_version is not None and self.new_version == self.read_version + 1

    @property
    def taken_version(self) -> int:
        """The version this save created, or 0 if it created none."""
        return self.new_version if self.bumped and self.new_version is not None else 0

    @property
    def audited(self) -> int:
        """Audit events a successful save wrote: only real changes are recorded."""
        if not self.ok:
            return 0
        if self.kind in ("comment", "tick", "transition"):
            return 1
        return int(self.bumped)  # priority and untick are no-ops when nothing changes


def _run_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Start `count` threads together; return what escaped them (nothing, if all is well)."""
    barrier = threading.Barrier(count)
    escaped: list[BaseException] = []

    def body(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except BaseException as exc:
            escaped.append(exc)

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads still running after {JOIN_TIMEOUT} s (deadlock?): {stuck}"
    return escaped


def _audit_seqs(ctx: AppContext) -> list[int]:
    with ctx.db.read() as session:
        return list(session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))


def _assert_chain_whole(ctx: AppContext) -> None:
    result = audit.verify(ctx)
    assert result.ok, result.message()
    seqs = _audit_seqs(ctx)
    assert seqs == list(range(1, len(seqs) + 1)), "audit sequence numbers have gaps or repeats"


class Desk:
    """One thread's desk: an actor, its own random choices, and the log of what happened."""

    def __init__(self, ctx: AppContext, actor: Actor, case_ids: list[int], seed: int) -> None:
        self.ctx = ctx
        self.actor = actor
        self.case_ids = case_ids
        self.rng = random.Random(seed)
        self.ops: list[Op] = []
        self.openings = 0

    @property
    def is_supervisor(self) -> bool:
        return self.actor.has_role("supervisor")

    def run(self, iterations: int) -> None:
        for _ in range(iterations):
            case_id = self.rng.choice(self.case_ids)
            # Reading goes through the audited opening, as a desk showing the case would.
            detail = queries.open_case(self.ctx, self.actor, case_id)
            self.openings += 1
            self.ops.append(self._save(case_id, detail.summary.version, detail.summary.status))

    def _save(self, case_id: int, version: int, status: str) -> Op:
        ctx, actor, rng = self.ctx, self.actor, self.rng
        kind = rng.choice(("priority", "tick", "untick", "comment", "transition"))
        code, priority = "", None
        try:
            if kind == "priority":
                priority = rng.randint(0, 3)
                new = cases.update_case(ctx, actor, case_id, version, priority=priority)
            elif kind == "tick":
                code = rng.choice(MANUAL_ITEMS)
                new = state.tick(ctx, actor, case_id, version, code, f"seen by {actor.username}")
            elif kind == "untick":
                code = rng.choice(MANUAL_ITEMS)
                new = state.untick(ctx, actor, case_id, version, code)
            elif kind == "comment":
                records.add_comment(ctx, actor, case_id, f"note from {actor.username}")
                new = version  # a note is not a change to the case
            else:
                code, comment = self._pick_action(status)
                new = workflow.transition(ctx, actor, case_id, version, code, comment)
        except PraverkaError as exc:
            return Op(kind, case_id, version, None, code, priority, type(exc).__name__)
        return Op(kind, case_id, version, new, code, priority)

    def _pick_action(self, status: str) -> tuple[str, str]:
        # Officers submit and supervisors review, so four eyes never refuses anyone here.
        if status == CaseStatus.IN_REVIEW:
            if self.is_supervisor:
                return "return", "Second reference is a relative"
            return "submit", ""  # already submitted: refused, and must leave no trace
        if status == CaseStatus.ON_HOLD:
            return "resume", ""
        if status == CaseStatus.DRAFT and not self.is_supervisor and self.rng.random() < 0.5:
            return "submit", ""
        return "hold", "Waiting for the second reference"


@pytest.mark.pg_only
def test_parallel_desks_lose_no_update(ctx: AppContext, people: People, clock: Clock) -> None:
    shared = [ready_case(ctx, people.officer) for _ in range(SHARED_CASES)]
    start_versions = {c.id: c.version for c in shared}
    events_before = len(_audit_seqs(ctx))
    with ctx.db.read() as session:
        transitions_before = session.scalar(select(func.count()).select_from(Transition)) or 0

    # Officers and supervisors alternate, so both submitting and reviewing happen.
    actors = [people.officer2, people.supervisor, people.officer, people.supervisor2]
    desks = [
        Desk(ctx, actors[i % len(actors)], [c.id for c in shared], seed=1000 + i)
        for i in range(THREADS)
    ]
    escaped = _run_threads(THREADS, lambda i: desks[i].run(OPS_PER_THREAD))
    assert not escaped, f"unexpected errors: {escaped!r}"

    ops = [op for desk in desks for op in desk.ops]
    outcomes = Counter(op.error or "ok" for op in ops)
    assert set(outcomes) <= {"ok", "ConflictError", "WorkflowError"}, outcomes
    assert outcomes["ok"] > 0
    assert outcomes["ConflictError"] > 0, f"the desks never collided: {outcomes}"

    with ctx.db.read() as session:
        final = {
            row.id: row
            for row in session.execute(
                select(Case.id, Case.version, Case.priority, Case.status).where(
                    Case.id.in_(start_versions)
                )
            )
        }
        marks = {
            (m.case_id, m.item_code): m.satisfied
            for m in session.scalars(
                select(CaseChecklistItem).where(CaseChecklistItem.case_id.in_(start_versions))
            )
        }
        transitions_after = session.scalar(select(func.count()).select_from(Transition)) or 0
        events = session.execute(
            select(AuditEvent.seq, AuditEvent.case_id, AuditEvent.action, AuditEvent.changes)
            .where(AuditEvent.seq > events_before)
            .order_by(AuditEvent.seq)
        ).all()

    # Every successful change got its own version: none was written over another.
    for case_id, start in start_versions.items():
        bumped = sorted(op.taken_version for op in ops if op.case_id == case_id and op.bumped)
        assert bumped == list(range(start + 1, final[case_id].version + 1)), case_id
    # A refusal never produced a version, and a no-op success never took one.
    assert all(op.new_version in (op.read_version, op.read_version + 1) for op in ops if op.ok)

    # The last priority change to commit is the one that stuck.
    for case_id in start_versions:
        saved = [op for op in ops if op.case_id == case_id and op.kind == "priority" and op.bumped]
        if saved:
            last = max(saved, key=lambda op: op.taken_version)
            assert final[case_id].priority == last.priority

    # Each desk's log and the audit trail tell the same story.
    openings = sum(desk.openings for desk in desks)
    assert len(events) == openings + sum(op.audited for op in ops)
    by_action = Counter(action for _, _, action, _ in events)
    assert by_action["case.open"] == openings
    assert by_action["comment.add"] == sum(1 for op in ops if op.ok and op.kind == "comment")
    audited_ticks: Counter[tuple[int, str, str]] = Counter()
    # ready_case ticked every manual item before the desks started.
    satisfied = {(c, code): True for c in start_versions for code in MANUAL_ITEMS}
    for _, event_case, action, changed in events:
        if action in ("checklist.tick", "checklist.untick") and event_case is not None:
            code = str(json.loads(changed)["item"])
            audited_ticks[(event_case, action, code)] += 1
            satisfied[(event_case, code)] = action == "checklist.tick"
    logged_ticks = Counter(
        (op.case_id, f"checklist.{op.kind}", op.code)
        for op in ops
        if op.kind in ("tick", "untick") and op.audited
    )
    assert audited_ticks == logged_ticks
    # Every successful tick is still there unless an untick came after it.
    assert marks == satisfied

    # The workflow's history matches: each taken transition is one row and one event.
    taken = [op for op in ops if op.ok and op.kind == "transition"]
    assert transitions_after - transitions_before == len(taken)
    status = {c: CaseStatus.DRAFT for c in start_versions}
    for _, event_case, action, _ in events:
        name = action.removeprefix("case.")
        if action.startswith("case.") and name in workflow.ACTIONS and event_case is not None:
            status[event_case] = workflow.ACTIONS[name].target
    assert status == {c: final[c].status for c in start_versions}

    _assert_chain_whole(ctx)


def _create_concurrently(
    ctx: AppContext, people: People, threads: int, per_thread: int
) -> tuple[list[str], int]:
    creators = [people.officer, people.officer2, people.supervisor, people.supervisor2]
    made: list[list[str]] = [[] for _ in range(threads)]
    events_before = len(_audit_seqs(ctx))

    def work(index: int) -> None:
        actor = creators[index % len(creators)]
        for n in range(per_thread):
            data = cases.CaseInput(applicant(given=f"Desk {index} case {n}"))
            made[index].append(cases.create_case(ctx, actor, data).number)

    escaped = _run_threads(threads, work)
    assert not escaped, f"unexpected errors: {escaped!r}"
    return [number for numbers in made for number in numbers], events_before


def _assert_gapless(ctx: AppContext, numbers: list[str], events_before: int, year: int) -> None:
    total = len(numbers)
    assert sorted(numbers) == [f"{year}-{n:06d}" for n in range(1, total + 1)]
    with ctx.db.read() as session:
        stored = sorted(session.scalars(select(Case.number)))
    assert stored == sorted(numbers)
    assert len(_audit_seqs(ctx)) == events_before + total
    _assert_chain_whole(ctx)


@pytest.mark.pg_only
def test_parallel_intake_numbers_are_gapless(ctx: AppContext, people: People, clock: Clock) -> None:
    numbers, events_before = _create_concurrently(ctx, people, THREADS, per_thread=10)
    _assert_gapless(ctx, numbers, events_before, clock.now.year)


def test_parallel_intake_on_any_backend(ctx: AppContext, people: People, clock: Clock) -> None:
    """Fewer desks, on SQLite too: writers queue at BEGIN IMMEDIATE, none sees 'database is locked'."""
    numbers, events_before = _create_concurrently(ctx, people, threads=4, per_thread=5)
    _assert_gapless(ctx, numbers, events_before, clock.now.year)


def test_parallel_refusals_leave_no_trace(ctx: AppContext, people: People) -> None:
    """Desks racing to submit the same case: one wins, the rest are refused and write nothing."""
    case = ready_case(ctx, people.officer)
    events_before = len(_audit_seqs(ctx))
    results: list[int | str] = [""] * 6

    def work(index: int) -> None:
        try:
            results[index] = workflow.transition(
                ctx, people.officer, case.id, case.version, "submit"
            )
        except (ConflictError, WorkflowError) as exc:
            results[index] = type(exc).__name__

    assert not _run_threads(len(results), work)
    assert results.count(case.version + 1) == 1, results
    assert set(results) == {case.version + 1, "ConflictError"}, results
    assert len(_audit_seqs(ctx)) == events_before + 1
    with ctx.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Transition)) == 1
    _assert_chain_whole(ctx)


def test_two_saves_within_one_clock_tick_both_take_a_version(
    ctx: AppContext, people: People, clock: Clock
) -> None:
    """A coarse clock (or a fast desk) gives two saves the same time and the same author.

    The second save still changes the case, so it must still move the version:
    otherwise a desk that read the version in between could save over it unchallenged.
    """
    case = ready_case(ctx, people.officer)
    first = state.untick(ctx, people.officer, case.id, case.version, "interview_held")
    second = state.untick(ctx, people.officer, case.id, first, "photo_matches")
    assert (first, second) == (case.version + 1, case.version + 2)
    with pytest.raises(ConflictError):
        state.tick(ctx, people.officer2, case.id, first, "photo_matches", "seen")


def _collect(errors: list[str], service: Callable[..., object], *args: object) -> None:
    """Make one call; a refusal is fine, anything else (a deadlock, say) is recorded."""
    try:
        service(*args)
    except PraverkaError:
        pass
    except Exception as exc:  # the point is to see them all, not stop at the first
        errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")


@pytest.mark.pg_only
def test_signing_in_while_the_same_user_works_does_not_deadlock(
    ctx: AppContext, people: People
) -> None:
    """One person signs in at a second desk (or someone mistypes their password) while they work.

    The sign-in locks the user's row; every event the user writes checks its
    foreign key to that row after taking the audit head.  A lock that blocks
    that check deadlocks the two.
    """
    case_ids = [new_case(ctx, people.officer, given=f"Ales {n}").id for n in range(3)]
    errors: list[str] = []

    def work(index: int) -> None:
        rng = random.Random(index)
        for n in range(15):
            if index < 2:
                password = "correct-horse-1" if n % 3 else "mistyped"
                _collect(errors, users.authenticate, ctx, "officer", password)
                if n % 3 == 0:
                    # Keep clear of the lockout, which is not what this is about.
                    users.unlock(ctx, people.admin, "officer")
            else:
                case_id = rng.choice(case_ids)
                _collect(errors, queries.open_case, ctx, people.officer, case_id)

    assert not _run_threads(5, work)
    assert not errors, errors
    _assert_chain_whole(ctx)


@pytest.mark.pg_only
def test_assigning_many_cases_while_desks_edit_them_does_not_deadlock(
    ctx: AppContext, people: People
) -> None:
    """A supervisor reassigns batches of cases while officers keep ticking the same cases."""
    case_ids = [new_case(ctx, people.officer, given=f"Ales {n}").id for n in range(5)]
    errors: list[str] = []

    def work(index: int) -> None:
        rng = random.Random(index)
        for _ in range(10):
            if index < 3:
                batch = rng.sample(case_ids, 3)  # each batch in its own order
                officer = rng.choice(["officer", "officer2"])
                _collect(errors, cases.assign, ctx, people.supervisor, batch, officer)
            else:
                case_id = rng.choice(case_ids)
                version = queries.open_case(ctx, people.officer, case_id).summary.version
                tick = (ctx, people.officer, case_id, version, "interview_held", "seen")
                _collect(errors, state.tick, *tick)

    assert not _run_threads(5, work)
    assert not errors, errors
    _assert_chain_whole(ctx)
