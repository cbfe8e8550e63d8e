"""The Letters tab: the case's attestation letters, and issuing, handing out, correcting, revoking.

An issued letter never changes.  Open… shows it and hands out copies through the letter
viewer, whose hooks (letter_handout.py) log each copy before its PDF leaves the office: the
first is the original, every later one a reprint marked "Copy N" with a reason; a copy that
failed to print or save is marked spoiled.  Correct… issues a new letter that replaces the
selected one; Revoke… (supervisors) withdraws it for recipients.  Once a letter has expired,
Issue letter… makes a new one for its purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from praverka.app import letters
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import N_, _
from praverka.app.letters import LetterView
from praverka.app.views import CaseDetail
from praverka.ui import labels, messages
from praverka.ui.issue_letter import CURRENT_STATUSES, IssueLetterDialog, language_label
from praverka.ui.letter_handout import letter_hooks
from praverka.ui.letter_texts import (
    LETTER_STATUSES,
    STATUS_COLOURS,
    copy_log_text,
    detail_text,
    lineage_text,
    status_text,
)
from praverka.ui.letter_viewer import LetterHooks, LetterViewer
from praverka.ui.login import database_error_text
from praverka.ui.signing_unlock import SigningKeyHolder
from praverka.ui.tab_base import CaseTab

ISSUING_ROLES = frozenset({"officer", "supervisor"})
ISSUABLE = ("approved", "attested")
COLUMNS = (
    N_("Serial"),
    N_("Purpose"),
    N_("Language"),
    N_("Issued"),
    N_("Valid until"),
    N_("Status"),
    N_("Copies"),
    N_("Supersedes / superseded by"),
)


class LettersEditorApi(Protocol):
    """What the Letters tab needs of the case editor holding it."""

    ctx: AppContext
    actor: Actor
    case_id: int
    detail: CaseDetail
    signing_holder: SigningKeyHolder

    def letters_changed(self) -> None:
        """A letter was issued, corrected or revoked: read the case again (its status moves)."""
        ...

    def note(self, text: str) -> None: ...

    def show_error(self, text: str) -> None: ...


class LettersTab(CaseTab):
    def __init__(self, editor: LettersEditorApi) -> None:
        super().__init__()
        self.setObjectName("lettersTab")
        self.editor = editor
        self.letters: list[LetterView] = []
        self.status = ""
        self.issue_dialog: IssueLetterDialog | None = None
        self.viewer: LetterViewer | None = None

        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("lettersSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("lettersList")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.currentCellChanged.connect(lambda *_args: self.update_buttons())
        self.table.cellDoubleClicked.connect(lambda *_args: self.open_selected())
        layout.addWidget(self.table, 1)
        self.detail = QLabel(self)
        self.detail.setObjectName("letterDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        self.copies = QLabel(self)
        self.copies.setObjectName("letterCopies")
        self.copies.setWordWrap(True)
        self.copies.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.copies)

        buttons = QHBoxLayout()
        self.issue_button = self._button(buttons, "issueLetter", _("Issue letter…"), self.issue)
        self.open_button = self._button(buttons, "openLetter", _("Open…"), self.open_selected)
        self.correct_button = self._button(
            buttons, "correctLetter", _("Correct…"), self.correct_selected
        )
        self.revoke_button = self._button(
            buttons, "revokeLetter", _("Revoke…"), self.revoke_selected
        )
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _button(
        self, row: QHBoxLayout, name: str, text: str, slot: Callable[[], object]
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # ------------------------------------------------------------- showing

    def load(self, detail: CaseDetail, editable: bool, why_not: str) -> None:
        # Letters are issued for approved cases, which are not editable: the tab's own
        # rules decide, not the editor's `editable`.
        self.status = detail.summary.status
        self.refresh()

    def refresh(self) -> None:
        """Read the case's letters again (after a copy, an issue, a revocation)."""
        selected = self.selected()
        try:
            self.letters = letters.list_letters(self.editor.ctx, case_id=self.editor.case_id)
        except Exception as exc:
            self.letters = []
            self.summary.setText(database_error_text(exc))
        else:
            self.summary.setText(self._summary_text())
        self.table.setRowCount(len(self.letters))
        for row, letter in enumerate(self.letters):
            values = [
                letter.serial,
                labels.label(labels.PURPOSES, letter.purpose),
                language_label(letter.language),
                labels.when(letter.issued_at) + "  " + letter.issued_by,
                labels.day(letter.valid_until),
                status_text(letter),
                str(letter.copies),
                lineage_text(letter),
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(detail_text(letter))
                if column == 5:
                    item.setForeground(QBrush(STATUS_COLOURS.get(letter.status, QColor("black"))))
                self.table.setItem(row, column, item)
        if selected is not None:
            self.select(selected.serial)
        elif self.letters:
            self.table.selectRow(0)
        self.update_buttons()

    def _summary_text(self) -> str:
        if not self.letters:
            if self.status in ISSUABLE:
                return _("No letter yet. Issue one for the purpose the applicant needs.")
            return _("No letter. A letter is issued once a supervisor approves the case.")
        current = sum(1 for x in self.letters if x.status in CURRENT_STATUSES)
        return _("{total} letter(s), {current} in force. Double-click a letter to open it.").format(
            total=len(self.letters), current=current
        )

    def selected(self) -> LetterView | None:
        row = self.table.currentRow()
        return self.letters[row] if 0 <= row < len(self.letters) else None

    def select(self, serial: str) -> bool:
        for row, letter in enumerate(self.letters):
            if letter.serial == serial:
                self.table.selectRow(row)
                return True
        return False

    # ------------------------------------------------------------- rules

    def why_not_issue(self) -> str:
        """Why Issue letter… is off, or "" when it is on."""
        if not ISSUING_ROLES & self.editor.actor.roles:
            return _("Only officers and supervisors issue letters.")
        if self.status not in ISSUABLE:
            return _("The case is {status}; a letter is issued only for an approved case.").format(
                status=labels.label(labels.STATUSES, self.status).lower()
            )
        held = {x.purpose for x in self.letters if x.status in CURRENT_STATUSES}
        if set(self.editor.detail.summary.purposes) <= held:
            return _(
                "Every purpose of this case has its letter. To change one, select it and "
                "choose Correct…; for another copy, Open… it."
            )
        return ""

    def why_not_correct(self, letter: LetterView | None) -> str:
        if letter is None:
            return _("Select a letter first.")
        if not ISSUING_ROLES & self.editor.actor.roles:
            return _("Only officers and supervisors correct letters.")
        if letter.status == "expired":
            return _(
                "Letter {serial} has expired; to renew it, choose Issue letter… for its purpose."
            ).format(serial=letter.serial)
        if letter.status not in CURRENT_STATUSES:
            return _(
                "Letter {serial} is {status}; only the letter in force can be corrected."
            ).format(
                serial=letter.serial, status=labels.label(LETTER_STATUSES, letter.status).lower()
            )
        if self.status not in ISSUABLE:
            return _("The case is {status}; letters are issued only for an approved case.").format(
                status=labels.label(labels.STATUSES, self.status).lower()
            )
        return ""

    def why_not_revoke(self, letter: LetterView | None) -> str:
        if letter is None:
            return _("Select a letter first.")
        if "supervisor" not in self.editor.actor.roles:
            return _("Only supervisors revoke letters.")
        if letter.status == "revoked":
            return _("Letter {serial} is already revoked.").format(serial=letter.serial)
        if letter.status == "superseded":
            return _("Letter {serial} was replaced by {new}; recipients already refuse it.").format(
                serial=letter.serial, new=letter.superseded_by or ""
            )
        return ""

    def update_buttons(self) -> None:
        letter = self.selected()
        self.detail.setText(detail_text(letter) if letter is not None else "")
        self.detail.setVisible(letter is not None)
        logged = letter is not None and letter.copies + letter.spoiled > 0
        self.copies.setText(
            copy_log_text(self.editor.ctx, letter.serial) if letter is not None and logged else ""
        )
        self.copies.setVisible(logged)
        reasons = {
            self.issue_button: (self.why_not_issue(), _("Issue a signed letter for this case.")),
            self.open_button: (
                "" if letter else _("Select a letter first."),
                _("Show the letter, print it or save it as PDF (double-click)."),
            ),
            self.correct_button: (
                self.why_not_correct(letter),
                _("Issue a new letter that replaces the selected one."),
            ),
            self.revoke_button: (
                self.why_not_revoke(letter),
                _("Withdraw the letter: recipients checking it are told it is revoked."),
            ),
        }
        for button, (why_not, what) in reasons.items():
            button.setEnabled(not why_not)
            button.setToolTip(why_not or what)

    # ------------------------------------------------------------- issuing

    def issue(self) -> IssueLetterDialog | None:
        """Issue letter…: the dialog; once it issues, the letter opens for its original."""
        if self.why_not_issue():
            return None
        return self._open_issue_dialog(None)

    def correct_selected(self) -> IssueLetterDialog | None:
        letter = self.selected()
        if self.why_not_correct(letter):
            return None
        return self._open_issue_dialog(letter)

    def _open_issue_dialog(self, corrects: LetterView | None) -> IssueLetterDialog:
        dialog = IssueLetterDialog(
            self.editor.ctx,
            self.editor.actor,
            self.editor.detail.summary,
            self.editor.signing_holder,
            existing=self.letters,
            corrects=corrects,
            parent=self,
        )
        dialog.accepted.connect(lambda: self._issued(dialog))
        self.issue_dialog = dialog
        dialog.open()
        return dialog

    def _issued(self, dialog: IssueLetterDialog) -> None:
        letter = dialog.letter
        self.issue_dialog = None
        dialog.deleteLater()
        if letter is None:
            return
        self.editor.letters_changed()  # the case is attested now; this tab reloads with it
        self.select(letter.serial)
        if letter.supersedes:
            self.editor.note(
                _("Letter {serial} issued; it replaces {old}.").format(
                    serial=letter.serial, old=letter.supersedes
                )
            )
        else:
            self.editor.note(_("Letter {serial} issued.").format(serial=letter.serial))
        self.open_letter(letter.serial)

    # ------------------------------------------------------------- copies

    def open_selected(self) -> LetterViewer | None:
        letter = self.selected()
        return self.open_letter(letter.serial) if letter is not None else None

    def open_letter(self, serial: str) -> LetterViewer | None:
        """The letter on screen, with Print… and Save as PDF… handing out logged copies."""
        ctx, actor = self.editor.ctx, self.editor.actor
        try:
            screen = letters.view_letter(ctx, actor, serial)
            letter = letters.get_letter(ctx, serial)
        except Exception as exc:
            self.editor.show_error(database_error_text(exc))
            return None
        if self.viewer is not None:
            self.viewer.close()
        viewer = LetterViewer(
            screen,
            self.hooks(serial),
            title=serial,
            file_name=f"{serial}.pdf",
            parent=self,
        )
        viewer.setWindowTitle(
            _("Letter {serial} \N{EM DASH} {name}").format(serial=serial, name=letter.applicant)
        )
        if letter.status == "revoked":
            viewer.bar.error(
                _("This letter was revoked; no copy of it may leave the office.")
                + " "
                + status_text(letter)
            )
        elif letter.status == "superseded":
            viewer.bar.error(
                _("This letter was replaced by {new}; print that one instead.").format(
                    new=letter.superseded_by
                )
            )
        viewer.finished.connect(self._viewer_closed)
        self.viewer = viewer
        viewer.open()
        return viewer

    def _viewer_closed(self) -> None:
        viewer, self.viewer = self.viewer, None
        if viewer is not None:
            viewer.deleteLater()
        self.refresh()

    def hooks(self, serial: str) -> LetterHooks:
        """How the viewer hands out copies of `serial`: each one logged before its PDF is given."""
        return letter_hooks(
            self.editor.ctx,
            self.editor.actor,
            serial,
            refresh=self.refresh,
            note=self.editor.note,
        )

    # ------------------------------------------------------------- revoking

    def revoke_selected(self) -> bool:
        letter = self.selected()
        if letter is None or self.why_not_revoke(letter):
            return False
        reason = messages.ask_text(
            self,
            _("Revoke letter {serial}").format(serial=letter.serial),
            _(
                "Why is letter {serial} revoked? The reason is kept with the letter and in the "
                "case's history."
            ).format(serial=letter.serial),
        )
        if reason is None:
            return False
        if not reason:
            self.editor.show_error(_("Revoking a letter needs a reason."))
            return False
        if not messages.confirm(
            self,
            _("Revoke letter {serial}").format(serial=letter.serial),
            _(
                "Revoke letter {serial} for {name}? Anyone checking it against the published "
                "list of revoked letters is told it is no longer valid. This cannot be undone."
            ).format(serial=letter.serial, name=letter.applicant),
        ):
            return False
        from praverka.ui import reauth

        what = _("revoking letter {serial}").format(serial=letter.serial)
        if not reauth.confirm_with_password(self, self.editor.ctx, self.editor.actor, what):
            return False
        try:
            letters.revoke_letter(self.editor.ctx, self.editor.actor, letter.serial, reason)
        except Exception as exc:
            self.editor.show_error(database_error_text(exc))
            self.refresh()
            return False
        self.editor.letters_changed()
        self.select(letter.serial)
        self.editor.note(_("Letter {serial} revoked.").format(serial=letter.serial))
        self._offer_revocation_list(letter.serial)
        return True

    def _offer_revocation_list(self, serial: str) -> None:
        # Recipients check offline: they learn of the revocation only from the next list
        # they are sent, so offer to write it while the reason is fresh.
        if not messages.confirm(
            self,
            _("Send recipients a new list"),
            _(
                "Letter {serial} is revoked here, but recipients checking offline learn of it "
                "only from a new revocation list. Save the signed list now? (Later: Letters → "
                "Export revocation list…)"
            ).format(serial=serial),
        ):
            return
        from praverka.ui import letter_actions

        letter_actions.save_revocation_list(
            self, self.editor.ctx, self.editor.actor, self.editor.signing_holder
        )
