"""The queue a page at a time, for the desk window: ids once, rows per page, searches.

The one-shot `queries.list_cases` would count from the start on every page; a
lazy table model wants all matching ids first and rows as they scroll into
view.  Each function is its own unit of work; no session leaves this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from praverka.app import queries
from praverka.app.context import AppContext
from praverka.app.identity.search import search_prefix
from praverka.app.views import CaseDetail, CaseSummary

SEARCH_LIMIT = 500
DUPLICATE_LIMIT = 30
# A key shorter than this matches a good part of the database and tells nobody anything.
MIN_DUPLICATE_KEY = 3


def fetch_ids(
    ctx: AppContext, flt: queries.CaseFilter, only: Iterable[int] | None = None
) -> list[int]:
    """All matching ids in display order; `only` narrows them to a search's result."""
    stmt = queries.filtered_ids(flt, ctx.now())
    if only is not None:
        # The id column of the service's own statement, so the order stays the service's.
        stmt = stmt.where(stmt.selected_columns[0].in_(list(only)))
    with ctx.db.read() as session:
        # Plain Core rows: ORM result rows for 100,000 ids cost more than the query.
        return [row[0] for row in session.connection().execute(stmt)]


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
