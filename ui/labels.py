"""What the closed vocabularies of the services look like on screen.

The services speak in stored codes ("in_review", "bank_account"); officers read
words.  One table per vocabulary keeps every widget saying the same thing.
"""

from __future__ import annotations

import datetime as dt

from praverka.app.i18n import N_, _

STATUSES: dict[str, str] = {
    "draft": N_("Draft"),
    "on_hold": N_("On hold"),
    "in_review": N_("In review"),
    "approved": N_("Approved"),
    "attested": N_("Attested"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
}

PURPOSES: dict[str, str] = {
    "legalisation": N_("Legalisation / residence"),
    "bank_account": N_("Bank account"),
    "border_crossing": N_("Border crossing / evacuation"),
    "other": N_("Other"),
}

SHORT_PURPOSES: dict[str, str] = {
    "legalisation": N_("Residence"),
    "bank_account": N_("Bank"),
    "border_crossing": N_("Border"),
    "other": N_("Other"),
}

PRIORITIES: dict[int, str] = {0: N_("Low"), 1: N_("Normal"), 2: N_("High"), 3: N_("Urgent")}

SEXES: dict[str, str] = {"F": N_("Female"), "M": N_("Male"), "X": N_("Not stated")}

SCRIPTS: dict[str, str] = {
    "be": N_("Belarusian"),
    "ru": N_("Russian"),
    "latin_passport": N_("Latin (passport)"),
    "other": N_("Other spelling"),
}

DOCUMENT_KINDS: dict[str, str] = {
    "passport": N_("Passport"),
    "national_id": N_("National ID card"),
    "residence_permit": N_("Residence permit"),
    "birth_certificate": N_("Birth certificate"),
    "military_id": N_("Military ID"),
    "driving_licence": N_("Driving licence"),
    "bank_statement": N_("Bank statement"),
    "other": N_("Other"),
}

SEEN_AS: dict[str, str] = {
    "original": N_("Original seen"),
    "copy": N_("Copy only"),
    "lost": N_("Lost"),
    "stolen": N_("Reported stolen"),
}

VERIFICATION: dict[str, str] = {
    "pending": N_("Pending"),
    "verified": N_("Verified"),
    "doubtful": N_("Doubtful"),
    "false": N_("False"),
}

OUTCOMES: dict[str, str] = {
    "confirmed": N_("Confirmed the applicant"),
    "denied": N_("Did not confirm"),
    "no_answer": N_("No answer"),
    "wrong_contact": N_("Wrong contact"),
    "call_back": N_("Asked to call back"),
}

CHANNELS: tuple[str, ...] = ("phone", "messenger", "email", "in person", "letter")

TIMELINE_KINDS: dict[str, str] = {
    "transition": N_("Status"),
    "comment": N_("Comment"),
    "audit": N_("Record"),
}


def label(table: dict[str, str], code: str) -> str:
    """The word for a code; an unknown code (a newer database) shows as itself."""
    text = table.get(code)
    return _(text) if text is not None else code


def priority_label(value: int) -> str:
    text = PRIORITIES.get(value)
    return _(text) if text is not None else str(value)


def when(at: dt.datetime | None) -> str:
    """A moment in the desk's local time, as the office writes it."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().strftime("%d.%m.%Y %H:%M")


def day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
