"""The password again, before a step that cannot be taken back (approve, reject, waive, export).

    if not reauth.confirm_with_password(self, ctx, actor, _("approving case 2026-000123")):
        return                             # cancelled, wrong and given up, or locked out

A wrong password is said plainly in the same question, which is asked again;
every attempt counts towards the lockout like a sign-in.  The question is
`ask_password`, which a test replaces, like those in `messages`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from praverka.app import users
from praverka.app.context import Actor, AppContext
from praverka.app.errors import AccountLocked, AuthenticationFailed
from praverka.app.i18n import _
from praverka.ui import messages
from praverka.ui.login import database_error_text


class ReauthDialog(QDialog):
    """The signed-in person's password, typed unseen; a previous attempt's problem above it."""

    def __init__(self, parent: QWidget | None, actor: Actor, what: str, problem: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("reauth")
        self.setWindowTitle(_("Confirm with your password"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Before {what}, type your password again, {name}. It proves that you "
                "are still the person at this desk."
            ).format(what=what, name=actor.full_name),
            self,
        )
        intro.setObjectName("reauthIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem, self)
        self.problem.setObjectName("reauthProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a01c12; font-weight: bold;")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("reauthPassword")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(_("your password"))
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("reauthButtons")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Confirm"))
        self.ok_button.setEnabled(False)
        self.edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def password(self) -> str:
        return self.edit.text()


def ask_password(parent: QWidget | None, actor: Actor, what: str, problem: str) -> str | None:
    """Ask for the password; None when the person cancels.  Tests replace this."""
    dialog = ReauthDialog(parent, actor, what, problem)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.password()
    finally:
        dialog.deleteLater()


def confirm_with_password(parent: QWidget | None, ctx: AppContext, actor: Actor, what: str) -> bool:
    """True once the signed-in person has typed their password again.

    False when they cancel, when the account gets locked (they are told until
    when), or when the database cannot be asked.
    """
    problem = ""
    while True:
        password = ask_password(parent, actor, what, problem)
        if password is None:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            users.confirm_password(ctx, actor, password, what)
        except AccountLocked as exc:
            QApplication.restoreOverrideCursor()
            messages.show_error(parent, _("Account locked"), str(exc))
            return False
        except AuthenticationFailed as exc:
            QApplication.restoreOverrideCursor()
            problem = _("{problem} Try again.").format(problem=str(exc))
            continue
        except Exception as exc:  # the database went away: asking again won't help
            QApplication.restoreOverrideCursor()
            messages.show_error(parent, _("Confirm with your password"), database_error_text(exc))
            return False
        QApplication.restoreOverrideCursor()
        return True
