"""The organisation's signing key, unlocked once per sitting at the desk.

    holder = SigningKeyHolder()            # one per sign-in; holder.clear() on log out
    key = ensure_unlocked(parent, ctx, holder)
    if key is None:
        return                             # the person cancelled, or there is no key

The private key is stored only encrypted with the signing passphrase, so the
first letter of a sitting asks for it; the unlocked key then stays in memory
until the person logs out, so that a batch of letters asks once.  A wrong
passphrase is said plainly in the same question, which is asked again.  The
question is `ask_passphrase`, which a test replaces, like those in `messages`.
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

from praverka.app import signing
from praverka.app.context import AppContext
from praverka.app.errors import AuthenticationFailed
from praverka.app.i18n import _
from praverka.app.security.keys import SigningKey
from praverka.ui import messages
from praverka.ui.login import database_error_text


class SigningKeyHolder:
    """The unlocked signing key of one signed-in sitting, or nothing yet."""

    def __init__(self) -> None:
        self._key: SigningKey | None = None

    @property
    def key(self) -> SigningKey | None:
        return self._key

    def hold(self, key: SigningKey) -> None:
        self._key = key

    def clear(self) -> None:
        """Forget the key (log out): the next letter asks for the passphrase again."""
        self._key = None

    def is_unlocked(self) -> bool:
        return self._key is not None


class PassphraseDialog(QDialog):
    """The signing passphrase, typed unseen; a previous attempt's problem shown above it."""

    def __init__(self, parent: QWidget | None, key_id: str, problem: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("signingPassphrase")
        self.setWindowTitle(_("Unlock the signing key"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Letters are signed with the organisation's key {key_id}. Type its signing "
                "passphrase (not your password) to unlock it until you log out."
            ).format(key_id=key_id),
            self,
        )
        intro.setObjectName("passphraseIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem, self)
        self.problem.setObjectName("passphraseProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a01c12; font-weight: bold;")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("passphraseEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(_("signing passphrase"))
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("passphraseButtons")
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Unlock"))
        ok.setEnabled(False)
        self.edit.textChanged.connect(lambda text: ok.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def passphrase(self) -> str:
        return self.edit.text()


def ask_passphrase(parent: QWidget | None, key_id: str, problem: str) -> str | None:
    """Ask for the signing passphrase; None when the person cancels.  Tests replace this."""
    dialog = PassphraseDialog(parent, key_id, problem)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase()
    finally:
        dialog.deleteLater()


def ensure_unlocked(
    parent: QWidget | None, ctx: AppContext, holder: SigningKeyHolder
) -> SigningKey | None:
    """The unlocked active signing key, asking for its passphrase if it is not held yet.

    None when the person cancels, or when there is no key to unlock (they are told why).
    A key held from earlier in the sitting that an administrator has since retired is
    dropped and the new one asked for, rather than letting the issue be refused.
    """
    try:
        active = signing.active_key(ctx)
    except Exception as exc:  # e.g. the database went away; nothing to unlock
        messages.show_error(parent, _("Signing key"), database_error_text(exc))
        return None
    if active is None:
        holder.clear()
        messages.show_error(
            parent,
            _("Signing key"),
            _(
                "This database has no signing key yet, so no letter can be signed. An "
                "administrator makes one with 'praverka key create'."
            ),
        )
        return None
    held = holder.key
    if held is not None and held.key_id == active.key_id:
        return held
    holder.clear()
    problem = ""
    while True:
        passphrase = ask_passphrase(parent, active.key_id, problem)
        if passphrase is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            key = signing.unlock_signing_key(ctx, passphrase)
        except AuthenticationFailed as exc:
            problem = _("{problem} Try again.").format(problem=str(exc))
            continue
        except Exception as exc:  # a damaged key, a lost connection: asking again won't help
            messages.show_error(parent, _("Signing key"), database_error_text(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        holder.hold(key)
        return key
