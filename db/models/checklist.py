from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from praverka.db.base import Base, UTCDateTime
from praverka.db.enums import ItemKind
from praverka.db.models._types import str_enum


class ChecklistTemplate(Base):
    __tablename__ = "checklist_templates"
    __table_args__ = (
        UniqueConstraint("code", "version", name="uq_checklist_templates_code_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    content_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list[ChecklistItem]] = relationship(
        cascade="all, delete-orphan", order_by="ChecklistItem.position", lazy="selectin"
    )


class ChecklistItem(Base):
    __tablename__ = "checklist_items"
    __table_args__ = (
        UniqueConstraint("template_id", "code", name="uq_checklist_items_template_id_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "item_kind"))
    required: Mapped[bool] = mapped_column()
    # For evaluated items: the name of the rule that computes the item from the data.
    rule: Mapped[str] = mapped_column(String(64), default="")
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON object for the rule


class CaseChecklistItem(Base):
    """A person's mark on one checklist item of one case: a tick with evidence, or a waiver.

    Items without a row are open (manual) or computed (evaluated).
    """

    __tablename__ = "case_checklist_items"
    __table_args__ = (
        UniqueConstraint("case_id", "item_code", name="uq_case_checklist_items_case_id_item_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    item_code: Mapped[str] = mapped_column(String(64))
    satisfied: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")
    satisfied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    satisfied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    waived: Mapped[bool] = mapped_column(default=False)
    waive_reason: Mapped[str] = mapped_column(Text, default="")
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    waived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
