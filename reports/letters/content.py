"""What a letter says, as plain frozen values, and its JSON-safe dictionary form.

The service stores the dictionary with the issued letter, so a reprint years later renders
the same letter from the same values; `FORMAT` names the shape of that dictionary.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

FORMAT = 1

LANGUAGES = ("uk", "be", "en", "uk+en")
PURPOSES = ("legalisation", "bank_account", "border_crossing", "other")
SEXES = ("F", "M", "X")
ROLES = ("head", "supervisor", "officer")
DOCUMENT_KINDS = (
    "passport",
    "national_id",
    "residence_permit",
    "birth_certificate",
    "military_id",
    "driving_licence",
    "bank_statement",
    "other",
)
SEEN_AS = ("original", "copy", "lost", "stolen")
VERIFICATIONS = ("pending", "verified", "doubtful", "false")
CHECKS = ("documents", "references", "interview", "screening")

T = TypeVar("T")


@dataclass(frozen=True)
class Organisation:
    name: str
    address: str
    contact: str
    logo_png: bytes | None = None


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str  # "head" | "supervisor" | "officer"; the letter translates it


@dataclass(frozen=True)
class DocumentSeen:
    kind: str
    number: str
    issuing_country: str
    seen_as: str
    verification: str


@dataclass(frozen=True)
class LetterContent:
    serial: str
    language: str
    purpose: str
    issued_on: dt.date
    valid_until: dt.date
    place: str
    organisation: Organisation
    name_native: str
    name_latin: str
    other_names: tuple[str, ...]
    birth_date: str  # display text of a possibly partial date: "1987-03-14", "1987-03", "1987"
    sex: str  # "F" | "M" | "X"
    documents: tuple[DocumentSeen, ...]
    references_confirmed: int
    interviewed_on: dt.date | None
    checks_passed: tuple[str, ...]
    signatories: tuple[Signatory, ...]
    qr_text: str
    key_id: str
    copy_number: int | None = None  # None: the original; N: marked "Copy N"
    supersedes: str | None = None  # serial of the letter this one replaces
    draft: bool = False  # preview before issue: watermark, no QR
    # An issued letter shown on screen: watermarked "screen view, not a copy" and without its
    # QR code, so a screenshot of it is no usable copy. Only meaningful with draft=True.
    screen_view: bool = False


def check_content(content: LetterContent) -> None:
    """Raise ValueError naming the first value a letter cannot be made from."""
    _one_of(content.language, LANGUAGES, "language")
    _one_of(content.purpose, PURPOSES, "purpose")
    _one_of(content.sex, SEXES, "sex")
    for document in content.documents:
        _one_of(document.kind, DOCUMENT_KINDS, "document kind")
        _one_of(document.seen_as, SEEN_AS, "document state")
        _one_of(document.verification, VERIFICATIONS, "document verification")
    for signatory in content.signatories:
        _one_of(signatory.role, ROLES, "signatory role")
    for check in content.checks_passed:
        _one_of(check, CHECKS, "check")
    _check_lengths(content)
    if not content.serial.strip():
        raise ValueError("The letter has no serial number.")
    if not content.organisation.name.strip():
        raise ValueError("The organisation has no name.")
    if not (content.name_native.strip() or content.name_latin.strip()):
        raise ValueError("The letter names nobody: both names are empty.")
    if content.valid_until < content.issued_on:
        raise ValueError("The letter would expire before it is issued.")
    if content.references_confirmed < 0:
        raise ValueError("The number of confirmed references cannot be negative.")
    if content.copy_number is not None and content.copy_number < 1:
        raise ValueError("A copy number starts at 1.")
    if not content.draft and not content.qr_text:
        raise ValueError("An issued letter needs its signed QR text.")


def _check_lengths(content: LetterContent) -> None:
    """Bounds that keep every part of a letter within a page (a name wraps, but a
    paragraph-long name is a mistake, not a name)."""
    organisation = content.organisation
    fields: list[tuple[str, str, int]] = [
        ("The serial number", content.serial, 40),
        ("The place", content.place, 80),
        ("The organisation's name", organisation.name, 150),
        ("The organisation's address", organisation.address, 300),
        ("The organisation's contact line", organisation.contact, 200),
        ("The applicant's native name", content.name_native, 300),
        ("The applicant's Latin name", content.name_latin, 300),
        ("The date of birth", content.birth_date, 40),
        ("The key id", content.key_id, 64),
        ("The superseded serial number", content.supersedes or "", 40),
    ]
    fields += [("Another name of the applicant", name, 200) for name in content.other_names]
    for document in content.documents:
        fields.append(("A document number", document.number, 64))
        fields.append(("A document's issuing country", document.issuing_country, 64))
    fields += [("A signatory's name", s.name, 100) for s in content.signatories]
    for what, text, limit in fields:
        if len(text) > limit:
            raise ValueError(f"{what} is longer than {limit} characters.")
    for what, items, limit in (
        ("other names", content.other_names, 20),
        ("documents", content.documents, 60),
        ("signatories", content.signatories, 4),
    ):
        if len(items) > limit:
            raise ValueError(f"A letter lists at most {limit} {what}.")


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown {what} {value!r}: expected one of {', '.join(allowed)}.")


def content_to_dict(content: LetterContent) -> dict[str, Any]:
    """A dictionary `json.dumps` accepts: dates as ISO text, the logo as base64."""
    organisation = content.organisation
    logo = organisation.logo_png
    return {
        "format": FORMAT,
        "serial": content.serial,
        "language": content.language,
        "purpose": content.purpose,
        "issued_on": content.issued_on.isoformat(),
        "valid_until": content.valid_until.isoformat(),
        "place": content.place,
        "organisation": {
            "name": organisation.name,
            "address": organisation.address,
            "contact": organisation.contact,
            "logo_png": None if logo is None else base64.b64encode(logo).decode("ascii"),
        },
        "name_native": content.name_native,
        "name_latin": content.name_latin,
        "other_names": list(content.other_names),
        "birth_date": content.birth_date,
        "sex": content.sex,
        "documents": [
            {
                "kind": document.kind,
                "number": document.number,
                "issuing_country": document.issuing_country,
                "seen_as": document.seen_as,
                "verification": document.verification,
            }
            for document in content.documents
        ],
        "references_confirmed": content.references_confirmed,
        "interviewed_on": (
            None if content.interviewed_on is None else content.interviewed_on.isoformat()
        ),
        "checks_passed": list(content.checks_passed),
        "signatories": [{"name": s.name, "role": s.role} for s in content.signatories],
        "qr_text": content.qr_text,
        "key_id": content.key_id,
        "copy_number": content.copy_number,
        "supersedes": content.supersedes,
        "draft": content.draft,
        "screen_view": content.screen_view,
    }


def content_from_dict(data: Mapping[str, Any]) -> LetterContent:
    """The inverse of `content_to_dict`; ValueError when the dictionary is not one of ours."""
    if not isinstance(data, Mapping):
        raise ValueError("Stored letter content is not a dictionary.")
    if data.get("format") != FORMAT:
        raise ValueError(f"Stored letter content has unknown format {data.get('format')!r}.")
    try:
        organisation = _mapping(data, "organisation")
        logo = _optional(organisation, "logo_png", str)
        return LetterContent(
            serial=_get(data, "serial", str),
            language=_get(data, "language", str),
            purpose=_get(data, "purpose", str),
            issued_on=_date(_get(data, "issued_on", str)),
            valid_until=_date(_get(data, "valid_until", str)),
            place=_get(data, "place", str),
            organisation=Organisation(
                name=_get(organisation, "name", str),
                address=_get(organisation, "address", str),
                contact=_get(organisation, "contact", str),
                logo_png=None if logo is None else base64.b64decode(logo, validate=True),
            ),
            name_native=_get(data, "name_native", str),
            name_latin=_get(data, "name_latin", str),
            other_names=tuple(_text_items(data, "other_names")),
            birth_date=_get(data, "birth_date", str),
            sex=_get(data, "sex", str),
            documents=tuple(
                DocumentSeen(
                    kind=_get(item, "kind", str),
                    number=_get(item, "number", str),
                    issuing_country=_get(item, "issuing_country", str),
                    seen_as=_get(item, "seen_as", str),
                    verification=_get(item, "verification", str),
                )
                for item in _mapping_items(data, "documents")
            ),
            references_confirmed=_get(data, "references_confirmed", int),
            interviewed_on=_optional_date(data, "interviewed_on"),
            checks_passed=tuple(_text_items(data, "checks_passed")),
            signatories=tuple(
                Signatory(name=_get(item, "name", str), role=_get(item, "role", str))
                for item in _mapping_items(data, "signatories")
            ),
            qr_text=_get(data, "qr_text", str),
            key_id=_get(data, "key_id", str),
            copy_number=_optional(data, "copy_number", int),
            supersedes=_optional(data, "supersedes", str),
            draft=_get(data, "draft", bool),
            screen_view=bool(_optional(data, "screen_view", bool)),
        )
    except binascii.Error as exc:
        raise ValueError("Stored letter content has a logo that is not base64.") from exc


def _get(data: Mapping[str, Any], key: str, kind: type[T]) -> T:
    if key not in data:
        raise ValueError(f"Stored letter content lacks {key!r}.")
    value = data[key]
    # bool is an int to Python; a stored flag must not pass for a count, nor the reverse.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"Stored letter content has a {type(value).__name__} for {key!r}.")
    return value


def _optional(data: Mapping[str, Any], key: str, kind: type[T]) -> T | None:
    if data.get(key) is None:
        return None
    return _get(data, key, kind)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Stored letter content has a bad date {text!r}.") from None


def _optional_date(data: Mapping[str, Any], key: str) -> dt.date | None:
    text = _optional(data, key, str)
    return None if text is None else _date(text)


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ValueError(f"Stored letter content lacks the {key!r} dictionary.")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    return _get(data, key, list)


def _text_items(data: Mapping[str, Any], key: str) -> list[str]:
    items = _list(data, key)
    if not all(isinstance(item, str) for item in items):
        raise ValueError(f"Stored letter content has a non-text item in {key!r}.")
    return items


def _mapping_items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = _list(data, key)
    if not all(isinstance(item, Mapping) for item in items):
        raise ValueError(f"Stored letter content has a non-dictionary item in {key!r}.")
    return items
