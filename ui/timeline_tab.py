"""The Timeline tab: transitions, comments and recorded events, newest first; add a comment."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from praverka.app import records
from praverka.app.i18n import _
from praverka.app.views import CaseDetail, TimelineEntry
from praverka.ui import labels
from praverka.ui.tab_base import CaseTab, EditorApi

MAX_DETAIL = 300


def entry_text(entry: TimelineEntry) -> str:
    """An audit event's "action {json}" made readable; other entries as they are."""
    if entry.kind != "audit":
        return entry.text
    action, _sep, raw = entry.text.partition(" ")
    try:
        changes = json.loads(raw) if raw else {}
    except ValueError:
        return entry.text
    if not isinstance(changes, dict) or not changes:
        return action
    parts = [f"{key}: {_short(value)}" for key, value in changes.items()]
    return f"{action} \N{EM DASH} " + "; ".join(parts)


def _short(value: object) -> str:
    if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], (list, dict)):
        return f"{value[0]} \N{RIGHTWARDS ARROW} {value[1]}"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def timeline_tree(parent: QWidget, name: str) -> QTreeWidget:
    """The read-only list of a case's timeline: when, what, who, details."""
    tree = QTreeWidget(parent)
    tree.setObjectName(name)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels([_("When"), _("What"), _("Who"), _("Details")])
    header = tree.header()
    for column in range(3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return tree


def show_timeline(tree: QTreeWidget, timeline: Sequence[TimelineEntry]) -> None:
    """Replace what a `timeline_tree` shows with these entries, newest first."""
    tree.clear()
    items = []
    # The service already sorts newest first; sorting again keeps that true
    # whatever order a future service returns.
    for entry in sorted(timeline, key=lambda e: e.at, reverse=True):
        text = entry_text(entry)
        item = QTreeWidgetItem(
            [
                labels.when(entry.at),
                labels.label(labels.TIMELINE_KINDS, entry.kind),
                entry.actor,
                text[:MAX_DETAIL],
            ]
        )
        item.setToolTip(3, entry.text[:4000])
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
