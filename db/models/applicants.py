from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praverka.db.base import Base, UTCDateTime
from praverka.db.enums import NameScript, Sex
from praverka.db.models._types import str_enum


class Applicant(Base):
    """The person being verified.  The date of birth may be partial (year only, or year and month)."""

    __tablename__ = "applicants"
    __table_args__ = (
        CheckConstraint(
            "birth_month IS NULL OR (birth_month BETWEEN 1 AND 12)", name="birth_month"
        ),
        CheckConstraint("birth_day IS NULL OR (birth_day BETWEEN 1 AND 31)", name="birth_day"),
        CheckConstraint(
            "birth_day IS NULL OR birth_month IS NOT NULL", name="birth_day_needs_month"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    birth_month: Mapped[int | None] = mapped_column(SmallInteger)
    birth_day: Mapped[int | None] = mapped_column(SmallInteger)
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "sex"), default=Sex.UNSPECIFIED)
    citizenship: Mapped[str] = mapped_column(String(3), default="BLR")  # ISO 3166-1 alpha-3
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    names: Mapped[list[ApplicantName]] = relationship(
        back_populates="applicant",
        cascade="all, delete-orphan",
        order_by="ApplicantName.position",
    )


class ApplicantName(Base):
    """One spelling of the applicant's name in one script."""

    __tablename__ = "applicant_names"
    __table_args__ = (
        Index("ix_applicant_names_search_key", "search_key"),
        # The queue and the exports pick each applicant's first name in a script: found
        # already in order by this index, without a sort per case.
        Index("ix_applicant_names_applicant_id_position", "applicant_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    script: Mapped[NameScript] = mapped_column(str_enum(NameScript, "name_script"))
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    patronymic: Mapped[str] = mapped_column(String(200), default="")
    # Lower-cased, Latin-folded "surname given patronymic", for searching any spelling.
    # Byte order ("C" collation) on PostgreSQL too, so prefix searches are index range scans.
    search_key: Mapped[str] = mapped_column(
        String(600).with_variant(String(600, collation="C"), "postgresql")
    )

    applicant: Mapped[Applicant] = relationship(back_populates="names")
