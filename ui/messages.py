"""Questions the window asks, and the bar that carries its messages.

Every modal question goes through a function here, so that a test can answer
it by replacing the function instead of clicking a dialog that blocks.
Messages that need no answer (a refused save, a conflict) go to a
`MessageBar` inside the window instead: calmer for the person at the desk,
who may be talking to an applicant, than a box that grabs the keyboard.
"""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from praverka.app.i18n import _


class Answer(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved(parent: QWidget, what: str) -> Answer:
    """Save, discard or keep editing: asked before closing a window with unsaved changes."""
    box = QMessageBox(parent)
    box.setObjectName("unsavedQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Unsaved changes"))
    box.setText(_("{what} has changes that are not saved.").format(what=what))
    box.setInformativeText(_("Save them before closing?"))
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    result = box.exec()
    if result == QMessageBox.StandardButton.Save:
        return Answer.SAVE
    if result == QMessageBox.StandardButton.Discard:
        return Answer.DISCARD
    return Answer.CANCEL


def ask_text(parent: QWidget, title: str, prompt: str) -> str | None:
    """A short free text (a reason, a comment); None when the person cancels."""
    text, ok = QInputDialog.getMultiLineText(parent, title, prompt)
    if not ok:
        return None
    return text.strip()


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


class MessageBar(QFrame):
    """A strip at the top of a window: an error, a notice, or a conflict with Reload."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel(self)
        self.text.setObjectName("messageText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reload_button = QPushButton(_("Reload the case"), self)
        self.reload_button.setObjectName("messageReload")
        self.reload_button.clicked.connect(self.reload_requested)
        self.close_button = QPushButton(_("Dismiss"), self)
        self.close_button.setObjectName("messageDismiss")
        self.close_button.clicked.connect(self.clear)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.reload_button)
        layout.addWidget(self.close_button)
        self.kind = ""
        self.hide()

    def _show(self, kind: str, text: str, *, reload: bool) -> None:
        self.kind = kind
        colours = {
            "error": ("#fdecea", "#8a1c12"),
            "conflict": ("#fff4e0", "#6b3d00"),
            "info": ("#e8f1fb", "#12395e"),
        }
        background, foreground = colours[kind]
        self.setStyleSheet(
            f"QFrame#messageBar {{ background: {background}; border: 1px solid {foreground}; "
            f"border-radius: 3px; }} QLabel#messageText {{ color: {foreground}; }}"
        )
        self.text.setText(text)
        self.reload_button.setVisible(reload)
        self.show()

    def error(self, text: str) -> None:
        self._show("error", text, reload=False)

    def conflict(self, text: str) -> None:
        self._show("conflict", text, reload=True)

    def info(self, text: str) -> None:
        self._show("info", text, reload=False)

    def clear(self) -> None:
        self.kind = ""
        self.text.clear()
        self.hide()


def ask_save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
    """Where to save a file, starting in the person's Documents folder; None when cancelled."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / suggested) if folder else suggested
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, start, filters)
    return Path(chosen) if chosen else None
