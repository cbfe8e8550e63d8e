"""What the closed vocabularies of the services look like on screen.

The services speak in stored codes ("in_review", "bank_account"); officers read
words.  One table per vocabulary keeps every widget saying the same thing.
"""

from __future__ import annotations

import datetime as dt

from praverka.app.i18n import N_, _

# Re-exported: the timeline, phrased in app/, says the same words as the screens.
from praverka.app.vocabulary import DOCUMENT_KINDS as DOCUMENT_KINDS
from praverka.app.vocabulary import OUTCOMES as OUTCOMES
from praverka.app.vocabulary import PURPOSES as PURPOSES
from praverka.app.vocabulary import STATUSES as STATUSES

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


CHANNELS: tuple[str, ...] = ("phone", "messenger", "email", "in person", "letter")


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
