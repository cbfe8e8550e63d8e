"""The Review menu: the review queue, opening a case for review, assigning cases, and the
cases returned to the signed-in officer (a notice in the status bar, refreshed on F5 and
every two minutes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenuBar,
    QVBoxLayout,
    QWidget,
)

from praverka.app import review
from praverka.app.i18n import _
from praverka.db.enums import Role
from praverka.ui import labels, messages
from praverka.ui.assign import AssignDialog
from praverka.ui.login import database_error_text
from praverka.ui.queue_model import CASE_ID_ROLE, COLUMNS
from praverka.ui.review_style import AGE_COLOURS, escape_html, wrapping_table
from praverka.ui.tab_base import fill_table

if TYPE_CHECKING:
    from praverka.ui.main_window import MainWindow
    from praverka.ui.review import ReviewWindow

RETURNED_REFRESH_MS = 120_000


class ReturnedDialog(QDialog):
    """The cases returned to the signed-in officer, with the supervisor's comment."""

    open_requested = Signal(int)

    def __init__(
        self, returned: Sequence[review.ReturnedCase], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("returnedDialog")
        self.setWindowTitle(_("Cases returned to you"))
        self.returned = list(returned)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("A supervisor sent these cases back with a comment. Double-click one to open it.")
            if self.returned
            else _("No case of yours is waiting after a return."),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = wrapping_table(
            self, "returnedTable", [_("Case"), _("Returned"), _("By"), _("Comment")]
        )
        rows = [[r.number, labels.when(r.returned_at), r.by, r.comment] for r in self.returned]
        fill_table(self.table, rows)
        for row, item in enumerate(self.returned):
            cell = self.table.item(row, 0)
            if cell is not None and not item.seen:
                font = cell.font()
                font.setBold(True)
                cell.setFont(font)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = buttons.addButton(_("&Open"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setObjectName("returnedOpen")
        self.open_button.setEnabled(bool(self.returned))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.returned):
            self.open_requested.emit(self.returned[row].case_id)


def returned_summary(returned: Sequence[review.ReturnedCase]) -> str:
    """The status bar's words for the returned cases; "" when there are none."""
    if not returned:
        return ""
    new = sum(1 for r in returned if not r.seen)
    text = (
        _("1 case returned to you")
        if len(returned) == 1
        else _("{n} cases returned to you").format(n=len(returned))
    )
    if new:
        text += " " + _("({n} new)").format(n=new)
    return text


# ----------------------------------------------------------------- the main window's menu


class ReviewMenu(QObject):
    """The main window's Review menu, and the returned-cases notice in its status bar.

    self.review_menu = review.install(self, menu_bar)
    """

    def __init__(self, window: MainWindow, menu_bar: QMenuBar) -> None:
        super().__init__(window)
        self.setObjectName("reviewMenuHandler")
        self.window = window
        self.windows: dict[int, ReviewWindow] = {}
        self.returned: list[review.ReturnedCase] = []
        self.returned_dialog: ReturnedDialog | None = None
        supervisor = window.actor.has_role(Role.SUPERVISOR)

        menu = menu_bar.addMenu(_("&Review"))
        menu.setObjectName("reviewMenu")
        self.queue_action = QAction(_("Review &queue"), window)
        self.queue_action.setObjectName("reviewQueueAction")
        self.queue_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.queue_action.setToolTip(_("Cases in review, oldest first"))
        self.queue_action.triggered.connect(self.show_queue)
        self.review_action = QAction(_("&Review selected case..."), window)
        self.review_action.setObjectName("reviewCaseAction")
        self.review_action.setShortcut(QKeySequence("Ctrl+R"))
        self.review_action.triggered.connect(self.review_selected)
        self.assign_action = QAction(_("&Assign selected cases..."), window)
        self.assign_action.setObjectName("assignCasesAction")
        self.assign_action.triggered.connect(self.assign_selected)
        self.returned_action = QAction(_("Cases re&turned to me..."), window)
        self.returned_action.setObjectName("returnedCasesAction")
        self.returned_action.triggered.connect(self.show_returned)
        for action in (self.queue_action, self.review_action, self.assign_action):
            action.setVisible(supervisor)
            action.setEnabled(supervisor)
            window.addAction(action)
        menu.addActions([self.queue_action, self.review_action, self.assign_action])
        menu.addSeparator()
        menu.addAction(self.returned_action)
        window.addAction(self.returned_action)

        self.returned_label = QLabel(window.statusBar())
        self.returned_label.setObjectName("returnedLabel")
        self.returned_label.setTextFormat(Qt.TextFormat.RichText)
        self.returned_label.linkActivated.connect(lambda _link: self.show_returned())
        self.returned_label.hide()
        window.statusBar().addPermanentWidget(self.returned_label)
        window.refresh_action.triggered.connect(self.update_returned)
        self.timer = QTimer(self)
        self.timer.setObjectName("returnedTimer")
        self.timer.setInterval(RETURNED_REFRESH_MS)
        self.timer.timeout.connect(self.update_returned)
        self.timer.start()
        self.update_returned()

    def selected_ids(self) -> list[int]:
        model = self.window.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        ids = [int(i) for i in (row.data(CASE_ID_ROLE) for row in rows) if i is not None]
        if not ids:
            current = self.window.selected_case_id()
            ids = [current] if current is not None else []
        return ids

    def show_queue(self) -> None:
        """The review queue preset: in review, anyone's, any age, oldest first."""
        flt = review.review_queue_filter()
        window = self.window
        window.search.clear()
        window.filters.set_officer(None)
        window.filters.min_age.setValue(0)
        window.filters.set_statuses(tuple(flt.statuses))
        header = window.table.horizontalHeader()
        # The Age column sorted by descending age is the oldest case first.
        header.setSortIndicator(COLUMNS.index("age"), Qt.SortOrder.DescendingOrder)
        window.apply_query()

    def review_selected(self) -> ReviewWindow | None:
        ids = self.selected_ids()
        if not ids:
            self.window.statusBar().showMessage(_("Choose a case in the queue first."), 6000)
            return None
        return self.open_review(ids[0])

    def open_review(self, case_id: int) -> ReviewWindow | None:
        existing = self.windows.get(case_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        try:
            # Imported on use: the review window brings the documents tab and the scan
            # reader, which opening the main window after sign-in should not wait for.
            from praverka.ui.review import ReviewWindow

            window = ReviewWindow(self.window.ctx, self.window.actor, case_id)
        except Exception as exc:  # the case may be gone or the network down
            messages.show_error(self.window, _("Cannot open the case"), database_error_text(exc))
            return None
        window.case_changed.connect(lambda _id: self.window.refresh())
        window.closed.connect(lambda: self.windows.pop(case_id, None))
        self.windows[case_id] = window
        window.show()
        return window

    def assign_selected(self) -> AssignDialog | None:
        ids = self.selected_ids()
        if not ids:
            self.window.statusBar().showMessage(_("Choose cases in the queue first."), 6000)
            return None
        dialog = AssignDialog(self.window.ctx, self.window.actor, ids, self.window)
        dialog.assigned.connect(lambda _ids: self.window.refresh())
        dialog.open()
        return dialog

    def update_returned(self) -> None:
        try:
            self.returned = review.returned_to(self.window.ctx, self.window.actor)
        except Exception:  # a notice is a courtesy; the queue says what is wrong
            return
        text = returned_summary(self.returned)
        self.returned_label.setVisible(bool(text))
        new = any(not r.seen for r in self.returned)
        colour = AGE_COLOURS["amber"] if new else "#444"
        self.returned_label.setText(
            f"<a href='returned' style='color:{colour}'>{escape_html(text)}</a>" if text else ""
        )
        self.returned_label.setToolTip(
            "\n".join(f"{r.number}: {r.comment}" for r in self.returned[:10])
        )

    def show_returned(self) -> ReturnedDialog:
        self.update_returned()
        dialog = ReturnedDialog(self.returned, self.window)
        dialog.open_requested.connect(self._open_returned)
        self.returned_dialog = dialog
        dialog.open()
        return dialog

    def _open_returned(self, case_id: int) -> None:
        self.window.open_case(case_id)
        self.update_returned()


def install(window: MainWindow, menu_bar: QMenuBar) -> ReviewMenu:
    """Add the Review menu and the returned-cases notice to the main window."""
    return ReviewMenu(window, menu_bar)
