"""The queue: a lazy table over the ids of the matching cases.

All matching ids are read at once (100,000 ints are under a megabyte and one
query); the rows behind them are read a page at a time when the view first
asks for one of its cells, and a bounded number of pages is kept.  So opening
the whole database costs one id query plus the page on screen, and a sort or
a filter change is one new id query.
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
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from praverka.app import queries, queue_pages
from praverka.app.context import AppContext
from praverka.app.i18n import N_, _
from praverka.app.views import CaseSummary
from praverka.ui import labels

PAGE_SIZE = 200
MAX_PAGES = 100  # 20,000 rows at most in memory, however far the officer scrolls

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
_HIGH = QColor("#8a5a00")


def sort_for(column: int, order: Qt.SortOrder) -> tuple[str, bool]:
    """(CaseFilter.sort, descending) for a click on a column header."""
    key = SORT_KEYS[COLUMNS[column]]
    descending = order == Qt.SortOrder.DescendingOrder
    if key == "age":
        # The service's "age" ascending is oldest first: the order of created_at,
        # which is the reverse of the age in days the column shows.
        descending = not descending
    return key, descending


class QueueModel(QAbstractTableModel):
    """Cases matching a `CaseFilter`, optionally narrowed to a search's hits."""

    reloaded = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueModel")
        self._ctx = ctx
        self._filter = queries.CaseFilter()
        self._only: list[int] | None = None
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, list[CaseSummary]] = OrderedDict()
        self.page_loads = 0  # for tests and benchmarks: how many pages were read

    # ------------------------------------------------------------- contents

    @property
    def case_filter(self) -> queries.CaseFilter:
        return self._filter

    @property
    def search_hits(self) -> list[int] | None:
        return self._only

    def set_query(self, flt: queries.CaseFilter, only: list[int] | None = None) -> None:
        """Show the cases matching `flt`, or, when `only` is given, just those of them."""
        self._filter = flt
        self._only = only
        self.reload()

    def reload(self) -> None:
        """Read the ids again; rows are re-read as they are shown."""
        if self._only is not None and not self._only:
            ids: list[int] = []
        else:
            ids = queue_pages.fetch_ids(self._ctx, self._filter, self._only)
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._pages.clear()
        self.endResetModel()
        self.reloaded.emit()

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {cid: row for row, cid in enumerate(self._ids)}
        return self._row_of.get(case_id)

    def summary(self, row: int) -> CaseSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def _load_page(self, page_no: int) -> list[CaseSummary]:
        start = page_no * PAGE_SIZE
        ids = self._ids[start : start + PAGE_SIZE]
        rows = queue_pages.fetch_rows(self._ctx, ids)
        if len(rows) != len(ids):
            # A case vanished between the id query and this page (it cannot be
            # deleted today, but a restore could do it); keep rows aligned.
            by_id = {row.id: row for row in rows}
            rows = [by_id.get(i) or _missing(i) for i in ids]
        self._pages[page_no] = rows
        self.page_loads += 1
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows

    def refresh_case(self, case_id: int) -> None:
        """Forget the page holding a case that changed, so its row is read again."""
        row = self.row_of(case_id)
        if row is None:
            return
        self._pages.pop(row // PAGE_SIZE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # ------------------------------------------------------------- Qt model

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.set_query(with_sort(self._filter, column, order), self._only)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

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
        row, column = index.row(), COLUMNS[index.column()]
        if role == CASE_ID_ROLE:
            return self.case_id(row)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
            SUMMARY_ROLE,
        ):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in ("age", "number"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        case = self.summary(row)
        if case is None:
            return None
        if role == SUMMARY_ROLE:
            return case
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "priority" and case.priority >= 3:
                return QBrush(_URGENT)
            if column == "priority" and case.priority == 2:
                return QBrush(_HIGH)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column == "priority" and case.priority >= 3:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "applicant":
                return "\n".join(n for n in (case.applicant_native, case.applicant_latin) if n)
            if column == "purposes":
                return ", ".join(labels.label(labels.PURPOSES, p) for p in case.purposes)
            return None
        return display(case, column)


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
