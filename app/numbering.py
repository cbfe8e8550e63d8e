"""Gapless numbers taken inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from praverka.db.models import Counter


def next_value(session: Session, name: str) -> int:
    """Increment and return the named counter.

    The UPDATE locks the counter row until the transaction ends: a second
    writer waits, and a rolled-back transaction returns its number, so the
    sequence has no gaps and no repeats.
    """
    dialect = session.get_bind().dialect.name
    insert_stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Counter)
    session.execute(insert_stmt.values(name=name, value=0).on_conflict_do_nothing())
    value = session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    ).scalar_one()
    return int(value)


def case_number(session: Session, year: int) -> str:
    return f"{year:04d}-{next_value(session, f'case-{year}'):06d}"
