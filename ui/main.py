"""Starting the workstation: the sign-in dialog first, the main window after it.

Only Qt and the sign-in dialog are imported before the dialog is shown; the
services, SQLAlchemy and the main window load while the person types.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from praverka.ui.login import TITLE, LoginDialog

if TYPE_CHECKING:
    from praverka.app.context import AppContext
    from praverka.ui.main_window import MainWindow
    from praverka.ui.signing_unlock import SigningKeyHolder


class Desk(QObject):
    """One person's sitting at the workstation: sign in, work, log out, sign in again."""

    signed_in = Signal()
    finished = Signal()

    def __init__(self, database_url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("desk")
        self.database_url = database_url
        self.ctx: AppContext | None = None
        self.login: LoginDialog | None = None
        self.window: MainWindow | None = None
        # Made at the first sign-in: its module pulls in the cryptography the sign-in
        # dialog does not need, and the dialog must paint fast.
        self.signing_holder: SigningKeyHolder | None = None

    def start(self) -> None:
        self.show_login()

    def show_login(self) -> None:
        dialog = LoginDialog(self.database_url, context=self.ctx)
        dialog.accepted.connect(lambda: self._signed_in(dialog))
        dialog.rejected.connect(self._finish)
        self.login = dialog
        dialog.show()
        dialog.raise_()

    def _signed_in(self, dialog: LoginDialog) -> None:
        from praverka.ui.main_window import MainWindow

        assert dialog.ctx is not None and dialog.actor is not None
        self.ctx = dialog.ctx
        self.login = None
        dialog.deleteLater()
        from praverka.ui.signing_unlock import SigningKeyHolder

        if self.signing_holder is None:
            self.signing_holder = SigningKeyHolder()
        self.signing_holder.clear()  # a new sign-in unlocks the signing key anew
        window = MainWindow(
            dialog.ctx, dialog.actor, demo=dialog.demo, signing_holder=self.signing_holder
        )
        window.logged_out.connect(self._logged_out)
        window.quit_requested.connect(self._finish)
        self.window = window
        window.show()
        self.signed_in.emit()

    def _logged_out(self) -> None:
        if self.signing_holder is not None:
            self.signing_holder.clear()
        window, self.window = self.window, None
        self.show_login()
        if window is not None:
            window.deleteLater()

    def _finish(self) -> None:
        if self.signing_holder is not None:
            self.signing_holder.clear()
        if self.ctx is not None:
            self.ctx.db.dispose()
        self.finished.emit()
        app = QApplication.instance()
        if app is not None:
            app.quit()


def run_gui(database_url: str) -> int:
    """Show the sign-in dialog for `database_url`, then the window; returns the exit status."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(TITLE)
    app.setApplicationDisplayName(TITLE)
    app.setOrganizationName(TITLE)
    # A log-out closes the main window before the sign-in dialog is back.
    app.setQuitOnLastWindowClosed(False)
    desk = Desk(database_url)
    desk.start()
    return int(app.exec())
