"""Issue and print (or save) the letters of many approved cases at once.

    dialog = BatchLettersDialog(ctx, actor, case_ids, holder, parent=window)
    dialog.finished_batch.connect(lambda _report: window.refresh())
    dialog.open()

The letters are issued off the GUI thread (`tasks.run_task`, the worker in
batch_letters_work.py), each case in its own transaction, so one refusal or failure leaves
the others issued.  Every copy is logged by `letters.output_letter` before it leaves: a
saved PDF is written by the worker; a printed one comes back to the GUI thread and is
painted there (Qt allows painting on a printer from a thread, but the print service is
happier with one painter on one thread).  A copy that then fails to print or save is marked
spoiled and listed with the failures.  The worker stays at most a few letters ahead of the
printer, so Cancel leaves few letters waiting, and every letter already issued is still
printed and reported.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
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
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app.context import Actor, AppContext
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.ui import labels, printing
from praverka.ui.batch_letters_work import (
    PRINT_AHEAD,
    BatchPlan,
    BatchReport,
    Printable,
    approved_case_ids,
    run_batch,
    spoil,
)
from praverka.ui.issue_letter import language_combo
from praverka.ui.login import database_error_text
from praverka.ui.signing_unlock import SigningKeyHolder, ensure_unlocked
from praverka.ui.tasks import Task, TaskControl, run_task

__all__ = ["BatchLettersDialog", "BatchPlan", "BatchReport", "approved_case_ids", "ask_folder"]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, the dialog's slot prints."""

    printable = Signal(object)


def ask_folder(parent: QWidget, start: str) -> str | None:
    """Choose the folder for the PDFs; None when the person cancels.  Tests replace this."""
    chosen = QFileDialog.getExistingDirectory(parent, _("Save the letters in"), start)
    return chosen or None


class BatchLettersDialog(QDialog):
    """How many cases, which purpose and language, where to: then Start, progress, a report."""

    finished_batch = Signal(object)  # the BatchReport, once the batch has ended

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        case_ids: Sequence[int],
        holder: SigningKeyHolder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("batchLetters")
        self.setWindowTitle(_("Issue letters for many cases"))
        self.ctx, self.actor, self.holder = ctx, actor, holder
        self.case_ids = list(dict.fromkeys(case_ids))
        # Kept after the batch ends: a Task without a parent lives as long as its Python
        # object, and dropping the last reference from inside its own signal would delete it
        # while Qt is still delivering that signal.
        self.task: Task[BatchReport] | None = None
        self.report: BatchReport | None = None
        self.plan: BatchPlan | None = None
        self.printed: list[tuple[str, str]] = []
        self.print_failures: list[tuple[str, str]] = []
        self._slots: threading.Semaphore | None = None
        self._waiting: BatchReport | None = None
        self._relay = _Relay(self)
        self._relay.printable.connect(self._print_one)

        layout = QVBoxLayout(self)
        self.count = QLabel(self)
        self.count.setObjectName("batchCount")
        self.count.setWordWrap(True)
        self.count.setTextFormat(Qt.TextFormat.RichText)
        self.count.setText(
            "<b>"
            + _("{n} case(s) chosen.").format(n=len(self.case_ids))
            + "</b><br>"
            + _(
                "Each gets a signed letter, and its original is printed or saved at once. Cases "
                "that are not approved, or already have a letter in force for the purpose, are "
                "skipped and listed at the end; an expired letter is renewed."
            )
        )
        layout.addWidget(self.count)

        letter_box = QGroupBox(_("Letter"), self)
        self.letter_box = letter_box
        form = QFormLayout(letter_box)
        self.purpose = QComboBox(letter_box)
        self.purpose.setObjectName("batchPurpose")
        self.purpose.addItem(_("Each case's first purpose"), None)
        for code in labels.PURPOSES:
            self.purpose.addItem(labels.label(labels.PURPOSES, code), code)
        self.purpose.setToolTip(
            _("With one purpose chosen, cases not verified for it are skipped and listed.")
        )
        form.addRow(_("Purpose"), self.purpose)
        self.language = language_combo(letter_box, "batchLanguage")
        form.addRow(_("Language"), self.language)
        layout.addWidget(letter_box)

        out_box = QGroupBox(_("The originals"), self)
        self.out_box = out_box
        out = QFormLayout(out_box)
        self.to_printer = QRadioButton(_("Print on"), out_box)
        self.to_printer.setObjectName("batchToPrinter")
        self.printer = QComboBox(out_box)
        self.printer.setObjectName("batchPrinter")
        names = printing.printer_names()
        self.printer.addItems(names)
        default = str(QPrinterInfo.defaultPrinterName())
        if default in names:
            self.printer.setCurrentIndex(names.index(default))
        out.addRow(self.to_printer, self.printer)
        self.to_folder = QRadioButton(_("Save PDFs in"), out_box)
        self.to_folder.setObjectName("batchToFolder")
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(out_box)
        self.folder.setObjectName("batchFolder")
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        self.folder.setText(documents)
        self.folder.setMinimumWidth(300)
        self.browse = QPushButton(_("Choose…"), out_box)
        self.browse.setObjectName("batchBrowse")
        self.browse.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        out.addRow(self.to_folder, folder_row)
        group = QButtonGroup(self)
        group.addButton(self.to_printer)
        group.addButton(self.to_folder)
        if names:
            self.to_printer.setChecked(True)
        else:
            self.to_folder.setChecked(True)
            for widget in (self.to_printer, self.printer):
                widget.setEnabled(False)
                widget.setToolTip(_("No printer is set up on this computer."))
        self.to_printer.toggled.connect(self._update)
        layout.addWidget(out_box)

        self.error = QLabel(self)
        self.error.setObjectName("batchError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            "color: #8a1c12; background: #fdecea; border: 1px solid #8a1c12; padding: 4px;"
        )
        self.error.hide()
        layout.addWidget(self.error)
        self.report_view = QPlainTextEdit(self)
        self.report_view.setObjectName("batchReport")
        self.report_view.setReadOnly(True)
        self.report_view.setMinimumHeight(220)
        self.report_view.hide()
        layout.addWidget(self.report_view, 1)

        self.buttons = QDialogButtonBox(self)
        self.start_button = QPushButton(_("Start"), self)
        self.start_button.setObjectName("batchStart")
        self.start_button.setDefault(True)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("batchClose")
        self.start_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()
        self.setMinimumWidth(600)

    # ------------------------------------------------------------- choosing

    def _update(self) -> None:
        printing_on = self.to_printer.isChecked()
        self.printer.setEnabled(printing_on)
        self.folder.setEnabled(not printing_on)
        self.browse.setEnabled(not printing_on)
        if not self.case_ids:
            self.start_button.setEnabled(False)
            self.start_button.setToolTip(_("No case was chosen."))

    def _choose_folder(self) -> None:
        chosen = ask_folder(self, self.folder.text())
        if chosen:
            self.folder.setText(chosen)
            self.to_folder.setChecked(True)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def chosen_plan(self) -> BatchPlan | None:
        """What Start will do, checked as far as can be before anything is issued."""
        purpose = self.purpose.currentData()
        language = str(self.language.currentData())
        if self.to_printer.isChecked():
            name = self.printer.currentText()
            try:
                printing.check_printer(name)
            except printing.PrintError as exc:
                self._show_error(str(exc))
                return None
            return BatchPlan(purpose, language, name, None)
        text = self.folder.text().strip()
        if not text:
            self._show_error(_("Choose the folder for the PDFs."))
            return None
        folder = Path(text).expanduser()
        if not folder.is_dir():
            self._show_error(_("There is no folder {folder}.").format(folder=folder))
            return None
        try:  # proves the folder writable before any letter is issued
            handle, scratch = tempfile.mkstemp(prefix=".praverka-", dir=folder)
        except OSError as exc:
            self._show_error(
                _("The folder {folder} cannot be written to ({problem}).").format(
                    folder=folder, problem=exc.strerror or type(exc).__name__
                )
            )
            return None
        os.close(handle)
        Path(scratch).unlink(missing_ok=True)
        return BatchPlan(purpose if purpose else None, language, None, folder)

    # ------------------------------------------------------------- running

    def running(self) -> bool:
        """Letters are being issued, or issued ones still wait for the printer."""
        return (self.task is not None and self.task.is_running()) or self._waiting is not None

    def start(self) -> Task[BatchReport] | None:
        if self.running() or self.report is not None or not self.case_ids:
            return None
        self.error.hide()
        plan = self.chosen_plan()
        if plan is None:
            return None
        key = ensure_unlocked(self, self.ctx, self.holder)
        if key is None:
            return None
        self.plan = plan
        self.printed, self.print_failures = [], []
        slots = threading.Semaphore(PRINT_AHEAD) if plan.printer else None
        self._slots = slots
        ctx, actor, ids, relay = self.ctx, self.actor, list(self.case_ids), self._relay

        def work(control: TaskControl) -> BatchReport:
            return run_batch(ctx, actor, key, ids, plan, control, relay.printable.emit, slots)

        for widget in (self.start_button, self.close_button, self.letter_box, self.out_box):
            widget.setEnabled(False)
        self.task = run_task(
            self,
            work,
            on_done=self._finished,
            on_error=self._failed,
            label=_("Issuing {n} letter(s)…").format(n=len(ids))
            + (
                "\n" + _("Printing on “{printer}”.").format(printer=plan.printer)
                if plan.printer
                else ""
            ),
        )
        return self.task

    @Slot(object)
    def _print_one(self, item: object) -> None:
        """On the GUI thread: paint one logged letter on the printer."""
        if not isinstance(item, Printable) or self.plan is None or self.plan.printer is None:
            return
        try:
            printing.print_to(item.pdf, self.plan.printer, title=item.serial)
        except Exception as exc:  # whatever it was, the report must still come
            error = str(exc) if isinstance(exc, PraverkaError) else type(exc).__name__
            problem = _("the printer refused the job ({problem})").format(problem=error)
            why = spoil(self.ctx, self.actor, item.serial, item.copy_number, problem)
            self.print_failures.append((item.serial, why))
        else:
            self.printed.append((item.serial, self.plan.printer))
        finally:
            if self._slots is not None:
                self._slots.release()
        self._report_when_printed()

    def _finished(self, report: BatchReport) -> None:
        # The letters were queued to this thread before the result, so they are normally
        # printed by now; if a print let the result overtake, the report waits for the rest.
        self._waiting = report
        self._report_when_printed()

    def _report_when_printed(self) -> None:
        report = self._waiting
        if report is None or len(self.printed) + len(self.print_failures) < report.delivered:
            return
        self._waiting = None
        report.output.extend(self.printed)
        report.failed.extend(self.print_failures)
        self._show_report(report)

    def _failed(self, exc: BaseException) -> None:
        report = BatchReport(total=len(self.case_ids))
        report.output.extend(self.printed)
        report.failed.append((_("the batch"), database_error_text(exc)))
        report.failed.extend(self.print_failures)
        self._show_report(report)

    def _show_report(self, report: BatchReport) -> None:
        self.report = report
        assert self.plan is not None
        self.report_view.setPlainText(report.text(self.plan))
        self.report_view.show()
        self.resize(max(self.width(), 640), max(self.height(), 560))
        self.start_button.hide()
        self.close_button.setEnabled(True)
        self.close_button.setFocus()
        self.finished_batch.emit(report)

    def reject(self) -> None:
        if self.running():  # the progress dialog's Cancel stops the batch
            return
        super().reject()
