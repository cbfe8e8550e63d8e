"""The words for the services' stored codes that the services themselves also write.

The case timeline is phrased here in app/, so the words it shares with the screens
(statuses, purposes, document kinds, contact outcomes) live here and ui/labels.py
uses these same tables: one word per code, whichever layer says it.
"""

from __future__ import annotations

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

OUTCOMES: dict[str, str] = {
    "confirmed": N_("Confirmed the applicant"),
    "denied": N_("Did not confirm"),
    "no_answer": N_("No answer"),
    "wrong_contact": N_("Wrong contact"),
    "call_back": N_("Asked to call back"),
}


def word(table: dict[str, str], code: object) -> str:
    """The translated word for a code; an unknown code (a newer database) shows as itself."""
    text = table.get(str(code))
    return _(text) if text is not None else str(code)


def status_label(status: object) -> str:
    return word(STATUSES, status)
