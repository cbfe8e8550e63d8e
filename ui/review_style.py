"""What the review window and the Review menu share, kept light: the Review menu is built
with the main window at sign-in and must not pull in the review window's imports (the
documents tab, the scan reader) until a case is opened for review."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget, QWidget

from praverka.ui.tab_base import read_only_table

AGE_COLOURS = {"amber": "#b26a00", "red": "#a01c12"}


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrapping_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    """A `read_only_table` whose rows grow to show long text wrapped, all of it in sight."""
    table = read_only_table(parent, name, headers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table
