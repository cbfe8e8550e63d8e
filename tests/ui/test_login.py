"""Signing in: wrong password, locked account, unreachable or empty database, demo, success."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from praverka.app import setup
from praverka.app.context import AppContext
from praverka.app.demo import DEMO_ACCOUNTS
from praverka.app.users import MAX_FAILED_LOGINS
from praverka.ui.login import LoginDialog
from praverka.ui.main import Desk
from praverka.ui.main_window import MainWindow
from tests.conftest import PASSWORD


def _dialog(qtbot, ctx: AppContext) -> LoginDialog:
    dialog = LoginDialog(context=ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.connect_database()
    return dialog


def _sign_in(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.sign_in, Qt.MouseButton.LeftButton)


def test_wrong_password_keeps_the_dialog_with_a_message(qtbot, desk_ctx, people):
    dialog = _dialog(qtbot, desk_ctx)
    _sign_in(qtbot, dialog, "officer", "not-the-password")
    error = dialog.findChild(type(dialog.error), "loginError")
    assert error is not None and error.isVisible()
    assert error.text() == "Wrong user name or password."
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.actor is None
    assert dialog.password.text() == ""  # typed again, not reused


def test_locked_account_says_so_even_with_the_right_password(qtbot, desk_ctx, people):
    dialog = _dialog(qtbot, desk_ctx)
    for _ in range(MAX_FAILED_LOGINS):
        _sign_in(qtbot, dialog, "officer2", "wrong")
    assert "locked" in dialog.error.text()
    _sign_in(qtbot, dialog, "officer2", PASSWORD)
    assert "locked" in dialog.error.text()
    assert dialog.actor is None and dialog.isVisible()


def test_success_accepts_with_the_actor(qtbot, desk_ctx, people):
    dialog = _dialog(qtbot, desk_ctx)
    assert "DEMO" not in dialog.windowTitle()
    assert not dialog.demo_box.isVisible()
    _sign_in(qtbot, dialog, "officer", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "officer"
    assert dialog.ctx is desk_ctx


def test_empty_fields_are_asked_for_without_a_database_call(qtbot, desk_ctx, people):
    dialog = _dialog(qtbot, desk_ctx)
    _sign_in(qtbot, dialog, "", "")
    assert dialog.error.text() == "Type your user name and password."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_database_is_explained_and_the_dialog_stays(qtbot):
    url = f"postgresql://nobody@127.0.0.1:{_free_port()}/praverka"
    dialog = LoginDialog(url)
    qtbot.addWidget(dialog)
    dialog.show()  # opens the database after the first paint
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "Cannot open the database" in dialog.error.text()
    assert dialog.isVisible()
    _sign_in(qtbot, dialog, "officer", PASSWORD)  # tries again, says the same
    assert "Cannot open the database" in dialog.error.text()
    assert dialog.actor is None


def test_a_database_without_schema_points_to_init(qtbot, tmp_path: Path):
    dialog = LoginDialog(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5_000)
    assert "praverka init" in dialog.error.text()
    assert dialog.ctx is not None
    dialog.ctx.db.dispose()


def test_demo_database_shows_its_accounts_and_says_demo(qtbot, desk_ctx, people):
    setup.mark_demo(desk_ctx)
    dialog = _dialog(qtbot, desk_ctx)
    assert dialog.windowTitle().endswith("DEMO")
    assert dialog.demo_box.isVisible()
    table = dialog.demo_accounts
    assert table.rowCount() == len(DEMO_ACCOUNTS)
    cells = [(table.item(r, 0), table.item(r, 1)) for r in range(table.rowCount())]
    shown = {(user.text(), word.text()) for user, word in cells if user and word}
    assert shown == {(a.username, a.password) for a in DEMO_ACCOUNTS}
    table.cellDoubleClicked.emit(1, 0)
    assert dialog.username.text() == DEMO_ACCOUNTS[1].username
    assert dialog.password.text() == DEMO_ACCOUNTS[1].password


def test_desk_signs_in_opens_the_window_and_logs_out_to_the_dialog(qtbot, desk_ctx, db_url, people):
    desk = Desk(db_url)
    desk.start()
    dialog = desk.login
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.where.text().startswith("Database:"), timeout=5_000)
    with qtbot.waitSignal(desk.signed_in, timeout=5_000):
        _sign_in(qtbot, dialog, "officer", PASSWORD)
    window = desk.window
    assert isinstance(window, MainWindow) and window.isVisible()
    assert window.actor.username == "officer"
    window.logout_action.trigger()
    assert desk.window is None
    again = desk.login
    assert again is not None and again is not dialog and again.isVisible()
    assert again.ctx is desk.ctx  # the same database, not opened twice
    qtbot.addWidget(again)
    with qtbot.waitSignal(desk.finished, timeout=2_000):
        again.reject()


@pytest.mark.slow
def test_the_dialog_appears_before_the_services_are_imported():
    """The sign-in window is on screen before SQLAlchemy and the services load."""
    code = (
        "import sys, time; t = time.perf_counter();"
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from praverka.ui.login import LoginDialog; d = LoginDialog('sqlite://'); d.show();"
        "print(round(time.perf_counter() - t, 3), 'sqlalchemy' in sys.modules,"
        " 'praverka.app.queries' in sys.modules)"
    )
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    ).stdout.split()
    assert out[1:] == ["False", "False"], out
    assert time.perf_counter() - started < 30
