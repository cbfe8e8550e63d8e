"""The audit trail: what gets recorded, and that tampering with it is found and named.

Tampering goes around the services, straight to the table with SQL, the way
someone with database access would; `audit.verify` and `praverka audit verify`
must then name the first event that no longer follows from the one before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import pytest
from sqlalchemy import Connection, Table, delete, func, select, update

from praverka.app import audit, queries, users, workflow
from praverka.app.cli import main
from praverka.app.context import AppContext
from praverka.app.errors import (
    AuthenticationFailed,
    ConflictError,
    InvalidInput,
    PermissionDenied,
    PraverkaError,
    WorkflowError,
)
from praverka.db.models import AuditEvent, AuditHead, Transition
from tests.conftest import Clock, People
from tests.factories import new_case, ready_case

EVENTS = cast(Table, AuditEvent.__table__)
# Everything that makes an event what it is; `id` and `seq` stay where they were.
CONTENT = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "entity_type",
    "entity_id",
    "case_id",
    "changes",
    "prev_hash",
    "hash",
)


def _count(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _last(ctx: AppContext) -> AuditEvent:
    with ctx.db.read() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        return event


def _cli_verify(db_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", db_url, "audit", "verify"])
    out, err = capsys.readouterr()
    return code, out, err


@dataclass(frozen=True)
class Activity:
    events: int  # how many events the chain holds afterwards


@pytest.fixture
def activity(ctx: AppContext, people: People, clock: Clock) -> Activity:
    """A morning at the office: sign-ins, intake, a review, a look at a case, a typo'd password."""
    case = ready_case(ctx, people.officer)
    clock.advance(minutes=5)
    version = workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    clock.advance(minutes=5)
    queries.open_case(ctx, people.supervisor, case.id)
    workflow.transition(ctx, people.supervisor, case.id, version, "approve")
    other = new_case(ctx, people.officer2, surname="Казлова", given="Святлана")
    workflow.transition(ctx, people.officer2, other.id, other.version, "hold", "Waiting for a call")
    with pytest.raises(AuthenticationFailed):
        users.authenticate(ctx, "officer2", "wrong password")
    users.authenticate(ctx, "officer2", "correct-horse-1")
    return Activity(_count(ctx))


def test_real_activity_leaves_an_intact_chain(
    ctx: AppContext, activity: Activity, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert activity.events > 20
    result = audit.verify(ctx)
    assert result.ok, result.message()
    assert result.events_checked == activity.events
    with ctx.db.read() as session:
        seqs = list(session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))
        head = session.get(AuditHead, audit.HEAD_ID)
    assert seqs == list(range(1, activity.events + 1))
    assert head is not None and head.seq == activity.events

    code, out, err = _cli_verify(db_url, capsys)
    assert code == 0, err
    assert out.strip().count("\n") == 0 and str(activity.events) in out
    assert err == ""


# ---------------------------------------------------------------- tampering


def _edit_changes(conn: Connection, seq: int) -> None:
    conn.execute(
        update(EVENTS).where(EVENTS.c.seq == seq).values(changes='{"status":["draft","approved"]}')
    )


def _edit_and_rehash(conn: Connection, seq: int) -> None:
    """A careful forger also recomputes the edited event's own hash; the next link still breaks."""
    row = conn.execute(select(EVENTS).where(EVENTS.c.seq == seq)).one()
    forged = audit.EventData(
        at=row.at,
        actor_id=row.actor_id,
        actor_name="someone else",
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        case_id=row.case_id,
        changes=row.changes,
    )
    conn.execute(
        update(EVENTS)
        .where(EVENTS.c.seq == seq)
        .values(actor_name="someone else", hash=audit.event_hash(seq, forged, row.prev_hash))
    )


def _delete(conn: Connection, seq: int) -> None:
    conn.execute(delete(EVENTS).where(EVENTS.c.seq == seq))


def _swap_with_next(conn: Connection, seq: int) -> None:
    """Reorder: two neighbours trade everything but their place in the sequence."""
    rows = {
        row.seq: row for row in conn.execute(select(EVENTS).where(EVENTS.c.seq.in_([seq, seq + 1])))
    }
    for here, there in ((seq, seq + 1), (seq + 1, seq)):
        values = {name: getattr(rows[there], name) for name in CONTENT}
        conn.execute(update(EVENTS).where(EVENTS.c.seq == here).values(**values))


@dataclass(frozen=True)
class Tampering:
    name: str
    apply: Callable[[Connection, int], None]
    at: Callable[[int], int]  # which event is tampered with, given how many there are
    broken: Callable[[int], int]  # which event verify must name, given the tampered one


TAMPERINGS = [
    Tampering("edit", _edit_changes, lambda n: n // 2, lambda s: s),
    Tampering("edit the first", _edit_changes, lambda n: 1, lambda s: s),
    Tampering("edit and rehash", _edit_and_rehash, lambda n: n // 2, lambda s: s + 1),
    Tampering("delete a middle event", _delete, lambda n: n // 2, lambda s: s + 1),
    Tampering("delete the first event", _delete, lambda n: 1, lambda s: s + 1),
    Tampering("delete the last event", _delete, lambda n: n, lambda s: s),
    Tampering("swap two events", _swap_with_next, lambda n: n // 2, lambda s: s),
]


@pytest.mark.parametrize("tampering", TAMPERINGS, ids=[t.name for t in TAMPERINGS])
def test_tampering_is_found_and_named(
    ctx: AppContext,
    activity: Activity,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    tampering: Tampering,
) -> None:
    assert audit.verify(ctx).ok
    seq = tampering.at(activity.events)
    with ctx.db.engine.begin() as conn:
        tampering.apply(conn, seq)

    result = audit.verify(ctx)
    assert not result.ok
    expected = tampering.broken(seq)
    assert result.first_broken_seq == expected, result.message()
    assert result.problem
    assert f"event {expected} " in result.message()

    code, out, err = _cli_verify(db_url, capsys)
    assert code != 0
    assert "Traceback" not in out + err
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert f"event {expected} " in lines[0]


# ---------------------------------------------------------------- what is recorded


def test_opening_a_case_is_recorded(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    before = _count(ctx)
    queries.open_case(ctx, people.supervisor2, case.id)
    assert _count(ctx) == before + 1
    event = _last(ctx)
    assert (event.action, event.entity_type, event.entity_id, event.case_id) == (
        "case.open",
        "case",
        str(case.id),
        case.id,
    )
    assert (event.actor_id, event.actor_name) == (
        people.supervisor2.user_id,
        people.supervisor2.username,
    )
    assert audit.verify(ctx).ok


def test_a_failed_login_is_recorded(ctx: AppContext, people: People) -> None:
    before = _count(ctx)
    with pytest.raises(AuthenticationFailed):
        users.authenticate(ctx, "officer", "not the password")
    assert _count(ctx) == before + 1
    event = _last(ctx)
    assert (event.action, event.entity_id, event.actor_id) == (
        "login.failed",
        str(people.officer.user_id),
        None,
    )
    assert json.loads(event.changes) == {"failed_logins": 1}
    # The wrong password itself is never written down.
    assert "not the password" not in event.changes
    assert audit.verify(ctx).ok


Refusal = Callable[[AppContext, People], object]


def _approve_a_draft(ctx: AppContext, people: People) -> object:
    case = ready_case(ctx, people.officer)
    return workflow.transition(ctx, people.supervisor, case.id, case.version, "approve")


def _submit_an_incomplete_case(ctx: AppContext, people: People) -> object:
    case = new_case(ctx, people.officer)
    return workflow.transition(ctx, people.officer, case.id, case.version, "submit")


def _approve_own_case(ctx: AppContext, people: People) -> object:
    case = ready_case(ctx, people.supervisor)
    version = workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    return workflow.transition(ctx, people.supervisor, case.id, version, "approve")


def _officer_approves(ctx: AppContext, people: People) -> object:
    case = ready_case(ctx, people.officer)
    version = workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    return workflow.transition(ctx, people.officer2, case.id, version, "approve")


def _stale_version(ctx: AppContext, people: People) -> object:
    case = new_case(ctx, people.officer)
    workflow.transition(ctx, people.officer, case.id, case.version, "hold", "Waiting for a call")
    return workflow.transition(ctx, people.officer2, case.id, case.version, "withdraw", "Gone")


def _return_without_comment(ctx: AppContext, people: People) -> object:
    case = ready_case(ctx, people.officer)
    version = workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    return workflow.transition(ctx, people.supervisor, case.id, version, "return", "  ")


REFUSALS: list[tuple[str, Refusal, type[PraverkaError]]] = [
    ("approve a draft", _approve_a_draft, WorkflowError),
    ("submit an incomplete case", _submit_an_incomplete_case, WorkflowError),
    ("approve your own case", _approve_own_case, PermissionDenied),
    ("an officer approves", _officer_approves, PermissionDenied),
    ("stale version", _stale_version, ConflictError),
    ("return without a comment", _return_without_comment, InvalidInput),
]


@pytest.mark.parametrize(
    ("refusal", "error"), [(r, e) for _, r, e in REFUSALS], ids=[n for n, _, _ in REFUSALS]
)
def test_a_refused_transition_writes_nothing(
    ctx: AppContext,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
    refusal: Refusal,
    error: type[PraverkaError],
) -> None:
    # Count from just before the refused call, whatever the set-up wrote.
    counts: list[tuple[int, int]] = []
    real = workflow.transition

    def counted(*args: object, **kwargs: object) -> int:
        with ctx.db.read() as session:
            transitions = session.scalar(select(func.count()).select_from(Transition)) or 0
        counts.append((_count(ctx), transitions))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workflow, "transition", counted)
    with pytest.raises(error):
        refusal(ctx, people)
    with ctx.db.read() as session:
        transitions = session.scalar(select(func.count()).select_from(Transition)) or 0
    assert (_count(ctx), transitions) == counts[-1]
    assert audit.verify(ctx).ok
