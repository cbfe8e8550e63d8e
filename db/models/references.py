from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from praverka.db.base import Base, UTCDateTime
from praverka.db.enums import ContactOutcome
from praverka.db.models._types import str_enum


class Reference(Base):
    """A person or organisation who vouches for the applicant."""

    __tablename__ = "case_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))
    years_known: Mapped[int | None] = mapped_column(SmallInteger)
    confirmed: Mapped[bool] = mapped_column(default=False)
    # A reference who is a verified applicant themself makes a stronger reference.
    linked_applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ContactAttempt(Base):
    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_id: Mapped[int] = mapped_column(ForeignKey("case_references.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(32), default="phone")
    outcome: Mapped[ContactOutcome] = mapped_column(str_enum(ContactOutcome, "contact_outcome"))
    note: Mapped[str] = mapped_column(Text, default="")
