"""Issuing a letter for an approved case, or a correction that replaces one, with a live draft.

The officer chooses the purpose (one the case was verified for) and the language; the
right-hand side shows the draft as it would be issued now, watermarked and without its QR
code, drawn again a moment after each change.  Issue unlocks the signing key if this sitting
has not yet, and issues in one transaction: a refusal is shown in the dialog and nothing is
issued.  The dialog accepts with `letter` set; whoever opened it shows the letter so that
the original is printed or saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QStandardItemModel
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app import letters, settings
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import N_, _
from praverka.app.letters import LetterView
from praverka.app.views import CaseSummary
from praverka.ui import labels
from praverka.ui.login import database_error_text
from praverka.ui.signing_unlock import SigningKeyHolder, ensure_unlocked

LANGUAGES: dict[str, str] = {
    "uk": N_("Ukrainian"),
    "be": N_("Belarusian"),
    "en": N_("English"),
    "uk+en": N_("Ukrainian + English"),
}
DEFAULT_LANGUAGE = "uk+en"
# Typing in the reason or flicking through the languages should draw one draft, not five.
PREVIEW_DELAY_MS = 250
# In force: neither expired, revoked nor replaced by a correction.  An expired letter
# blocks nothing: a new letter for its purpose renews it.
CURRENT_STATUSES = ("valid",)
SIDE_WIDTH = 340

_WARNING_STYLE = "color: #6b3d00; background: #fff4e0; border: 1px solid #e0b060; padding: 4px;"
_ERROR_STYLE = "color: #8a1c12; background: #fdecea; border: 1px solid #8a1c12; padding: 4px;"


def language_label(code: str) -> str:
    return labels.label(LANGUAGES, code)


def language_combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for code in letters.LANGUAGES:
        combo.addItem(language_label(code), code)
    combo.setCurrentIndex(max(0, combo.findData(DEFAULT_LANGUAGE)))
    return combo


def current_letters(found: Sequence[LetterView]) -> dict[str, LetterView]:
    """The case's letter in force for each purpose (at most one: the service sees to it)."""
    current: dict[str, LetterView] = {}
    for letter in found:
        if letter.status in CURRENT_STATUSES:
            current.setdefault(letter.purpose, letter)
    return current


def expired_letters(found: Sequence[LetterView]) -> dict[str, LetterView]:
    """For each purpose without a letter in force, its newest expired letter (newest first)."""
    current = current_letters(found)
    expired: dict[str, LetterView] = {}
    for letter in found:
        if letter.status == "expired" and letter.purpose not in current:
            expired.setdefault(letter.purpose, letter)
    return expired


class IssueLetterDialog(QDialog):
    """Purpose, language, a live draft, and Issue; with `corrects`, a correction and its reason."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        summary: CaseSummary,
        holder: SigningKeyHolder,
        *,
        existing: Sequence[LetterView] = (),
        corrects: LetterView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("issueLetterDialog")
        self.ctx, self.actor, self.summary, self.holder = ctx, actor, summary, holder
        self.corrects = corrects
        self.letter: LetterView | None = None
        self._buffer: QBuffer | None = None
        self.previews = 0  # drafts drawn, for a test to see the debounce at work
        if corrects is None:
            self.setWindowTitle(_("Issue a letter for case {number}").format(number=summary.number))
        else:
            self.setWindowTitle(_("Correct letter {serial}").format(serial=corrects.serial))

        outer = QHBoxLayout(self)
        panel = QWidget(self)
        panel.setObjectName("issueChoices")
        panel.setFixedWidth(SIDE_WIDTH)
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(panel, 0)
        who = QLabel(
            f"<b>{_escape(summary.number)}</b><br>{_escape(summary.applicant_native)}"
            f"<br><i>{_escape(summary.applicant_latin)}</i>",
            self,
        )
        who.setObjectName("issueApplicant")
        who.setTextFormat(Qt.TextFormat.RichText)
        side.addWidget(who)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        side.addLayout(form)

        self.purpose = QComboBox(self)
        self.purpose.setObjectName("letterPurpose")
        taken = current_letters(existing)
        ran_out = expired_letters(existing)
        model = self.purpose.model()
        for code in summary.purposes if corrects is None else (corrects.purpose,):
            text = labels.label(labels.PURPOSES, code)
            held = taken.get(code)
            old = ran_out.get(code)
            if corrects is None and held is not None:
                text = _("{purpose} (has letter {serial})").format(purpose=text, serial=held.serial)
            elif corrects is None and old is not None:
                text = _("{purpose} (renews expired {serial})").format(
                    purpose=text, serial=old.serial
                )
            self.purpose.addItem(text, code)
            if corrects is None and held is not None and isinstance(model, QStandardItemModel):
                item = model.item(self.purpose.count() - 1)
                item.setEnabled(False)
                item.setToolTip(
                    _("Letter {serial} is in force for this purpose; correct it instead.").format(
                        serial=held.serial
                    )
                )
        first_free = next((i for i in range(self.purpose.count()) if self._purpose_enabled(i)), -1)
        self.purpose.setCurrentIndex(first_free)
        if corrects is not None:
            self.purpose.setEnabled(False)
            self.purpose.setToolTip(
                _(
                    "A correction keeps the purpose. For another purpose, issue a new letter "
                    "(and revoke this one if it is wrong)."
                )
            )
        form.addRow(_("Purpose"), self.purpose)

        self.language = language_combo(self, "letterLanguage")
        if corrects is not None:
            self.language.setCurrentIndex(max(0, self.language.findData(corrects.language)))
        form.addRow(_("Language"), self.language)

        self.reason: QPlainTextEdit | None = None
        if corrects is not None:
            reason = QPlainTextEdit(self)
            reason.setObjectName("correctionReason")
            reason.setTabChangesFocus(True)
            reason.setFixedHeight(72)
            reason.setPlaceholderText(
                _("what was wrong in {serial}").format(serial=corrects.serial)
            )
            reason.textChanged.connect(self._update_buttons)
            form.addRow(_("Reason"), reason)
            self.reason = reason
            note = QLabel(
                _(
                    "The new letter replaces {serial}: recipients checking {serial} are told it "
                    "is no longer valid."
                ).format(serial=corrects.serial),
                self,
            )
            note.setObjectName("correctionNote")
            note.setWordWrap(True)
            side.addWidget(note)

        self.warning = QLabel(self)
        self.warning.setObjectName("settingsWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(_WARNING_STYLE)
        self.warning.hide()
        side.addWidget(self.warning)
        self.error = QLabel(self)
        self.error.setObjectName("issueError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        side.addWidget(self.error)
        side.addStretch(1)
        hint = QLabel(
            _(
                "The draft on the right is watermarked and has no QR code. The issued letter "
                "gets its serial number, its signed QR code, and opens to be printed or saved."
            ),
            self,
        )
        hint.setObjectName("issueHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        side.addWidget(hint)
        buttons = QDialogButtonBox(self)
        buttons.setObjectName("issueButtons")
        self.issue_button = QPushButton(
            _("Issue letter") if corrects is None else _("Issue correction"), self
        )
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setDefault(True)
        buttons.addButton(self.issue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("issueCancel")
        self.issue_button.clicked.connect(self.issue)
        buttons.rejected.connect(self.reject)
        side.addWidget(buttons)

        right = QVBoxLayout()
        outer.addLayout(right, 1)
        self.preview_state = QLabel(self)
        self.preview_state.setObjectName("previewState")
        self.preview_state.setWordWrap(True)
        right.addWidget(self.preview_state)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("letterPreview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, QColor("#3c3f44"))
        self.view.setPalette(palette)
        self.view.setBackgroundRole(QPalette.ColorRole.Dark)
        self.view.setDocument(self.document)
        self.view.setMinimumWidth(520)
        right.addWidget(self.view, 1)

        self.timer = QTimer(self)
        self.timer.setObjectName("previewTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.render_preview)
        self.purpose.currentIndexChanged.connect(self._changed)
        self.language.currentIndexChanged.connect(self._changed)

        self._show_missing_settings()
        self._update_buttons()
        self.render_preview()
        self.resize(1040, 820)

    # ------------------------------------------------------------- state

    def _purpose_enabled(self, index: int) -> bool:
        model = self.purpose.model()
        if not isinstance(model, QStandardItemModel):
            return True
        item = model.item(index)
        return item is not None and item.isEnabled()

    def chosen_purpose(self) -> str | None:
        index = self.purpose.currentIndex()
        if index < 0 or not self._purpose_enabled(index):
            return None
        return str(self.purpose.currentData())

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip() if self.reason is not None else ""

    def _changed(self) -> None:
        self.error.hide()
        self._update_buttons()
        self.timer.start()

    def _update_buttons(self) -> None:
        if self.chosen_purpose() is None:
            self.issue_button.setEnabled(False)
            self.issue_button.setToolTip(
                _("Every purpose of this case already has its letter; correct one instead.")
            )
        elif self.reason is not None and not self.reason_text():
            self.issue_button.setEnabled(False)
            self.issue_button.setToolTip(_("Say what was wrong in the letter being corrected."))
        else:
            self.issue_button.setEnabled(True)
            self.issue_button.setToolTip(
                _("Sign and issue the letter; the case becomes attested.")
                if self.corrects is None
                else _("Sign and issue the new letter; it replaces {serial}.").format(
                    serial=self.corrects.serial
                )
            )

    def _show_missing_settings(self) -> None:
        try:
            missing = settings.get_settings(self.ctx).describe_missing()
        except Exception as exc:  # the preview will say the same; the warning is a courtesy
            self.warning.setText(database_error_text(exc))
            self.warning.show()
            return
        if missing:
            self.warning.setText(
                _(
                    "The organisation settings lack: {missing}. The letter shows blanks there "
                    "until an administrator fills them in."
                ).format(missing=", ".join(missing))
            )
            self.warning.show()

    # ------------------------------------------------------------- preview

    def render_preview(self) -> None:
        """Draw the draft for the current choice (quick: a letter renders in milliseconds)."""
        self.timer.stop()
        purpose = self.chosen_purpose()
        if purpose is None:
            self._show_pdf(None)
            self.preview_state.setText(_("No purpose left to issue a letter for."))
            return
        try:
            pdf = letters.preview_letter(
                self.ctx, self.actor, self.summary.id, purpose, self.chosen_language()
            )
        except Exception as exc:
            self._show_pdf(None)
            self.preview_state.setText(
                _("The draft cannot be drawn: {problem}").format(problem=database_error_text(exc))
            )
            return
        self.previews += 1
        self._show_pdf(pdf)
        self.preview_state.setText(
            _("Draft: {purpose}, {language}.").format(
                purpose=labels.label(labels.PURPOSES, purpose),
                language=language_label(self.chosen_language()),
            )
        )

    def _show_pdf(self, pdf: bytes | None) -> None:
        old = self._buffer
        self.document.close()
        self._buffer = None
        if pdf is not None:
            buffer = QBuffer(self)
            buffer.setData(QByteArray(pdf))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document.load(buffer)
            self._buffer = buffer
        if old is not None:
            old.close()
            old.deleteLater()

    # ------------------------------------------------------------- issuing

    def issue(self) -> LetterView | None:
        """Unlock the key if needed and issue; on success the dialog accepts with `letter` set."""
        purpose = self.chosen_purpose()
        if purpose is None or not self.issue_button.isEnabled():
            return None
        self.error.hide()
        key = ensure_unlocked(self, self.ctx, self.holder)
        if key is None:
            return None
        language = self.chosen_language()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.letter = letters.issue_letter(
                self.ctx,
                self.actor,
                self.summary.id,
                purpose,
                language,
                key,
                corrects=self.corrects.serial if self.corrects is not None else None,
                reason=self.reason_text(),
            )
        except Exception as exc:  # a refusal or a lost connection: nothing was issued
            self.error.setText(database_error_text(exc))
            self.error.show()
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()
        return self.letter


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
