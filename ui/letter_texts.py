"""How the Letters tab describes a letter and its copies, in words and colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtGui import QColor

from praverka.app import letters
from praverka.app.context import AppContext
from praverka.app.i18n import N_, _
from praverka.app.letters import CopyView, LetterView
from praverka.ui import labels
from praverka.ui.login import database_error_text

LETTER_STATUSES: dict[str, str] = {
    "valid": N_("Valid"),
    "expired": N_("Expired"),
    "superseded": N_("Replaced"),
    "revoked": N_("Revoked"),
}
STATUS_COLOURS = {
    "valid": QColor("#1d6b2f"),
    "expired": QColor("#6b5b00"),
    "superseded": QColor("#555555"),
    "revoked": QColor("#a01c12"),
}
OUTPUTS: dict[str, str] = {"print": N_("printed"), "save": N_("saved")}


def status_text(letter: LetterView) -> str:
    """The status in a few words, for the table."""
    word = labels.label(LETTER_STATUSES, letter.status)
    if letter.status == "revoked":
        return _("{status} {date}").format(status=word, date=labels.day(_date(letter.revoked_at)))
    return word  # a replaced letter's successor has a column of its own


def detail_text(letter: LetterView) -> str:
    """Everything a person asks about one letter next: who, until when, and why not valid."""
    lines = [
        _(
            "{serial}: issued {when} by {who}, valid {start} to {end}, signed with key "
            "{key_id}; {copies} copy(ies) handed out."
        ).format(
            serial=letter.serial,
            when=labels.when(letter.issued_at),
            who=letter.issued_by,
            start=labels.day(letter.valid_from),
            end=labels.day(letter.valid_until),
            key_id=letter.key_id,
            copies=letter.copies,
        )
    ]
    if letter.spoiled:
        lines.append(
            _("{n} more copy(ies) were spoiled: logged, but never left the office.").format(
                n=letter.spoiled
            )
        )
    if letter.status == "revoked":
        lines.append(
            _("Revoked {when} by {who}: {reason}").format(
                when=labels.when(letter.revoked_at),
                who=letter.revoked_by,
                reason=letter.revoke_reason,
            )
        )
    lineage = lineage_text(letter)
    if lineage:
        lines.append(lineage[0].upper() + lineage[1:] + ".")
    return "\n".join(lines)


def _date(at: dt.datetime | None) -> dt.date | None:
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().date()


def lineage_text(letter: LetterView) -> str:
    parts = []
    if letter.supersedes:
        parts.append(_("replaces {serial}").format(serial=letter.supersedes))
    if letter.superseded_by:
        parts.append(_("replaced by {serial}").format(serial=letter.superseded_by))
    return "; ".join(parts)


def copy_name(number: int) -> str:
    return _("Original") if number == 0 else _("Copy {n}").format(n=number)


def copies_text(copies: Sequence[CopyView]) -> str:
    """One line per copy, oldest first; a spoiled one says so and why."""
    lines = []
    for copy in copies:
        line = _("{copy}: {how} {when} by {who}").format(
            copy=copy_name(copy.number),
            how=labels.label(OUTPUTS, copy.output),
            when=labels.when(copy.at),
            who=copy.by,
        )
        if copy.reason:
            line += _(" ({reason})").format(reason=copy.reason)
        if copy.spoiled:
            line += " \N{EM DASH} " + _("spoiled: {reason}").format(reason=copy.spoiled_reason)
        lines.append(line)
    return "\n".join(lines)


def copy_log_text(ctx: AppContext, serial: str) -> str:
    """The letter's copies as `copies_text`, or why they cannot be read now."""
    try:
        copies = letters.letter_copies(ctx, serial)
    except Exception as exc:
        return database_error_text(exc)
    return copies_text(copies)
