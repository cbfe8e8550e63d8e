"""What the administrators' list dialogs (users, checklist templates) share.

    class AdminUsersDialog(AdminDialog):
        def __init__(self, ctx, actor, parent=None):
            super().__init__(ctx, actor, parent, name="adminUsers", title=_("Users"))
            ...                                  # self.page: the dialog's column, bar on top
            close = row_button(self, row, "closeUsers", _("Close"), self.accept)

A change goes through `run_and_refresh`: a refusal lands in the message bar, a
success reads the list again and says what was done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QBoxLayout, QDialog, QPushButton, QVBoxLayout, QWidget

from praverka.app.context import Actor, AppContext
from praverka.app.errors import PraverkaError
from praverka.ui import messages
from praverka.ui.login import database_error_text

R = TypeVar("R")


def row_button(
    parent: QWidget, row: QBoxLayout, name: str, text: str, slot: Callable[[], object]
) -> QPushButton:
    """A button added to `row` that Enter in the dialog does not press by itself."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.clicked.connect(lambda _checked=False: slot())
    row.addWidget(button)
    return button


class AdminDialog(QDialog):
    """A dialog over one list an administrator manages, with a message bar above it."""

    def __init__(
        self, ctx: AppContext, actor: Actor, parent: QWidget | None, *, name: str, title: str
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.page = QVBoxLayout(self)
        self.bar = messages.MessageBar(self)
        self.page.addWidget(self.bar)

    def refresh(self) -> None:
        """Read the list again from the services."""
        raise NotImplementedError

    def run_and_refresh(self, action: Callable[[], R], done: Callable[[R], str]) -> bool:
        """Run a service call; a refusal goes to the bar, a success refreshes and says `done`."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = action()
        except PraverkaError as exc:
            self.bar.error(str(exc))
            return False
        except Exception as exc:  # the database went away: nothing was changed
            self.bar.error(database_error_text(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.refresh()
        self.bar.info(done(result))
        return True
