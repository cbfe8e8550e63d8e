"""the applicant sort key in alphabetical order

Until now the key was the name itself, which SQLite compares by code point
(Belarusian І and Ў before А, capitals before small letters) and PostgreSQL by
the server's locale, so the two databases sorted the queue differently.  The
key becomes a collation key (db/collation.py) compared byte by byte
on both: the "C" collation on PostgreSQL, SQLite's BINARY as before.

Every case's key is computed again from its names, a few thousand cases at a
time.  Downgrading puts the plain names back, as revision 0002 wrote them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 19:00:00

"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from praverka.db.collation import sort_key

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 5_000
KEY_LENGTH = 600
NATIVE = ("be", "ru")


def _collation(collation: str | None) -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.batch_alter_table("cases", schema=None) as batch_op:
            batch_op.alter_column(
                "applicant_sort_key",
                existing_type=sa.String(length=KEY_LENGTH),
                type_=sa.String(length=KEY_LENGTH, collation=collation),
                existing_nullable=False,
                existing_server_default="",
            )


def _shown_name(names: list[tuple[str, str, str, str]]) -> str:
    """The name the queue shows first, as app/cases.py picks it in this revision."""
    for script, surname, given, patronymic in names:
        if script in NATIVE:
            return f"{surname} {given} {patronymic}".strip(" ")
    for script, surname, given, _patronymic in names:
        if script == "latin_passport":
            return f"{surname} {given}"
    return ""


def _rewrite_keys(make_key: Callable[[str], str]) -> None:
    connection = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("applicant_id", sa.Integer),
        sa.column("applicant_sort_key", sa.String),
    )
    names = sa.table(
        "applicant_names",
        sa.column("applicant_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("script", sa.String),
        sa.column("surname", sa.String),
        sa.column("given_names", sa.String),
        sa.column("patronymic", sa.String),
    )
    update = (
        sa.update(cases)
        .where(cases.c.id == sa.bindparam("case_id"))
        .values(applicant_sort_key=sa.bindparam("key"))
    )
    last_id = 0
    while True:
        batch = connection.execute(
            sa.select(cases.c.id, cases.c.applicant_id)
            .where(cases.c.id > last_id)
            .order_by(cases.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        applicant_ids = sorted({row.applicant_id for row in batch})
        by_applicant: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
        for row in connection.execute(
            sa.select(
                names.c.applicant_id,
                names.c.script,
                names.c.surname,
                names.c.given_names,
                names.c.patronymic,
            )
            .where(names.c.applicant_id.in_(applicant_ids))
            .order_by(names.c.applicant_id, names.c.position)
        ):
            by_applicant[row.applicant_id].append(
                (row.script, row.surname, row.given_names, row.patronymic or "")
            )
        connection.execute(
            update,
            [
                {
                    "case_id": row.id,
                    "key": make_key(_shown_name(by_applicant[row.applicant_id]))[:KEY_LENGTH],
                }
                for row in batch
            ],
        )
        last_id = batch[-1].id


def upgrade() -> None:
    _collation("C")
    _rewrite_keys(sort_key)


def downgrade() -> None:
    _rewrite_keys(lambda name: name)
    _collation(None)
