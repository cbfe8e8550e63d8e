"""Plain values the services return: no ORM objects leave a unit of work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from praverka.app.checklist.state import ItemState


@dataclass(frozen=True)
class NameView:
    script: str
    surname: str
    given_names: str
    patronymic: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.surname, self.given_names, self.patronymic) if p)


@dataclass(frozen=True)
class ApplicantView:
    id: int
    names: tuple[NameView, ...]
    birth_date: str  # "1987", "1987-03" or "1987-03-14"; "" when unknown
    sex: str
    citizenship: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class CaseSummary:
    id: int
    number: str
    status: str
    priority: int
    purposes: tuple[str, ...]
    applicant_native: str
    applicant_latin: str
    assigned_officer: str
    created_at: dt.datetime
    status_changed_at: dt.datetime
    age_days: int
    version: int


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: str
    number: str
    issuing_country: str
    issuing_authority: str
    issue_date: dt.date | None
    expiry_date: dt.date | None
    seen_as: str
    verification: str
    note: str
    scan_ids: tuple[int, ...]


@dataclass(frozen=True)
class ContactAttemptView:
    id: int
    at: dt.datetime
    by: str
    channel: str
    outcome: str
    note: str


@dataclass(frozen=True)
class ReferenceView:
    id: int
    name: str
    relationship: str
    contact: str
    years_known: int | None
    confirmed: bool
    linked_applicant_id: int | None
    note: str
    attempts: tuple[ContactAttemptView, ...]


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "transition", "comment", or what a recorded event is about (timeline.KINDS)
    actor: str  # the person's full name
    text: str  # one sentence, already in the desk's language


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    applicant: ApplicantView
    preparer: str
    updated_by: str
    updated_at: dt.datetime
    checklist_template: str
    documents: tuple[DocumentView, ...]
    references: tuple[ReferenceView, ...]
    checklist: tuple[ItemState, ...]
    timeline: tuple[TimelineEntry, ...]
