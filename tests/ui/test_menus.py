"""Menus the role unlocks: administration for administrators, review for supervisors."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from praverka.ui.main_window import MainWindow


def _menus(window: MainWindow) -> set[str]:
    return {m.objectName() for m in window.menuBar().findChildren(QMenu)}


def test_administration_menu_only_for_administrators(qtbot, desk_ctx, people):
    admin = MainWindow(desk_ctx, people.admin)
    officer = MainWindow(desk_ctx, people.officer)
    for window in (admin, officer):
        qtbot.addWidget(window)
    assert "adminMenu" in _menus(admin) and "adminMenu" not in _menus(officer)
    action = admin.findChild(QAction, "adminUsersAction")
    assert action is not None
    action.trigger()
    dialogs = [d for d in admin.findChildren(QDialog) if d.objectName() == "adminUsers"]
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()


def test_queue_colours_waiting_time_by_the_offices_thresholds(qtbot, desk_ctx, people, clock):
    from PySide6.QtCore import Qt

    from praverka.app import settings
    from praverka.ui.queue_model import COLUMNS
    from tests.factories import new_case

    settings.update_settings(desk_ctx, people.admin, {"age_amber_days": 2, "age_red_days": 5})
    new_case(desk_ctx, people.officer)  # 6 days old when the window opens: red
    clock.advance(days=3)
    new_case(desk_ctx, people.officer, given="Янка")  # 3 days old: amber
    clock.advance(days=3)
    new_case(desk_ctx, people.officer, given="Міхась")  # today: not coloured
    window = MainWindow(desk_ctx, people.officer)
    qtbot.addWidget(window)
    window.show()
    model = window.model
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5_000)
    age = COLUMNS.index("age")
    colours = {}
    for row in range(3):
        days = int(model.data(model.index(row, age)))
        brush = model.data(model.index(row, age), Qt.ItemDataRole.BackgroundRole)
        colours[days] = brush.color().name() if brush is not None else None
        if brush is not None:
            assert "red from 5" in model.data(model.index(row, age), Qt.ItemDataRole.ToolTipRole)
    assert colours[6] == "#f6b3ad" and colours[3] == "#ffe2a8" and colours[0] is None


def test_dashboard_from_the_view_menu_for_supervisors_only(qtbot, desk_ctx, people):
    supervisor = MainWindow(desk_ctx, people.supervisor)
    officer = MainWindow(desk_ctx, people.officer)
    for window in (supervisor, officer):
        qtbot.addWidget(window)
    assert not officer.dashboard_action.isEnabled()
    assert "supervisors" in officer.dashboard_action.toolTip()
    supervisor.dashboard_action.trigger()
    dashboard = supervisor.dashboard_window
    assert dashboard is not None and dashboard.objectName() == "dashboard"
    assert dashboard.isVisible()
    dashboard.close()


def test_opening_the_main_window_leaves_the_heavy_parts_for_later():
    """The window opened after sign-in imports no letter, scan or review machinery.

    Each of these costs start-up time and memory (Pillow alone is about 15 MB
    resident) that a desk which never opens a scan or a review should not pay.
    """
    code = (
        "import sys;"
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "import praverka.ui.main_window;"
        "heavy = ['PIL', 'reportlab', 'pypdfium2', 'zxingcpp', 'openpyxl',"
        " 'praverka.ui.review', 'praverka.ui.scan_import', 'praverka.app.scans'];"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    ).stdout.strip()
    assert out == "none"
