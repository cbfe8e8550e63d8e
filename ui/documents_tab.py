"""The Documents tab: the case's documents, one in detail, and that one's scans."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from praverka.app import records
from praverka.app.i18n import _
from praverka.app.views import CaseDetail, DocumentView
from praverka.ui import labels
from praverka.ui.dates import OptionalDateEdit
from praverka.ui.scan_import import ScansPanel
from praverka.ui.tab_base import CaseTab, EditorApi, fill_table, list_table


def _combo(parent: QGroupBox, name: str, table: dict[str, str]) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for code in table:
        combo.addItem(labels.label(table, code), code)
    return combo


def document_cells(document: DocumentView) -> list[str]:
    """A document's row in a list: kind, number, seen as, verification, number of scans."""
    return [
        labels.label(labels.DOCUMENT_KINDS, document.kind),
        document.number,
        labels.label(labels.SEEN_AS, document.seen_as),
        labels.label(labels.VERIFICATION, document.verification),
        str(len(document.scan_ids)),
    ]


class DocumentsTab(CaseTab):
    def __init__(self, editor: EditorApi) -> None:
        super().__init__()
        self.setObjectName("documentsTab")
        self.editor = editor
        self.documents: tuple[DocumentView, ...] = ()
        self.current_id: int | None = None  # the document in the form; None for a new one
        self._dirty = False
        self._loading = False
        self._editable = False
        self._why_not = ""

        layout = QHBoxLayout(self)
        splitter = QSplitter(self)
        splitter.setObjectName("documentsSplitter")
        column = QSplitter(Qt.Orientation.Vertical, splitter)
        column.setObjectName("documentsColumn")
        column.setChildrenCollapsible(False)
        left = QGroupBox(_("Documents"), column)
        left.setObjectName("documentsBox")
        left_layout = QVBoxLayout(left)
        self.table = list_table(
            left,
            "documentsList",
            [_("Kind"), _("Number"), _("Seen as"), _("Verification"), _("Scans")],
        )
        self.table.currentCellChanged.connect(self._on_row)
        left_layout.addWidget(self.table)
        self.new_button = QPushButton(_("New document"), left)
        self.new_button.setObjectName("newDocument")
        self.new_button.clicked.connect(self.start_new)
        left_layout.addWidget(self.new_button)
        self.scan_panel = ScansPanel(editor, column)
        self.scans = self.scan_panel.list
        column.setStretchFactor(0, 1)
        column.setStretchFactor(1, 1)

        right = QGroupBox(_("Document"), splitter)
        right.setObjectName("documentBox")
        self.form_box = right
        right_layout = QVBoxLayout(right)
        form = QFormLayout()
        right_layout.addLayout(form)
        right_layout.addStretch(1)
        self.kind = _combo(right, "docKind", labels.DOCUMENT_KINDS)
        form.addRow(_("Kind"), self.kind)
        self.seen_as = _combo(right, "docSeenAs", labels.SEEN_AS)
        form.addRow(_("How it was seen"), self.seen_as)
        self.number = QLineEdit(right)
        self.number.setObjectName("docNumber")
        form.addRow(_("Number"), self.number)
        self.country = QLineEdit(right)
        self.country.setObjectName("docCountry")
        self.country.setMaxLength(3)
        self.country.setPlaceholderText("BLR")
        form.addRow(_("Issuing country"), self.country)
        self.authority = QLineEdit(right)
        self.authority.setObjectName("docAuthority")
        form.addRow(_("Issuing authority"), self.authority)
        self.issued = OptionalDateEdit(right)
        self.issued.setObjectName("docIssued")
        form.addRow(_("Issued"), self.issued)
        self.expires = OptionalDateEdit(right)
        self.expires.setObjectName("docExpires")
        form.addRow(_("Expires"), self.expires)
        self.verification = _combo(right, "docVerification", labels.VERIFICATION)
        form.addRow(_("Verification"), self.verification)
        self.note_edit = QPlainTextEdit(right)
        self.note_edit.setObjectName("docNote")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(70)
        self.note_edit.setPlaceholderText(_("e.g. how a lost passport was lost, and when"))
        form.addRow(_("Note"), self.note_edit)
        self.save_button = QPushButton(_("Add document"), right)
        self.save_button.setObjectName("saveDocument")
        self.save_button.clicked.connect(self.save_pending)
        self.state = QLabel(right)
        self.state.setObjectName("documentState")
        self.state.setWordWrap(True)
        form.addRow(self.state, self.save_button)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter)

        for edit in (self.number, self.country, self.authority, self.issued, self.expires):
            edit.textChanged.connect(self._changed)
        for combo in (self.kind, self.seen_as, self.verification):
            combo.currentIndexChanged.connect(self._changed)
        self.note_edit.textChanged.connect(self._changed)

    # ------------------------------------------------------------- showing

    def load(self, detail: CaseDetail, editable: bool, why_not: str) -> None:
        self.documents = detail.documents
        self._editable = editable
        self._why_not = why_not
        self._loading = True
        try:
            fill_table(self.table, [document_cells(d) for d in detail.documents])
            if not self._dirty:
                known = {d.id for d in detail.documents}
                if self.current_id not in known:
                    self.current_id = None
                self._show(self._document(self.current_id))
        finally:
            self._loading = False
        self._select_current()
        for widget in (self.new_button, self.save_button):
            widget.setEnabled(editable)
            widget.setToolTip("" if editable else why_not)
        self.form_box.setEnabled(editable or self.current_id is not None)
        if self._dirty:  # _show did not run, but the scans follow the case all the same
            self._show_scans()

    def _show_scans(self) -> None:
        self.scan_panel.show_document(
            self._document(self.current_id), editable=self._editable, why_not=self._why_not
        )

    def _select_current(self) -> None:
        row = next((i for i, d in enumerate(self.documents) if d.id == self.current_id), -1)
        was_loading, self._loading = self._loading, True
        try:
            if row >= 0:
                self.table.setCurrentCell(row, 0)
            else:
                self.table.setCurrentCell(-1, -1)
                self.table.clearSelection()
        finally:
            self._loading = was_loading

    def _document(self, document_id: int | None) -> DocumentView | None:
        return next((d for d in self.documents if d.id == document_id), None)

    def _show(self, document: DocumentView | None) -> None:
        was_loading, self._loading = self._loading, True
        try:
            self.kind.setCurrentIndex(
                max(0, self.kind.findData(document.kind if document else "passport"))
            )
            self.seen_as.setCurrentIndex(
                max(0, self.seen_as.findData(document.seen_as if document else "original"))
            )
            self.number.setText(document.number if document else "")
            self.country.setText(document.issuing_country if document else "BLR")
            self.authority.setText(document.issuing_authority if document else "")
            self.issued.set_date(document.issue_date if document else None)
            self.expires.set_date(document.expiry_date if document else None)
            self.verification.setCurrentIndex(
                max(0, self.verification.findData(document.verification if document else "pending"))
            )
            self.note_edit.setPlainText(document.note if document else "")
        finally:
            self._loading = was_loading
        self._dirty = False
        self.save_button.setText(_("Save document") if document else _("Add document"))
        self.form_box.setTitle(
            _("Document {number}").format(number=document.number or "")
            if document
            else _("New document")
        )
        self.state.clear()
        self._show_scans()

    def _on_row(self, row: int, _column: int, _previous_row: int, _previous_column: int) -> None:
        if self._loading or row < 0 or row >= len(self.documents):
            return
        document = self.documents[row]
        if document.id == self.current_id:
            return
        if self._dirty and not self.save_pending():
            return
        self.current_id = document.id
        self._show(document)

    def start_new(self) -> None:
        if self._dirty and not self.save_pending():
            return
        self.current_id = None
        self._select_current()
        self._show(None)
        self.number.setFocus()

    def _changed(self) -> None:
        if self._loading or not self._editable:
            return
        self._dirty = True
        self.state.setText(_("Not saved yet."))
        self.editor.refresh_dirty()

    # ------------------------------------------------------------- saving

    def pending(self) -> bool:
        return self._dirty

    def discard(self) -> None:
        self._dirty = False

    def value(self) -> records.DocumentInput:
        """The form as the service takes it; ValueError if a date cannot be read."""
        return records.DocumentInput(
            kind=str(self.kind.currentData()),
            seen_as=str(self.seen_as.currentData()),
            number=self.number.text(),
            issuing_country=self.country.text(),
            issuing_authority=self.authority.text(),
            issue_date=self.issued.date(),
            expiry_date=self.expires.date(),
            verification=str(self.verification.currentData()),
            note=self.note_edit.toPlainText(),
        )

    def save_pending(self) -> bool:
        try:
            data = self.value()
        except ValueError as exc:
            self.state.setText(str(exc))
            return False
        ctx, actor, case_id = self.editor.ctx, self.editor.actor, self.editor.case_id
        document_id = self.current_id
        # The tab's input is sent now: a reload during the call must not keep it as pending.
        self._dirty = False
        if document_id is None:
            added = self.editor.change(lambda v: records.add_document(ctx, actor, case_id, v, data))
            if added is None:
                self._dirty = True
                return False
            self.current_id = added[0]
        else:
            updated = self.editor.change(
                lambda v: records.update_document(ctx, actor, document_id, v, data)
            )
            if updated is None:
                self._dirty = True
                return False
        self._show(self._document(self.current_id))
        self._select_current()
        self.editor.note(_("Document saved."))
        return True
