"""The applicant's particulars and the case's purposes: one form for intake and for editing."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app.cases import ApplicantInput, NameInput
from praverka.app.i18n import _
from praverka.app.views import ApplicantView
from praverka.ui import labels
from praverka.ui.dates import PartialDateEdit

FIXED_SCRIPTS = ("be", "ru", "latin_passport")
COUNTRIES = ("BLR", "UKR", "POL", "LTU", "LVA", "RUS", "GEO", "DEU", "CZE")


class NameRow:
    """One spelling: script, surname, given names, patronymic, in one row of the grid."""

    def __init__(self, parent: QWidget, index: int, script: str) -> None:
        self.script = QComboBox(parent)
        self.script.setObjectName(f"nameScript{index}")
        for code in labels.SCRIPTS:
            self.script.addItem(labels.label(labels.SCRIPTS, code), code)
        self.script.setCurrentIndex(max(0, self.script.findData(script)))
        self.surname = QLineEdit(parent)
        self.surname.setObjectName(f"surname{index}")
        self.surname.setPlaceholderText(_("Surname"))
        self.given = QLineEdit(parent)
        self.given.setObjectName(f"given{index}")
        self.given.setPlaceholderText(_("Given names"))
        self.patronymic = QLineEdit(parent)
        self.patronymic.setObjectName(f"patronymic{index}")
        self.patronymic.setPlaceholderText(_("Patronymic"))
        self.remove: QPushButton | None = None

    def widgets(self) -> list[QWidget]:
        extra: list[QWidget] = [self.remove] if self.remove else []
        return [self.script, self.surname, self.given, self.patronymic, *extra]

    def is_empty(self) -> bool:
        return not (self.surname.text().strip() or self.given.text().strip())

    def value(self) -> NameInput:
        return NameInput(
            str(self.script.currentData()),
            self.surname.text(),
            self.given.text(),
            self.patronymic.text(),
        )

    def typed(self) -> str:
        return " ".join(
            part for part in (self.surname.text().strip(), self.given.text().strip()) if part
        )


class ApplicantForm(QWidget):
    """Names in several scripts, date of birth, sex, citizenship, contacts, purposes, priority."""

    changed = Signal()
    names_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applicantForm")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        names_box = QGroupBox(_("Names, in every spelling the applicant or a document uses"), self)
        names_box.setObjectName("namesBox")
        self._grid = QGridLayout(names_box)
        for column, title in enumerate(
            (_("Script"), _("Surname"), _("Given names"), _("Patronymic"))
        ):
            header = QLabel(f"<b>{title}</b>", names_box)
            header.setObjectName(f"namesHeader{column}")
            self._grid.addWidget(header, 0, column)
        self._names_box = names_box
        self.rows: list[NameRow] = []
        for script in FIXED_SCRIPTS:
            self._add_row(script, removable=False)
        self.add_name_button = QPushButton(_("Add another spelling"), names_box)
        self.add_name_button.setObjectName("addSpelling")
        self.add_name_button.clicked.connect(lambda: self._add_row("other", removable=True))
        self._grid.addWidget(self.add_name_button, 100, 0, 1, 2)
        outer.addWidget(names_box)

        details = QGroupBox(_("Person"), self)
        details.setObjectName("personBox")
        form = QFormLayout(details)
        self.birth = PartialDateEdit(details)
        self.birth.setObjectName("birthDate")
        form.addRow(_("Date of birth"), self.birth)
        self.sex = QComboBox(details)
        self.sex.setObjectName("sex")
        for code in ("F", "M", "X"):
            self.sex.addItem(labels.label(labels.SEXES, code), code)
        self.sex.setCurrentIndex(2)
        form.addRow(_("Sex"), self.sex)
        self.citizenship = QComboBox(details)
        self.citizenship.setObjectName("citizenship")
        self.citizenship.setEditable(True)
        self.citizenship.addItems(list(COUNTRIES))
        line = self.citizenship.lineEdit()
        assert line is not None
        line.setMaxLength(3)
        line.setValidator(QRegularExpressionValidator(r"[A-Za-z]{0,3}", line))
        form.addRow(_("Citizenship"), self.citizenship)
        self.phone = QLineEdit(details)
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText("+380 ...")
        form.addRow(_("Phone"), self.phone)
        self.email = QLineEdit(details)
        self.email.setObjectName("email")
        form.addRow(_("E-mail"), self.email)
        self.address = QPlainTextEdit(details)
        self.address.setObjectName("address")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(56)
        form.addRow(_("Address now"), self.address)

        case_box = QGroupBox(_("Case"), self)
        case_box.setObjectName("caseBox")
        case_form = QFormLayout(case_box)
        purposes_column = QVBoxLayout()
        self.purpose_boxes: dict[str, QCheckBox] = {}
        for code in labels.PURPOSES:
            box = QCheckBox(labels.label(labels.PURPOSES, code), case_box)
            box.setObjectName(f"purpose_{code}")
            box.toggled.connect(self.changed)
            self.purpose_boxes[code] = box
            purposes_column.addWidget(box)
        case_form.addRow(_("Purposes"), purposes_column)
        self.priority = QComboBox(case_box)
        self.priority.setObjectName("priority")
        for value in labels.PRIORITIES:
            self.priority.addItem(labels.priority_label(value), value)
        self.priority.setCurrentIndex(1)
        case_form.addRow(_("Priority"), self.priority)

        lower = QHBoxLayout()
        lower.addWidget(details, 3)
        lower.addWidget(case_box, 2)
        lower.setAlignment(details, Qt.AlignmentFlag.AlignTop)
        lower.setAlignment(case_box, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(lower)
        outer.addStretch(1)

        self.birth.changed.connect(self.changed)
        self.sex.currentIndexChanged.connect(self.changed)
        self.citizenship.currentTextChanged.connect(self.changed)
        for edit in (self.phone, self.email):
            edit.textChanged.connect(self.changed)
        self.address.textChanged.connect(self.changed)
        self.priority.currentIndexChanged.connect(self.changed)

    def _add_row(self, script: str, *, removable: bool) -> NameRow:
        index = len(self.rows)
        row = NameRow(self._names_box, index, script)
        if removable:
            remove = QPushButton(_("Remove"), self._names_box)
            remove.setObjectName(f"removeSpelling{index}")
            remove.clicked.connect(lambda: self._remove_row(row))
            row.remove = remove
        for column, widget in enumerate(row.widgets()):
            self._grid.addWidget(widget, index + 1, column)
        for edit in (row.surname, row.given, row.patronymic):
            edit.textChanged.connect(self.changed)
            edit.textChanged.connect(self.names_changed)
        row.script.currentIndexChanged.connect(self.changed)
        self.rows.append(row)
        if removable and not self.signalsBlocked():
            row.surname.setFocus()
            self.changed.emit()
        return row

    def _remove_row(self, row: NameRow) -> None:
        for widget in row.widgets():
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self.rows.remove(row)
        self.changed.emit()
        self.names_changed.emit()

    # ------------------------------------------------------------- values

    def names(self) -> list[NameInput]:
        return [row.value() for row in self.rows if not row.is_empty()]

    def typed_names(self) -> list[str]:
        """What has been typed in each spelling so far, for the possible-duplicates search."""
        return [text for text in (row.typed() for row in self.rows) if text]

    def applicant_input(self) -> ApplicantInput:
        """The form as the services take it; ValueError if the date of birth cannot be read."""
        return ApplicantInput(
            names=self.names(),
            birth_date=self.birth.value(),
            sex=str(self.sex.currentData()),
            citizenship=self.citizenship.currentText(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
        )

    def purposes(self) -> list[str]:
        return [code for code, box in self.purpose_boxes.items() if box.isChecked()]

    def priority_value(self) -> int:
        return int(self.priority.currentData())

    def load(self, applicant: ApplicantView, purposes: Sequence[str], priority: int) -> None:
        """Fill the form from the database; emits no `changed`, since nothing was edited."""
        self.blockSignals(True)
        try:
            while len(self.rows) > len(FIXED_SCRIPTS):
                self._remove_row(self.rows[-1])
            for row in self.rows:
                for edit in (row.surname, row.given, row.patronymic):
                    edit.clear()
            placed: set[int] = set()
            for name in applicant.names:
                target = next(
                    (
                        i
                        for i, row in enumerate(self.rows)
                        if i not in placed
                        and row.is_empty()
                        and row.script.currentData() == name.script
                    ),
                    None,
                )
                if target is None:
                    row = self._add_row(name.script, removable=True)
                    target = len(self.rows) - 1
                row = self.rows[target]
                placed.add(target)
                row.surname.setText(name.surname)
                row.given.setText(name.given_names)
                row.patronymic.setText(name.patronymic)
            self.birth.set_value(applicant.birth_date)
            self.sex.setCurrentIndex(max(0, self.sex.findData(applicant.sex)))
            self.citizenship.setCurrentText(applicant.citizenship)
            self.phone.setText(applicant.phone)
            self.email.setText(applicant.email)
            self.address.setPlainText(applicant.address)
            for code, box in self.purpose_boxes.items():
                box.setChecked(code in purposes)
            self.priority.setCurrentIndex(max(0, self.priority.findData(priority)))
        finally:
            self.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        for row in self.rows:
            for widget in row.widgets():
                widget.setEnabled(not read_only)
        self.add_name_button.setEnabled(not read_only)
        for widget in (self.birth, self.sex, self.citizenship, self.priority):
            widget.setEnabled(not read_only)
        for edit in (self.phone, self.email):
            edit.setReadOnly(read_only)
        self.address.setReadOnly(read_only)
        for box in self.purpose_boxes.values():
            box.setEnabled(not read_only)
