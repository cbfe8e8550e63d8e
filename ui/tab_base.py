"""What a tab of the case editor may ask of the editor holding it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from praverka.app.context import Actor, AppContext
from praverka.app.views import CaseDetail

R = TypeVar("R")


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
