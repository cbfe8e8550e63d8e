"""What a tab of the case editor may ask of the editor holding it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from praverka.app.context import Actor, AppContext
from praverka.app.views import CaseDetail

R = TypeVar("R")
T = TypeVar("T")


class EditorApi(Protocol):
    ctx: AppContext
    actor: Actor
    case_id: int

    def change(self, op: Callable[[int], R]) -> R | None:
        """Run a service call that takes the case's version and returns its new one.

        `op(version)` returns the new version, or a tuple ending with it.  The
        editor handles refusals (conflict, rules, a lost connection) by showing
        them and returns None; on success it reloads the case and returns the
        result.
        """
        ...

    def refresh_dirty(self) -> None:
        """Update the title and toolbar after a tab's unsaved input changed."""
        ...

    def note(self, text: str) -> None:
        """Tell the person something without stopping them (the status bar)."""
        ...


class CaseTab(QWidget):
    """A tab showing one part of a case, with perhaps a form of its own not yet saved."""

    def load(self, detail: CaseDetail, editable: bool, why_not: str) -> None:
        raise NotImplementedError

    def pending(self) -> bool:
        """Whether the tab holds typed input that no service has seen yet."""
        return False

    def save_pending(self) -> bool:
        """Save that input; False if it was refused (the editor shows why)."""
        return True

    def discard(self) -> None:
        """Forget typed input, before a reload replaces what the tab shows."""


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    """Replace a read-only table's cells, keeping the selected row where possible."""
    current = table.currentRow()
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 40 else "")
            table.setItem(r, c, item)
    if 0 <= current < len(rows):
        table.selectRow(current)


def read_only_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    """A table the person reads and picks one row of, but does not type into."""
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return table


def list_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    """A `read_only_table` of one line a row, each column as wide as what it holds."""
    table = read_only_table(parent, name, headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(24)
    return table


def current_of(table: QTableWidget, rows: Sequence[T]) -> T | None:
    """What the table's current row shows, given the sequence it was filled from."""
    row = table.currentRow()
    return rows[row] if 0 <= row < len(rows) else None


def select_where(table: QTableWidget, rows: Sequence[T], wanted: Callable[[T], bool]) -> None:
    """Select the first row the table was filled from that is `wanted`, if any."""
    for number, row in enumerate(rows):
        if wanted(row):
            table.selectRow(number)
            return
