"""each applicant's names in order, by one index

The queue and the exports show each case's first Cyrillic and first Latin name, a
subquery per case ordered by position.  An index on (applicant_id, position) finds
them already in order; it replaces the index on applicant_id alone, which it covers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:00:00

"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_applicant_names_applicant_id_position",
        "applicant_names",
        ["applicant_id", "position"],
        unique=False,
    )
    op.drop_index("ix_applicant_names_applicant_id", table_name="applicant_names")


def downgrade() -> None:
    op.create_index(
        "ix_applicant_names_applicant_id", "applicant_names", ["applicant_id"], unique=False
    )
    op.drop_index("ix_applicant_names_applicant_id_position", table_name="applicant_names")
