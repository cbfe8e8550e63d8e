"""Attestation letters as A4 PDF: plain values in (`LetterContent`), bytes out.

    pdf = render_letter(content)
    stored = content_to_dict(content)          # JSON-safe, kept with the issued letter
    same = content_from_dict(stored)           # renders the same letter years later

Every problem with the content is a ValueError with one sentence saying what is wrong.
"""

from __future__ import annotations

from praverka.reports.letters.content import (
    CHECKS,
    DOCUMENT_KINDS,
    LANGUAGES,
    PURPOSES,
    ROLES,
    SEEN_AS,
    SEXES,
    VERIFICATIONS,
    DocumentSeen,
    LetterContent,
    Organisation,
    Signatory,
    check_content,
    content_from_dict,
    content_to_dict,
)
from praverka.reports.letters.letter import render_letter

__all__ = [
    "CHECKS",
    "DOCUMENT_KINDS",
    "LANGUAGES",
    "PURPOSES",
    "ROLES",
    "SEEN_AS",
    "SEXES",
    "VERIFICATIONS",
    "DocumentSeen",
    "LetterContent",
    "Organisation",
    "Signatory",
    "check_content",
    "content_from_dict",
    "content_to_dict",
    "render_letter",
]
