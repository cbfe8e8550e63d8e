"""The audit trail: one hash chain over every event, on SQLite and PostgreSQL alike.

Each event's hash is SHA-256 over the canonical JSON encoding of the event,
which includes the previous event's hash.  Writers append under a row lock on
`audit_head`, held until their transaction commits, so concurrent desks on
PostgreSQL still produce one unbroken chain in sequence order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from praverka.app.context import Actor, AppContext
from praverka.app.i18n import _
from praverka.db.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
HEAD_ID = 1


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def format_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class EventData:
    """An event before it joins the chain."""

    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    case_id: int | None
    changes: str  # canonical JSON


def event_bytes(seq: int, event: EventData, prev_hash: str) -> bytes:
    """The canonical encoding that is hashed; changing it breaks every stored chain."""
    return canonical_json(
        [
            seq,
            format_time(event.at),
            event.actor_id,
            event.actor_name,
            event.action,
            event.entity_type,
            event.entity_id,
            event.case_id,
            event.changes,
            prev_hash,
        ]
    ).encode("utf-8")


def event_hash(seq: int, event: EventData, prev_hash: str) -> str:
    return hashlib.sha256(event_bytes(seq, event, prev_hash)).hexdigest()


def chain_rows(
    head_seq: int, head_hash: str, events: Iterable[EventData]
) -> tuple[list[dict[str, Any]], int, str]:
    """Link events after (head_seq, head_hash); returns rows to insert and the new head."""
    rows: list[dict[str, Any]] = []
    seq, prev = head_seq, head_hash
    for event in events:
        seq += 1
        digest = event_hash(seq, event, prev)
        rows.append(
            {
                "seq": seq,
                "at": event.at,
                "actor_id": event.actor_id,
                "actor_name": event.actor_name,
                "action": event.action,
                "entity_type": event.entity_type,
                "entity_id": event.entity_id,
                "case_id": event.case_id,
                "changes": event.changes,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows, seq, prev


def lock_head(session: Session) -> AuditHead:
    """Lock the chain's head row for this transaction, creating it on first use."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        # Two first writers racing on an empty database: the primary key lets
        # one insert win; the other fails its transaction and is retried by the caller.
        head = AuditHead(id=HEAD_ID, seq=0, hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    return head


def append(session: Session, events: Iterable[EventData]) -> None:
    head = lock_head(session)
    rows, head.seq, head.hash = chain_rows(head.seq, head.hash, events)
    if rows:
        session.execute(insert(AuditEvent), rows)


def record(
    session: Session,
    at: dt.datetime,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: object,
    *,
    case_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Append one event in the caller's transaction."""
    append(
        session,
        [
            EventData(
                at=at,
                actor_id=actor.user_id if actor else None,
                actor_name=actor.username if actor else "system",
                action=action,
                entity_type=entity_type,
                entity_id=str(entity_id),
                case_id=case_id,
                changes=canonical_json(dict(changes or {})),
            )
        ],
    )


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Fields whose values differ, as {field: [old, new]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


# ---------------------------------------------------------------- verification


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events_checked: int
    first_broken_seq: int | None = None
    first_broken_id: int | None = None
    problem: str = ""

    def message(self) -> str:
        if self.ok:
            return _("Audit trail intact: {n} events, chain unbroken.").format(
                n=self.events_checked
            )
        if self.first_broken_id is None:
            return _("Audit trail broken at event {seq} (missing): {problem}").format(
                seq=self.first_broken_seq, problem=self.problem
            )
        return _("Audit trail broken at event {seq} (id {id}): {problem}").format(
            seq=self.first_broken_seq, id=self.first_broken_id, problem=self.problem
        )


_EVENT_COLUMNS = (
    AuditEvent.id,
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.actor_name,
    AuditEvent.action,
    AuditEvent.entity_type,
    AuditEvent.entity_id,
    AuditEvent.case_id,
    AuditEvent.changes,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


def verify(ctx: AppContext) -> VerifyResult:
    """Walk the whole chain; report the first event that does not follow from the one before."""
    checked = 0
    expected_seq = 1
    prev_hash = GENESIS_HASH
    with ctx.db.read() as session:
        head = session.get(AuditHead, HEAD_ID)
        # Plain rows, streamed: building an ORM object per event would triple the time.
        rows = session.execute(
            select(*_EVENT_COLUMNS).order_by(AuditEvent.seq).execution_options(yield_per=10_000)
        )
        for row in rows:
            (
                row_id,
                seq,
                at,
                actor_id,
                actor_name,
                action,
                entity_type,
                entity_id,
                case_id,
                changes,
                stored_prev,
                stored_hash,
            ) = row
            data = EventData(
                at, actor_id, actor_name, action, entity_type, entity_id, case_id, changes
            )
            problem = ""
            if seq != expected_seq:
                problem = _("expected event number {want}, found {got} (events missing)").format(
                    want=expected_seq, got=seq
                )
            elif stored_prev != prev_hash:
                problem = _(
                    "it does not link to the event before it "
                    "(an earlier event was changed, removed or reordered)"
                )
            elif event_hash(seq, data, prev_hash) != stored_hash:
                problem = _("its content was changed after it was written")
            if problem:
                return VerifyResult(False, checked, seq, row_id, problem)
            checked += 1
            expected_seq += 1
            prev_hash = stored_hash
        head_seq = head.seq if head else 0
        head_hash = head.hash if head else GENESIS_HASH
        if head_seq != checked or head_hash != prev_hash:
            return VerifyResult(
                False,
                checked,
                checked + 1,
                None,
                _(
                    "the chain ends at event {n} but {m} events were written (events removed at the end)"
                ).format(n=checked, m=head_seq),
            )
    return VerifyResult(True, checked)
