"""The sign-in dialog: the first thing on screen, shown before the database is even opened.

This module imports only Qt and the light parts of the app (messages and
errors); SQLAlchemy and the services load after the dialog is painted, so the
window appears at once however slow the disk or the network is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from praverka.app.errors import PraverkaError
from praverka.app.i18n import _

if TYPE_CHECKING:
    from praverka.app.context import Actor, AppContext

TITLE = "Praverka"


def database_error_text(exc: BaseException) -> str:
    """A sentence for whatever went wrong talking to the database."""
    if isinstance(exc, PraverkaError):
        return str(exc)
    if isinstance(exc, OSError):
        return _("Cannot open the database: {error}").format(error=exc.strerror or exc)
    from praverka.app.errors import describe_database_error

    return describe_database_error(exc)


class LoginDialog(QDialog):
    """User name and password; on success `ctx` and `actor` are set and the dialog accepts.

    Give it a `database_url` to open, or an open `context` (after a log-out the
    same database is kept).  Failures stay in the dialog, in the label
    `loginError`: a wrong password, a locked account, a database that cannot
    be reached or has no schema yet.
    """

    def __init__(
        self,
        database_url: str | None = None,
        *,
        context: AppContext | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.database_url = database_url
        self.ctx: AppContext | None = context
        self.actor: Actor | None = None
        self.demo = False
        self._connect_scheduled = False
        self._ready = False  # the database is open and its schema current
        self.setWindowTitle(_("{app}: sign in").format(app=TITLE))
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{TITLE}</h2>", self)
        heading.setObjectName("loginHeading")
        layout.addWidget(heading)
        subtitle = QLabel(_("Verification workstation"), self)
        subtitle.setObjectName("loginSubtitle")
        layout.addWidget(subtitle)

        form = QFormLayout()
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setPlaceholderText(_("user name"))
        form.addRow(_("User name"), self.username)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Password"), self.password)
        layout.addLayout(form)

        self.error = QLabel(self)
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a01c12;")
        self.error.hide()
        layout.addWidget(self.error)

        self.demo_box = QFrame(self)
        self.demo_box.setObjectName("demoBox")
        self.demo_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.demo_box.setStyleSheet(
            "QFrame#demoBox { background: #fff8e1; border: 1px solid #c99a2e; }"
        )
        demo_layout = QVBoxLayout(self.demo_box)
        demo_note = QLabel(
            _(
                "<b>DEMO database.</b> The people in it are invented. Sign in as one of "
                "these accounts (double-click to fill in):"
            ),
            self.demo_box,
        )
        demo_note.setObjectName("demoNote")
        demo_note.setWordWrap(True)
        demo_layout.addWidget(demo_note)
        self.demo_accounts = QTableWidget(0, 3, self.demo_box)
        self.demo_accounts.setObjectName("demoAccounts")
        self.demo_accounts.setHorizontalHeaderLabels([_("User"), _("Password"), _("Role")])
        self.demo_accounts.verticalHeader().hide()
        self.demo_accounts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.demo_accounts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.demo_accounts.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.demo_accounts.horizontalHeader().setStretchLastSection(True)
        self.demo_accounts.cellDoubleClicked.connect(self._fill_demo_account)
        demo_layout.addWidget(self.demo_accounts)
        self.demo_passphrase = QLabel(self.demo_box)
        self.demo_passphrase.setObjectName("demoPassphrase")
        self.demo_passphrase.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        demo_layout.addWidget(self.demo_passphrase)
        self.demo_box.hide()
        layout.addWidget(self.demo_box)

        self.where = QLabel(self)
        self.where.setObjectName("databaseLabel")
        self.where.setStyleSheet("color: palette(mid);")
        self.where.setWordWrap(True)
        self.where.setText(_("Opening the database..."))
        layout.addWidget(self.where)

        buttons = QDialogButtonBox(self)
        buttons.setObjectName("loginButtons")
        self.sign_in = QPushButton(_("Sign in"), self)
        self.sign_in.setObjectName("signIn")
        self.sign_in.setDefault(True)
        buttons.addButton(self.sign_in, QDialogButtonBox.ButtonRole.AcceptRole)
        quit_button = buttons.addButton(_("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        assert quit_button is not None
        quit_button.setObjectName("quitLogin")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.username.setFocus()

    # ------------------------------------------------------------- database

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        # After the first paint, not at show: a zero timer set at show runs before
        # the paint, and opening the database imports SQLAlchemy and the services
        # (most of a second), which would keep the window blank until then.
        self._schedule_connect()

    def _schedule_connect(self) -> None:
        if not self._connect_scheduled:
            self._connect_scheduled = True
            QTimer.singleShot(0, self.connect_database)

    def connect_database(self) -> bool:
        """Open the database and check it is usable; the problem, if any, goes to `loginError`."""
        try:
            from praverka.app import setup
            from praverka.app.context import AppContext

            if self.ctx is None:
                if not self.database_url:
                    raise PraverkaError(_("No database is configured."))
                self.ctx = AppContext(setup.open_database(self.database_url))
            setup.require_current_schema(self.ctx.db)
            self.where.setText(_("Database: {where}").format(where=self.ctx.db.describe()))
            self.demo = setup.is_demo(self.ctx)
            self._ready = True
        except Exception as exc:  # any failure is shown, the dialog stays
            self.show_error(database_error_text(exc))
            self.where.setText(_("Database: not open"))
            return False
        self._show_demo(self.demo)
        self.error.hide()
        return True

    def _show_demo(self, demo: bool) -> None:
        suffix = " \N{EM DASH} DEMO" if demo else ""
        self.setWindowTitle(_("{app}: sign in").format(app=TITLE) + suffix)
        self.demo_box.setVisible(demo)
        if not demo:
            return
        from praverka.app.demo import DEMO_ACCOUNTS, DEMO_SIGNING_PASSPHRASE

        self.demo_passphrase.setText(
            _("Letters are signed with the passphrase <b>{passphrase}</b>.").format(
                passphrase=DEMO_SIGNING_PASSPHRASE
            )
        )

        self.demo_accounts.setRowCount(len(DEMO_ACCOUNTS))
        for row, account in enumerate(DEMO_ACCOUNTS):
            for column, text in enumerate(
                (account.username, account.password, ", ".join(account.roles))
            ):
                self.demo_accounts.setItem(row, column, QTableWidgetItem(text))
        height = self.demo_accounts.horizontalHeader().height() + 4
        height += sum(self.demo_accounts.rowHeight(r) for r in range(len(DEMO_ACCOUNTS)))
        self.demo_accounts.setFixedHeight(height)
        self.adjustSize()

    def _fill_demo_account(self, row: int, _column: int) -> None:
        user, password = self.demo_accounts.item(row, 0), self.demo_accounts.item(row, 1)
        if user is not None and password is not None:
            self.username.setText(user.text())
            self.password.setText(password.text())
            self.password.setFocus()

    # ------------------------------------------------------------- signing in

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def try_sign_in(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.show_error(_("Type your user name and password."))
            (self.username if not username else self.password).setFocus()
            return
        if not self._ready and not self.connect_database():
            return
        assert self.ctx is not None
        from praverka.app import users
        from praverka.app.errors import AuthenticationFailed

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.actor = users.authenticate(self.ctx, username, password)
        except AuthenticationFailed as exc:
            self.show_error(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        except Exception as exc:  # a dead connection must not end the program
            self.show_error(database_error_text(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.error.hide()
        self.password.clear()
        self.accept()
