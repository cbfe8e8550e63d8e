"""A letter on screen, with Print… and Save as PDF… that account for every copy.

    hooks = LetterHooks(
        next_copy=lambda: letters.next_copy_number(ctx, serial),
        on_print=lambda printer, reason: letters.letter_pdf(ctx, actor, serial, ...),
        on_save=lambda path, reason: letters.letter_pdf(ctx, actor, serial, ...),
        on_failed=lambda problem: letters.mark_copy_spoiled(ctx, actor, serial, ..., problem),
    )
    LetterViewer(preview_pdf, hooks, title=serial, file_name=f"{serial}.pdf", parent=w).show()

The viewer knows nothing of databases.  Whatever leaves the office goes
through a hook, which records the copy (who, when, where to, why) and only
then returns the PDF to print or write: the first output of a letter is the
original, every later one a reprint marked "Copy N" that needs a reason.  A
hook refuses by raising `PraverkaError`; its sentence appears in the window
and nothing is printed or written.

Before a hook is called, everything that can be checked without it is:
the printer takes jobs, the file's folder is writable.  What can still fail
afterwards (the printer stops or refuses the job, the disk fills) marks the
recorded copy spoiled through `on_failed`, so the log does not claim that a
copy left the office, and the next attempt is the same copy again; the
window says so plainly.
"""

from __future__ import annotations

import contextlib
import html
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMargins,
    QPointF,
    Qt,
)
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.ui import messages, printing

ZOOM_STEP = 1.25
MIN_ZOOM = 0.1
MAX_ZOOM = 8.0


class PrintHook(Protocol):
    """Record a printed copy and return the PDF to print: `(printer_name, reason) -> bytes`."""

    def __call__(self, printer_name: str, reason: str, /) -> bytes: ...


class SaveHook(Protocol):
    """Record a saved copy and return the PDF to write: `(path, reason) -> bytes`."""

    def __call__(self, path: Path, reason: str, /) -> bytes: ...


class SpoilHook(Protocol):
    """Mark the copy the last print or save hook recorded as spoiled: `(problem) -> None`."""

    def __call__(self, problem: str, /) -> None: ...


@dataclass(frozen=True)
class LetterHooks:
    """How the viewer hands out copies of one letter.

    `next_copy()`: what the next print or save will be: None for the original
    (nothing has left the office yet), N for a reprint marked "Copy N".  The
    viewer asks the person for a reason before a reprint.

    `on_print(printer_name, reason)` and `on_save(path, reason)`: record the
    copy and return its PDF (for a reprint, the one marked "Copy N"); `reason`
    is "" for the original.  Raise `PraverkaError` to refuse.  They run on the
    GUI thread, the viewer waiting: they should be a quick service call.

    `on_failed(problem)`: the copy just recorded did not leave the office (the
    printer refused it, the file could not be written); mark it spoiled with
    `problem` as the reason.  Raise `PraverkaError` when that cannot be done.
    """

    next_copy: Callable[[], int | None]
    on_print: PrintHook
    on_save: SaveHook
    on_failed: SpoilHook


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    """Where to save the PDF; None when the person cancels.  Tests replace this function."""
    path = messages.ask_save_file(
        parent, _("Save the letter as PDF"), suggested, _("PDF documents (*.pdf)")
    )
    if path is None:
        return None
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class LetterViewer(QDialog):
    """One letter's PDF: pages, zoom, Print… and Save as PDF…."""

    def __init__(
        self,
        pdf: bytes,
        hooks: LetterHooks,
        *,
        title: str,
        file_name: str = "letter.pdf",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("letterViewer")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.hooks = hooks
        self.title = title
        self.file_name = file_name
        self._buffer: QBuffer | None = None

        layout = QVBoxLayout(self)
        self.copy_label = QLabel(self)
        self.copy_label.setObjectName("copyStatus")
        self.copy_label.setWordWrap(True)
        self.copy_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.copy_label)
        self.bar = messages.MessageBar(self)
        self.bar.reload_button.hide()
        layout.addWidget(self.bar)

        tools = QHBoxLayout()
        layout.addLayout(tools)
        self.previous_page_button = self._button(
            tools, "previousPage", _("Previous page"), self.previous_page, ("PgUp",)
        )
        self.page_label = QLabel(self)
        self.page_label.setObjectName("pageNumber")
        self.page_label.setMinimumWidth(96)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tools.addWidget(self.page_label)
        self.next_page_button = self._button(
            tools, "nextPage", _("Next page"), self.next_page, ("PgDown",)
        )
        tools.addSpacing(16)
        self.zoom_out_button = self._button(
            tools, "zoomOut", _("Zoom out"), self.zoom_out, ("Ctrl+-",)
        )
        self.zoom_in_button = self._button(
            tools, "zoomIn", _("Zoom in"), self.zoom_in, ("Ctrl++", "Ctrl+=")
        )
        self.fit_width_button = self._button(
            tools, "fitWidth", _("Fit width"), self.fit_width, ("Ctrl+0",)
        )
        self.whole_page_button = self._button(
            tools, "wholePage", _("Whole page"), self.whole_page, ()
        )
        tools.addStretch(1)
        self.print_button = self._button(
            tools, "printLetter", _("Print…"), self.print_letter, ("Ctrl+P",)
        )
        self.save_button = self._button(
            tools, "saveLetter", _("Save as PDF…"), self.save_letter, ("Ctrl+S",)
        )
        close = self._button(tools, "closeLetter", _("Close"), self.accept, ())
        close.setToolTip("")

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("letterView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setDocumentMargins(QMargins(12, 12, 12, 12))
        # Paper stands out on a darker desk, as in the scan viewer.
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, QColor("#3c3f44"))
        self.view.setPalette(palette)
        self.view.setBackgroundRole(QPalette.ColorRole.Dark)
        self.view.setDocument(self.document)
        self.view.pageNavigator().currentPageChanged.connect(self._update_pages)
        layout.addWidget(self.view, 1)

        self.show_pdf(pdf)
        self.update_copy_status()
        self.resize(860, 960)

    def _button(
        self,
        row: QHBoxLayout,
        name: str,
        text: str,
        slot: Callable[[], object],
        keys: tuple[str, ...],
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        sequences = [QKeySequence(k) for k in keys]
        if sequences:
            shown = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
            button.setToolTip(f"{text.rstrip('…')} ({shown})")
        button.clicked.connect(slot)
        for sequence in sequences:
            QShortcut(sequence, self).activated.connect(slot)
        row.addWidget(button)
        return button

    # ------------------------------------------------------------- content

    def show_pdf(self, pdf: bytes) -> None:
        """Show these bytes (after a print or save: the copy that left the office)."""
        old = self._buffer
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.close()
        self.document.load(buffer)
        self._buffer = buffer
        if old is not None:
            old.close()
            old.deleteLater()
        if self.document.status() != QPdfDocument.Status.Ready:
            self.bar.error(_("This letter cannot be shown: its PDF is damaged."))
        self._update_pages()

    @property
    def pages(self) -> int:
        return int(self.document.pageCount())

    @property
    def page(self) -> int:
        return int(self.view.pageNavigator().currentPage())

    def _update_pages(self) -> None:
        pages, page = self.pages, self.page
        self.page_label.setText(
            _("Page {n} of {total}").format(n=min(page + 1, max(pages, 1)), total=pages)
        )
        self.previous_page_button.setEnabled(page > 0)
        self.next_page_button.setEnabled(page < pages - 1)
        for widget in (self.previous_page_button, self.next_page_button):
            widget.setVisible(pages > 1)

    def update_copy_status(self) -> None:
        number = self.hooks.next_copy()
        if number is None:
            headline = _("Original")
            text = _("Not printed or saved yet: the first print or save is the original.")
        else:
            headline = _("Reprint")
            text = _(
                "The original has left the office: the next print or save will be marked "
                "“Copy {n}” and needs a reason."
            ).format(n=number)
        self.copy_label.setText(f"<b>{html.escape(headline)}</b> · {html.escape(text)}")

    # ------------------------------------------------------------- looking

    def go_to_page(self, page: int) -> None:
        if self.pages == 0:
            return
        page = max(0, min(page, self.pages - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(0, 0), navigator.currentZoom())
        self._update_pages()

    def next_page(self) -> None:
        self.go_to_page(self.page + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.page - 1)

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(MIN_ZOOM, min(MAX_ZOOM, factor)))

    def zoom_in(self) -> None:
        self._set_zoom(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.view.zoomFactor() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def whole_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # ------------------------------------------------------------- copies

    def _reason(self) -> str | None:
        """The reason to record: empty for the original; None when there is none for a reprint."""
        number = self.hooks.next_copy()
        if number is None:
            return ""
        reason = messages.ask_text(
            self,
            _("Reason for copy {n}").format(n=number),
            _(
                "This letter has already left the office. Why is copy {n} needed? "
                "The reason is kept with the letter's record."
            ).format(n=number),
        )
        if reason is not None and not reason.strip():
            self.bar.error(_("A reprint needs a reason; nothing was printed or saved."))
            return None
        return reason

    @contextlib.contextmanager
    def _busy(self) -> Iterator[None]:
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()
            self.print_button.setEnabled(True)
            self.save_button.setEnabled(True)

    def print_letter(self) -> printing.PrintResult | None:
        """Print… : choose the printer, record the copy, print it.  None when nothing printed."""
        self.bar.clear()
        try:
            printer = printing.ask_printer(
                self, pages=self.pages, title=_("Print {title}").format(title=self.title)
            )
            if printer is None:
                return None
            if printer.copyCount() > 1:
                self.bar.error(_("Print one copy at a time: every copy of a letter is recorded."))
                return None
            printing.check_printer(printer.printerName())
        except PraverkaError as error:
            self.bar.error(str(error))
            return None
        reason = self._reason()
        if reason is None:
            return None
        with self._busy():
            try:
                pdf = self.hooks.on_print(printer.printerName(), reason)
            except PraverkaError as error:
                self.bar.error(str(error))
                return None
            try:
                result = printing.print_pdf(pdf, printer, title=self.title)
            except PraverkaError as error:
                self._spoiled(
                    _("The printer refused the job: {problem}").format(
                        problem=_sentence(str(error))
                    ),
                    str(error),
                    _("The copy was logged as spoiled; printing again makes {which} again."),
                )
                return None
        self.show_pdf(pdf)
        self.update_copy_status()
        self.bar.info(
            _("Sent {pages} page(s) to the printer “{printer}”.").format(
                pages=result.pages, printer=result.printer_name
            )
        )
        return result

    def _spoiled(self, failure: str, problem: str, again: str) -> None:
        """After a recorded copy failed to leave: mark it spoiled and say what happens next."""
        try:
            self.hooks.on_failed(problem)
        except PraverkaError as error:
            self.bar.error(
                failure
                + " "
                + _(
                    "The copy could not be logged as spoiled ({problem}); the log still counts "
                    "it as handed out."
                ).format(problem=error)
            )
        else:
            number = self.hooks.next_copy()
            which = _("the original") if number is None else _("Copy {n}").format(n=number)
            self.bar.error(failure + " " + again.format(which=which))
        self.update_copy_status()

    def save_letter(self) -> Path | None:
        """Save as PDF… : choose the file, record the copy, write it.  None when nothing saved."""
        self.bar.clear()
        path = ask_save_path(self, self.file_name)
        if path is None:
            return None
        reason = self._reason()
        if reason is None:
            return None
        # A scratch file next to the target proves the folder writable before the
        # copy is recorded, and makes the final write all-or-nothing.
        try:
            handle, scratch_name = tempfile.mkstemp(
                prefix=".praverka-", suffix=".part", dir=path.parent
            )
        except OSError as error:
            self.bar.error(
                _("Nothing was saved: the folder {folder} cannot be written to ({reason}).").format(
                    folder=path.parent, reason=error.strerror or type(error).__name__
                )
            )
            return None
        scratch = Path(scratch_name)
        try:
            with self._busy():
                try:
                    pdf = self.hooks.on_save(path, reason)
                except PraverkaError as error:
                    self.bar.error(str(error))
                    return None
                try:
                    with os.fdopen(handle, "wb") as stream:
                        handle = -1
                        stream.write(pdf)
                        stream.flush()
                        os.fsync(stream.fileno())
                    os.replace(scratch, path)
                except OSError as error:
                    problem = _("{file} could not be written: {reason}.").format(
                        file=path, reason=error.strerror or type(error).__name__
                    )
                    self._spoiled(
                        problem,
                        problem,
                        _("The copy was logged as spoiled; saving again makes {which} again."),
                    )
                    return None
        finally:
            if handle != -1:
                os.close(handle)
            scratch.unlink(missing_ok=True)
        self.show_pdf(pdf)
        self.update_copy_status()
        self.bar.info(_("Saved as {file}.").format(file=path))
        return path
