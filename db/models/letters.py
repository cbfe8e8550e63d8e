"""Attestation letters, every copy of them that left the office, and the keys that sign them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from praverka.db.base import Base, UTCDateTime
from praverka.db.enums import LetterLanguage, LetterOutput, Purpose
from praverka.db.models._types import str_enum


class SigningKeyRecord(Base):
    """The organisation's signing key pair; the private half only ever encrypted.

    Older keys stay (retired) so letters they signed still verify on this desk.
    """

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    public_pem: Mapped[str] = mapped_column(Text)
    private_pem_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Letter(Base):
    """An issued letter. Immutable once written, except for its revocation."""

    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("serial", name="uq_letters_serial"),
        Index("ix_letters_case_id_purpose", "case_id", "purpose"),
        Index("ix_letters_issued_at", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(  # PREFIX-YYYY-NNNNNN
        String(32).with_variant(String(32, collation="C"), "postgresql")
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    purpose: Mapped[Purpose] = mapped_column(str_enum(Purpose, "letter_purpose"))
    language: Mapped[LetterLanguage] = mapped_column(str_enum(LetterLanguage, "letter_language"))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    key_id: Mapped[str] = mapped_column(String(16))
    qr_text: Mapped[str] = mapped_column(Text)
    # The letter's words and facts as printed, so a reprint years later shows the same letter.
    content: Mapped[dict[str, object]] = mapped_column(JSON)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"), unique=True)
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")


# A copy that never left the office (the printer refused it, the file could not be written)
# is spoiled: its row stays, and its number is free for the attempt that replaces it.
UNSPOILED = text("spoiled_at IS NULL")


class LetterCopy(Base):
    """One copy of a letter that left the office: printed, saved as a file, or reprinted.

    Number 0 is the original; reprints count up from 1 and are marked "Copy N".  A copy is
    logged before its PDF is handed out; when handing it out then fails it is marked spoiled
    (`spoiled_at`, `spoiled_reason`) and stays in the log, no longer counted as handed out.
    """

    __tablename__ = "letter_copies"
    __table_args__ = (
        # One handed-out copy per number; spoiled attempts at that number may sit beside it.
        Index(
            "uq_letter_copies_letter_id_number",
            "letter_id",
            "number",
            unique=True,
            sqlite_where=UNSPOILED,
            postgresql_where=UNSPOILED,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"))
    number: Mapped[int] = mapped_column(Integer)
    output: Mapped[LetterOutput] = mapped_column(str_enum(LetterOutput, "letter_output"))
    destination: Mapped[str] = mapped_column(String(255), default="")  # printer or file name
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    spoiled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    spoiled_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class Setting(Base):
    """One named, typed setting (JSON value); see praverka.app.settings for the types."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
