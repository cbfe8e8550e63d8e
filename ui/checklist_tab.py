"""The Checklist tab: every item's state, why an evaluated one is not met, ticks with evidence."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from praverka.app.checklist import state
from praverka.app.checklist.state import ItemState
from praverka.app.i18n import _
from praverka.app.views import CaseDetail
from praverka.ui import labels
from praverka.ui.tab_base import CaseTab, EditorApi, current_of, read_only_table, select_where

_DONE = QColor("#1d6b2f")
_OPEN = QColor("#a01c12")
_WAIVED = QColor("#6b5b00")


def item_state_text(item: ItemState) -> str:
    if item.waived:
        return _("Waived")
    if item.met:
        return _("Done")
    return _("Open") if item.required else _("Open (optional)")


def item_detail_text(item: ItemState) -> str:
    """What the officer needs to know about an item: why not, or what shows it."""
    if item.waived:
        return _("Waived: {reason}").format(reason=item.waive_reason)
    if item.met and item.kind == "manual":
        return _("Evidence: {evidence} ({when})").format(
            evidence=item.evidence, when=labels.when(item.satisfied_at)
        )
    if item.met:
        return _("Met by the case's data.")
    return item.reason


def state_cell(item: ItemState) -> QTableWidgetItem:
    """An item's state, coloured: done green, open red, waived ochre."""
    cell = QTableWidgetItem(item_state_text(item))
    cell.setForeground(QBrush(_WAIVED if item.waived else _DONE if item.met else _OPEN))
    return cell


def fill_item_table(table: QTableWidget, rows: list[list[QTableWidgetItem]]) -> None:
    """Replace a checklist table's cells, each with its full text as a tooltip.

    The selected row stays where it was when the table still has it.
    """
    current = table.currentRow()
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            cell.setToolTip(cell.text())
            table.setItem(r, c, cell)
    if 0 <= current < len(rows):
        table.selectRow(current)


class ChecklistTab(CaseTab):
    def __init__(self, editor: EditorApi) -> None:
        super().__init__()
        self.setObjectName("checklistTab")
        self.editor = editor
        self.items: tuple[ItemState, ...] = ()
        self._editable = False
        self._why_not = ""

        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("checklistSummary")
        layout.addWidget(self.summary)
        self.table = read_only_table(
            self, "checklistTable", [_("Item"), _("How"), _("State"), _("Why / evidence")]
        )
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda *_args: self._show_selected())
        layout.addWidget(self.table, 1)

        box = QGroupBox(_("Selected item"), self)
        box.setObjectName("checklistItemBox")
        self.box = box
        box_layout = QVBoxLayout(box)
        self.detail = QLabel(box)
        self.detail.setObjectName("itemDetail")
        self.detail.setWordWrap(True)
        box_layout.addWidget(self.detail)
        row = QHBoxLayout()
        self.evidence = QLineEdit(box)
        self.evidence.setObjectName("evidenceNote")
        self.evidence.setPlaceholderText(
            _("Evidence: what shows this is done (e.g. interview on 2 Nov, notes in file)")
        )
        self.evidence.returnPressed.connect(self.tick_selected)
        row.addWidget(self.evidence, 1)
        self.tick_button = QPushButton(_("Tick"), box)
        self.tick_button.setObjectName("tickItem")
        self.tick_button.clicked.connect(self.tick_selected)
        row.addWidget(self.tick_button)
        self.untick_button = QPushButton(_("Untick"), box)
        self.untick_button.setObjectName("untickItem")
        self.untick_button.clicked.connect(self.untick_selected)
        row.addWidget(self.untick_button)
        self.waive_button = QPushButton(_("Waive..."), box)
        self.waive_button.setObjectName("waiveItem")
        self.waive_button.clicked.connect(self.waive_selected)
        self.waive_button.setVisible("supervisor" in editor.actor.roles)
        row.addWidget(self.waive_button)
        box_layout.addLayout(row)
        layout.addWidget(box)

    def load(self, detail: CaseDetail, editable: bool, why_not: str) -> None:
        self.items = detail.checklist
        self._editable, self._why_not = editable, why_not
        required = [i for i in self.items if i.required]
        done = sum(1 for i in required if i.done)
        self.summary.setText(
            _("{done} of {total} required items done.").format(done=done, total=len(required))
            + (" " + _("Ready to submit.") if done == len(required) else "")
        )
        fill_item_table(
            self.table,
            [
                [
                    QTableWidgetItem(item.text),
                    QTableWidgetItem(
                        _("ticked by a person") if item.kind == "manual" else _("from the data")
                    ),
                    state_cell(item),
                    QTableWidgetItem(item_detail_text(item)),
                ]
                for item in self.items
            ],
        )
        self._show_selected()

    def selected(self) -> ItemState | None:
        return current_of(self.table, self.items)

    def select(self, code: str) -> None:
        select_where(self.table, self.items, lambda item: item.code == code)

    def _show_selected(self) -> None:
        item = self.selected()
        if item is None:
            self.box.setTitle(_("Selected item"))
            self.detail.setText(_("Choose an item to tick it or to see why it is open."))
        else:
            self.box.setTitle(item.text)
            self.detail.setText(item_detail_text(item) or item_state_text(item))
        manual = item is not None and item.kind == "manual"
        met = item is not None and item.met
        self.evidence.setEnabled(self._editable and manual and not met)
        self.tick_button.setEnabled(self._editable and manual and not met)
        self.untick_button.setEnabled(self._editable and manual and met)
        self.waive_button.setEnabled(item is not None and not item.waived)
        if not self._editable:
            reason = self._why_not
        elif item is not None and item.kind != "manual":
            reason = _("This item follows from the case's data; change the data to meet it.")
        else:
            reason = ""
        for button in (self.tick_button, self.untick_button):
            button.setToolTip(reason)

    def tick_selected(self) -> None:
        item = self.selected()
        if item is None or item.kind != "manual":
            return
        evidence = self.evidence.text()
        ctx, actor, case_id = self.editor.ctx, self.editor.actor, self.editor.case_id
        code = item.code
        if self.editor.change(lambda v: state.tick(ctx, actor, case_id, v, code, evidence)):
            self.evidence.clear()
            self.select(code)
            self.editor.note(_("Ticked: {item}").format(item=item.text))

    def untick_selected(self) -> None:
        item = self.selected()
        if item is None or item.kind != "manual":
            return
        ctx, actor, case_id = self.editor.ctx, self.editor.actor, self.editor.case_id
        code = item.code
        if self.editor.change(lambda v: state.untick(ctx, actor, case_id, v, code)):
            self.select(code)

    def waive_selected(self) -> None:
        from praverka.ui import messages

        item = self.selected()
        if item is None:
            return
        reason = messages.ask_text(
            self, _("Waive an item"), _("Why is \u201c{item}\u201d waived?").format(item=item.text)
        )
        if not reason:
            return
        from praverka.ui import reauth

        what = _("waiving \u201c{item}\u201d").format(item=item.text)
        if not reauth.confirm_with_password(self, self.editor.ctx, self.editor.actor, what):
            return
        ctx, actor, case_id = self.editor.ctx, self.editor.actor, self.editor.case_id
        code = item.code
        if self.editor.change(lambda v: state.waive(ctx, actor, case_id, v, code, reason)):
            self.select(code)
