"""Date fields: a partial date of birth (year only is allowed) and an optional full date.

Both are line edits rather than calendar pickers: an officer copying a date
from a passport types it faster than they can click it, and a date of birth
that is only a year has no day to click.  A hint beside the field says how the
text was read, so a typing slip shows before the save does.
"""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from praverka.app.i18n import _
from praverka.app.identity.dates import PartialDate, parse


def describe_partial(date: PartialDate) -> str:
    if date.month is None:
        return _("year only: {year}").format(year=date.year)
    month_name = calendar.month_name[date.month]
    if date.day is None:
        return _("{month} {year}, day unknown").format(month=month_name, year=date.year)
    return f"{date.day} {month_name} {date.year}"


class PartialDateEdit(QWidget):
    """A date of birth that may be only a year, or a month and a year."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partialDate")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("partialDateText")
        self.edit.setPlaceholderText(_("DD.MM.YYYY, MM.YYYY or YYYY"))
        self.edit.setMaxLength(10)
        self.edit.setMinimumWidth(110)
        self.edit.setMaximumWidth(140)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hint = QLabel(self)
        self.hint.setObjectName("partialDateHint")
        layout.addWidget(self.edit)
        layout.addWidget(self.hint, 1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_text)
        self._on_text("")

    def _on_text(self, text: str) -> None:
        if not text.strip():
            self.hint.setText(_("unknown"))
            self.hint.setStyleSheet("color: palette(mid);")
        else:
            try:
                self.hint.setText(describe_partial(parse(text)))
                self.hint.setStyleSheet("color: palette(mid);")
            except ValueError as exc:
                self.hint.setText(str(exc))
                self.hint.setStyleSheet("color: #a01c12;")
        self.changed.emit()

    def is_valid(self) -> bool:
        try:
            self.value()
        except ValueError:
            return False
        return True

    def value(self) -> str:
        """The date as ISO ("1987", "1987-03", "1987-03-14"); "" when empty."""
        text = self.edit.text().strip()
        if not text:
            return ""
        return str(parse(text))

    def set_value(self, iso: str) -> None:
        self.edit.setText(parse(iso).display() if iso else "")


class OptionalDateEdit(QLineEdit):
    """A full date that may be left empty (a document's issue or expiry date)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("optionalDate")
        self.setPlaceholderText(_("DD.MM.YYYY"))
        self.setMaxLength(10)
        self.textChanged.connect(self._on_text)

    def _on_text(self, _text: str) -> None:
        try:
            self.date()
        except ValueError as exc:
            self.setToolTip(str(exc))
            self.setStyleSheet("color: #a01c12;")
        else:
            self.setToolTip("")
            self.setStyleSheet("")

    def date(self) -> dt.date | None:
        text = self.text().strip()
        if not text:
            return None
        for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(_("type a date as DD.MM.YYYY"))

    def set_date(self, value: dt.date | None) -> None:
        self.setText(value.strftime("%d.%m.%Y") if value else "")
