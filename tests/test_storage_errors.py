"""A full disk: the write fails with a plain message and leaves the data as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from praverka.app import audit, cases, setup, users
from praverka.app.context import AppContext
from praverka.app.errors import describe_database_error
from praverka.db.models import Applicant, AuditEvent, Case
from tests.conftest import PASSWORD
from tests.factories import applicant


def _counts(ctx: AppContext) -> tuple[int, int, int]:
    with ctx.db.read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Case, Applicant, AuditEvent)
        )


def test_full_disk_on_sqlite_loses_nothing(tmp_path: Path) -> None:
    ctx = AppContext(setup.open_database(f"sqlite:///{tmp_path / 'full.sqlite3'}"))
    setup.initialise(ctx, "admin", "Admin", PASSWORD, "signing-passphrase-1")
    admin = users.authenticate(ctx, "admin", PASSWORD)
    users.create_user(ctx, admin, "officer", "Officer", PASSWORD, ["officer"])
    officer = users.authenticate(ctx, "officer", PASSWORD)
    cases.create_case(ctx, officer, cases.CaseInput(applicant()))
    before = _counts(ctx)

    # SQLite's own page limit gives exactly the error a full disk gives (SQLITE_FULL).
    @event.listens_for(ctx.db.engine, "connect")
    def _cap_size(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={pages + 2}")
        cursor.close()

    ctx.db.engine.dispose()
    big = cases.ApplicantInput(**{**applicant().__dict__, "address": "x" * 400_000})
    with pytest.raises(OperationalError) as raised:
        cases.create_case(ctx, officer, cases.CaseInput(big))
    assert describe_database_error(raised.value) == (
        "The disk is full: nothing was saved. Free some space and try again."
    )
    assert _counts(ctx) == before
    assert audit.verify(ctx).ok
