"""What a letter says, gathered from a case: the plain values the letter and its QR code carry."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from praverka.app.checklist.state import evaluate
from praverka.app.identity.translit import to_passport_latin
from praverka.app.security.qr_claims import LetterClaims
from praverka.app.settings import OrganisationSettings
from praverka.db.enums import CaseStatus, DocumentKind, NameScript, Role
from praverka.db.models import Case, Document, Reference, Transition, User
from praverka.reports.letters import DocumentSeen, LetterContent, Organisation, Signatory

# Which checklist items, all met (not waived), let the letter say that a kind of check passed.
# A waived item is never claimed as passed: the letter states only what was done.
_CHECKS = {
    "documents": ("identity_document",),
    "references": ("references_confirmed",),
    "interview": ("interview_held",),
    "screening": ("no_open_duplicate", "no_open_watchlist_hit", "security_check_answered"),
}
# The document whose number the QR code carries: the most official one the applicant had.
_MAIN_DOCUMENT_ORDER = (
    DocumentKind.PASSPORT,
    DocumentKind.NATIONAL_ID,
    DocumentKind.RESIDENCE_PERMIT,
    DocumentKind.MILITARY_ID,
    DocumentKind.DRIVING_LICENCE,
    DocumentKind.BIRTH_CERTIFICATE,
)


def _birth_date(case: Case) -> str:
    a = case.applicant
    if a.birth_year is None:
        return ""
    if a.birth_month is None:
        return f"{a.birth_year:04d}"
    if a.birth_day is None:
        return f"{a.birth_year:04d}-{a.birth_month:02d}"
    return f"{a.birth_year:04d}-{a.birth_month:02d}-{a.birth_day:02d}"


def _names(case: Case) -> tuple[str, str, tuple[str, ...]]:
    """Native (Belarusian, else Russian Cyrillic), Latin as in the passport, and the others."""

    def full(n: object) -> str:
        parts = (
            getattr(n, "surname", ""),
            getattr(n, "given_names", ""),
            getattr(n, "patronymic", ""),
        )
        return " ".join(p for p in parts if p)

    names = list(case.applicant.names)
    by_script: dict[NameScript, str] = {}
    for n in names:
        by_script.setdefault(n.script, full(n))
    native = by_script.get(NameScript.BELARUSIAN) or by_script.get(NameScript.RUSSIAN) or ""
    latin = by_script.get(NameScript.LATIN_PASSPORT, "")
    if not latin and native:
        lang: Literal["be", "ru"] = "be" if NameScript.BELARUSIAN in by_script else "ru"
        first = next(n for n in names if n.script.value == lang)
        # Passports print surname and given names only; no patronymic in the Latin line.
        latin = to_passport_latin(f"{first.surname} {first.given_names}", lang)
    if not native:
        native = latin or (full(names[0]) if names else "")
    others: list[str] = []
    for n in names:
        text = full(n)
        if text and text not in (native, latin) and text not in others:
            others.append(text)
    return native, latin, tuple(others)


def _documents(session: Session, case: Case) -> list[Document]:
    return list(
        session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id))
    )


def build_content(
    session: Session,
    case: Case,
    org: OrganisationSettings,
    *,
    serial: str,
    language: str,
    purpose: str,
    issued_on: dt.date,
    valid_until: dt.date,
    key_id: str,
    supersedes: str | None,
) -> LetterContent:
    """The letter for `case` as it stands in this transaction; the QR text is added after signing."""
    native, latin, others = _names(case)
    documents = _documents(session, case)
    items = {item.code: item for item in evaluate(session, case)}
    checks = tuple(
        check
        for check, codes in _CHECKS.items()
        if all(c in items and items[c].met and not items[c].waived for c in codes)
    )
    interview = items.get("interview_held")
    interviewed_on = (
        interview.satisfied_at.date()
        if interview and interview.met and not interview.waived and interview.satisfied_at
        else None
    )
    confirmed = session.scalar(
        select(func.count())
        .select_from(Reference)
        .where(Reference.case_id == case.id, Reference.confirmed.is_(True))
    )
    approver = session.execute(
        select(User.full_name)
        .join(Transition, Transition.actor_id == User.id)
        .where(Transition.case_id == case.id, Transition.to_status == CaseStatus.APPROVED)
        .order_by(Transition.at.desc(), Transition.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    signatories = []
    if org.head_name:
        signatories.append(Signatory(org.head_name, "head"))
    if approver:
        signatories.append(Signatory(approver, Role.SUPERVISOR.value))
    return LetterContent(
        serial=serial,
        language=language,
        purpose=purpose,
        issued_on=issued_on,
        valid_until=valid_until,
        place=org.place,
        organisation=Organisation(org.name, org.address, org.contact, org.logo_png),
        name_native=native,
        name_latin=latin,
        other_names=others,
        birth_date=_birth_date(case),
        sex=case.applicant.sex.value,
        documents=tuple(
            DocumentSeen(
                d.kind.value, d.number, d.issuing_country, d.seen_as.value, d.verification.value
            )
            for d in documents
        ),
        references_confirmed=int(confirmed or 0),
        interviewed_on=interviewed_on,
        checks_passed=checks,
        signatories=tuple(signatories),
        qr_text="",
        key_id=key_id,
        supersedes=supersedes,
    )


def claims_for(content: LetterContent, org: OrganisationSettings) -> LetterClaims:
    documents = [d for d in content.documents if d.number]
    order = [k.value for k in _MAIN_DOCUMENT_ORDER]
    documents.sort(key=lambda d: order.index(d.kind) if d.kind in order else len(order))
    return LetterClaims(
        serial=content.serial,
        issued_on=content.issued_on,
        expires_on=content.valid_until,
        purpose=content.purpose,
        name_native=content.name_native,
        name_latin=content.name_latin,
        birth_date=content.birth_date,
        document_number=documents[0].number if documents else "",
        issuer=org.serial_prefix,
    )
