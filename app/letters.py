"""Attestation letters: issue, print or save, reprint, correct, revoke, list.

A letter is written once, in the transaction that takes its gapless serial number and moves
the case to attested; its words and facts are frozen in the row (`content`), so every later
copy renders the same letter. Every copy that leaves the office is logged in `letter_copies`
(number 0 is the original, reprints are "Copy N" and need a reason) and in the audit chain;
the copy log lives in `letter_copies.py` and is re-exported here for the letters' callers.

A letter is in force from its issue until its last valid day, unless revoked or replaced by
a correction.  Once it has run out, a new letter for the same purpose is an ordinary new
letter: the old one stays expired, never revoked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from praverka.app import audit, settings, signing
from praverka.app.case_access import get_case
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, WorkflowError
from praverka.app.i18n import _
from praverka.app.letter_content import build_content, claims_for
from praverka.app.letter_copies import (
    MAX_REASON,
    CopyView,
    LetterOutputResult,
    find_letter,
    handed_out_counts,
    letter_copies,
    mark_copy_spoiled,
    next_copy_number,
    output_letter,
    reason_text,
    spoiled_counts,
)
from praverka.app.numbering import next_value
from praverka.app.security.keys import PublicKey, SigningKey
from praverka.app.security.qr_claims import encode_letter_qr
from praverka.app.users import require_role
from praverka.app.validation import choice
from praverka.app.workflow import ACTIONS, apply_action
from praverka.db.enums import CaseStatus, LetterLanguage, LetterOutput, Purpose, Role
from praverka.db.models import Case, Letter, User
from praverka.reports.letters import content_from_dict, content_to_dict, render_letter

LANGUAGES = tuple(language.value for language in LetterLanguage)
OUTPUTS = tuple(output.value for output in LetterOutput)
__all__ = [
    "LANGUAGES",
    "MAX_REASON",
    "OUTPUTS",
    "CopyView",
    "LetterOutputResult",
    "LetterView",
    "get_letter",
    "issue_letter",
    "letter_copies",
    "list_letters",
    "mark_copy_spoiled",
    "next_copy_number",
    "output_letter",
    "preview_letter",
    "revoke_letter",
    "revoked_serials",
    "trust_and_revocations",
    "view_letter",
]


@dataclass(frozen=True)
class LetterView:
    serial: str
    case_id: int
    case_number: str
    applicant: str  # the Latin name as printed
    purpose: str
    language: str
    issued_at: dt.datetime
    issued_by: str
    valid_from: dt.date
    valid_until: dt.date
    key_id: str
    status: str  # "valid", "revoked", "superseded" or "expired"
    revoked_at: dt.datetime | None
    revoked_by: str
    revoke_reason: str
    supersedes: str | None
    superseded_by: str | None
    copies: int  # copies that left the office, the original included
    spoiled: int  # copies logged but never handed out (printing or saving failed)


def _status(letter: Letter, superseded: bool, today: dt.date) -> str:
    if letter.revoked_at is not None:
        return "revoked"
    if superseded:
        return "superseded"
    if today > letter.valid_until:
        return "expired"
    return "valid"


def _views(session: Session, letters: list[Letter], today: dt.date) -> list[LetterView]:
    if not letters:
        return []
    ids = [letter.id for letter in letters]
    newer = aliased(Letter)
    older = aliased(Letter)
    superseded_by = dict(
        session.execute(
            select(newer.supersedes_id, newer.serial).where(newer.supersedes_id.in_(ids))
        ).all()
    )
    supersedes = dict(
        session.execute(
            select(Letter.id, older.serial)
            .join(older, older.id == Letter.supersedes_id)
            .where(Letter.id.in_(ids))
        ).all()
    )
    copies = handed_out_counts(session, ids)
    spoiled = spoiled_counts(session, ids)
    case_numbers = dict(
        session.execute(
            select(Case.id, Case.number).where(Case.id.in_({x.case_id for x in letters}))
        ).all()
    )
    user_ids = {x.issued_by_id for x in letters} | {x.revoked_by_id for x in letters}
    names = dict(
        session.execute(select(User.id, User.full_name).where(User.id.in_(user_ids))).all()
    )
    views = []
    for letter in letters:
        content = letter.content
        views.append(
            LetterView(
                serial=letter.serial,
                case_id=letter.case_id,
                case_number=case_numbers.get(letter.case_id, ""),
                applicant=str(content.get("name_latin", "")),
                purpose=letter.purpose.value,
                language=letter.language.value,
                issued_at=letter.issued_at,
                issued_by=names.get(letter.issued_by_id, "?"),
                valid_from=letter.valid_from,
                valid_until=letter.valid_until,
                key_id=letter.key_id,
                status=_status(letter, letter.id in superseded_by, today),
                revoked_at=letter.revoked_at,
                revoked_by=names.get(letter.revoked_by_id, "") if letter.revoked_by_id else "",
                revoke_reason=letter.revoke_reason,
                supersedes=supersedes.get(letter.id),
                superseded_by=superseded_by.get(letter.id),
                copies=copies.get(letter.id, 0),
                spoiled=spoiled.get(letter.id, 0),
            )
        )
    return views


def _serial(session: Session, prefix: str, year: int) -> str:
    # One sequence a year for every prefix, so a changed prefix leaves no gap.
    return f"{prefix}-{year:04d}-{next_value(session, f'letter-{year:04d}'):06d}"


def _active_letter(
    session: Session, case_id: int, purpose: Purpose, today: dt.date
) -> Letter | None:
    """The case's letter in force for `purpose`: not expired, revoked or replaced."""
    newer = aliased(Letter)
    return session.scalars(
        select(Letter)
        .where(
            Letter.case_id == case_id,
            Letter.purpose == purpose,
            Letter.revoked_at.is_(None),
            Letter.valid_until >= today,  # an expired letter blocks nothing: it is renewed
            ~select(newer.id).where(newer.supersedes_id == Letter.id).exists(),
        )
        .order_by(Letter.id.desc())
        .limit(1)
    ).one_or_none()


def issue_letter(
    ctx: AppContext,
    actor: Actor,
    case_id: int,
    purpose: str,
    language: str,
    key: SigningKey,
    *,
    corrects: str | None = None,
    reason: str = "",
) -> LetterView:
    """Issue a letter for an approved case; the first one moves the case to attested.

    With `corrects`, the new letter supersedes that letter of the same case (a correction);
    the old one is then listed as revoked for recipients.
    """
    purpose_value = choice(Purpose, purpose, _("Purpose"))
    language_value = choice(LetterLanguage, language, _("Language"))
    if corrects is not None:
        reason = reason_text(reason, _("A correction"))
    now = ctx.now()
    with ctx.db.write() as session:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR)
        case = get_case(session, case_id, for_update=True)
        if case.status not in (CaseStatus.APPROVED, CaseStatus.ATTESTED):
            raise WorkflowError(
                _(
                    "Case {number} is {status}; a letter is issued only for an approved case."
                ).format(number=case.number, status=case.status.value)
            )
        if purpose_value not in {p.purpose for p in case.purposes}:
            raise InvalidInput(
                _("Case {number} was not verified for the purpose {purpose}.").format(
                    number=case.number, purpose=purpose_value.value
                )
            )
        replaced: Letter | None = None
        existing = _active_letter(session, case.id, purpose_value, now.date())
        if corrects is not None:
            replaced = find_letter(session, corrects, for_update=True)
            if replaced.case_id != case.id:
                raise InvalidInput(
                    _("Letter {serial} belongs to another case.").format(serial=replaced.serial)
                )
            if replaced.revoked_at is None and replaced.valid_until < now.date():
                raise WorkflowError(
                    _(
                        "Letter {serial} has expired; issue a new letter for its purpose "
                        "instead of a correction."
                    ).format(serial=replaced.serial)
                )
            if replaced.revoked_at is not None or (existing is None or existing.id != replaced.id):
                raise WorkflowError(
                    _(
                        "Letter {serial} is revoked or already corrected; only the current "
                        "letter can be corrected."
                    ).format(serial=replaced.serial)
                )
        elif existing is not None:
            raise WorkflowError(
                _(
                    "Case {number} already has letter {serial} for this purpose. Reprint it, or "
                    "issue a correction that replaces it."
                ).format(number=case.number, serial=existing.serial)
            )
        active = signing.active_key_id(session)
        if key.key_id != active:
            raise InvalidInput(
                _(
                    "The signing key {key_id} is retired or not this database's; unlock the "
                    "current key and issue again."
                ).format(key_id=key.key_id)
            )
        if case.status == CaseStatus.APPROVED:
            apply_action(session, actor, case, ACTIONS["attest"], "", now)
        org = settings.load(session)
        serial = _serial(session, org.serial_prefix, now.year)
        valid_from = now.date()
        valid_until = valid_from + dt.timedelta(days=org.letter_validity_days)
        content = build_content(
            session,
            case,
            org,
            serial=serial,
            language=language_value.value,
            purpose=purpose_value.value,
            issued_on=valid_from,
            valid_until=valid_until,
            key_id=key.key_id,
            supersedes=replaced.serial if replaced else None,
        )
        qr_text = encode_letter_qr(claims_for(content, org), key)
        content = dataclasses.replace(content, qr_text=qr_text)
        letter = Letter(
            serial=serial,
            case_id=case.id,
            purpose=purpose_value,
            language=language_value,
            issued_at=now,
            issued_by_id=actor.user_id,
            valid_from=valid_from,
            valid_until=valid_until,
            key_id=key.key_id,
            qr_text=qr_text,
            content=content_to_dict(content),
            supersedes_id=replaced.id if replaced else None,
            correction_reason=reason if replaced else "",
        )
        session.add(letter)
        session.flush()
        audit.record(
            session,
            now,
            actor,
            "letter.correct" if replaced else "letter.issue",
            "letter",
            serial,
            case_id=case.id,
            changes={
                "purpose": purpose_value.value,
                "language": language_value.value,
                "valid_until": valid_until.isoformat(),
                "key_id": key.key_id,
                **({"supersedes": replaced.serial, "reason": reason} if replaced else {}),
            },
        )
        return _views(session, [letter], valid_from)[0]


def preview_letter(
    ctx: AppContext, actor: Actor, case_id: int, purpose: str, language: str
) -> bytes:
    """A draft of the letter as it would be issued now: watermarked, no serial, no QR code."""
    purpose_value = choice(Purpose, purpose, _("Purpose")).value
    language_value = choice(LetterLanguage, language, _("Language")).value
    now = ctx.now()
    with ctx.db.read() as session:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR)
        case = get_case(session, case_id)
        org = settings.load(session)
        content = build_content(
            session,
            case,
            org,
            serial=f"{org.serial_prefix}-{now.year:04d}-······",
            language=language_value,
            purpose=purpose_value,
            issued_on=now.date(),
            valid_until=now.date() + dt.timedelta(days=org.letter_validity_days),
            key_id="",
            supersedes=None,
        )
    return render_letter(dataclasses.replace(content, draft=True))


def view_letter(ctx: AppContext, actor: Actor, serial: str) -> bytes:
    """An issued letter for the screen: watermarked and without its QR code, so not a copy."""
    with ctx.db.read() as session:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)
        letter = find_letter(session, serial)
        content = content_from_dict(letter.content)
    return render_letter(dataclasses.replace(content, draft=True, screen_view=True))


def revoke_letter(ctx: AppContext, actor: Actor, serial: str, reason: str) -> LetterView:
    reason = reason_text(reason, _("Revoking a letter"))
    now = ctx.now()
    with ctx.db.write() as session:
        require_role(actor, Role.SUPERVISOR)
        letter = find_letter(session, serial, for_update=True)
        if letter.revoked_at is not None:
            raise WorkflowError(
                _("Letter {serial} was already revoked on {date}.").format(
                    serial=letter.serial, date=letter.revoked_at.date().isoformat()
                )
            )
        letter.revoked_at = now
        letter.revoked_by_id = actor.user_id
        letter.revoke_reason = reason
        session.flush()
        audit.record(
            session,
            now,
            actor,
            "letter.revoke",
            "letter",
            letter.serial,
            case_id=letter.case_id,
            changes={"reason": reason},
        )
        return _views(session, [letter], now.date())[0]


def list_letters(
    ctx: AppContext, *, case_id: int | None = None, limit: int | None = None
) -> list[LetterView]:
    """Letters, newest first; those of one case when `case_id` is given."""
    with ctx.db.read() as session:
        stmt = select(Letter).order_by(Letter.id.desc())
        if case_id is not None:
            stmt = stmt.where(Letter.case_id == case_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        return _views(session, list(session.scalars(stmt)), ctx.now().date())


def get_letter(ctx: AppContext, serial: str) -> LetterView:
    with ctx.db.read() as session:
        return _views(session, [find_letter(session, serial)], ctx.now().date())[0]


def revoked_serials(session: Session) -> frozenset[str]:
    """Serials a recipient must refuse: revoked letters, and letters replaced by a correction."""
    revoked = session.scalars(select(Letter.serial).where(Letter.revoked_at.is_not(None)))
    older = aliased(Letter)
    replaced = session.scalars(select(older.serial).join(Letter, Letter.supersedes_id == older.id))
    return frozenset(revoked) | frozenset(replaced)


def trust_and_revocations(ctx: AppContext) -> tuple[dict[str, PublicKey], frozenset[str]]:
    """What this desk knows for checking a letter: its keys and its revoked serials."""
    with ctx.db.read() as session:
        return signing.trusted_keys(session), revoked_serials(session)
