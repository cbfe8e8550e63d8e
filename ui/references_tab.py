"""The References tab: who vouches for the applicant, each call to them, and what they said."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from praverka.app import records
from praverka.app.i18n import _
from praverka.app.views import CaseDetail, ReferenceView
from praverka.ui import labels
from praverka.ui.tab_base import (
    CaseTab,
    EditorApi,
    current_of,
    fill_table,
    list_table,
    select_where,
)


class ReferencesTab(CaseTab):
    def __init__(self, editor: EditorApi) -> None:
        super().__init__()
        self.setObjectName("referencesTab")
        self.editor = editor
        self.references: tuple[ReferenceView, ...] = ()
        self._editable = False

        layout = QVBoxLayout(self)
        top = QGroupBox(_("References"), self)
        top.setObjectName("referencesBox")
        top_layout = QVBoxLayout(top)
        self.summary = QLabel(top)
        self.summary.setObjectName("referencesSummary")
        top_layout.addWidget(self.summary)
        self.table = list_table(
            top,
            "referencesList",
            [
                _("Name"),
                _("Relationship"),
                _("Contact"),
                _("Years known"),
                _("Confirmed"),
                _("Attempts"),
            ],
        )
        self.table.currentCellChanged.connect(lambda *_args: self._show_selected())
        top_layout.addWidget(self.table)
        layout.addWidget(top, 2)

        lower = QHBoxLayout()
        new_box = QGroupBox(_("New reference"), self)
        new_box.setObjectName("newReferenceBox")
        new_form = QFormLayout(new_box)
        self.name = QLineEdit(new_box)
        self.name.setObjectName("refName")
        new_form.addRow(_("Name"), self.name)
        self.relationship = QLineEdit(new_box)
        self.relationship.setObjectName("refRelationship")
        self.relationship.setPlaceholderText(_("neighbour, employer, volunteer organisation..."))
        new_form.addRow(_("Relationship"), self.relationship)
        self.contact = QLineEdit(new_box)
        self.contact.setObjectName("refContact")
        self.contact.setPlaceholderText(_("phone, messenger or e-mail"))
        new_form.addRow(_("Contact"), self.contact)
        self.years = QSpinBox(new_box)
        self.years.setObjectName("refYears")
        self.years.setRange(-1, 120)
        self.years.setSpecialValueText(_("unknown"))
        self.years.setValue(-1)
        new_form.addRow(_("Knows the applicant (years)"), self.years)
        self.ref_note = QLineEdit(new_box)
        self.ref_note.setObjectName("refNote")
        new_form.addRow(_("Note"), self.ref_note)
        self.add_button = QPushButton(_("Add reference"), new_box)
        self.add_button.setObjectName("addReference")
        self.add_button.clicked.connect(self.save_pending)
        new_form.addRow("", self.add_button)
        lower.addWidget(new_box, 2)

        contact_box = QGroupBox(_("Contacting the selected reference"), self)
        contact_box.setObjectName("contactBox")
        self.contact_box = contact_box
        contact_layout = QVBoxLayout(contact_box)
        self.attempts = list_table(
            contact_box, "attemptsList", [_("When"), _("By"), _("How"), _("Outcome"), _("Note")]
        )
        contact_layout.addWidget(self.attempts, 1)
        log_form = QFormLayout()
        self.channel = QComboBox(contact_box)
        self.channel.setObjectName("contactChannel")
        self.channel.setEditable(True)
        self.channel.addItems(list(labels.CHANNELS))
        log_form.addRow(_("How"), self.channel)
        self.outcome = QComboBox(contact_box)
        self.outcome.setObjectName("contactOutcome")
        for code in labels.OUTCOMES:
            self.outcome.addItem(labels.label(labels.OUTCOMES, code), code)
        log_form.addRow(_("Outcome"), self.outcome)
        self.contact_note = QLineEdit(contact_box)
        self.contact_note.setObjectName("contactNote")
        self.contact_note.setPlaceholderText(_("what they said"))
        log_form.addRow(_("Note"), self.contact_note)
        contact_layout.addLayout(log_form)
        buttons = QHBoxLayout()
        self.log_button = QPushButton(_("Log contact attempt"), contact_box)
        self.log_button.setObjectName("logContact")
        self.log_button.clicked.connect(self.log_contact)
        self.confirm_button = QPushButton(_("Mark confirmed"), contact_box)
        self.confirm_button.setObjectName("toggleConfirmed")
        self.confirm_button.clicked.connect(self.toggle_confirmed)
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.confirm_button)
        buttons.addStretch(1)
        contact_layout.addLayout(buttons)
        lower.addWidget(contact_box, 3)
        layout.addLayout(lower, 3)

        for edit in (self.name, self.relationship, self.contact, self.ref_note):
            edit.textChanged.connect(self.editor.refresh_dirty)

    # ------------------------------------------------------------- showing

    def load(self, detail: CaseDetail, editable: bool, why_not: str) -> None:
        self.references = detail.references
        self._editable = editable
        confirmed = sum(1 for r in detail.references if r.confirmed)
        self.summary.setText(
            _("{confirmed} of {total} references confirmed.").format(
                confirmed=confirmed, total=len(detail.references)
            )
        )
        fill_table(
            self.table,
            [
                [
                    r.name,
                    r.relationship,
                    r.contact,
                    "" if r.years_known is None else str(r.years_known),
                    _("yes") if r.confirmed else _("no"),
                    str(len(r.attempts)),
                ]
                for r in detail.references
            ],
        )
        for widget in (self.add_button, self.log_button, self.confirm_button):
            widget.setToolTip("" if editable else why_not)
        self.add_button.setEnabled(editable)
        self._show_selected()

    def selected(self) -> ReferenceView | None:
        return current_of(self.table, self.references)

    def select(self, reference_id: int) -> None:
        select_where(self.table, self.references, lambda r: r.id == reference_id)

    def _show_selected(self) -> None:
        reference = self.selected()
        fill_table(
            self.attempts,
            [
                [
                    labels.when(a.at),
                    a.by,
                    a.channel,
                    labels.label(labels.OUTCOMES, a.outcome),
                    a.note,
                ]
                for a in (reference.attempts if reference else ())
            ],
        )
        self.contact_box.setTitle(
            _("Contacting {name}").format(name=reference.name)
            if reference
            else _("Contacting the selected reference")
        )
        can = self._editable and reference is not None
        self.log_button.setEnabled(can)
        self.confirm_button.setEnabled(can)
        self.confirm_button.setText(
            _("Mark not confirmed") if reference and reference.confirmed else _("Mark confirmed")
        )

    # ------------------------------------------------------------- changing

    def pending(self) -> bool:
        return any(e.text().strip() for e in (self.name, self.relationship, self.contact))

    def discard(self) -> None:
        for edit in (self.name, self.relationship, self.contact, self.ref_note):
            edit.clear()
        self.years.setValue(-1)

    def save_pending(self) -> bool:
        years = self.years.value()
        data = records.ReferenceInput(
            name=self.name.text(),
            relationship=self.relationship.text(),
            contact=self.contact.text(),
            years_known=None if years < 0 else years,
            note=self.ref_note.text(),
        )
        ctx, actor, case_id = self.editor.ctx, self.editor.actor, self.editor.case_id
        added = self.editor.change(lambda v: records.add_reference(ctx, actor, case_id, v, data))
        if added is None:
            return False
        self.discard()
        self.select(added[0])
        self.editor.refresh_dirty()
        self.editor.note(_("Reference added."))
        self.name.setFocus()
        return True

    def log_contact(self) -> None:
        reference = self.selected()
        if reference is None:
            return
        ctx, actor = self.editor.ctx, self.editor.actor
        outcome = str(self.outcome.currentData())
        channel, note = self.channel.currentText(), self.contact_note.text()
        done = self.editor.change(
            lambda v: records.log_contact(
                ctx, actor, reference.id, v, outcome, channel=channel, note=note
            )
        )
        if done is not None:
            self.contact_note.clear()
            self.select(reference.id)
            self.editor.note(_("Contact attempt logged."))

    def toggle_confirmed(self) -> None:
        reference = self.selected()
        if reference is None:
            return
        ctx, actor, wanted = self.editor.ctx, self.editor.actor, not reference.confirmed
        done = self.editor.change(
            lambda v: records.set_reference_confirmed(ctx, actor, reference.id, v, wanted)
        )
        if done is not None:
            self.select(reference.id)
