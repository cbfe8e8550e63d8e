"""An unattended desk locks: its windows hide until the password is typed again."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from praverka.ui.idle_lock import DeskLock
from praverka.ui.main_window import MainWindow
from tests.conftest import PASSWORD


def test_idle_desk_locks_and_unlocks_with_the_password(qtbot, desk_ctx, people):
    window = MainWindow(desk_ctx, people.officer)
    qtbot.addWidget(window)
    window.show()
    assert window.desk_lock is not None  # the office's default: 10 minutes
    signed_out: list[bool] = []
    lock = DeskLock(
        desk_ctx, people.officer, 10, lambda: signed_out.append(True), window, interval_ms=150
    )
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5_000)
    screen = lock.screen
    assert screen is not None and screen.isVisible() and not window.isVisible()
    screen.password.setText("wrong-password")
    assert not screen.try_unlock()
    assert "wrong" in screen.problem.text() and lock.is_locked and not window.isVisible()
    screen.password.setText(PASSWORD)
    assert screen.try_unlock()
    assert not lock.is_locked and window.isVisible() and not signed_out
    # Idle again: signing out from the lock screen.
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5_000)
    assert lock.screen is not None
    sign_out = lock.screen.findChild(QPushButton, "lockSignOut")
    assert sign_out is not None
    sign_out.click()
    assert signed_out == [True]
    lock.stop()


def test_activity_keeps_the_desk_unlocked(qtbot, desk_ctx, people):
    window = MainWindow(desk_ctx, people.officer)
    qtbot.addWidget(window)
    window.show()
    # Typing every 0.3 s for 3 s keeps a 2 s idle time from running out, with margin for a
    # busy machine; then silence locks.
    lock = DeskLock(desk_ctx, people.officer, 10, lambda: None, window, interval_ms=2_000)
    for _ in range(10):
        qtbot.wait(300)
        qtbot.keyClick(window.table, "a")  # someone is typing
        assert not lock.is_locked
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5_000)
    lock.stop()
