"""The case queue filtered by status and sorted by age, against the same SQL in bare sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.harness import Timing, measure
from praverka.app import queries
from praverka.app.context import AppContext
from praverka.app.queries import CaseFilter

FILTER = CaseFilter(statuses=("in_review",))
PAGE = 100


def _literal(ctx: AppContext, statement: Any) -> str:
    return str(
        statement.compile(dialect=ctx.db.engine.dialect, compile_kwargs={"literal_binds": True})
    )


def _captured(ctx: AppContext) -> list[tuple[str, Any]]:
    """The statements list_cases sends to the driver, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(ctx.db.engine, "before_cursor_execute", listen)
    try:
        queries.list_cases(ctx, FILTER, limit=PAGE)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", listen)
    return seen


def run(ctx: AppContext, path: Path) -> list[tuple[str, Timing, Timing, str]]:
    now = ctx.now()
    page_sql = _literal(ctx, queries.filtered_ids(FILTER, now).limit(PAGE))
    count_sql = _literal(ctx, queries.filtered_count(FILTER, now))
    statements = _captured(ctx)
    if not statements or not statements[0][0].lstrip().startswith("SELECT cases.id"):
        raise RuntimeError("list_cases no longer starts with the id query; update the bench")
    # The id page as filtered_ids(...) gives it, then the page fetch exactly as sent.
    fetches = statements[1:]
    raw = sqlite3.connect(path)

    def raw_page() -> None:
        ids = raw.execute(page_sql).fetchall()
        assert len(ids) == PAGE
        for statement, parameters in fetches:
            raw.execute(statement, parameters).fetchall()

    def raw_count() -> None:
        raw.execute(count_sql).fetchone()

    listed = measure(lambda: queries.list_cases(ctx, FILTER, limit=PAGE))
    counted = measure(lambda: queries.count_cases(ctx, FILTER))
    results = [
        ("list 100 in_review, oldest first", listed, measure(raw_page),
         "the same SELECTs (id page + page fetch) in bare sqlite3"),
        ("count in_review", counted, measure(raw_count), "the same COUNT in bare sqlite3"),
    ]  # fmt: skip
    raw.close()
    return results
