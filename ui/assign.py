"""Assign or reassign one or many cases to an officer, each officer's workload beside their name.

    dialog = AssignDialog(ctx, actor, case_ids, parent)
    dialog.assigned.connect(lambda ids: refresh())
    dialog.open()

Each case is assigned on its own, so one refused case (closed, gone) stops no
other; the dialog then says how many were assigned and why the rest were not.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from praverka.app import review
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import _
from praverka.ui.login import database_error_text

MAX_REFUSALS_SHOWN = 8


def report_text(report: review.AssignReport, officer_name: str) -> str:
    """What happened, in a few lines: assigned N, already theirs N, refused N with reasons."""
    parts = [_("Assigned {n} to {officer}.").format(n=report.assigned, officer=officer_name)]
    if report.unchanged:
        parts.append(_("{n} were already theirs.").format(n=report.unchanged))
    refused = report.refused
    if refused:
        parts.append(_("Refused {n}:").format(n=len(refused)))
        for outcome in refused[:MAX_REFUSALS_SHOWN]:
            parts.append(f"\N{BULLET} {outcome.refusal}")
        if len(refused) > MAX_REFUSALS_SHOWN:
            parts.append(_("and {n} more.").format(n=len(refused) - MAX_REFUSALS_SHOWN))
    return "\n".join(parts)


class AssignDialog(QDialog):
    """Choose an officer for the given cases; the list shows what each already carries."""

    assigned = Signal(list)  # ids of the cases whose officer changed

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        case_ids: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.ctx, self.actor = ctx, actor
        self.case_ids = list(dict.fromkeys(case_ids))
        self.report: review.AssignReport | None = None
        self.loads: list[review.OfficerLoad] = []
        self.setWindowTitle(_("Assign a case") if len(self.case_ids) == 1 else _("Assign cases"))
        layout = QVBoxLayout(self)
        which = (
            _("Choose the officer for this case.")
            if len(self.case_ids) == 1
            else _("Choose the officer for these {n} cases.").format(n=len(self.case_ids))
        )
        intro = QLabel(
            which
            + " "
            + _(
                "Open cases are drafts, cases on hold, in review, or approved and waiting "
                "for their letter; least loaded first."
            ),
            self,
        )
        intro.setObjectName("assignIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("workloadTable")
        self.table.setHorizontalHeaderLabels([_("Officer"), _("Open cases"), _("In review")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.table.doubleClicked.connect(lambda _index: self.assign())
        layout.addWidget(self.table, 1)

        self.result_label = QLabel(self)
        self.result_label.setObjectName("assignResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        layout.addWidget(self.result_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.setObjectName("assignButtons")
        self.assign_button = buttons.addButton(_("&Assign"), QDialogButtonBox.ButtonRole.ActionRole)
        self.assign_button.setObjectName("assignButton")
        self.assign_button.setDefault(True)
        self.assign_button.clicked.connect(self.assign)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumSize(460, 380)
        self.load_workload()

    def load_workload(self) -> None:
        chosen = self.chosen()
        try:
            self.loads = review.workload(self.ctx)
        except Exception as exc:
            self._say(database_error_text(exc), error=True)
            self.loads = []
        self.table.setRowCount(len(self.loads))
        for r, load in enumerate(self.loads):
            name = QTableWidgetItem(load.full_name)
            name.setToolTip(load.username)
            name.setData(Qt.ItemDataRole.UserRole, load.username)
            cells = [
                name,
                QTableWidgetItem(str(load.open_cases)),
                QTableWidgetItem(str(load.in_review)),
            ]
            for c in (1, 2):
                cells[c].setTextAlignment(
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            for c, cell in enumerate(cells):
                self.table.setItem(r, c, cell)
            if chosen is not None and load.username == chosen.username:
                self.table.selectRow(r)
        self._update_button()

    def chosen(self) -> review.OfficerLoad | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or not (0 <= rows[0].row() < len(self.loads)):
            return None
        return self.loads[rows[0].row()]

    def choose(self, username: str) -> None:
        for r, load in enumerate(self.loads):
            if load.username == username:
                self.table.selectRow(r)
                return

    def _update_button(self) -> None:
        self.assign_button.setEnabled(self.chosen() is not None and bool(self.case_ids))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_label.setStyleSheet("color: #a01c12;" if error else "")
        self.result_label.setText(text)
        self.result_label.show()

    def assign(self) -> review.AssignReport | None:
        officer = self.chosen()
        if officer is None or not self.case_ids:
            return None
        try:
            report = review.assign_many(self.ctx, self.actor, self.case_ids, officer.username)
        except Exception as exc:  # no permission, or the database went away
            self._say(database_error_text(exc), error=True)
            return None
        self.report = report
        self._say(
            report_text(report, officer.full_name),
            error=bool(report.refused) and not report.assigned,
        )
        self.load_workload()
        changed = [o.case_id for o in report.outcomes if o.changed]
        if changed:
            self.assigned.emit(changed)
        return report
