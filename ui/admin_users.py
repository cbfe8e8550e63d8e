"""Users and roles, for administrators: create, disable or enable, reset a password, unlock.

    dialog = open_admin_users(parent, ctx, actor)   # None (and a message) for non-admins

Each button calls the service in `praverka.app.users`, which checks the role again and
audits the change; the list is then read afresh.  The questions (a new user's details, a
new password) go through `ask_new_user` and `ask_new_password`, which tests replace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from praverka.app import user_admin, users
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, PraverkaError
from praverka.app.i18n import N_, _
from praverka.app.user_admin import UserRow
from praverka.ui import labels, messages
from praverka.ui.admin_dialog import AdminDialog, row_button
from praverka.ui.login import database_error_text

ADMIN = "admin"
ROLES: dict[str, str] = {
    "officer": N_("Verification officer"),
    "supervisor": N_("Supervisor"),
    "admin": N_("Administrator"),
}
COLUMNS = (
    N_("User name"),
    N_("Name"),
    N_("Roles"),
    N_("Active"),
    N_("Locked until"),
    N_("Last sign-in"),
)
_GREY = QColor("#777777")
_RED = QColor("#a01c12")


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    roles: tuple[str, ...]
    password: str


class NewUserDialog(QDialog):
    """A new user's name, roles and first password (typed twice)."""

    def __init__(
        self, parent: QWidget | None, previous: NewUser | None = None, problem: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newUser")
        self.setWindowTitle(_("New user"))
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username = QLineEdit(self)
        self.username.setObjectName("newUsername")
        self.username.setPlaceholderText(_("for example a.kavalenka"))
        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("newFullName")
        form.addRow(_("User name"), self.username)
        form.addRow(_("Full name"), self.full_name)
        roles = QVBoxLayout()
        self.role_boxes: dict[str, QCheckBox] = {}
        for code, text in ROLES.items():
            box = QCheckBox(_(text), self)
            box.setObjectName(f"role_{code}")
            self.role_boxes[code] = box
            roles.addWidget(box)
        self.role_boxes["officer"].setChecked(True)
        form.addRow(_("Roles"), roles)
        self.password = QLineEdit(self)
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setObjectName("newPasswordAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Password again"), self.again)
        layout.addLayout(form)
        self.problem = QLabel(problem, self)
        self.problem.setObjectName("newUserProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a01c12;")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if previous is not None:  # asked again after a refusal: keep what was typed
            self.username.setText(previous.username)
            self.full_name.setText(previous.full_name)
            for code, box in self.role_boxes.items():
                box.setChecked(code in previous.roles)

    def _check(self) -> None:
        if self.password.text() != self.again.text():
            self.problem.setText(_("The two passwords differ."))
            self.problem.show()
            return
        self.accept()

    def result_user(self) -> NewUser:
        return NewUser(
            username=self.username.text().strip(),
            full_name=self.full_name.text().strip(),
            roles=tuple(code for code, box in self.role_boxes.items() if box.isChecked()),
            password=self.password.text(),
        )


class NewPasswordDialog(QDialog):
    """A new password for someone, typed twice."""

    def __init__(self, parent: QWidget | None, username: str) -> None:
        super().__init__(parent)
        self.setObjectName("resetPassword")
        self.setWindowTitle(_("Reset password"))
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("A new password for {user}. Tell it to them in person.").format(user=username),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("New password"), self.password)
        form.addRow(_("Again"), self.again)
        layout.addLayout(form)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #a01c12;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not self.password.text() or self.password.text() != self.again.text():
            self.problem.setText(_("Type the same new password twice."))
            self.problem.show()
            return
        self.accept()


def ask_new_user(
    parent: QWidget, previous: NewUser | None = None, problem: str = ""
) -> NewUser | None:
    """A new user's details; asked again with `problem` shown when the service refused them."""
    dialog = NewUserDialog(parent, previous, problem)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_user()


def ask_new_password(parent: QWidget, username: str) -> str | None:
    dialog = NewPasswordDialog(parent, username)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.password.text()


class AdminUsersDialog(AdminDialog):
    """The users list and what an administrator does to an account."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent, name="adminUsers", title=_("Users"))
        self.rows: list[UserRow] = []
        layout = self.page
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.create_button = row_button(self, row, "createUser", _("Create…"), self.create_user)
        self.disable_button = row_button(self, row, "disableUser", _("Disable"), self.disable_user)
        self.enable_button = row_button(self, row, "enableUser", _("Enable"), self.enable_user)
        self.password_button = row_button(
            self, row, "resetPassword", _("Reset password…"), self.reset_password
        )
        self.unlock_button = row_button(self, row, "unlockUser", _("Unlock"), self.unlock_user)
        row.addStretch(1)
        row_button(self, row, "refreshUsers", _("Refresh"), self.refresh)
        close = row_button(self, row, "closeUsers", _("Close"), self.accept)
        close.setDefault(False)
        layout.addLayout(row)

        self.is_admin = actor.has_role(ADMIN)
        for button in (self.create_button, self.password_button):
            button.setVisible(self.is_admin)
        self.resize(860, 420)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_username()
        if not self.is_admin:
            self.rows = []
            self.table.setRowCount(0)
            self.bar.error(_("Only an administrator can manage users."))
            self._update_buttons()
            return
        try:
            self.rows = user_admin.list_user_rows(self.ctx, self.actor)
        except Exception as exc:
            self.bar.error(database_error_text(exc))
            return
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for number, user in enumerate(self.rows):
            roles = ", ".join(labels.label(ROLES, role) for role in user.roles)
            cells = (
                user.username,
                user.full_name,
                roles,
                _("yes") if user.active else _("disabled"),
                labels.when(user.locked_until) if user.locked else "",
                labels.when(user.last_login_at) or _("never"),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, user.username)
                if not user.active:
                    item.setForeground(QBrush(_GREY))
                elif user.locked and column == 4:
                    item.setForeground(QBrush(_RED))
                self.table.setItem(number, column, item)
        if selected is not None:
            self.select_user(selected)
        self._update_buttons()

    def select_user(self, username: str) -> bool:
        for number, user in enumerate(self.rows):
            if user.username == username:
                self.table.selectRow(number)
                return True
        return False

    def selected_username(self) -> str | None:
        row = self.selected_row()
        return row.username if row else None

    def selected_row(self) -> UserRow | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not indexes:
            return None
        item = self.table.item(indexes[0].row(), 0)
        name = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((r for r in self.rows if r.username == name), None)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        chosen = row is not None and self.is_admin
        self.create_button.setEnabled(self.is_admin)
        self.disable_button.setEnabled(
            chosen and row is not None and row.active and row.username != self.actor.username
        )
        self.enable_button.setEnabled(chosen and row is not None and not row.active)
        self.password_button.setEnabled(chosen)
        self.unlock_button.setEnabled(chosen and row is not None and row.locked)
        self.disable_button.setVisible(self.is_admin and not (row is not None and not row.active))
        self.enable_button.setVisible(self.is_admin and row is not None and not row.active)
        self.unlock_button.setVisible(self.is_admin)

    def create_user(self) -> None:
        """Ask for the details until the service takes them or the person cancels."""
        new = ask_new_user(self)
        while new is not None:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                made = users.create_user(
                    self.ctx, self.actor, new.username, new.full_name, new.password, new.roles
                )
            except InvalidInput as exc:
                problem = str(exc)
            except PraverkaError as exc:
                self.bar.error(str(exc))
                return
            except Exception as exc:
                self.bar.error(database_error_text(exc))
                return
            else:
                self.refresh()
                self.select_user(made.username)
                self.bar.info(_("Created the user {user}.").format(user=made.username))
                return
            finally:
                QGuiApplication.restoreOverrideCursor()
            new = ask_new_user(self, new, problem)
            if new is None:
                self.bar.error(problem)

    def _change_selected(self, change: Callable[[str], object], done: str) -> bool:
        """Apply `change` to the selected user's name; `done` says so, naming them as {user}."""
        name = self.selected_username()
        if name is None:
            return False
        return self.run_and_refresh(lambda: change(name), lambda _result: done.format(user=name))

    def disable_user(self) -> None:
        name = self.selected_username()
        if name is None or not messages.confirm(
            self,
            _("Disable a user"),
            _("Disable {user}? They can no longer sign in until enabled again.").format(user=name),
        ):
            return
        self._change_selected(
            lambda user: users.set_active(self.ctx, self.actor, user, False),
            _("{user} is disabled."),
        )

    def enable_user(self) -> None:
        self._change_selected(
            lambda user: users.set_active(self.ctx, self.actor, user, True),
            _("{user} is enabled."),
        )

    def reset_password(self) -> None:
        name = self.selected_username()
        password = ask_new_password(self, name) if name is not None else None
        if not password:
            return
        self._change_selected(
            lambda user: users.change_password(self.ctx, self.actor, user, password),
            _("The password of {user} is changed."),
        )

    def unlock_user(self) -> None:
        self._change_selected(
            lambda user: users.unlock(self.ctx, self.actor, user),
            _("{user} is unlocked."),
        )


def open_admin_users(
    parent: QWidget | None, ctx: AppContext, actor: Actor
) -> AdminUsersDialog | None:
    """Show the users dialog; None (and a message) for anyone but an administrator."""
    if not actor.has_role(ADMIN):
        messages.show_error(parent, _("Users"), _("Only an administrator can manage users."))
        return None
    dialog = AdminUsersDialog(ctx, actor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
