"""Intake: a new applicant and case, with possible duplicates shown while the names are typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app import cases, queue_pages
from praverka.app.context import Actor, AppContext
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.app.views import CaseSummary
from praverka.ui import labels, messages
from praverka.ui.applicant_form import ApplicantForm
from praverka.ui.login import database_error_text

DUPLICATE_DELAY_MS = 250

DuplicateFinder = Callable[[AppContext, Sequence[str]], list[CaseSummary]]


class NewCaseDialog(QDialog):
    """Create a case; `created` carries its id.  `find_duplicates` is the matching to plug in."""

    created = Signal(int)
    duplicate_chosen = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        find_duplicates: DuplicateFinder = queue_pages.possible_duplicates,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle(_("New case"))
        self.ctx, self.actor = ctx, actor
        self.find_duplicates = find_duplicates
        self.created_case: cases.CreatedCase | None = None
        self._dirty = False

        layout = QVBoxLayout(self)
        body = QHBoxLayout()
        self.form = ApplicantForm(self)
        self.form.purpose_boxes["other"].setChecked(False)
        body.addWidget(self.form, 3)

        dup_box = QGroupBox(_("Possible duplicates"), self)
        dup_box.setObjectName("duplicatesBox")
        dup_layout = QVBoxLayout(dup_box)
        self.duplicates_note = QLabel(
            _("Existing applicants with a name spelt like the one typed appear here."), dup_box
        )
        self.duplicates_note.setObjectName("duplicatesNote")
        self.duplicates_note.setWordWrap(True)
        dup_layout.addWidget(self.duplicates_note)
        self.duplicates = QListWidget(dup_box)
        self.duplicates.setObjectName("duplicatesList")
        self.duplicates.itemActivated.connect(self._open_duplicate)
        dup_layout.addWidget(self.duplicates, 1)
        body.addWidget(dup_box, 2)
        layout.addLayout(body, 1)

        self.error = QLabel(self)
        self.error.setObjectName("newCaseError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a01c12;")
        self.error.hide()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(self)
        buttons.setObjectName("newCaseButtons")
        self.create_button = QPushButton(_("Create case"), self)
        self.create_button.setObjectName("createCase")
        self.create_button.setDefault(True)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setObjectName("cancelNewCase")
        buttons.accepted.connect(self.create_case)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setObjectName("duplicatesTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(DUPLICATE_DELAY_MS)
        self._timer.timeout.connect(self.update_duplicates)
        self.form.names_changed.connect(self._timer.start)
        self.form.changed.connect(self._mark_dirty)
        self.resize(1120, 620)
        self.form.rows[0].surname.setFocus()

    def _mark_dirty(self) -> None:
        self._dirty = True

    # ------------------------------------------------------------- duplicates

    def update_duplicates(self) -> None:
        self._timer.stop()
        try:
            found = self.find_duplicates(self.ctx, self.form.typed_names())
        except Exception as exc:  # a failed lookup must not stop the intake
            self.duplicates_note.setText(database_error_text(exc))
            return
        self.duplicates.clear()
        for case in found:
            names = " / ".join(n for n in (case.applicant_native, case.applicant_latin) if n)
            item = QListWidgetItem(
                f"{case.number}  {names}\n    "
                + _("{status}, {officer}").format(
                    status=labels.label(labels.STATUSES, case.status),
                    officer=case.assigned_officer or _("nobody"),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            item.setToolTip(_("Double-click to open case {number}").format(number=case.number))
            self.duplicates.addItem(item)
        if found:
            self.duplicates_note.setText(
                _(
                    "{n} existing cases have a name spelt like this. Check they are not the same "
                    "person before creating a new case."
                ).format(n=len(found))
            )
            self.duplicates_note.setStyleSheet("color: #8a5a00;")
        else:
            self.duplicates_note.setText(
                _("No existing applicant has a name spelt like this.")
                if self.form.typed_names()
                else _("Existing applicants with a name spelt like the one typed appear here.")
            )
            self.duplicates_note.setStyleSheet("")

    def _open_duplicate(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id is not None:
            self.duplicate_chosen.emit(int(case_id))

    # ------------------------------------------------------------- saving

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def create_case(self) -> None:
        try:
            applicant = self.form.applicant_input()
        except ValueError as exc:
            self.show_error(_("Date of birth: {problem}").format(problem=exc))
            self.form.birth.setFocus()
            return
        data = cases.CaseInput(
            applicant=applicant,
            purposes=self.form.purposes(),
            priority=self.form.priority_value(),
        )
        try:
            self.created_case = cases.create_case(self.ctx, self.actor, data)
        except PraverkaError as exc:
            self.show_error(str(exc))
            return
        except Exception as exc:  # nothing was saved; say so and stay
            self.show_error(database_error_text(exc))
            return
        self._dirty = False
        self.created.emit(self.created_case.id)
        self.accept()

    def reject(self) -> None:
        if self._dirty and not messages.confirm(
            self, _("New case"), _("Discard this new case? Nothing of it is saved yet.")
        ):
            return
        super().reject()
