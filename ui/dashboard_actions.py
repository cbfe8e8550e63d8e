"""The View menu's Dashboard entry, for supervisors and administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from praverka.app import dashboard
from praverka.app.i18n import _

if TYPE_CHECKING:
    from praverka.ui.main_window import MainWindow


def install(window: MainWindow, menu: QMenu) -> QAction:
    action = QAction(_("&Dashboard"), window)
    action.setObjectName("dashboardAction")
    action.setShortcut(QKeySequence("Ctrl+D"))
    allowed = dashboard.may_view(window.actor)
    action.setEnabled(allowed)
    action.setToolTip(
        _("The office's figures: statuses, weekly intake and approvals, ages, officers, letters")
        if allowed
        else _("The dashboard is for supervisors and administrators.")
    )
    action.triggered.connect(lambda: open_dashboard(window))
    menu.addAction(action)
    return action


def open_dashboard(window: MainWindow) -> None:
    # Imported on use: QtCharts is heavy and most sittings never open it.
    from praverka.ui.dashboard import DashboardWindow

    if window.dashboard_window is None:
        window.dashboard_window = DashboardWindow(window.ctx, window.actor, window)
    window.dashboard_window.show()  # counts anew each time it is shown again
    window.dashboard_window.raise_()
    window.dashboard_window.activateWindow()
