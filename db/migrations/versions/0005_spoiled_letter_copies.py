"""spoiled letter copies

A copy logged before its PDF was handed out, whose printing or saving then failed, is
marked spoiled instead of counting as handed out.  Its number may be used again by the
attempt that replaces it, so the uniqueness of (letter_id, number) covers only the copies
that are not spoiled: a partial unique index instead of the unique constraint.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:00:00

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NAME = "uq_letter_copies_letter_id_number"
UNSPOILED = sa.text("spoiled_at IS NULL")


def upgrade() -> None:
    # On SQLite dropping the constraint copies the table; nothing refers to letter_copies,
    # so the copy is safe with foreign keys enforced.
    with op.batch_alter_table("letter_copies", schema=None) as batch_op:
        batch_op.drop_constraint(NAME, type_="unique")
        batch_op.add_column(sa.Column("spoiled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("spoiled_reason", sa.Text(), server_default="", nullable=False)
        )
    op.create_index(
        NAME,
        "letter_copies",
        ["letter_id", "number"],
        unique=True,
        sqlite_where=UNSPOILED,
        postgresql_where=UNSPOILED,
    )


def downgrade() -> None:
    # The old constraint cannot hold while a spoiled attempt shares its number with the copy
    # that replaced it: the spoiled rows go, as they did not exist before this revision.
    op.drop_index(NAME, table_name="letter_copies")
    op.execute("DELETE FROM letter_copies WHERE spoiled_at IS NOT NULL")
    with op.batch_alter_table("letter_copies", schema=None) as batch_op:
        batch_op.drop_column("spoiled_reason")
        batch_op.drop_column("spoiled_at")
        batch_op.create_unique_constraint(NAME, ["letter_id", "number"])
