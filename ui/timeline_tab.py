"""The Timeline tab: transitions, comments and recorded events, newest first; add a comment."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from praverka.app import records
from praverka.app.i18n import _
from praverka.app.timeline import kind_label
from praverka.app.views import CaseDetail, TimelineEntry
from praverka.ui import labels
from praverka.ui.tab_base import CaseTab, EditorApi

# Past this many characters a line is cut on screen; its tooltip still has it all.
MAX_DETAIL = 1000
MAX_TOOLTIP = 4000
DETAILS_COLUMN = 3


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


class _WrappingDelegate(QStyledItemDelegate):
    """Measures a Details cell at its column's width, so a long one gets a taller row.

    A tree asks each cell how tall it is without telling it how wide its column is;
    word wrapping alone therefore never makes a row taller.
    """

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.column() != DETAILS_COLUMN:
            return super().sizeHint(option, index)
        measured = QStyleOptionViewItem(option)
        # An empty rectangle reads as "no width given": one line high keeps it valid.
        measured.rect = QRect(0, 0, self.tree.header().sectionSize(DETAILS_COLUMN), 1)
        return super().sizeHint(measured, index)


def timeline_tree(parent: QWidget, name: str) -> QTreeWidget:
    """The read-only list of a case's timeline: when, what, who, details (wrapped)."""
    tree = QTreeWidget(parent)
    tree.setObjectName(name)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    # Long details (a reason, a comment) wrap inside their column instead of running off it.
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setTextElideMode(Qt.TextElideMode.ElideNone)
    tree.setItemDelegate(_WrappingDelegate(tree))
    tree.setHeaderLabels([_("When"), _("What"), _("Who"), _("Details")])
    header = tree.header()
    for column in range(3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # A tree lays out row heights once; when the Details column gets wider or narrower
    # the wrapped rows must be measured again, or they stay cut or too tall.
    header.sectionResized.connect(lambda column, _old, _new: _relayout(tree, column))
    return tree


def _relayout(tree: QTreeWidget, column: int) -> None:
    if column == DETAILS_COLUMN:
        tree.doItemsLayout()


def show_timeline(tree: QTreeWidget, timeline: Sequence[TimelineEntry]) -> None:
    """Replace what a `timeline_tree` shows with these entries, newest first."""
    tree.clear()
    items = []
    # The service already sorts newest first; sorting again keeps that true
    # whatever order a future service returns.
    for entry in sorted(timeline, key=lambda e: e.at, reverse=True):
        item = QTreeWidgetItem(
            [
                labels.when(entry.at),
                kind_label(entry.kind),
                entry.actor,
                _shortened(entry.text, MAX_DETAIL),
            ]
        )
        item.setToolTip(DETAILS_COLUMN, _shortened(entry.text, MAX_TOOLTIP))
        for column in range(4):
            # A wrapped detail makes a tall row: the rest of it reads from the top.
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        items.append(item)
    tree.addTopLevelItems(items)


class TimelineTab(CaseTab):
    def __init__(self, editor: EditorApi) -> None:
        super().__init__()
        self.setObjectName("timelineTab")
        self.editor = editor
        layout = QVBoxLayout(self)
        self.tree = timeline_tree(self, "timelineList")
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.comment = QLineEdit(self)
        self.comment.setObjectName("commentText")
        self.comment.setPlaceholderText(_("A note for the case's timeline"))
        self.comment.returnPressed.connect(self.add_comment)
        self.comment.textChanged.connect(self.editor.refresh_dirty)
        row.addWidget(self.comment, 1)
        self.comment_button = QPushButton(_("Add comment"), self)
        self.comment_button.setObjectName("addComment")
        self.comment_button.clicked.connect(self.add_comment)
        row.addWidget(self.comment_button)
        layout.addLayout(row)

    def load(self, detail: CaseDetail, editable: bool, why_not: str) -> None:
        show_timeline(self.tree, detail.timeline)

    def pending(self) -> bool:
        return bool(self.comment.text().strip())

    def discard(self) -> None:
        self.comment.clear()

    def save_pending(self) -> bool:
        return self.add_comment()

    def add_comment(self) -> bool:
        body = self.comment.text()
        if not body.strip():
            return True
        ctx, actor, case_id = self.editor.ctx, self.editor.actor, self.editor.case_id
        # A comment is not a change to the case (any state, no version): the
        # version passed through stays what it was.
        done = self.editor.change(lambda v: (records.add_comment(ctx, actor, case_id, body), v))
        if done is None:
            return False
        self.comment.clear()
        self.editor.note(_("Comment added."))
        return True
