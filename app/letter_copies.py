"""The copy log of a letter: each copy is logged before its PDF leaves the office.

A copy is logged first because its PDF carries its mark (the original has none, reprints
are "Copy N"); if handing it out then fails (the printer refuses the job, the file cannot
be written) the copy is marked spoiled.  A spoiled copy stays in the log for good, but it
did not leave the office: it is not counted, and the next attempt takes its number again,
so a failed original is followed by the original, not by "Copy 1".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound, PermissionDenied, WorkflowError
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.app.validation import choice
from praverka.db.enums import LetterOutput, Role
from praverka.db.models import Letter, LetterCopy, User
from praverka.reports.letters import content_from_dict, render_letter

MAX_REASON = 1000


@dataclass(frozen=True)
class CopyView:
    number: int  # 0: the original
    output: str  # "print" or "save"
    destination: str
    reason: str
    at: dt.datetime
    by: str
    spoiled_at: dt.datetime | None = None  # set when it never left the office
    spoiled_reason: str = ""

    @property
    def spoiled(self) -> bool:
        return self.spoiled_at is not None


@dataclass(frozen=True)
class LetterOutputResult:
    serial: str
    copy_number: int  # 0: the original
    pdf: bytes


def find_letter(session: Session, serial: str, *, for_update: bool = False) -> Letter:
    stmt = select(Letter).where(Letter.serial == serial.strip().upper())
    if for_update:
        stmt = stmt.with_for_update()
    letter = session.scalars(stmt).one_or_none()
    if letter is None:
        raise NotFound(_("There is no letter {serial}.").format(serial=serial))
    return letter


def reason_text(text: str, what: str) -> str:
    """`text` stripped; `InvalidInput` when it is empty or too long."""
    text = text.strip()
    if not text:
        raise InvalidInput(_("{what} needs a reason.").format(what=what))
    if len(text) > MAX_REASON:
        raise InvalidInput(_("The reason may be at most {n} characters.").format(n=MAX_REASON))
    return text


def handed_out_counts(session: Session, letter_ids: list[int]) -> dict[int, int]:
    """Copies that left the office, per letter (spoiled ones are not counted)."""
    return _counts(session, letter_ids, spoiled=False)


def spoiled_counts(session: Session, letter_ids: list[int]) -> dict[int, int]:
    return _counts(session, letter_ids, spoiled=True)


def _counts(session: Session, letter_ids: list[int], *, spoiled: bool) -> dict[int, int]:
    which = LetterCopy.spoiled_at.is_not(None) if spoiled else LetterCopy.spoiled_at.is_(None)
    return {
        letter_id: int(count)
        for letter_id, count in session.execute(
            select(LetterCopy.letter_id, func.count())
            .where(LetterCopy.letter_id.in_(letter_ids), which)
            .group_by(LetterCopy.letter_id)
        ).all()
    }


def _next_number(session: Session, letter_id: int) -> int:
    # The number after the highest one handed out: a spoiled copy leaves its number free,
    # and one spoiled after later copies were made leaves a gap rather than a duplicate.
    highest = session.scalar(
        select(func.max(LetterCopy.number)).where(
            LetterCopy.letter_id == letter_id, LetterCopy.spoiled_at.is_(None)
        )
    )
    return 0 if highest is None else int(highest) + 1


def next_copy_number(ctx: AppContext, serial: str) -> int:
    """The number the next copy of the letter will get: 0 while the original has not left."""
    with ctx.db.read() as session:
        return _next_number(session, find_letter(session, serial).id)


def output_letter(
    ctx: AppContext,
    actor: Actor,
    serial: str,
    output: str,
    *,
    destination: str = "",
    reprint: bool = False,
    reason: str = "",
) -> LetterOutputResult:
    """The PDF of a copy that is about to leave the office, logged before it is handed out.

    The first copy is the original. Any later one must be asked for as a reprint, with a
    reason, and is marked "Copy N". A revoked or replaced letter is not handed out again.
    Spoiled copies do not count: after a spoiled original the next copy is the original.
    """
    output_value = choice(LetterOutput, output, _("Output"))
    if reprint:
        reason = reason_text(reason, _("A reprint"))
    now = ctx.now()
    with ctx.db.write() as session:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR)
        letter = find_letter(session, serial, for_update=True)
        if letter.revoked_at is not None:
            raise WorkflowError(
                _("Letter {serial} was revoked on {date}; it cannot be printed again.").format(
                    serial=letter.serial, date=letter.revoked_at.date().isoformat()
                )
            )
        newer = session.scalars(select(Letter.serial).where(Letter.supersedes_id == letter.id))
        replacement = newer.one_or_none()
        if replacement is not None:
            raise WorkflowError(
                _("Letter {serial} was replaced by {new}; print that one instead.").format(
                    serial=letter.serial, new=replacement
                )
            )
        number = _next_number(session, letter.id)
        if number and not reprint:
            raise WorkflowError(
                _(
                    "The original of letter {serial} has already been handed out; make a "
                    "reprint (marked Copy {n}) and say why."
                ).format(serial=letter.serial, n=number)
            )
        if reprint and not number:
            reprint = False  # nothing was handed out yet: this is the original
        session.add(
            LetterCopy(
                letter_id=letter.id,
                number=number,
                output=output_value,
                destination=destination[:255],
                reason=reason,
                at=now,
                by_id=actor.user_id,
            )
        )
        audit.record(
            session,
            now,
            actor,
            "letter.reprint" if number else f"letter.{output_value.value}",
            "letter",
            letter.serial,
            case_id=letter.case_id,
            changes={
                "copy": number,
                "output": output_value.value,
                "destination": destination[:255],
                "reason": reason,
            },
        )
        content = content_from_dict(letter.content)
    pdf = render_letter(dataclasses.replace(content, copy_number=number or None))
    return LetterOutputResult(letter.serial, number, pdf)


def mark_copy_spoiled(
    ctx: AppContext, actor: Actor, serial: str, number: int, reason: str
) -> CopyView:
    """Mark copy `number` of a letter as never handed out (printing or saving it failed).

    Only whoever made the copy, or a supervisor, may; the copy stays in the log with the
    reason, and its number is free for the next attempt.  Returns the spoiled copy.
    """
    reason = reason_text(reason, _("Marking a copy spoiled"))
    now = ctx.now()
    with ctx.db.write() as session:
        require_role(actor, Role.OFFICER, Role.SUPERVISOR)
        letter = find_letter(session, serial, for_update=True)
        copy = session.scalars(
            select(LetterCopy)
            .where(
                LetterCopy.letter_id == letter.id,
                LetterCopy.number == number,
                LetterCopy.spoiled_at.is_(None),
            )
            .order_by(LetterCopy.id.desc())
            .limit(1)
            .with_for_update()
        ).one_or_none()
        which = _("the original") if number == 0 else _("copy {n}").format(n=number)
        if copy is None:
            raise WorkflowError(
                _(
                    "Letter {serial} has no {which} logged as handed out; it may already be "
                    "marked spoiled."
                ).format(serial=letter.serial, which=which)
            )
        if copy.by_id != actor.user_id and not actor.has_role(Role.SUPERVISOR):
            raise PermissionDenied(
                _(
                    "Only whoever made {which} of letter {serial}, or a supervisor, may mark it "
                    "spoiled."
                ).format(which=which, serial=letter.serial)
            )
        copy.spoiled_at = now
        copy.spoiled_reason = reason
        session.flush()
        audit.record(
            session,
            now,
            actor,
            "letter.copy_spoiled",
            "letter",
            letter.serial,
            case_id=letter.case_id,
            changes={
                "copy": number,
                "output": copy.output.value,
                "destination": copy.destination,
                "reason": reason,
            },
        )
        by = session.scalar(select(User.full_name).where(User.id == copy.by_id)) or "?"
        return _view(copy, by)


def letter_copies(ctx: AppContext, serial: str) -> list[CopyView]:
    """Every copy logged for the letter, spoiled ones included, in the order they were made."""
    with ctx.db.read() as session:
        letter = find_letter(session, serial)
        rows = session.execute(
            select(LetterCopy, User.full_name)
            .join(User, User.id == LetterCopy.by_id)
            .where(LetterCopy.letter_id == letter.id)
            .order_by(LetterCopy.number, LetterCopy.id)
        )
        return [_view(copy, name) for copy, name in rows]


def _view(copy: LetterCopy, by: str) -> CopyView:
    return CopyView(
        number=copy.number,
        output=copy.output.value,
        destination=copy.destination,
        reason=copy.reason,
        at=copy.at,
        by=by,
        spoiled_at=copy.spoiled_at,
        spoiled_reason=copy.spoiled_reason,
    )
