"""Locking an unattended desk: after the office's idle time every window hides until the
signed-in person types their password again (or signs out).

An applicant's file left open on a desk is a leak; the time is the organisation setting
`auto_lock_minutes` (0: never).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app import users
from praverka.app.context import Actor, AppContext
from praverka.app.errors import AccountLocked, PraverkaError
from praverka.app.i18n import _
from praverka.ui.login import database_error_text

# What counts as someone at the desk: input, not repaints or timers.
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleTimer(QObject):
    """Emits `idle` once no key, click or mouse movement reached the program for `interval_ms`."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idleTimer")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self._timer.start()


class LockScreen(QDialog):
    """Shown alone while the desk is locked; the only way on is the password or signing out."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        minutes: int,
        on_unlock: Callable[[], None],
        on_sign_out: Callable[[], None],
    ) -> None:
        super().__init__(None)
        self.setObjectName("lockScreen")
        self.setWindowTitle(_("Praverka: locked"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.ctx, self.actor = ctx, actor
        self._on_unlock, self._on_sign_out = on_unlock, on_sign_out
        layout = QVBoxLayout(self)
        note = QLabel(
            _(
                "The desk was locked after {minutes} minutes without use. {name}, type your "
                "password to go on, or sign out."
            ).format(minutes=minutes, name=actor.full_name),
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.problem = QLabel("", self)
        self.problem.setObjectName("lockProblem")
        self.problem.setStyleSheet("color: #a01c12; font-weight: bold;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.password = QLineEdit(self)
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.password)
        buttons = QHBoxLayout()
        sign_out = QPushButton(_("Sign out"), self)
        sign_out.setObjectName("lockSignOut")
        sign_out.clicked.connect(self._sign_out)
        unlock = QPushButton(_("Unlock"), self)
        unlock.setObjectName("lockUnlock")
        unlock.setDefault(True)
        unlock.clicked.connect(self.try_unlock)
        buttons.addWidget(sign_out)
        buttons.addStretch(1)
        buttons.addWidget(unlock)
        layout.addLayout(buttons)
        self.resize(440, self.sizeHint().height())

    def reject(self) -> None:  # Escape does not unlock
        return

    def try_unlock(self) -> bool:
        typed = self.password.text()
        self.password.clear()
        try:
            users.confirm_password(self.ctx, self.actor, typed, _("unlocking the desk"))
        except AccountLocked as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return False
        except PraverkaError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return False
        except Exception as exc:  # the database may be gone; the desk stays locked
            self.problem.setText(database_error_text(exc))
            self.problem.show()
            return False
        self.accept()
        self._on_unlock()
        return True

    def _sign_out(self) -> None:
        self.accept()
        self._on_sign_out()


class DeskLock(QObject):
    """Hides every window of the sitting when idle, and brings them back on unlock."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        minutes: int,
        on_sign_out: Callable[[], None],
        parent: QObject | None = None,
        *,
        interval_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.minutes = ctx, actor, minutes
        self._on_sign_out = on_sign_out
        self.timer = IdleTimer(interval_ms if interval_ms is not None else minutes * 60_000, self)
        self.timer.idle.connect(self.lock)
        self.hidden: list[QWidget] = []
        self.screen: LockScreen | None = None

    @property
    def is_locked(self) -> bool:
        return self.screen is not None

    def lock(self) -> None:
        if self.screen is not None:
            return
        self.timer.pause()
        self.hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in self.hidden:
            widget.hide()
        self.screen = LockScreen(
            self.ctx, self.actor, self.minutes, self._unlocked, self._signed_out
        )
        self.screen.show()

    def _restore(self) -> None:
        for widget in self.hidden:
            widget.show()
        self.hidden = []
        screen, self.screen = self.screen, None
        if screen is not None:
            screen.deleteLater()

    def _unlocked(self) -> None:
        self._restore()
        self.timer.resume()

    def _signed_out(self) -> None:
        self._restore()
        self._on_sign_out()

    def stop(self) -> None:
        self.timer.pause()
        QApplication.instance().removeEventFilter(self.timer)  # type: ignore[union-attr]
