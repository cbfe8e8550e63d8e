"""A case's documents, references, contact attempts, comments and screening hits."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from praverka.app import audit, validation
from praverka.app.case_access import lock_case, require_editable, touch
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.app.validation import choice
from praverka.db.enums import (
    CommentKind,
    ContactOutcome,
    DocumentKind,
    HitKind,
    HitStatus,
    Role,
    SeenAs,
    Verification,
)
from praverka.db.models import (
    Case,
    Comment,
    ContactAttempt,
    Document,
    DocumentScan,
    Reference,
    Scan,
    ScreeningHit,
)

MAX_SCAN_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    seen_as: str
    number: str = ""
    issuing_country: str = ""
    issuing_authority: str = ""
    issue_date: dt.date | None = None
    expiry_date: dt.date | None = None
    verification: str = "pending"
    note: str = ""


@dataclass(frozen=True)
class ReferenceInput:
    name: str
    relationship: str
    contact: str
    years_known: int | None = None
    linked_applicant_id: int | None = None
    note: str = ""


def _document_fields(data: DocumentInput) -> dict[str, object]:
    issuing_country = data.issuing_country.strip().upper()
    if issuing_country and (len(issuing_country) != 3 or not issuing_country.isalpha()):
        raise InvalidInput(_("Issuing country is a three-letter code such as BLR."))
    if data.issue_date and data.expiry_date and data.expiry_date < data.issue_date:
        raise InvalidInput(_("A document cannot expire before it was issued."))
    return {
        "kind": choice(DocumentKind, data.kind, _("Document kind")),
        "seen_as": choice(SeenAs, data.seen_as, _("How the document was seen")),
        "verification": choice(Verification, data.verification, _("Verification result")),
        "number": validation.text(data.number, _("Document number"), max_len=64).upper(),
        "issuing_country": issuing_country,
        "issuing_authority": validation.text(
            data.issuing_authority, _("Issuing authority"), max_len=200
        ),
        "issue_date": data.issue_date,
        "expiry_date": data.expiry_date,
        "note": data.note.strip(),
    }


def _plain(fields: dict[str, object]) -> dict[str, object]:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in fields.items()}


def add_document(
    ctx: AppContext, actor: Actor, case_id: int, expected_version: int, data: DocumentInput
) -> tuple[int, int]:
    """Record a document; returns (document id, the case's new version)."""
    fields = _document_fields(data)
    now = ctx.now()
    with ctx.db.write() as session:
        case = lock_case(session, case_id, expected_version)
        require_editable(case, actor)
        document = Document(case_id=case.id, created_at=now, **fields)
        session.add(document)
        session.flush()
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "document.add",
            "document",
            document.id,
            case_id=case.id,
            changes=_plain(fields),
        )
        session.flush()
        return document.id, case.version


def _document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(_("There is no document {id}.").format(id=document_id))
    return document


def _reference(session: Session, reference_id: int) -> Reference:
    reference = session.get(Reference, reference_id)
    if reference is None:
        raise NotFound(_("There is no reference {id}.").format(id=reference_id))
    return reference


def update_document(
    ctx: AppContext, actor: Actor, document_id: int, expected_version: int, data: DocumentInput
) -> int:
    fields = _document_fields(data)
    now = ctx.now()
    with ctx.db.write() as session:
        document = _document(session, document_id)
        case = lock_case(session, document.case_id, expected_version)
        require_editable(case, actor)
        before = _plain({k: getattr(document, k) for k in fields})
        for key, value in fields.items():
            setattr(document, key, value)
        changes = audit.diff(before, _plain(fields))
        if changes:
            touch(case, actor, now)
            audit.record(
                session,
                now,
                actor,
                "document.update",
                "document",
                document.id,
                case_id=case.id,
                changes=changes,
            )
        session.flush()
        return case.version


def attach_scan(
    ctx: AppContext,
    actor: Actor,
    document_id: int,
    expected_version: int,
    data: bytes,
    media_type: str,
    filename: str = "",
) -> tuple[int, int]:
    """Attach already-checked scan bytes to a document, stored once per content hash.

    Returns (scan id, the case's new version).  Decoding, size and pixel limits
    and metadata stripping happen before this, in the scan import step.
    """
    if not data:
        raise InvalidInput(_("The scan is empty."))
    if len(data) > MAX_SCAN_BYTES:
        raise InvalidInput(
            _("The scan is larger than {mb} MB.").format(mb=MAX_SCAN_BYTES // (1024 * 1024))
        )
    digest = hashlib.sha256(data).hexdigest()
    now = ctx.now()
    with ctx.db.write() as session:
        document = _document(session, document_id)
        case = lock_case(session, document.case_id, expected_version)
        require_editable(case, actor)
        scan = session.scalars(select(Scan).where(Scan.sha256 == digest)).one_or_none()
        if scan is None:
            scan = Scan(
                sha256=digest, media_type=media_type, size=len(data), data=data, created_at=now
            )
            session.add(scan)
            session.flush()
        position = len(
            session.scalars(
                select(DocumentScan.id).where(DocumentScan.document_id == document.id)
            ).all()
        )
        link = DocumentScan(
            document_id=document.id,
            scan_id=scan.id,
            position=position,
            filename=filename[:255],
            added_at=now,
        )
        session.add(link)
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "scan.attach",
            "document",
            document.id,
            case_id=case.id,
            changes={
                "sha256": digest,
                "media_type": media_type,
                "size": len(data),
                "filename": filename[:255],
            },
        )
        session.flush()
        return scan.id, case.version


def _reference_fields(data: ReferenceInput) -> dict[str, object]:
    if data.years_known is not None and not 0 <= data.years_known <= 120:
        raise InvalidInput(_("Years known must be between 0 and 120."))
    return {
        "name": validation.text(data.name, _("Reference name"), max_len=200, required=True),
        "relationship": validation.text(
            data.relationship, _("Relationship"), max_len=200, required=True
        ),
        "contact": validation.text(data.contact, _("Contact"), max_len=200, required=True),
        "years_known": data.years_known,
        "linked_applicant_id": data.linked_applicant_id,
        "note": data.note.strip(),
    }


def add_reference(
    ctx: AppContext, actor: Actor, case_id: int, expected_version: int, data: ReferenceInput
) -> tuple[int, int]:
    fields = _reference_fields(data)
    now = ctx.now()
    with ctx.db.write() as session:
        case = lock_case(session, case_id, expected_version)
        require_editable(case, actor)
        reference = Reference(case_id=case.id, confirmed=False, created_at=now, **fields)
        session.add(reference)
        session.flush()
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "reference.add",
            "reference",
            reference.id,
            case_id=case.id,
            changes=fields,
        )
        session.flush()
        return reference.id, case.version


def log_contact(
    ctx: AppContext,
    actor: Actor,
    reference_id: int,
    expected_version: int,
    outcome: str,
    *,
    channel: str = "phone",
    note: str = "",
) -> int:
    """Record one attempt to reach a reference; a confirming answer marks it confirmed."""
    result = choice(ContactOutcome, outcome, _("Outcome"))
    channel = validation.text(channel, _("Channel"), max_len=32, required=True)
    now = ctx.now()
    with ctx.db.write() as session:
        reference = _reference(session, reference_id)
        case = lock_case(session, reference.case_id, expected_version)
        require_editable(case, actor)
        session.add(
            ContactAttempt(
                reference_id=reference.id,
                at=now,
                by_user_id=actor.user_id,
                channel=channel,
                outcome=result,
                note=note.strip(),
            )
        )
        changes: dict[str, object] = {"outcome": result.value, "channel": channel}
        if result == ContactOutcome.CONFIRMED and not reference.confirmed:
            reference.confirmed = True
            changes["confirmed"] = [False, True]
        elif result == ContactOutcome.DENIED and reference.confirmed:
            reference.confirmed = False
            changes["confirmed"] = [True, False]
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "reference.contact",
            "reference",
            reference.id,
            case_id=case.id,
            changes=changes,
        )
        session.flush()
        return case.version


def set_reference_confirmed(
    ctx: AppContext, actor: Actor, reference_id: int, expected_version: int, confirmed: bool
) -> int:
    now = ctx.now()
    with ctx.db.write() as session:
        reference = _reference(session, reference_id)
        case = lock_case(session, reference.case_id, expected_version)
        require_editable(case, actor)
        if reference.confirmed != confirmed:
            reference.confirmed = confirmed
            touch(case, actor, now)
            audit.record(
                session,
                now,
                actor,
                "reference.confirm",
                "reference",
                reference.id,
                case_id=case.id,
                changes={"confirmed": [not confirmed, confirmed]},
            )
        session.flush()
        return case.version


def add_comment(ctx: AppContext, actor: Actor, case_id: int, body: str) -> int:
    """A note on the case's timeline; allowed in any state, and not a change to the case."""
    body = validation.text(body, _("Comment"), max_len=10_000, required=True)
    now = ctx.now()
    with ctx.db.write() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(_("There is no case with id {id}.").format(id=case_id))
        comment = Comment(
            case_id=case.id,
            author_id=actor.user_id,
            kind=CommentKind.NOTE,
            body=body,
            created_at=now,
        )
        session.add(comment)
        session.flush()
        audit.record(
            session,
            now,
            actor,
            "comment.add",
            "comment",
            comment.id,
            case_id=case.id,
            changes={"body": body},
        )
        return comment.id


def add_screening_hit(
    session: Session,
    now: dt.datetime,
    actor: Actor | None,
    case_id: int,
    kind: HitKind,
    description: str,
    *,
    matched_applicant_id: int | None = None,
    score: int = 0,
) -> int:
    """Record a possible duplicate or watchlist match inside the caller's transaction."""
    hit = ScreeningHit(
        case_id=case_id,
        kind=kind,
        status=HitStatus.OPEN,
        description=description,
        matched_applicant_id=matched_applicant_id,
        score=score,
        created_at=now,
    )
    session.add(hit)
    session.flush()
    audit.record(
        session,
        now,
        actor,
        "screening.hit",
        "screening_hit",
        hit.id,
        case_id=case_id,
        changes={"kind": kind.value, "description": description, "score": score},
    )
    return hit.id


def resolve_screening_hit(
    ctx: AppContext, actor: Actor, hit_id: int, expected_version: int, status: str, note: str
) -> int:
    """Clear or confirm a hit, with a note; returns the case's new version."""
    resolution = choice(HitStatus, status, _("Resolution"))
    if resolution == HitStatus.OPEN:
        raise InvalidInput(_("Resolve a hit as cleared or confirmed."))
    note = validation.text(note, _("Resolution note"), max_len=10_000, required=True)
    now = ctx.now()
    with ctx.db.write() as session:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR)
        hit = session.get(ScreeningHit, hit_id)
        if hit is None:
            raise NotFound(_("There is no screening hit {id}.").format(id=hit_id))
        case = lock_case(session, hit.case_id, expected_version)
        require_editable(case, actor)
        hit.status, hit.resolution_note = resolution, note
        hit.resolved_by_id, hit.resolved_at = actor.user_id, now
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "screening.resolve",
            "screening_hit",
            hit.id,
            case_id=case.id,
            changes={"status": resolution.value, "note": note},
        )
        session.flush()
        return case.version


__all__ = [
    "DocumentInput",
    "ReferenceInput",
    "add_comment",
    "add_document",
    "add_reference",
    "add_screening_hit",
    "attach_scan",
    "log_contact",
    "resolve_screening_hit",
    "set_reference_confirmed",
    "update_document",
]
