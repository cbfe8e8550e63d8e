"""Verify a letter: its PDF, a scan or photo of it, or the text of its QR code.

    VerifyDialog(check, parent=window).show()

`check(VerifyRequest) -> VerifyResult` is supplied by the caller: it decides
which keys are trusted and which serials revoked (this desk's database, or
the files named in the request) and calls `praverka.app.verification`.  It
runs on a worker thread, because drawing a PDF's pages and searching them
for a code takes a while; it must not touch widgets.

The verdict is shown large, in words, with a symbol and a colour (green for
VALID, red for a forged or revoked letter, amber for what needs a second
look), never in colour alone.  Fields appear only for a code whose signature
checked out, as the verification service returns them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
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

from praverka.app.errors import PraverkaError
from praverka.app.i18n import N_, _
from praverka.app.security.qr_claims import LetterClaims
from praverka.app.verification import Verdict, VerifyResult
from praverka.ui import labels, messages
from praverka.ui.tasks import TaskControl, run_task

LETTER_FILTER = N_("Letters: PDF or picture (*.pdf *.png *.jpg *.jpeg);;All files (*)")
KEY_FILTER = N_("Public keys (*.pem *.pub *.txt);;All files (*)")
REVOCATIONS_FILTER = N_("Revocation lists (*.cose *.bin *.rev);;All files (*)")


@dataclass(frozen=True)
class VerifyRequest:
    """What to check (a file, or the text of a code) and against which keys and revocations.

    Exactly one of `path` and `text` is set.  `trust_key_file` (a PEM public
    key) and `revocations_file` (a signed revocation list) are None when the
    person chose none; what the check then trusts is up to the caller.
    """

    path: Path | None = None
    text: str | None = None
    trust_key_file: Path | None = None
    revocations_file: Path | None = None

    def __post_init__(self) -> None:
        if (self.path is None) == (self.text is None):
            raise ValueError("a VerifyRequest checks either a file or a text")


Check = Callable[[VerifyRequest], VerifyResult]


class Tone(enum.Enum):
    """How a verdict looks; each has its own colours and symbol, besides its words."""

    GOOD = "good"
    BAD = "bad"
    CAUTION = "caution"
    NEUTRAL = "neutral"


TONES: dict[Verdict, Tone] = {
    Verdict.VALID: Tone.GOOD,
    Verdict.INVALID: Tone.BAD,
    Verdict.REVOKED: Tone.BAD,
    # Not proof of forgery: the issuer's key may be missing here, the letter
    # out of date, or the scan too poor to read. A second look decides.
    Verdict.UNKNOWN_KEY: Tone.CAUTION,
    Verdict.EXPIRED: Tone.CAUTION,
    Verdict.NOT_FOUND: Tone.CAUTION,
}

# (text, background, border) and the symbol in front of the verdict
_STYLE: dict[Tone, tuple[str, str, str, str]] = {
    Tone.GOOD: ("#17521c", "#e6f4e7", "#2e7d32", "✔"),
    Tone.BAD: ("#8a1c12", "#fdecea", "#c62828", "✖"),
    Tone.CAUTION: ("#6b3d00", "#fff4e0", "#b26a00", "⚠"),
    Tone.NEUTRAL: ("#30343a", "#f1f2f4", "#8a8f98", ""),
}


def ask_open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    """A file to open; None when the person cancels.  Tests replace this function."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(chosen) if chosen else None


@dataclass(frozen=True)
class _Outcome:
    generation: int
    result: VerifyResult | None
    error: str


class VerifyDialog(QDialog):
    """Open or drop a letter, or paste its code; the verdict and the signed fields."""

    checked = Signal(object)  # the VerifyResult, or the error sentence (str)

    def __init__(self, check: Check, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyDialog")
        self.setWindowTitle(_("Verify a letter"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setAcceptDrops(True)
        self.check = check
        self.last_result: VerifyResult | None = None
        self.error = ""
        self._generation = 0
        self._running = False

        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Open the letter's PDF or a scan or photo of it (or drop it here), "
                "or paste the text of its QR code."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        source = QGroupBox(_("Letter"), self)
        grid = QGridLayout(source)
        self.file_edit = self._path_edit(
            "letterFile", _("A PDF, PNG or JPEG file"), self._file_edited
        )
        self.open_button = self._small_button("openLetter", _("Open…"), self.open_letter)
        grid.addWidget(QLabel(_("File:"), source), 0, 0)
        grid.addWidget(self.file_edit, 0, 1)
        grid.addWidget(self.open_button, 0, 2)
        self.text_edit = QPlainTextEdit(source)
        self.text_edit.setObjectName("qrText")
        self.text_edit.setPlaceholderText(_("PRV1:… (the text a QR reader shows)"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setAcceptDrops(False)  # drops go to the dialog, which sorts them
        self.text_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.text_edit.textChanged.connect(self._text_edited)
        grid.addWidget(QLabel(_("or code:"), source), 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.text_edit, 1, 1, 1, 2)
        layout.addWidget(source)

        trust = QGroupBox(_("Trust (optional)"), self)
        trust_grid = QGridLayout(trust)
        self.key_edit = self._path_edit("trustKeyFile", _("The issuer's public key file"), None)
        self.key_button = self._small_button("chooseKey", _("Choose…"), self.choose_key)
        self.revocations_edit = self._path_edit(
            "revocationsFile", _("A signed list of revoked letters"), None
        )
        self.revocations_button = self._small_button(
            "chooseRevocations", _("Choose…"), self.choose_revocations
        )
        trust_grid.addWidget(QLabel(_("Public key:"), trust), 0, 0)
        trust_grid.addWidget(self.key_edit, 0, 1)
        trust_grid.addWidget(self.key_button, 0, 2)
        trust_grid.addWidget(QLabel(_("Revocation list:"), trust), 1, 0)
        trust_grid.addWidget(self.revocations_edit, 1, 1)
        trust_grid.addWidget(self.revocations_button, 1, 2)
        layout.addWidget(trust)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.check_button = QPushButton(_("Check"), self)
        self.check_button.setObjectName("checkLetter")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.start_check)
        buttons.addWidget(self.check_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.start_check)

        self.bar = messages.MessageBar(self)
        self.bar.reload_button.hide()
        layout.addWidget(self.bar)

        self.verdict_frame = QFrame(self)
        self.verdict_frame.setObjectName("verdictFrame")
        verdict_layout = QVBoxLayout(self.verdict_frame)
        self.verdict = QLabel(self.verdict_frame)
        self.verdict.setObjectName("verdict")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setWordWrap(True)
        self._verdict_font = QFont(self.font())
        self._verdict_font.setPointSizeF(self._verdict_font.pointSizeF() * 2.2)
        self._verdict_font.setBold(True)
        self._status_font = QFont(self.font())
        self._status_font.setPointSizeF(self._status_font.pointSizeF() * 1.15)
        self.detail = QLabel(self.verdict_frame)
        self.detail.setObjectName("verdictDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        verdict_layout.addWidget(self.verdict)
        verdict_layout.addWidget(self.detail)
        layout.addWidget(self.verdict_frame)

        self.fields_box = QGroupBox(_("Signed content of the letter"), self)
        self.fields_box.setObjectName("signedFields")
        self._form = form = QFormLayout(self.fields_box)
        self.fields: dict[str, QLabel] = {}
        for key, caption in (
            ("serial", N_("Serial number")),
            ("name_native", N_("Name")),
            ("name_latin", N_("Name in Latin letters")),
            ("birth_date", N_("Date of birth")),
            ("purpose", N_("Purpose")),
            ("issued_on", N_("Issued on")),
            ("expires_on", N_("Valid until")),
            ("document_number", N_("Document number")),
            ("issuer", N_("Issued by")),
            ("key_id", N_("Signing key")),
        ):
            value = QLabel(self.fields_box)
            value.setObjectName(f"field_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            form.addRow(_(caption) + ":", value)
            self.fields[key] = value
        layout.addWidget(self.fields_box)
        layout.addStretch(1)

        close_row = QHBoxLayout()
        close_row.addStretch(1)
        close = QPushButton(_("Close"), self)
        close.setObjectName("closeVerify")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        close_row.addWidget(close)
        layout.addLayout(close_row)

        self._show_verdict(Tone.NEUTRAL, _("Drop a letter's PDF, scan or photo here"), "")
        self._show_fields(None, None)
        self.resize(640, self.sizeHint().height())

    def _path_edit(
        self, name: str, placeholder: str, edited: Callable[[str], None] | None
    ) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.setAcceptDrops(False)
        if edited is not None:
            edit.textEdited.connect(edited)
        return edit

    def _small_button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # ------------------------------------------------------------- input

    def _file_edited(self, text: str) -> None:
        if text:
            self.text_edit.blockSignals(True)
            self.text_edit.clear()
            self.text_edit.blockSignals(False)

    def _text_edited(self) -> None:
        # The latest input is the one to check: a pasted code replaces an opened file.
        if self.text_edit.toPlainText().strip():
            self.file_edit.clear()

    def set_file(self, path: Path, *, check: bool = True) -> None:
        self.file_edit.setText(str(path))
        self._file_edited(str(path))
        if check:
            self.start_check()

    def set_text(self, text: str, *, check: bool = True) -> None:
        self.text_edit.setPlainText(text)
        if check:
            self.start_check()

    def open_letter(self) -> None:
        path = ask_open_path(self, _("Open a letter"), _(LETTER_FILTER))
        if path is not None:
            self.set_file(path)

    def choose_key(self) -> None:
        path = ask_open_path(self, _("The issuer's public key"), _(KEY_FILTER))
        if path is not None:
            self.key_edit.setText(str(path))

    def choose_revocations(self) -> None:
        path = ask_open_path(self, _("A revocation list"), _(REVOCATIONS_FILTER))
        if path is not None:
            self.revocations_edit.setText(str(path))

    @staticmethod
    def _dropped(mime: QMimeData) -> Path | str | None:
        """The one local file or the text being dropped; None for anything else."""
        if mime.hasUrls():
            files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            return Path(files[0]) if len(files) == 1 else None
        if mime.hasText() and mime.text().strip():
            return mime.text().strip()
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = self._dropped(event.mimeData())
        if dropped is None:
            event.ignore()
            return
        event.acceptProposedAction()
        if isinstance(dropped, Path):
            self.set_file(dropped)
        else:
            self.set_text(dropped)

    def request(self) -> VerifyRequest | None:
        """What the fields ask for; None (and a message) when there is nothing to check."""

        def optional(edit: QLineEdit) -> Path | None:
            text = edit.text().strip()
            return Path(text).expanduser() if text else None

        code = self.text_edit.toPlainText().strip()
        file_text = self.file_edit.text().strip()
        trust, revocations = optional(self.key_edit), optional(self.revocations_edit)
        if code:
            return VerifyRequest(text=code, trust_key_file=trust, revocations_file=revocations)
        if file_text:
            return VerifyRequest(
                path=Path(file_text).expanduser(),
                trust_key_file=trust,
                revocations_file=revocations,
            )
        self.bar.error(_("Open a letter's file or paste the text of its QR code first."))
        return None

    # ------------------------------------------------------------- checking

    def is_running(self) -> bool:
        return self._running

    def start_check(self) -> None:
        self.bar.clear()
        request = self.request()
        if request is None:
            return
        self._generation += 1
        generation = self._generation
        self._running = True
        self.last_result, self.error = None, ""
        self._show_verdict(Tone.NEUTRAL, _("Checking…"), "")
        self._show_fields(None, None)
        check = self.check

        def work(_control: TaskControl) -> _Outcome:
            # Every failure comes back as an outcome, so a late answer for a
            # closed or re-used dialog is simply dropped by its generation.
            try:
                return _Outcome(generation, check(request), "")
            except PraverkaError as error:
                return _Outcome(generation, None, str(error))
            except Exception as error:
                return _Outcome(
                    generation,
                    None,
                    _("The letter could not be checked: {reason}").format(
                        reason=str(error) or type(error).__name__
                    ),
                )

        run_task(self, work, on_done=self._finished, show_progress=False)

    def _finished(self, outcome: _Outcome) -> None:
        if outcome.generation != self._generation:
            return  # a newer check was started meanwhile
        self._running = False
        if outcome.result is None:
            self.error = outcome.error
            self._show_verdict(Tone.NEUTRAL, _("Not checked"), "")
            self.bar.error(outcome.error)
            self.checked.emit(outcome.error)
            return
        self.show_result(outcome.result)
        self.checked.emit(outcome.result)

    # ------------------------------------------------------------- showing

    def show_result(self, result: VerifyResult) -> None:
        self.last_result = result
        self._show_verdict(TONES[result.verdict], result.verdict.label, result.detail)
        self._show_fields(result.claims, result.key_id)

    def tone(self) -> Tone:
        return Tone(str(self.verdict.property("tone")))

    def _show_verdict(self, tone: Tone, words: str, detail: str) -> None:
        text, background, border, symbol = _STYLE[tone]
        self.verdict.setText(f"{symbol}  {words}" if symbol else words)
        self.verdict.setAccessibleName(words)
        self.verdict.setProperty("tone", tone.value)
        # A verdict is shouted; "checking" and the like are not verdicts.
        self.verdict.setFont(self._status_font if tone is Tone.NEUTRAL else self._verdict_font)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        line = "dashed" if tone is Tone.NEUTRAL else "solid"
        self.verdict_frame.setStyleSheet(
            f"QFrame#verdictFrame {{ background: {background}; border: 2px {line} {border}; "
            f"border-radius: 6px; }} QFrame#verdictFrame QLabel {{ color: {text}; "
            "background: transparent; border: none; }"
        )

    def _show_fields(self, claims: LetterClaims | None, key_id: str | None) -> None:
        values: dict[str, str] = dict.fromkeys(self.fields, "")
        if claims is not None:
            values.update(
                serial=claims.serial,
                name_native=claims.name_native,
                name_latin=claims.name_latin,
                birth_date=claims.birth_date,
                purpose=labels.label(labels.PURPOSES, claims.purpose),
                # As the verdict's sentence and the command line write them.
                issued_on=claims.issued_on.isoformat(),
                expires_on=claims.expires_on.isoformat(),
                document_number=claims.document_number or _("none given"),
                issuer=claims.issuer,
            )
        values["key_id"] = key_id or ""
        for key, label in self.fields.items():
            label.setText(values[key])
            self._form.setRowVisible(label, bool(values[key]))
        self.fields_box.setVisible(claims is not None or bool(key_id))
