"""A case's history as sentences a person reads: status changes, comments and recorded events.

The audit trail stores each event's action code and its changes as JSON; the
timeline turns them into one short sentence each, with only the details that
matter.  Changes to personal data (the applicant's address, a reference's
phone) are named by field, never by value: the timeline is on screen, and the
values are in the case itself.  One step that left both a status change and its
audit event (and, for some steps, a comment) shows as one line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from praverka.app.i18n import N_, _
from praverka.app.views import TimelineEntry
from praverka.app.vocabulary import DOCUMENT_KINDS, OUTCOMES, PURPOSES, status_label, word
from praverka.db.enums import CommentKind
from praverka.db.models import AuditEvent, Comment, Transition, User

# What an entry is about, for the timeline's "What" column.
KINDS: dict[str, str] = {
    "transition": N_("Status"),
    "comment": N_("Comment"),
    "case": N_("Case"),
    "applicant": N_("Applicant"),
    "document": N_("Document"),
    "reference": N_("Reference"),
    "checklist": N_("Checklist"),
    "letter": N_("Letter"),
    "screening": N_("Screening"),
    "record": N_("Record"),
}

# The event families whose "What" is their own kind; anything else is a "record".
_FAMILY_KINDS = set(KINDS) - {"transition", "record"}
_FAMILY_ALIASES = {"scan": "document"}

# Workflow steps by their action code (workflow.ACTIONS), as the timeline says them.
STEPS: dict[str, str] = {
    "submit": N_("Submitted for review"),
    "approve": N_("Approved"),
    "return": N_("Returned to the officer"),
    "reject": N_("Rejected"),
    "withdraw": N_("Withdrawn"),
    "hold": N_("Put on hold"),
    "resume": N_("Resumed"),
    "attest": N_("Attested: letter issued"),
}

# Names of changed fields, by the keys the services record.
FIELDS: dict[str, str] = {
    # applicant
    "names": N_("names"),
    "birth": N_("date of birth"),
    "sex": N_("sex"),
    "citizenship": N_("citizenship"),
    "phone": N_("phone"),
    "email": N_("email"),
    "address": N_("address"),
    # case
    "purposes": N_("purposes"),
    "priority": N_("priority"),
    "assigned_officer_id": N_("assigned officer"),
    # document
    "kind": N_("kind"),
    "number": N_("number"),
    "seen_as": N_("how it was seen"),
    "verification": N_("verification"),
    "issuing_country": N_("issuing country"),
    "issuing_authority": N_("issuing authority"),
    "issue_date": N_("issue date"),
    "expiry_date": N_("expiry date"),
    "note": N_("note"),
    # reference
    "name": N_("name"),
    "relationship": N_("relationship"),
    "contact": N_("contact"),
    "years_known": N_("years known"),
    "confirmed": N_("confirmed"),
}

HIT_KINDS: dict[str, str] = {"duplicate": N_("possible duplicate"), "watchlist": N_("watchlist")}
HIT_STATUSES: dict[str, str] = {"cleared": N_("cleared"), "confirmed": N_("confirmed")}

DASH = " \N{EM DASH} "
ARROW = " \N{RIGHTWARDS ARROW} "


def kind_label(kind: str) -> str:
    """The word for an entry's kind; an unknown kind shows as itself."""
    return word(KINDS, kind)


@dataclass(frozen=True)
class CaseFacts:
    """What the sentences name things by: people, and the case's documents, references, items."""

    users: Mapping[int, str]  # user id -> full name
    documents: Mapping[int, str]  # document id -> "Passport MP1234567"
    references: Mapping[int, str]  # reference id -> the reference's name
    checklist_items: Mapping[str, str]  # item code -> its text

    def user(self, user_id: object) -> str:
        return self.users.get(user_id, "?") if isinstance(user_id, int) else "?"


def describe_document(kind: object, number: object) -> str:
    return " ".join(p for p in (word(DOCUMENT_KINDS, kind), str(number or "")) if p)


def _fields(changes: Mapping[str, Any]) -> str:
    return ", ".join(word(FIELDS, key) for key in changes)


def _with(sentence: str, detail: object) -> str:
    """A sentence and its detail (a reason, a comment) when there is one."""
    text = str(detail or "").strip()
    return f"{sentence}: {text}" if text else sentence


def _copy(number: object) -> str:
    return _("copy {n}").format(n=number) if number else _("original")


def _new_value(change: object) -> object:
    """The recorded value after a change: diffs store [old, new], plain records the value."""
    if isinstance(change, list) and len(change) == 2:
        return change[1]
    return change


def _generic(action: str, changes: Mapping[str, Any]) -> str:
    """An action nobody taught the timeline to say: its name and the fields it touched."""
    what = action.replace(".", " ").replace("_", " ").strip().capitalize() or _("Recorded event")
    fields = _fields(changes)
    return f"{what}: {fields}" if fields else what


# ------------------------------------------------------------------ one sentence per action


Phrase = Callable[[str, Mapping[str, Any], "CaseFacts"], str]


def _case_create(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    purposes = ", ".join(word(PURPOSES, p) for p in c.get("purposes") or [])
    return _with(_("Case created"), purposes)


def _case_update(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Case details changed: {fields}").format(fields=_fields(c))


def _case_assign(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    officer = _new_value(c.get("assigned_officer_id"))
    if officer is None:
        return _("No longer assigned to an officer")
    return _("Assigned to {name}").format(name=facts.user(officer))


def _case_open(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Case opened")


def _applicant_update(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Applicant changed: {fields}").format(fields=_fields(c))


def _document_add(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Document added: {document}").format(
        document=describe_document(c.get("kind"), c.get("number"))
    )


def _document_named(entity: str, facts: CaseFacts) -> str:
    return facts.documents.get(_int(entity), _("document {id}").format(id=entity))


def _document_update(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Document changed: {document}{dash}{fields}").format(
        document=_document_named(entity, facts), dash=DASH, fields=_fields(c)
    )


def _scan_attach(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Scan added to {document}").format(document=_document_named(entity, facts))


def _reference_named(entity: str, facts: CaseFacts) -> str:
    return facts.references.get(_int(entity), _("reference {id}").format(id=entity))


def _reference_add(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    text = _("Reference added: {name}").format(
        name=c.get("name") or _reference_named(entity, facts)
    )
    return f"{text} ({c['relationship']})" if c.get("relationship") else text


def _reference_contact(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Reference {name} contacted by {channel}: {outcome}").format(
        name=_reference_named(entity, facts),
        channel=c.get("channel") or "?",
        outcome=word(OUTCOMES, c.get("outcome")),
    )


def _reference_confirm(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    name = _reference_named(entity, facts)
    if _new_value(c.get("confirmed")):
        return _("Reference {name} marked as confirmed").format(name=name)
    return _("Reference {name} marked as not confirmed").format(name=name)


def _comment_add(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _with(_("Comment added"), c.get("body"))


def _item(c: Mapping[str, Any], facts: CaseFacts) -> str:
    code = str(c.get("item") or "?")
    return facts.checklist_items.get(code, code)


def _checklist_tick(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    text = _("Checklist item ticked: {item}").format(item=_item(c, facts))
    evidence = str(_new_value(c.get("evidence")) or "").strip()
    return f"{text}{DASH}{evidence}" if evidence else text


def _checklist_untick(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _("Checklist item unticked: {item}").format(item=_item(c, facts))


def _checklist_waive(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    text = _("Checklist item waived: {item}").format(item=_item(c, facts))
    reason = str(c.get("reason") or "").strip()
    return f"{text}{DASH}{reason}" if reason else text


def _letter_issue(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    text = _("Letter {serial} issued").format(serial=entity)
    return _with(text, word(PURPOSES, c["purpose"]) if c.get("purpose") else "")


def _letter_correct(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    text = _("Letter {serial} issued in place of {old}").format(
        serial=entity, old=c.get("supersedes") or "?"
    )
    return _with(text, c.get("reason"))


def _where(output: object, destination: object) -> str:
    """Where a copy went: the printer's name, or the name of the PDF file (not its folder)."""
    place = str(destination or "").strip()
    if not place:
        return ""
    if output == "save":
        # Windows paths parse on every platform; a POSIX path is a Windows path too.
        return _("to {file}").format(file=PureWindowsPath(place).name)
    return _("on {printer}").format(printer=place)


def _letter_output(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    output = c.get("output")
    if output == "save":
        text = _("Letter {serial} saved as PDF ({copy})")
    else:
        text = _("Letter {serial} printed ({copy})")
    text = text.format(serial=entity, copy=_copy(c.get("copy")))
    where = _where(output, c.get("destination"))
    return f"{text} {where}" if where else text


def _letter_reprint(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    output = c.get("output")
    if output == "save":
        text = _("Letter {serial} saved again as PDF ({copy})")
    else:
        text = _("Letter {serial} reprinted ({copy})")
    text = text.format(serial=entity, copy=_copy(c.get("copy")))
    where = _where(output, c.get("destination"))
    return _with(f"{text} {where}" if where else text, c.get("reason"))


def _letter_spoiled(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    text = _("Letter {serial}, {copy}, marked spoiled").format(
        serial=entity, copy=_copy(c.get("copy"))
    )
    return _with(text, c.get("reason"))


def _letter_revoke(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    return _with(_("Letter {serial} revoked").format(serial=entity), c.get("reason"))


def _screening_hit(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    # The hit's description names the other person: it stays on the screening record.
    return _("Screening match found: {kind}").format(kind=word(HIT_KINDS, c.get("kind")))


def _screening_resolve(entity: str, c: Mapping[str, Any], facts: CaseFacts) -> str:
    text = _("Screening match resolved: {status}").format(
        status=word(HIT_STATUSES, c.get("status"))
    )
    note = str(c.get("note") or "").strip()
    return f"{text}{DASH}{note}" if note else text


PHRASES: dict[str, Phrase] = {
    "case.create": _case_create,
    "case.update": _case_update,
    "case.assign": _case_assign,
    "case.open": _case_open,
    "applicant.update": _applicant_update,
    "document.add": _document_add,
    "document.update": _document_update,
    "scan.attach": _scan_attach,
    "reference.add": _reference_add,
    "reference.contact": _reference_contact,
    "reference.confirm": _reference_confirm,
    "comment.add": _comment_add,
    "checklist.tick": _checklist_tick,
    "checklist.untick": _checklist_untick,
    "checklist.waive": _checklist_waive,
    "letter.issue": _letter_issue,
    "letter.correct": _letter_correct,
    "letter.print": _letter_output,
    "letter.save": _letter_output,
    "letter.reprint": _letter_reprint,
    "letter.copy_spoiled": _letter_spoiled,
    "letter.revoke": _letter_revoke,
    "screening.hit": _screening_hit,
    "screening.resolve": _screening_resolve,
}


def _int(text: str) -> int:
    return int(text) if text.isdigit() else -1


def _changes(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _step(action: str, changes: Mapping[str, Any]) -> str:
    """A workflow step's event: "Submitted for review: <comment>"."""
    step = STEPS.get(action.removeprefix("case."))
    if step is not None:
        return _with(_(step), changes.get("comment"))
    status = changes.get("status")
    if isinstance(status, list) and len(status) == 2:
        moved = status_label(status[0]) + ARROW + status_label(status[1])
        return _with(_("Status changed: {move}").format(move=moved), changes.get("comment"))
    return _generic(action, changes)


def event_sentence(
    action: str, entity_id: str, changes: Mapping[str, Any], facts: CaseFacts
) -> str:
    """One audit event as a sentence; an action without its own wording falls back tidily."""
    phrase = PHRASES.get(action)
    try:
        if phrase is not None:
            return phrase(entity_id, changes, facts)
        if action.startswith("case.") and "status" in changes:
            return _step(action, changes)
    except (KeyError, TypeError, ValueError, IndexError):
        # An event written by an older or newer version, with other keys: say it plainly.
        pass
    return _generic(action, changes)


def event_kind(action: str) -> str:
    family = action.partition(".")[0]
    family = _FAMILY_ALIASES.get(family, family)
    return family if family in _FAMILY_KINDS else "record"


def transition_sentence(from_status: object, to_status: object, comment: str) -> str:
    """A status change: "Draft → In review: <comment>"."""
    return _with(status_label(from_status) + ARROW + status_label(to_status), comment)


# ------------------------------------------------------------------ the whole history


def _value(status: object) -> str:
    return str(getattr(status, "value", status))


def case_timeline(
    session: Session,
    case_id: int,
    documents: Mapping[int, str],
    references: Mapping[int, str],
    checklist_items: Mapping[str, str],
) -> tuple[TimelineEntry, ...]:
    """Everything that happened to a case, newest first, one line per step."""
    transitions = list(
        session.scalars(
            select(Transition).where(Transition.case_id == case_id).order_by(Transition.id)
        )
    )
    comments = list(
        session.scalars(select(Comment).where(Comment.case_id == case_id).order_by(Comment.id))
    )
    events = list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.seq)
        )
    )
    user_ids: set[int] = {t.actor_id for t in transitions} | {c.author_id for c in comments}
    user_ids |= {e.actor_id for e in events if e.actor_id is not None}
    parsed = [(event, _changes(event.changes)) for event in events]
    for event, changes in parsed:
        officers = changes.get("assigned_officer_id") if event.action == "case.assign" else None
        if isinstance(officers, list):
            user_ids |= {v for v in officers if isinstance(v, int)}
    users: dict[int, str] = (
        dict(session.execute(select(User.id, User.full_name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    facts = CaseFacts(users, documents, references, checklist_items)

    # Steps that left a transition: their audit event and their comment say it again.
    steps = {
        (t.at, t.actor_id, _value(t.from_status), _value(t.to_status)): t.comment
        for t in transitions
    }
    step_comments = {(at, actor, comment) for (at, actor, _f, _t), comment in steps.items()}
    shown_comments = {str(c.id) for c in comments}

    rows: list[tuple[dt.datetime, int, int, TimelineEntry]] = []
    for t in transitions:
        text = transition_sentence(t.from_status, t.to_status, t.comment)
        rows.append(
            (t.at, 1, t.id, TimelineEntry(t.at, "transition", facts.user(t.actor_id), text))
        )
    for c in comments:
        if c.kind != CommentKind.NOTE and (c.created_at, c.author_id, c.body) in step_comments:
            continue
        entry = TimelineEntry(c.created_at, "comment", facts.user(c.author_id), c.body)
        rows.append((c.created_at, 0, c.id, entry))
    for event, changes in parsed:
        if event.action == "comment.add" and event.entity_id in shown_comments:
            continue
        status = changes.get("status")
        if (
            isinstance(status, list)
            and len(status) == 2
            and (event.at, event.actor_id, status[0], status[1]) in steps
        ):
            continue
        actor = users.get(event.actor_id, event.actor_name) if event.actor_id else event.actor_name
        text = event_sentence(event.action, event.entity_id, changes, facts)
        entry = TimelineEntry(event.at, event_kind(event.action), actor, text)
        rows.append((event.at, 2, event.seq, entry))
    # Newest first; within one moment, events above the status change above the comment.
    rows.sort(key=lambda row: row[:3], reverse=True)
    return tuple(row[3] for row in rows)
