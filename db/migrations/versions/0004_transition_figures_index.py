"""an index for the dashboard's transition figures

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:45:00

"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_transitions_to_status_at_actor_id_case_id",
        "transitions",
        ["to_status", "at", "actor_id", "case_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_transitions_to_status_at_actor_id_case_id", table_name="transitions")
