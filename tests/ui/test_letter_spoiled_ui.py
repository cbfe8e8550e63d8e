"""Copies that fail after they were logged are marked spoiled; an expired letter is renewed.

The failures are real: a CUPS queue that stops taking jobs between the moment the copy is
logged and the moment it is printed, and a file that cannot be written because a folder
stands where it should go.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from praverka.app import letters, settings, signing
from praverka.app.context import AppContext
from praverka.ui import letter_viewer, printing, signing_unlock
from praverka.ui.batch_letters import BatchLettersDialog
from praverka.ui.case_editor import CaseEditor
from praverka.ui.signing_unlock import SigningKeyHolder
from tests import cups
from tests.conftest import Clock
from tests.factories import approved_case
from tests.ui.test_printing import letter_pdf

PASSPHRASE = "spoiled-copies-passphrase"


@pytest.fixture
def org(desk_ctx: AppContext, people, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    """A database with a signing key, its settings, and the passphrase typed when asked."""
    signing.create_signing_key(desk_ctx, people.admin, PASSPHRASE)
    settings.update_settings(
        desk_ctx,
        people.admin,
        {"name": "Crisis Centre", "place": "Kyiv", "serial_prefix": "KYV", "head_name": "N"},
    )
    monkeypatch.setattr(signing_unlock, "ask_passphrase", lambda *_args: PASSPHRASE)
    return desk_ctx


def _editor(qtbot, ctx, actor, case_id) -> CaseEditor:
    editor = CaseEditor(ctx, actor, case_id, signing_holder=SigningKeyHolder())
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _issue(ctx: AppContext, people, **kwargs: object) -> tuple[int, str]:
    case = approved_case(ctx, people.officer, people.supervisor, **kwargs)
    key = signing.unlock_signing_key(ctx, PASSPHRASE)
    return case.id, letters.issue_letter(
        ctx, people.officer, case.id, "bank_account", "en", key
    ).serial


def _cell(tab, row: int, column: int) -> str:
    item = tab.table.item(row, column)
    assert item is not None
    return str(item.text())


def _then_after_logging(monkeypatch: pytest.MonkeyPatch, action) -> None:
    """Run `action(destination)` once a copy is logged, before its PDF is handed out."""
    real = letters.output_letter

    def output(*args, **kwargs):
        result = real(*args, **kwargs)
        action(kwargs.get("destination", ""))
        return result

    monkeypatch.setattr(letters, "output_letter", output)


def _reject(queue: str) -> None:
    subprocess.run(["cupsreject", queue], check=True)


def test_a_queue_that_stops_after_it_was_chosen_fails_the_job(qapp, cups_printer):
    # Between choosing the printer and painting, a letter's copy is logged; a queue that
    # stopped meanwhile must fail the job (so the copy is marked spoiled), not swallow it.
    with cups.temporary_queue() as queue:
        printer = printing.new_printer(queue.name)
        subprocess.run(["cupsreject", queue.name], check=True)
        with pytest.raises(printing.PrinterUnavailable, match="not accepting jobs"):
            printing.print_pdf(letter_pdf(1), printer, title="chosen-then-stopped")
        jobs = subprocess.run(["lpstat", "-o", queue.name], capture_output=True, text=True)
        assert jobs.stdout.strip() == ""


def test_a_printer_that_stops_after_the_copy_was_logged_leaves_a_spoiled_original(
    qtbot, org, people, answers, cups_printer, monkeypatch, tmp_path
):
    _case_id, serial = _issue(org, people)
    editor = _editor(qtbot, org, people.officer, _case_id)
    tab = editor.letters
    viewer = tab.open_letter(serial)
    assert viewer is not None
    with cups.temporary_queue() as queue:
        monkeypatch.setattr(
            printing, "ask_printer", lambda *_args, **_kw: printing.new_printer(queue.name)
        )
        _then_after_logging(monkeypatch, lambda _where: _reject(queue.name))
        assert viewer.print_letter() is None
        jobs = subprocess.run(["lpstat", "-o", queue.name], capture_output=True, text=True)
    assert jobs.stdout.strip() == ""  # nothing was handed to the queue

    said = viewer.bar.text.text()
    assert viewer.bar.kind == "error"
    assert said.startswith(f"The printer refused the job: The printer “{queue.name}” is not")
    assert said.endswith("The copy was logged as spoiled; printing again makes the original again.")
    copies = letters.letter_copies(org, serial)
    assert [(c.number, c.output, c.destination, c.spoiled) for c in copies] == [
        (0, "print", queue.name, True)
    ]
    assert "not accepting jobs" in copies[0].spoiled_reason
    assert "Original" in viewer.copy_label.text()
    assert _cell(tab, 0, 6) == "0"  # nothing left the office
    assert "spoiled: The printer" in tab.copies.text() and tab.copies.isVisibleTo(tab)
    assert "1 more copy(ies) were spoiled" in tab.detail.text()

    # The retry is the original again: no reason asked, no "Copy 1" on it.
    monkeypatch.undo()
    target = tmp_path / "original.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: target)
    assert viewer.save_letter() == target
    assert answers.asked == []
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert serial in text and "Copy" not in text
    assert [(c.number, c.spoiled) for c in letters.letter_copies(org, serial)] == [
        (0, True),
        (0, False),
    ]
    assert _cell(tab, 0, 6) == "1"
    viewer.close()
    QApplication.processEvents()


def test_a_file_that_cannot_be_written_leaves_a_spoiled_copy_n(
    qtbot, org, people, answers, monkeypatch, tmp_path
):
    case_id, serial = _issue(org, people)
    letters.output_letter(org, people.officer, serial, "print", destination="Office")
    editor = _editor(qtbot, org, people.officer2, case_id)
    viewer = editor.letters.open_letter(serial)
    assert viewer is not None and "Copy 1" in viewer.copy_label.text()
    occupied = tmp_path / "copy.pdf"
    occupied.mkdir()  # a folder where the file should go: the final rename fails
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: occupied)
    answers.text = "The bank kept the original"
    assert viewer.save_letter() is None
    said = viewer.bar.text.text()
    assert said == (
        f"{occupied} could not be written: Is a directory. The copy was logged as spoiled; "
        "saving again makes Copy 1 again."
    )
    copies = letters.letter_copies(org, serial)
    assert [(c.number, c.by, c.spoiled) for c in copies] == [
        (0, "Ales Kavalenka", False),
        (1, "Hanna Shved", True),
    ]
    assert "Copy 1" in viewer.copy_label.text()
    assert "Copy 1: saved" in editor.letters.copies.text()
    assert "spoiled: " + str(occupied) in editor.letters.copies.text()
    viewer.close()
    QApplication.processEvents()


# ----------------------------------------------------------------- batch


def test_batch_letters_that_fail_to_print_are_spoiled_and_reported(
    qtbot, org, people, answers, cups_printer
):
    ids = [approved_case(org, people.officer, people.supervisor, given=n).id for n in "АБ"]
    with cups.temporary_queue() as queue:
        dialog = BatchLettersDialog(org, people.officer, ids, SigningKeyHolder())
        qtbot.addWidget(dialog)
        dialog.printer.setCurrentIndex(dialog.printer.findText(queue.name))
        assert dialog.printer.currentText() == queue.name
        real = letters.output_letter

        def output_then_stop(*args, **kwargs):
            result = real(*args, **kwargs)
            _reject(queue.name)  # the printer stops taking jobs once the batch has begun
            return result

        letters_output = pytest.MonkeyPatch()
        letters_output.setattr(letters, "output_letter", output_then_stop)
        try:
            with qtbot.waitSignal(dialog.finished_batch, timeout=60_000) as blocker:
                dialog.start()
        finally:
            letters_output.undo()
    report = blocker.args[0]
    assert len(report.issued) == 2 and report.output == []
    assert len(report.failed) == 2
    for serial, why in report.failed:
        assert "not accepting jobs" in why and "logged as spoiled" in why
        assert "makes the original again" in why
        assert [(c.number, c.spoiled) for c in letters.letter_copies(org, serial)] == [(0, True)]
        assert letters.get_letter(org, serial).copies == 0
    assert "Failed 2." in dialog.report_view.toPlainText()


def test_batch_letters_that_fail_to_save_are_spoiled_and_reported(
    qtbot, org, people, answers, monkeypatch, tmp_path
):
    ids = [approved_case(org, people.officer, people.supervisor, given=n).id for n in "АБ"]
    dialog = BatchLettersDialog(org, people.officer, ids, SigningKeyHolder())
    qtbot.addWidget(dialog)
    dialog.to_folder.setChecked(True)
    dialog.folder.setText(str(tmp_path))
    # The first letter's file name is taken by a folder made meanwhile: its rename fails.
    made: list[Path] = []

    def occupy(where: str) -> None:
        if not made:
            made.append(Path(where))
            Path(where).mkdir()

    _then_after_logging(monkeypatch, occupy)
    with qtbot.waitSignal(dialog.finished_batch, timeout=30_000) as blocker:
        dialog.start()
    report = blocker.args[0]
    assert len(report.issued) == 2 and len(report.output) == 1
    [(serial, why)] = report.failed
    assert f"{made[0]} could not be written (Is a directory)" in why
    assert "logged as spoiled" in why
    assert [(c.number, c.spoiled) for c in letters.letter_copies(org, serial)] == [(0, True)]
    saved = report.output[0][0]
    assert [(c.number, c.spoiled) for c in letters.letter_copies(org, saved)] == [(0, False)]


# ----------------------------------------------------------------- renewal


def test_an_expired_letter_is_renewed_from_the_issue_dialog(
    qtbot, org, people, answers, clock: Clock, monkeypatch, tmp_path
):
    case_id, old = _issue(org, people)
    editor = _editor(qtbot, org, people.officer, case_id)
    tab = editor.letters
    assert not tab.issue_button.isEnabled()  # in force: it blocks a second letter
    editor.close()

    clock.advance(days=181)
    editor = _editor(qtbot, org, people.officer, case_id)
    tab = editor.letters
    assert _cell(tab, 0, 5) == "Expired"
    assert tab.issue_button.isEnabled(), tab.issue_button.toolTip()
    assert "0 in force" in tab.summary.text()
    assert tab.select(old)
    assert not tab.correct_button.isEnabled()
    assert "has expired" in tab.correct_button.toolTip()
    assert "Issue letter" in tab.correct_button.toolTip()

    dialog = tab.issue()
    assert dialog is not None
    assert dialog.chosen_purpose() == "bank_account"
    assert f"renews expired {old}" in dialog.purpose.currentText()
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: tmp_path / "new.pdf")
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    new = dialog.letter
    assert new is not None and new.serial != old and new.supersedes is None
    assert letters.get_letter(org, old).status == "expired"
    assert old not in letters.trust_and_revocations(org)[1]
    assert tab.table.rowCount() == 2
    assert not tab.issue_button.isEnabled() and "Correct" in tab.issue_button.toolTip()
    if tab.viewer is not None:
        tab.viewer.close()
    QApplication.processEvents()
