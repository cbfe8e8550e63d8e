from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from praverka.db.base import Base, UTCDateTime
from praverka.db.enums import DocumentKind, SeenAs, Verification
from praverka.db.models._types import str_enum


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    number: Mapped[str] = mapped_column(
        String(64).with_variant(String(64, collation="C"), "postgresql"), default="", index=True
    )
    issuing_country: Mapped[str] = mapped_column(String(3), default="")
    issuing_authority: Mapped[str] = mapped_column(String(200), default="")
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    seen_as: Mapped[SeenAs] = mapped_column(str_enum(SeenAs, "seen_as"))
    verification: Mapped[Verification] = mapped_column(str_enum(Verification, "verification"))
    # Why a document is lost or stolen, what was checked, anything the reviewer should know.
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Scan(Base):
    """The bytes of one scanned page or photo, stored once per content hash."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class DocumentScan(Base):
    __tablename__ = "document_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255), default="")
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
