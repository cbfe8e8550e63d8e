"""A secret typed unseen (a password, a passphrase), asked again until it is right.

    dialog = SecretDialog(parent, SecretTexts(...), problem)   # one question
    result = ask_until_accepted(parent, ask, check, error_title)  # the asking loop

`ui.reauth` (the password before a step that cannot be taken back) and
`ui.signing_unlock` (the signing key's passphrase) each give their own
texts, object names and service check; the dialog and the loop are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

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

from praverka.app.errors import AccountLocked, AuthenticationFailed
from praverka.app.i18n import _
from praverka.ui import messages
from praverka.ui.login import database_error_text

T = TypeVar("T")


@dataclass(frozen=True)
class SecretTexts:
    """What one kind of secret question says, and the object names tests look up."""

    dialog_name: str
    title: str
    intro: str
    placeholder: str
    confirm: str  # the OK button's text
    intro_name: str
    problem_name: str
    edit_name: str
    buttons_name: str
    min_width: int


class SecretDialog(QDialog):
    """The secret, typed unseen; a previous attempt's problem shown above it."""

    def __init__(self, parent: QWidget | None, texts: SecretTexts, problem: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(texts.dialog_name)
        self.setWindowTitle(texts.title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(texts.intro, self)
        intro.setObjectName(texts.intro_name)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem, self)
        self.problem.setObjectName(texts.problem_name)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a01c12; font-weight: bold;")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(texts.edit_name)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(texts.placeholder)
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName(texts.buttons_name)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(texts.confirm)
        self.ok_button.setEnabled(False)
        self.edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(texts.min_width)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def secret(self) -> str:
        return self.edit.text()


def run_secret_dialog(dialog: SecretDialog) -> str | None:
    """Show the question modally; what was typed, or None when the person cancels."""
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.secret()
    finally:
        dialog.deleteLater()


@contextmanager
def _wait_cursor() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def ask_until_accepted(
    parent: QWidget | None,
    ask: Callable[[str], str | None],
    check: Callable[[str], T],
    error_title: str,
) -> T | None:
    """Ask for the secret (`ask(problem)`) until `check` takes it; what `check` gave back.

    A wrong secret (AuthenticationFailed) is said in the next question.  None when
    the person cancels, when the account gets locked (they are told until when), or
    when anything else goes wrong, since asking again would not help (told under
    `error_title`).
    """
    problem = ""
    while True:
        secret = ask(problem)
        if secret is None:
            return None
        try:
            with _wait_cursor():
                return check(secret)
        except AccountLocked as exc:
            messages.show_error(parent, _("Account locked"), str(exc))
            return None
        except AuthenticationFailed as exc:
            problem = _("{problem} Try again.").format(problem=str(exc))
        except Exception as exc:  # the database went away, a damaged key: no use asking again
            messages.show_error(parent, error_title, database_error_text(exc))
            return None
