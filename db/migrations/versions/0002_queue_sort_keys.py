"""queue sort keys: the applicant's and the purposes' sort keys on cases, and their indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00.000000

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The purposes as they are in this revision, in the order of their codes.
PURPOSES = ("bank_account", "border_crossing", "legalisation", "other")


def _applicant_key() -> str:
    """The name the queue shows first: the first Cyrillic name, or else the passport's Latin one."""
    native = (
        "SELECT trim(n.surname || ' ' || n.given_names || ' ' || n.patronymic) "
        "FROM applicant_names n WHERE n.applicant_id = cases.applicant_id "
        "AND n.script IN ('be', 'ru') ORDER BY n.position LIMIT 1"
    )
    latin = (
        "SELECT n.surname || ' ' || n.given_names "
        "FROM applicant_names n WHERE n.applicant_id = cases.applicant_id "
        "AND n.script = 'latin_passport' ORDER BY n.position LIMIT 1"
    )
    return f"substr(coalesce(({native}), ({latin}), ''), 1, 600)"


def _purposes_key() -> str:
    """The case's purpose codes in order, joined by commas (e.g. 'bank_account,other')."""
    parts = " || ".join(
        f"CASE WHEN EXISTS (SELECT 1 FROM case_purposes p WHERE p.case_id = cases.id "
        f"AND p.purpose = '{code}') THEN '{code},' ELSE '' END"
        for code in PURPOSES
    )
    return f"rtrim({parts}, ',')"


def upgrade() -> None:
    # Plain ADD COLUMNs (NOT NULL needs the server default on SQLite): batch
    # mode adds them in place rather than copying the table.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "applicant_sort_key", sa.String(length=600), server_default="", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "purposes_sort_key",
                sa.String(length=120).with_variant(
                    sa.String(length=120, collation="C"), "postgresql"
                ),
                server_default="",
                nullable=False,
            )
        )
    op.execute(
        f"UPDATE cases SET applicant_sort_key = {_applicant_key()}, "
        f"purposes_sort_key = {_purposes_key()}"
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_applicant_sort_key_id", ["applicant_sort_key", "id"], unique=False
        )
        batch_op.create_index(
            "ix_cases_purposes_sort_key_id", ["purposes_sort_key", "id"], unique=False
        )
        batch_op.create_index(
            "ix_cases_assigned_officer_id_created_at",
            ["assigned_officer_id", "created_at", "id"],
            unique=False,
        )
    with op.batch_alter_table("case_purposes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_purposes_purpose_case_id", ["purpose", "case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_purposes", schema=None) as batch_op:
        batch_op.drop_index("ix_case_purposes_purpose_case_id")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_assigned_officer_id_created_at")
        batch_op.drop_index("ix_cases_purposes_sort_key_id")
        batch_op.drop_index("ix_cases_applicant_sort_key_id")
    # A plain DROP COLUMN (SQLite 3.35 and later): batch mode would copy the
    # table, and dropping the old `cases` under rows that refer to it fails
    # while foreign keys are enforced.
    op.drop_column("cases", "purposes_sort_key")
    op.drop_column("cases", "applicant_sort_key")
