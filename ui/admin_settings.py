"""The organisation's settings, for administrators: letterhead, signatory, numbering, queues.

    dialog = open_admin_settings(parent, ctx, actor)   # None (and a message) for non-admins

Save sends the changed values to `settings.update_settings`, which checks them all; a
refused value is said in the dialog's own message line and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from praverka.app import settings
from praverka.app.context import Actor, AppContext
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.app.settings import OrganisationSettings
from praverka.ui import messages
from praverka.ui.login import database_error_text

ADMIN = "admin"
LOGO_PREVIEW = (240, 80)


def choose_logo_file(parent: QWidget) -> Path | None:
    """Ask for a PNG file; a test replaces this like the questions in `messages`."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Choose the letterhead logo"), "", _("PNG images (*.png)")
    )
    return Path(name) if name else None


class AdminSettingsDialog(QDialog):
    """Every organisation setting in one form; Save stores the changed ones."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.setObjectName("adminSettings")
        self.setWindowTitle(_("Organisation settings"))
        self.setModal(True)
        self.current = settings.get_settings(ctx)
        self.logo: bytes | None = self.current.logo_png

        layout = QVBoxLayout(self)
        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            "color: #8a1c12; background: #fdecea; border: 1px solid #8a1c12; "
            "border-radius: 3px; padding: 4px;"
        )
        self.error.hide()
        layout.addWidget(self.error)

        columns = QHBoxLayout()
        layout.addLayout(columns)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        organisation = QGroupBox(_("Organisation"), self)
        form = QFormLayout(organisation)
        self.name = self._line("settingName", self.current.name)
        self.address = QPlainTextEdit(self.current.address, self)
        self.address.setObjectName("settingAddress")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(64)
        self.contact = self._line("settingContact", self.current.contact)
        self.place = self._line("settingPlace", self.current.place)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Address"), self.address)
        form.addRow(_("Contact"), self.contact)
        form.addRow(_("Place of issue"), self.place)
        left.addWidget(organisation)

        signatory = QGroupBox(_("Signatory"), self)
        form = QFormLayout(signatory)
        self.head_name = self._line("settingHeadName", self.current.head_name)
        self.head_title = self._line("settingHeadTitle", self.current.head_title)
        self.head_title.setPlaceholderText(_("Head of the organisation"))
        form.addRow(_("Head's name"), self.head_name)
        form.addRow(_("Head's title"), self.head_title)
        left.addWidget(signatory)

        logo_box = QGroupBox(_("Letterhead logo"), self)
        logo_layout = QHBoxLayout(logo_box)
        self.logo_preview = QLabel(self)
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(*LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px dashed #999; color: #666;")
        logo_buttons = QVBoxLayout()
        self.choose_logo = QPushButton(_("Choose PNG…"), self)
        self.choose_logo.setObjectName("chooseLogo")
        self.choose_logo.clicked.connect(self.pick_logo)
        self.remove_logo = QPushButton(_("Remove"), self)
        self.remove_logo.setObjectName("removeLogo")
        self.remove_logo.clicked.connect(self.clear_logo)
        logo_buttons.addWidget(self.choose_logo)
        logo_buttons.addWidget(self.remove_logo)
        logo_buttons.addStretch(1)
        logo_layout.addWidget(self.logo_preview)
        logo_layout.addLayout(logo_buttons)
        logo_layout.addStretch(1)
        left.addWidget(logo_box)
        left.addStretch(1)

        letters_box = QGroupBox(_("Letters"), self)
        form = QFormLayout(letters_box)
        self.serial_prefix = self._line("settingSerialPrefix", self.current.serial_prefix)
        self.serial_prefix.setMaxLength(16)
        self.serial_prefix.setToolTip(
            _("2 to 8 capital Latin letters or digits, starting with a letter (for example PRV).")
        )
        self.validity = self._spin("settingValidity", 1, 3 * 366, self.current.letter_validity_days)
        self.validity.setSuffix(_(" days"))
        form.addRow(_("Serial prefix"), self.serial_prefix)
        form.addRow(_("Letters valid for"), self.validity)
        right.addWidget(letters_box)

        queues = QGroupBox(_("Queues and desks"), self)
        form = QFormLayout(queues)
        limit = settings.MAX_AGE_DAYS
        self.amber = self._spin("settingAmber", 1, limit, self.current.age_amber_days)
        self.amber.setSuffix(_(" days"))
        self.red = self._spin("settingRed", 1, limit, self.current.age_red_days)
        self.red.setSuffix(_(" days"))
        self.auto_lock = self._spin(
            "settingAutoLock", 0, settings.MAX_AUTO_LOCK_MINUTES, self.current.auto_lock_minutes
        )
        self.auto_lock.setSuffix(_(" minutes"))
        self.auto_lock.setSpecialValueText(_("never"))
        form.addRow(_("Amber after"), self.amber)
        form.addRow(_("Red after"), self.red)
        form.addRow(_("Lock an idle desk after"), self.auto_lock)
        right.addWidget(queues)
        right.addStretch(1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("settingsButtons")
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveSettings")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_logo()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()))

    def _line(self, name: str, text: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(name)
        edit.setMinimumWidth(220)
        return edit

    def _spin(self, name: str, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def _show_logo(self) -> None:
        self.remove_logo.setEnabled(self.logo is not None)
        if self.logo is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("No logo"))
            return
        pixmap = QPixmap()
        if not pixmap.loadFromData(self.logo, "PNG"):
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("Not a readable PNG"))
            return
        width, height = LOGO_PREVIEW
        self.logo_preview.setPixmap(
            pixmap.scaled(
                width - 4,
                height - 4,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def pick_logo(self) -> None:
        path = choose_logo_file(self)
        if path is None:
            return
        self.set_logo_file(path)

    def set_logo_file(self, path: Path) -> bool:
        """Take a PNG file as the logo (shown, saved with Save); False with a message if not."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.show_problem(
                _("Cannot read {file}: {error}").format(file=path.name, error=exc.strerror)
            )
            return False
        if len(data) > settings.MAX_LOGO_BYTES:
            self.show_problem(
                _("The logo is {size} KB; it may be at most {limit} KB.").format(
                    size=len(data) // 1024, limit=settings.MAX_LOGO_BYTES // 1024
                )
            )
            return False
        if not QPixmap().loadFromData(data, "PNG"):
            self.show_problem(_("{file} is not a PNG image.").format(file=path.name))
            return False
        self.logo = data
        self.error.hide()
        self._show_logo()
        return True

    def clear_logo(self) -> None:
        self.logo = None
        self._show_logo()

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def values(self) -> dict[str, Any]:
        """Every setting as the form shows it."""
        return {
            "name": self.name.text().strip(),
            "address": self.address.toPlainText().strip(),
            "contact": self.contact.text().strip(),
            "place": self.place.text().strip(),
            "logo_png": self.logo,
            "head_name": self.head_name.text().strip(),
            "head_title": self.head_title.text().strip(),
            "serial_prefix": self.serial_prefix.text().strip(),
            "letter_validity_days": self.validity.value(),
            "age_amber_days": self.amber.value(),
            "age_red_days": self.red.value(),
            "auto_lock_minutes": self.auto_lock.value(),
        }

    def changes(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.values().items()
            if getattr(self.current, name) != value
        }

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        try:
            self.current = settings.update_settings(self.ctx, self.actor, changes)
        except PraverkaError as exc:
            self.show_problem(str(exc))
            return
        except Exception as exc:  # the database went away: say so, keep the form
            self.show_problem(database_error_text(exc))
            return
        self.error.hide()
        self.accept()

    @property
    def saved(self) -> OrganisationSettings:
        return self.current


def open_admin_settings(
    parent: QWidget | None, ctx: AppContext, actor: Actor
) -> AdminSettingsDialog | None:
    """Show the settings dialog (non-modal to the caller's code); None for non-administrators."""
    if not actor.has_role(ADMIN):
        messages.show_error(
            parent, _("Organisation settings"), _("Only an administrator can change settings.")
        )
        return None
    dialog = AdminSettingsDialog(ctx, actor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
