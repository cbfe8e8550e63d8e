"""The queue: a lazy table over the ids of the matching cases.

A new query (a filter, a sort, a search, a refresh) reads at once only the
first page of ids and the number of matches: enough to paint the rows on
screen and to size the scroll bar, and quick however many cases match.  All
the ids in order (100,000 ints are under a megabyte, but reading them takes
longer than a click may) are read next, off the GUI thread; rows past the
first page stay blank until they are in, a tenth of a second or so later.
The rows behind the ids are read a page at a time when the view first asks
for one of their cells, their texts worked out once, and a bounded number of
pages is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from praverka.app import queries, queue_pages
from praverka.app.context import AppContext
from praverka.app.i18n import N_, _
from praverka.app.views import CaseSummary
from praverka.ui import labels
from praverka.ui.login import database_error_text
from praverka.ui.tasks import Task, TaskCancelled, TaskControl, run_task

PAGE_SIZE = 100  # rows read at a time: a screenful or three, a few milliseconds' work
MAX_PAGES = 200  # 20,000 rows at most in memory, however far the officer scrolls
# Ids read on the GUI thread for a new query: whole pages, more than a tall screen shows.
HEAD_ROWS = 2 * PAGE_SIZE

COLUMNS: tuple[str, ...] = (
    "number",
    "applicant",
    "purposes",
    "status",
    "age",
    "officer",
    "priority",
)
HEADERS: dict[str, str] = {
    "number": N_("Case"),
    "applicant": N_("Applicant"),
    "purposes": N_("Purposes"),
    "status": N_("Status"),
    "age": N_("Age (days)"),
    "officer": N_("Officer"),
    "priority": N_("Priority"),
}

# Each column's sort key in `queries.CaseFilter.sort`.
SORT_KEYS: dict[str, str] = {
    "number": "number",
    "applicant": "applicant",
    "purposes": "purposes",
    "status": "status",
    "age": "age",
    "officer": "officer",
    "priority": "priority",
}

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2

_URGENT = QColor("#a01c12")
# Age thresholds colour the waiting time of open cases (settings: amber and red days).
_AMBER_AGE = QColor("#ffe2a8")
_RED_AGE = QColor("#f6b3ad")
_OPEN = frozenset({"draft", "on_hold", "in_review", "approved"})
_HIGH = QColor("#8a5a00")

# The view asks for several roles of every cell it paints: plain ints compare
# faster than the enum members, and `data` runs some thousand times a paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_CASE_ID = int(CASE_ID_ROLE)
_SUMMARY = int(SUMMARY_ROLE)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ALIGNMENTS = tuple(_RIGHT if c in ("age", "number") else _LEFT for c in COLUMNS)
_APPLICANT = COLUMNS.index("applicant")
_PURPOSES = COLUMNS.index("purposes")
_PRIORITY = COLUMNS.index("priority")
_AGE = COLUMNS.index("age")


def sort_for(column: int, order: Qt.SortOrder) -> tuple[str, bool]:
    """(CaseFilter.sort, descending) for a click on a column header."""
    key = SORT_KEYS[COLUMNS[column]]
    descending = order == Qt.SortOrder.DescendingOrder
    if key == "age":
        # The service's "age" ascending is oldest first: the order of created_at,
        # which is the reverse of the age in days the column shows.
        descending = not descending
    return key, descending


class _ReadFailed(Exception):
    """Reading the ids of query `generation` failed, for the reason in `message`."""

    def __init__(self, generation: int, message: str) -> None:
        super().__init__(generation, message)
        self.generation = generation
        self.message = message


class _Page:
    """The rows of one page, and their texts once a paint has asked for them."""

    __slots__ = ("summaries", "texts")

    def __init__(self, summaries: list[CaseSummary]) -> None:
        self.summaries = summaries
        self.texts: list[tuple[str, ...] | None] = [None] * len(summaries)

    def text(self, offset: int, column: int) -> str:
        texts = self.texts[offset]
        if texts is None:
            case = self.summaries[offset]
            texts = self.texts[offset] = tuple(display(case, name) for name in COLUMNS)
        return texts[column]


class QueueModel(QAbstractTableModel):
    """Cases matching a `CaseFilter`, optionally narrowed to a search's hits."""

    reloaded = Signal()  # a new query's count and first rows are in
    loaded = Signal()  # every id of the query is in: every row can be shown
    load_failed = Signal(str)  # why the ids could not be read

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueModel")
        self._ctx = ctx
        self._filter = queries.CaseFilter()
        self._only: list[int] | None = None
        self._ids: list[int] = []  # the known ids in order: the first ones, or all
        self._total = 0  # the rows shown: how many cases match
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._hot: tuple[int, _Page] | None = None  # the page the last cell came from
        self._bold: QFont | None = None
        self._age_limits = (3, 7)  # amber after, red after (days); the window sets the office's
        self._generation = 0  # which query a reading of ids belongs to
        self._loading: Task[tuple[int, list[int]]] | None = None
        # One reading at a time: a superseded one stops at its next chunk.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # The ids are read once the event loop has run, after the first page is
        # painted, and only for the last of several quick changes.
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.setInterval(0)
        self._load_timer.timeout.connect(self._start_loading)
        self.page_loads = 0  # for tests and benchmarks: how many pages were read

    # ------------------------------------------------------------- contents

    @property
    def case_filter(self) -> queries.CaseFilter:
        return self._filter

    @property
    def search_hits(self) -> list[int] | None:
        return self._only

    @property
    def is_complete(self) -> bool:
        """Whether every id is in (and so every row can be shown)."""
        return len(self._ids) >= self._total

    def set_query(self, flt: queries.CaseFilter, only: list[int] | None = None) -> None:
        """Show the cases matching `flt`, or, when `only` is given, just those of them.

        Raises what the service raises (a bad filter, a lost connection)
        before anything shown changes.
        """
        if only is None:
            head = queue_pages.fetch_head(self._ctx, flt, HEAD_ROWS)
            ids, total = head.ids, head.total
        else:
            # A search's hits are a few hundred at most: all of them at once.
            ids = queue_pages.fetch_ids(self._ctx, flt, only) if only else []
            total = len(ids)
        self._stop_loading()
        self._filter, self._only = flt, only
        self.beginResetModel()
        self._ids, self._total = ids, total
        self._forget_rows()
        self.endResetModel()
        if not self.is_complete:
            self._load_timer.start()
        self.reloaded.emit()

    def reload(self) -> None:
        """Read the ids again; rows are re-read as they are shown."""
        self.set_query(self._filter, self._only)

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int) -> int | None:
        """The row of a case, if its id is in yet."""
        if self._row_of is None:
            self._row_of = {cid: row for row, cid in enumerate(self._ids)}
        return self._row_of.get(case_id)

    def summary(self, row: int) -> CaseSummary | None:
        found = self._page(row)
        return found[1].summaries[found[0]] if found is not None else None

    def _page(self, row: int) -> tuple[int, _Page] | None:
        """(offset, page) of a row, its page read if need be; None for a row not known yet."""
        page_no, offset = divmod(row, PAGE_SIZE)
        hot = self._hot
        if hot is not None and hot[0] == page_no:
            page = hot[1]
        else:
            if not 0 <= row < len(self._ids):
                return None
            cached = self._pages.get(page_no)
            if cached is None:
                page = self._load_page(page_no)
            else:
                page = cached
                self._pages.move_to_end(page_no)
            self._hot = (page_no, page)
        return (offset, page) if offset < len(page.summaries) else None

    def _load_page(self, page_no: int) -> _Page:
        start = page_no * PAGE_SIZE
        ids = self._ids[start : start + PAGE_SIZE]
        rows = queue_pages.fetch_rows(self._ctx, ids)
        if len(rows) != len(ids):
            # A case vanished between the id query and this page (it cannot be
            # deleted today, but a restore could do it); keep rows aligned.
            by_id = {row.id: row for row in rows}
            rows = [by_id.get(i) or _missing(i) for i in ids]
        page = _Page(rows)
        self._pages[page_no] = page
        self.page_loads += 1
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _forget_rows(self) -> None:
        self._row_of = None
        self._pages.clear()
        self._hot = None

    def refresh_case(self, case_id: int) -> None:
        """Forget the page holding a case that changed, so its row is read again."""
        row = self.row_of(case_id)
        if row is None:
            return
        self._pages.pop(row // PAGE_SIZE, None)
        self._hot = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # ------------------------------------------------------------- all the ids

    def _stop_loading(self) -> None:
        self._generation += 1
        self._load_timer.stop()
        if self._loading is not None:
            self._loading.cancel()
            self._loading = None

    def _start_loading(self) -> None:
        ctx, flt, generation = self._ctx, self._filter, self._generation

        def work(control: TaskControl) -> tuple[int, list[int]]:
            control.check()  # superseded while it waited for the thread
            try:
                return generation, queue_pages.fetch_ids(ctx, flt, check=control.check)
            except TaskCancelled:
                raise
            except Exception as exc:
                # Only the sentence reaches the GUI thread, not what the
                # traceback holds on to.
                raise _ReadFailed(generation, database_error_text(exc)) from None

        self._loading = run_task(
            None,
            work,
            on_done=self._ids_read,
            on_error=self._ids_failed,
            show_progress=False,
            pool=self._pool,
        )

    def _ids_read(self, result: tuple[int, list[int]]) -> None:
        generation, ids = result
        if generation != self._generation:
            return
        self._loading = None
        known, old_total = self._ids, self._total
        self._set_total(len(ids))
        if ids[: len(known)] == known:
            # The usual case: the first page is as shown, and the blank rows
            # after it get their cases.
            self._ids, self._row_of = ids, None
            last = min(old_total, len(ids)) - 1
            if len(known) <= last:
                self.dataChanged.emit(self.index(len(known), 0), self.index(last, len(COLUMNS) - 1))
        else:
            self._reorder(ids)
        if len(ids) != old_total:
            self.reloaded.emit()
        self.loaded.emit()

    def _set_total(self, total: int) -> None:
        """Add or take away rows at the end, so that `total` rows are shown."""
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < self._total:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            if len(self._ids) > total:
                self._ids = self._ids[:total]
                self._forget_rows()
            self.endRemoveRows()

    def _reorder(self, ids: list[int]) -> None:
        """Show `ids` where the first page was read before other cases changed.

        The selection and the current row follow their cases, as the view
        keeps them in persistent indexes.
        """
        self.layoutAboutToBeChanged.emit()
        known = self._ids
        new_rows = {cid: row for row, cid in enumerate(ids)}
        before = self.persistentIndexList()
        after = []
        for index in before:
            row = index.row()
            # A row past the known ones was blank: it stays where it was.
            moved = new_rows.get(known[row]) if row < len(known) else row
            after.append(QModelIndex() if moved is None else self.index(moved, index.column()))
        self._ids = ids
        self._forget_rows()
        self._row_of = new_rows
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _ids_failed(self, exc: BaseException) -> None:
        if isinstance(exc, _ReadFailed) and exc.generation == self._generation:
            self._loading = None
            self.load_failed.emit(exc.message)

    # ------------------------------------------------------------- Qt model

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.set_query(with_sort(self._filter, column, order), self._only)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[COLUMNS[section]])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == _DISPLAY:
            found = self._page(index.row())
            return found[1].text(found[0], column) if found is not None else None
        if role == _ALIGNMENT:
            return _ALIGNMENTS[column]
        if role in (_FOREGROUND, _FONT):
            return self._priority_style(index.row(), role) if column == _PRIORITY else None
        if role == _BACKGROUND:
            return self._age_colour(index.row()) if column == _AGE else None
        if role == _CASE_ID:
            return self.case_id(index.row())
        if role == _SUMMARY:
            return self.summary(index.row())
        if role == _TOOLTIP:
            case = self.summary(index.row())
            if case is None:
                return None
            if column == _APPLICANT:
                return "\n".join(n for n in (case.applicant_native, case.applicant_latin) if n)
            if column == _PURPOSES:
                return ", ".join(labels.label(labels.PURPOSES, p) for p in case.purposes)
            if column == _AGE and self._age_level(case) != "normal":
                amber, red = self._age_limits
                return _("Open for {days} days (amber from {amber}, red from {red}).").format(
                    days=case.age_days, amber=amber, red=red
                )
        return None

    def set_age_limits(self, amber_days: int, red_days: int) -> None:
        """The office's thresholds for colouring how long an open case has waited."""
        self._age_limits = (amber_days, red_days)
        if self._total:
            column = COLUMNS.index("age")
            self.dataChanged.emit(
                self.index(0, column), self.index(self._total - 1, column), [_BACKGROUND]
            )

    def _age_level(self, case: CaseSummary) -> str:
        if case.status not in _OPEN:
            return "normal"
        amber, red = self._age_limits
        if case.age_days >= red:
            return "red"
        return "amber" if case.age_days >= amber else "normal"

    def _age_colour(self, row: int) -> QBrush | None:
        case = self.summary(row)
        if case is None:
            return None
        level = self._age_level(case)
        return None if level == "normal" else QBrush(_RED_AGE if level == "red" else _AMBER_AGE)

    def _priority_style(self, row: int, role: int) -> Any:
        case = self.summary(row)
        if case is None or case.priority < 2:
            return None
        if role == _FOREGROUND:
            return QBrush(_URGENT if case.priority >= 3 else _HIGH)
        if case.priority >= 3:
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        return None


def display(case: CaseSummary, column: str) -> str:
    if column == "number":
        return case.number
    if column == "applicant":
        if case.applicant_native and case.applicant_latin:
            return f"{case.applicant_native} / {case.applicant_latin}"
        return case.applicant_native or case.applicant_latin
    if column == "purposes":
        return ", ".join(labels.label(labels.SHORT_PURPOSES, p) for p in case.purposes)
    if column == "status":
        return labels.label(labels.STATUSES, case.status)
    if column == "age":
        return str(case.age_days)
    if column == "officer":
        return case.assigned_officer
    if column == "priority":
        return labels.priority_label(case.priority)
    raise KeyError(column)


def _missing(case_id: int) -> CaseSummary:
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return CaseSummary(
        id=case_id,
        number="?",
        status="",
        priority=1,
        purposes=(),
        applicant_native=_("(no longer in the database)"),
        applicant_latin="",
        assigned_officer="",
        created_at=epoch,
        status_changed_at=epoch,
        age_days=0,
        version=0,
    )


def with_sort(flt: queries.CaseFilter, column: int, order: Qt.SortOrder) -> queries.CaseFilter:
    key, descending = sort_for(column, order)
    return dataclasses.replace(flt, sort=key, descending=descending)
