from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praverka.db.base import Base, UTCDateTime
from praverka.db.enums import CaseStatus, CommentKind, HitKind, HitStatus, Purpose
from praverka.db.models._types import str_enum
from praverka.db.models.applicants import Applicant


class Counter(Base):
    """Gapless sequences (case numbers per year, letter serials): one row a sequence.

    A number is taken by an UPDATE of this row inside the transaction that uses
    it, so a rolled-back transaction gives its number back and none is skipped.
    """

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("number", name="uq_cases_number"),
        Index("ix_cases_status_created_at", "status", "created_at"),
        Index("ix_cases_assigned_officer_id_status", "assigned_officer_id", "status"),
        Index("ix_cases_status_changed_at", "status_changed_at"),
        # The queue sorts by these; without an index SQLite sorts 100,000 rows each time.
        Index("ix_cases_created_at_id", "created_at", "id"),
        Index("ix_cases_priority_created_at", "priority", "created_at"),
        Index("ix_cases_updated_at", "updated_at"),
        Index("ix_cases_applicant_sort_key_id", "applicant_sort_key", "id"),
        Index("ix_cases_purposes_sort_key_id", "purposes_sort_key", "id"),
        # "My cases, oldest first" is the queue every officer opens.
        Index("ix_cases_assigned_officer_id_created_at", "assigned_officer_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(  # YYYY-NNNNNN; byte order for prefix searches
        String(16).with_variant(String(16, collation="C"), "postgresql")
    )
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "case_status"))
    priority: Mapped[int] = mapped_column(SmallInteger, default=1)
    assigned_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    preparer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checklist_template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer)
    # Copies of what the queue's applicant and purposes columns sort by, kept by
    # app/cases.py whenever the names or purposes change: sorting 100,000 cases
    # by a lookup per case is far too slow for a click on a column header.
    # A collation key (db/collation.py), compared byte by byte on both databases.
    applicant_sort_key: Mapped[str] = mapped_column(
        String(600).with_variant(String(600, collation="C"), "postgresql"),
        default="",
        server_default="",
    )
    purposes_sort_key: Mapped[str] = mapped_column(
        String(120).with_variant(String(120, collation="C"), "postgresql"),
        default="",
        server_default="",
    )

    applicant: Mapped[Applicant] = relationship()
    purposes: Mapped[list[CasePurpose]] = relationship(
        cascade="all, delete-orphan", order_by="CasePurpose.purpose"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it once


class CasePurpose(Base):
    __tablename__ = "case_purposes"
    # The queue's purpose filter looks cases up by purpose.
    __table_args__ = (Index("ix_case_purposes_purpose_case_id", "purpose", "case_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    purpose: Mapped[Purpose] = mapped_column(str_enum(Purpose, "purpose"), primary_key=True)


class Transition(Base):
    __tablename__ = "transitions"
    __table_args__ = (
        # The dashboard counts approvals and submissions by day and by person from this
        # index alone, without reading the 100,000s of transition rows.
        Index(
            "ix_transitions_to_status_at_actor_id_case_id", "to_status", "at", "actor_id", "case_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "from_status"))
    to_status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "to_status"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    comment: Mapped[str] = mapped_column(Text, default="")


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[CommentKind] = mapped_column(str_enum(CommentKind, "comment_kind"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ScreeningHit(Base):
    """A possible duplicate applicant or watchlist match that someone must resolve."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[HitKind] = mapped_column(str_enum(HitKind, "hit_kind"))
    status: Mapped[HitStatus] = mapped_column(str_enum(HitStatus, "hit_status"))
    matched_applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    description: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(SmallInteger, default=0)  # 0..100
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resolution_note: Mapped[str] = mapped_column(Text, default="")
