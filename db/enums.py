"""Closed vocabularies stored as strings (with CHECK constraints) in the database."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class NameScript(enum.StrEnum):
    BELARUSIAN = "be"  # Belarusian Cyrillic
    RUSSIAN = "ru"  # Russian Cyrillic
    LATIN_PASSPORT = "latin_passport"  # Latin spelling as printed in the passport
    OTHER = "other"  # any other spelling the applicant or a source uses


class Sex(enum.StrEnum):
    FEMALE = "F"
    MALE = "M"
    UNSPECIFIED = "X"


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    ON_HOLD = "on_hold"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    ATTESTED = "attested"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Purpose(enum.StrEnum):
    LEGALISATION = "legalisation"
    BANK_ACCOUNT = "bank_account"
    BORDER_CROSSING = "border_crossing"
    OTHER = "other"


class Priority(enum.IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3


class DocumentKind(enum.StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    RESIDENCE_PERMIT = "residence_permit"
    BIRTH_CERTIFICATE = "birth_certificate"
    MILITARY_ID = "military_id"
    DRIVING_LICENCE = "driving_licence"
    BANK_STATEMENT = "bank_statement"
    OTHER = "other"


class SeenAs(enum.StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    LOST = "lost"
    STOLEN = "stolen"


class Verification(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    DOUBTFUL = "doubtful"
    FALSE = "false"


class ContactOutcome(enum.StrEnum):
    CONFIRMED = "confirmed"  # reached, and they vouched for the applicant
    DENIED = "denied"  # reached, and they did not confirm
    NO_ANSWER = "no_answer"
    WRONG_CONTACT = "wrong_contact"
    CALL_BACK = "call_back"


class ItemKind(enum.StrEnum):
    EVALUATED = "evaluated"
    MANUAL = "manual"


class HitKind(enum.StrEnum):
    DUPLICATE = "duplicate"
    WATCHLIST = "watchlist"


class HitStatus(enum.StrEnum):
    OPEN = "open"
    CLEARED = "cleared"  # looked at: not the same person / false alarm
    CONFIRMED = "confirmed"  # looked at: it is a real match


class CommentKind(enum.StrEnum):
    NOTE = "note"
    RETURN = "return"
    REJECT = "reject"
    HOLD = "hold"
    WITHDRAW = "withdraw"


class LetterLanguage(enum.StrEnum):
    UKRAINIAN = "uk"
    BELARUSIAN = "be"
    ENGLISH = "en"
    UKRAINIAN_ENGLISH = "uk+en"  # bilingual: Ukrainian with the English beside it


class LetterOutput(enum.StrEnum):
    PRINT = "print"
    SAVE = "save"  # written to a PDF file
