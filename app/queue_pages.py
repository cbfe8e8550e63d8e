"""The queue a page at a time, for the desk window: ids, rows per page, searches.

The one-shot `queries.list_cases` would count from the start on every page; a
lazy table model wants the matching ids in order and rows as they scroll into
view.  It asks for the first page of ids and the count first (`fetch_head`,
quick whatever the size of the queue), then for all the ids (`fetch_ids`),
which at 100,000 cases takes longer than a click may.  Each function is its
own unit of work; no session leaves this module, only plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select

from praverka.app import queries
from praverka.app.context import AppContext
from praverka.app.identity.search import search_prefix
from praverka.app.views import CaseDetail, CaseSummary

SEARCH_LIMIT = 500
DUPLICATE_LIMIT = 30
# A key shorter than this matches a good part of the database and tells nobody anything.
MIN_DUPLICATE_KEY = 3
# Ids read between two calls of `fetch_ids`'s `check`: a few milliseconds' worth.
ID_CHUNK = 10_000


@dataclass(frozen=True)
class QueueHead:
    """The first ids of a queue in display order, and how many cases match in all."""

    ids: list[int]
    total: int


def _ids_statement(
    ctx: AppContext, flt: queries.CaseFilter, only: Iterable[int] | None
) -> Select[int]:
    stmt = queries.filtered_ids(flt, ctx.now())
    if only is not None:
        # The id column of the service's own statement, so the order stays the service's.
        stmt = stmt.where(stmt.selected_columns[0].in_(list(only)))
    return stmt


def fetch_head(ctx: AppContext, flt: queries.CaseFilter, limit: int) -> QueueHead:
    """The first `limit` matching ids and the number of matches, read together."""
    now = ctx.now()
    with ctx.db.read() as session:
        connection = session.connection()
        if flt.sort == "officer":
            ids = queries.officer_sorted_head(session, flt, now, limit)
        else:
            stmt = queries.filtered_ids(flt, now).limit(limit)
            ids = [row[0] for row in connection.execute(stmt)]
        if len(ids) < limit:
            return QueueHead(ids, len(ids))
        return QueueHead(ids, connection.execute(queries.filtered_count(flt, now)).scalar_one())


def fetch_ids(
    ctx: AppContext,
    flt: queries.CaseFilter,
    only: Iterable[int] | None = None,
    *,
    check: Callable[[], None] | None = None,
) -> list[int]:
    """All matching ids in display order; `only` narrows them to a search's result.

    `check` is called between chunks of ids and may raise to stop the reading
    (a worker thread whose result nobody wants any more).
    """
    stmt = _ids_statement(ctx, flt, only)
    with ctx.db.read() as session:
        result = session.connection().execute(stmt)
        # The driver's own rows: an integer id needs no conversion, and
        # SQLAlchemy's work per row for 100,000 ids costs as much as the query.
        cursor = result.cursor
        ids: list[int] = []
        while rows := cursor.fetchmany(ID_CHUNK):
            ids.extend(row[0] for row in rows)
            if check is not None:
                check()
        return ids


def fetch_rows(ctx: AppContext, ids: Sequence[int]) -> list[CaseSummary]:
    now = ctx.now()
    with ctx.db.read() as session:
        return queries.summaries(session, ids, now)


def search_case_ids(ctx: AppContext, typed: str) -> list[int]:
    """Cases whose number, document number or any spelling of a name starts with `typed`."""
    text = typed.strip()
    if not text:
        return []
    with ctx.db.read() as session:
        return queries.search_ids(session, text, limit=SEARCH_LIMIT)


def possible_duplicates(ctx: AppContext, typed_names: Sequence[str]) -> list[CaseSummary]:
    """Existing cases whose applicant has a name spelt like one of those typed so far.

    The one place intake asks "have we seen this person?": better matching
    (dates of birth, fuzzy keys, documents) replaces the body, not the callers.
    """
    wanted = [
        name
        for name in dict.fromkeys(n.strip() for n in typed_names)
        if len(search_prefix(name).replace(" ", "")) >= MIN_DUPLICATE_KEY
    ]
    if not wanted:
        return []
    now = ctx.now()
    with ctx.db.read() as session:
        ids: dict[int, None] = {}
        for name in wanted:
            ids.update(dict.fromkeys(queries.search_ids(session, name, limit=DUPLICATE_LIMIT)))
        return queries.summaries(session, list(ids)[:DUPLICATE_LIMIT], now)


def reload_case(ctx: AppContext, case_id: int) -> CaseDetail:
    """The case again after the desk's own change: its opening was recorded already."""
    return queries.case_detail(ctx, case_id)
