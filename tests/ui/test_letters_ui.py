"""Letters through the windows: issue, hand out the original and copies, correct, revoke, batch."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from praverka.app import letters, queries, settings, signing
from praverka.app.context import AppContext
from praverka.app.security import keys
from praverka.app.security.revocation_list import read_revocation_list
from praverka.ui import letter_actions, letter_viewer, reauth, signing_unlock
from praverka.ui.batch_letters import BatchLettersDialog
from praverka.ui.case_editor import CaseEditor
from praverka.ui.issue_letter import IssueLetterDialog
from praverka.ui.signing_unlock import SigningKeyHolder
from tests import cups
from tests.conftest import PASSWORD
from tests.factories import approved_case, new_case

PASSPHRASE = "desk-signing-passphrase"


@pytest.fixture
def org(desk_ctx: AppContext, people) -> AppContext:
    """A database with a signing key and the settings a letter needs."""
    signing.create_signing_key(desk_ctx, people.admin, PASSPHRASE)
    settings.update_settings(
        desk_ctx,
        people.admin,
        {
            "name": "Crisis Centre",
            "address": "Kyiv, Volodymyrska 1",
            "place": "Kyiv",
            "serial_prefix": "KYV",
            "head_name": "Natallia Head",
        },
    )
    return desk_ctx


class Passphrases:
    """The person at the desk typing passphrases; records what each question said."""

    def __init__(self, *typed: str | None) -> None:
        self.typed = list(typed)
        self.problems: list[str] = []

    def __call__(self, _parent: object, key_id: str, problem: str) -> str | None:
        self.problems.append(problem)
        return self.typed.pop(0) if self.typed else None


@pytest.fixture
def passphrases(monkeypatch: pytest.MonkeyPatch) -> Passphrases:
    given = Passphrases(PASSPHRASE)
    monkeypatch.setattr(signing_unlock, "ask_passphrase", given)
    return given


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _cell(table, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return str(item.text())


def _click(qtbot, button) -> None:
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _editor(qtbot, ctx, actor, case_id, holder=None) -> CaseEditor:
    editor = CaseEditor(ctx, actor, case_id, signing_holder=holder or SigningKeyHolder())
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _close_dialogs(*widgets) -> None:
    for widget in widgets:
        if widget is not None:
            widget.close()
    QApplication.processEvents()


def test_issue_through_the_dialog_then_the_original_and_a_logged_copy(
    qtbot, org, people, answers, passphrases, monkeypatch, tmp_path
):
    case = approved_case(org, people.officer, people.supervisor)
    holder = SigningKeyHolder()
    editor = _editor(qtbot, org, people.officer, case.id, holder)
    tab = editor.letters
    assert tab.objectName() == "lettersTab"
    assert editor.tabs.indexOf(tab) >= 0
    assert tab.table.rowCount() == 0
    assert tab.issue_button.isEnabled(), tab.issue_button.toolTip()
    assert not tab.open_button.isEnabled() and "Select a letter" in tab.open_button.toolTip()

    # A wrong passphrase is said plainly and asked again.
    passphrases.typed = ["not the passphrase", PASSPHRASE]
    tab.issue_button.click()
    dialog = tab.issue_dialog
    assert isinstance(dialog, IssueLetterDialog) and dialog.objectName() == "issueLetterDialog"
    assert [dialog.purpose.itemData(i) for i in range(dialog.purpose.count())] == ["bank_account"]
    assert [dialog.language.itemData(i) for i in range(dialog.language.count())] == [
        "uk",
        "be",
        "en",
        "uk+en",
    ]
    assert dialog.previews == 1 and dialog.document.pageCount() >= 1
    assert not dialog.warning.isVisible()  # the settings are complete
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.language.setCurrentIndex(dialog.language.findData("be"))
    assert dialog.previews == 1  # debounced: one draft for both changes, a moment later
    qtbot.waitUntil(lambda: dialog.previews == 2, timeout=3_000)
    assert "Belarusian" in dialog.preview_state.text()

    original = tmp_path / "original.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: original)
    _click(qtbot, dialog.issue_button)
    assert passphrases.problems == ["", "The signing passphrase is wrong. Try again."]
    assert holder.is_unlocked()
    issued = dialog.letter
    assert issued is not None, dialog.error.text()
    assert issued.language == "be"
    assert issued.serial == f"KYV-{org.now().year}-000001"

    # The case is attested, the header and the tab say so, and the letter is open.
    assert queries.case_detail(org, case.id).summary.status == "attested"
    assert editor.detail.summary.status == "attested"
    assert "Attested" in editor.header.text()
    assert tab.table.rowCount() == 1
    assert _cell(tab.table, 0, 0) == issued.serial
    assert _cell(tab.table, 0, 5) == "Valid"
    viewer = tab.viewer
    assert viewer is not None and viewer.isVisible()
    assert "Original" in viewer.copy_label.text()
    # The only purpose has its letter: Issue is off and says what to do instead.
    assert not tab.issue_button.isEnabled() and "Correct" in tab.issue_button.toolTip()

    # The original, saved; then a reprint needs a reason and is marked Copy 1.
    assert viewer.save_letter() == original
    text = _text(original)
    assert issued.serial in text and "Copy" not in text
    assert answers.asked == []
    assert _cell(tab.table, 0, 6) == "1"
    copy = tmp_path / "copy.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: copy)
    answers.text = "The bank kept the original"
    assert viewer.save_letter() == copy
    assert any("copy 1" in question for question in answers.asked)
    assert "Copy 1" in _text(copy)
    assert _cell(tab.table, 0, 6) == "2"
    copies = letters.letter_copies(org, issued.serial)
    assert [(c.number, c.output, c.reason) for c in copies] == [
        (0, "save", ""),
        (1, "save", "The bank kept the original"),
    ]
    assert copies[1].destination == str(copy)

    # A reprint without a reason is refused, and nothing is written.
    answers.text = ""
    refused = tmp_path / "refused.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: refused)
    assert viewer.save_letter() is None
    assert "needs a reason" in viewer.bar.text.text() and not refused.exists()
    assert len(letters.letter_copies(org, issued.serial)) == 2

    # Closing and opening again (double-click) shows the same letter; no new passphrase.
    viewer.accept()
    qtbot.waitUntil(lambda: tab.viewer is None, timeout=2_000)
    tab.table.cellDoubleClicked.emit(0, 0)
    assert tab.viewer is not None and "Copy 2" in tab.viewer.copy_label.text()
    _close_dialogs(tab.viewer)
    assert passphrases.problems == ["", "The signing passphrase is wrong. Try again."]


def test_a_cancelled_passphrase_issues_nothing(qtbot, org, people, answers, passphrases):
    case = approved_case(org, people.officer, people.supervisor)
    editor = _editor(qtbot, org, people.officer, case.id)
    dialog = editor.letters.issue()
    assert dialog is not None
    passphrases.typed = [None]
    assert dialog.issue() is None
    assert dialog.isVisible() and dialog.letter is None
    assert letters.list_letters(org) == []
    assert queries.case_detail(org, case.id).summary.status == "approved"
    _close_dialogs(dialog)


def test_without_a_signing_key_the_officer_is_told_and_nothing_is_issued(
    qtbot, desk_ctx, people, answers, passphrases
):
    case = approved_case(desk_ctx, people.officer, people.supervisor)
    editor = _editor(qtbot, desk_ctx, people.officer, case.id)
    dialog = editor.letters.issue()
    assert dialog is not None
    # Nothing in the settings yet: the warning names what the letter will lack.
    assert dialog.warning.isVisibleTo(dialog)
    assert "place of issue" in dialog.warning.text()
    assert dialog.issue() is None
    assert passphrases.problems == []  # nothing to unlock, so nothing asked
    assert any("no signing key" in error for error in answers.errors)
    assert letters.list_letters(desk_ctx) == []
    _close_dialogs(dialog)


def test_issue_is_off_with_the_reason_on_a_draft_case(qtbot, org, people, answers):
    case = new_case(org, people.officer)
    editor = _editor(qtbot, org, people.officer, case.id)
    tab = editor.letters
    assert not tab.issue_button.isEnabled()
    assert "approved" in tab.issue_button.toolTip() and "draft" in tab.issue_button.toolTip()
    assert tab.issue() is None
    assert "approves" in tab.summary.text()
    admin_view = _editor(qtbot, org, people.admin, case.id)
    assert "Only officers and supervisors" in admin_view.letters.issue_button.toolTip()


def test_correction_replaces_the_letter_with_a_reason(
    qtbot, org, people, answers, passphrases, monkeypatch, tmp_path
):
    case = approved_case(org, people.officer, people.supervisor)
    key = signing.unlock_signing_key(org, PASSPHRASE)
    old = letters.issue_letter(org, people.officer, case.id, "bank_account", "en", key)
    editor = _editor(qtbot, org, people.officer, case.id)
    tab = editor.letters
    assert tab.select(old.serial)
    assert tab.correct_button.isEnabled(), tab.correct_button.toolTip()
    assert not tab.revoke_button.isEnabled()
    assert "Only supervisors" in tab.revoke_button.toolTip()
    dialog = tab.correct_selected()
    assert dialog is not None and dialog.reason is not None
    assert not dialog.purpose.isEnabled() and dialog.chosen_purpose() == "bank_account"
    assert dialog.chosen_language() == "en"
    assert not dialog.issue_button.isEnabled()  # a correction needs its reason first
    dialog.language.setCurrentIndex(dialog.language.findData("uk+en"))
    dialog.reason.setPlainText("The date of birth was wrong")
    _click(qtbot, dialog.issue_button)
    new = dialog.letter
    assert new is not None and new.supersedes == old.serial
    assert tab.table.rowCount() == 2
    rows = {_cell(tab.table, r, 0): r for r in range(2)}
    assert _cell(tab.table, rows[old.serial], 5) == "Replaced"
    assert _cell(tab.table, rows[old.serial], 7) == f"replaced by {new.serial}"
    assert f"replaces {old.serial}" in _cell(tab.table, rows[new.serial], 7)
    assert tab.viewer is not None  # the new letter opened for its original
    _close_dialogs(tab.viewer)
    # The replaced letter cannot be corrected again, nor handed out.
    assert tab.select(old.serial)
    assert not tab.correct_button.isEnabled() and "replaced" in tab.correct_button.toolTip()
    viewer = tab.open_selected()
    assert viewer is not None and new.serial in viewer.bar.text.text()
    target = tmp_path / "old.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: target)
    assert viewer.save_letter() is None
    assert f"replaced by {new.serial}" in viewer.bar.text.text() and not target.exists()
    _close_dialogs(viewer)


def test_a_supervisor_revokes_with_a_reason_and_no_copy_leaves_after(
    qtbot, org, people, answers, monkeypatch, tmp_path
):
    case = approved_case(org, people.officer, people.supervisor)
    key = signing.unlock_signing_key(org, PASSPHRASE)
    issued = letters.issue_letter(org, people.officer, case.id, "bank_account", "en", key)
    editor = _editor(qtbot, org, people.supervisor2, case.id)
    tab = editor.letters
    assert tab.select(issued.serial)
    assert tab.revoke_button.isEnabled(), tab.revoke_button.toolTip()

    answers.text = None  # the supervisor cancels the question: nothing happens
    assert not tab.revoke_selected()
    assert letters.get_letter(org, issued.serial).status == "valid"
    answers.text = "Fraud"
    answers.confirm = False  # ...or says no at the confirmation
    assert not tab.revoke_selected()
    assert letters.get_letter(org, issued.serial).status == "valid"
    answers.text = "The passport was found to be forged"
    answers.confirm = True
    typed = ["wrong-password", None]  # ...or types a wrong password and gives up
    monkeypatch.setattr(reauth, "ask_password", lambda *_args: typed.pop(0))
    assert not tab.revoke_selected()
    assert letters.get_letter(org, issued.serial).status == "valid" and not typed
    typed.append(PASSWORD)
    # After revoking, the window offers to write the signed list recipients check against.
    revocations = tmp_path / "revoked.cose"
    monkeypatch.setattr(letter_actions, "ask_save_path", lambda *_args: revocations)
    monkeypatch.setattr(signing_unlock, "ask_passphrase", lambda *_args: PASSPHRASE)
    _click(qtbot, tab.revoke_button)
    assert answers.asked[-1].startswith("confirm: Send recipients a new list")
    public_key = keys.load_public_key(signing.export_public_key(org))
    read = read_revocation_list(revocations.read_bytes(), {key.key_id: public_key})
    assert read.serials == frozenset({issued.serial})
    revoked = letters.get_letter(org, issued.serial)
    assert revoked.status == "revoked" and revoked.revoke_reason == answers.text
    assert _cell(tab.table, 0, 5).startswith("Revoked")
    assert "forged" in tab.detail.text() and "Yauhen Lis" in tab.detail.text()
    assert not tab.revoke_button.isEnabled() and "already revoked" in tab.revoke_button.toolTip()

    viewer = tab.open_selected()
    assert viewer is not None and "revoked" in viewer.bar.text.text()
    target = tmp_path / "revoked.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda *_args: target)
    assert viewer.save_letter() is None
    assert "revoked" in viewer.bar.text.text() and not target.exists()
    assert letters.letter_copies(org, issued.serial) == []
    _close_dialogs(viewer)


# ----------------------------------------------------------------- batch


def _batch_cases(ctx, people, count: int) -> list[int]:
    names = ["Алесь", "Янка", "Міхась", "Пятрусь", "Зміцер"]
    return [
        approved_case(ctx, people.officer, people.supervisor, given=names[i]).id
        for i in range(count)
    ]


def _serial_numbers(serials) -> list[int]:
    return sorted(int(s.rsplit("-", 1)[1]) for s in serials)


def test_batch_saves_each_original_and_reports_what_was_skipped(
    qtbot, org, people, answers, passphrases, tmp_path
):
    ids = _batch_cases(org, people, 3)
    draft = new_case(org, people.officer, given="Васіль")
    holder = SigningKeyHolder()
    dialog = BatchLettersDialog(org, people.officer, [*ids, draft.id], holder)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.objectName() == "batchLetters"
    assert "4 case(s) chosen" in dialog.count.text()
    dialog.to_folder.setChecked(True)
    dialog.folder.setText(str(tmp_path / "missing"))
    assert dialog.start() is None and "no folder" in dialog.error.text()
    dialog.folder.setText(str(tmp_path))
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.finished_batch, timeout=30_000) as blocker:
        _click(qtbot, dialog.start_button)
    report = dialog.report
    assert report is not None and blocker.args == [report] and not report.cancelled
    assert len(report.issued) == 3 and len(report.output) == 3
    assert report.skipped == [(draft.number, "it is draft, not approved")]
    assert report.failed == []
    files = sorted(tmp_path.glob("*.pdf"))
    assert len(files) == 3
    serials = [serial for _number, serial in report.issued]
    assert _serial_numbers(serials) == [1, 2, 3]
    assert sorted(f.stem for f in files) == sorted(serials)
    for path in files:
        assert path.stem in _text(path)
        assert "Copy" not in _text(path)
    for case_id in ids:
        assert queries.case_detail(org, case_id).summary.status == "attested"
    shown = dialog.report_view.toPlainText()
    assert "Issued 3 letter(s)." in shown and "Saved 3 PDF(s)" in shown
    assert "Skipped 1." in shown and draft.number in shown
    assert passphrases.problems == [""]  # asked once for the whole batch
    assert all(c.output == "save" for s in serials for c in letters.letter_copies(org, s))

    # Run again over the same cases: each already has its letter, so all are skipped.
    again = BatchLettersDialog(org, people.officer, ids, holder)
    qtbot.addWidget(again)
    again.to_folder.setChecked(True)
    again.folder.setText(str(tmp_path))
    with qtbot.waitSignal(again.finished_batch, timeout=30_000) as blocker:
        again.start()
    assert len(blocker.args[0].skipped) == 3 and blocker.args[0].issued == []
    assert "already has letter" in blocker.args[0].skipped[0][1]
    assert passphrases.problems == [""]  # the sitting's key was kept
    assert len(list(tmp_path.glob("*.pdf"))) == 3


def test_batch_with_one_purpose_skips_cases_not_verified_for_it(
    qtbot, org, people, answers, passphrases, tmp_path
):
    ids = _batch_cases(org, people, 2)
    folder = tmp_path / "letters"
    folder.mkdir()
    dialog = BatchLettersDialog(org, people.officer, ids, SigningKeyHolder())
    qtbot.addWidget(dialog)
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("border_crossing"))
    dialog.to_folder.setChecked(True)
    dialog.folder.setText(str(folder))
    with qtbot.waitSignal(dialog.finished_batch, timeout=30_000) as blocker:
        dialog.start()
    report = blocker.args[0]
    assert report.issued == [] and len(report.skipped) == 2
    assert "not verified for border crossing" in report.skipped[0][1]
    assert letters.list_letters(org) == [] and list(folder.iterdir()) == []


def test_a_cancelled_batch_keeps_what_was_issued(
    qtbot, org, people, answers, passphrases, monkeypatch, tmp_path
):
    ids = _batch_cases(org, people, 3)
    dialog = BatchLettersDialog(org, people.officer, ids, SigningKeyHolder())
    qtbot.addWidget(dialog)
    dialog.to_folder.setChecked(True)
    dialog.folder.setText(str(tmp_path))
    real_output = letters.output_letter

    def output_then_cancel(*args, **kwargs):
        # The person presses Cancel while the first case's copy is being made.
        result = real_output(*args, **kwargs)
        assert dialog.task is not None
        dialog.task.control.cancel()
        return result

    monkeypatch.setattr(letters, "output_letter", output_then_cancel)
    with qtbot.waitSignal(dialog.finished_batch, timeout=30_000) as blocker:
        dialog.start()
    report = blocker.args[0]
    assert report.cancelled and report.reached == 1
    assert len(report.issued) == 1 and len(report.output) == 1
    assert "2 case(s) were not reached" in dialog.report_view.toPlainText()
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    statuses = [queries.case_detail(org, i).summary.status for i in ids]
    assert statuses == ["attested", "approved", "approved"]
    assert [x.serial for x in letters.list_letters(org)] == [report.issued[0][1]]


def test_batch_prints_each_original_on_a_cups_printer(
    qtbot, org, people, answers, passphrases, cups_printer
):
    # cups-pdf names its files after the job title, which is the serial: a prefix of
    # this run's own keeps the files of earlier runs out of the way.
    prefix = "T" + uuid.uuid4().hex[:6].upper()
    settings.update_settings(org, people.admin, {"serial_prefix": prefix})
    ids = _batch_cases(org, people, 2)
    dialog = BatchLettersDialog(org, people.officer, ids, SigningKeyHolder())
    qtbot.addWidget(dialog)
    index = dialog.printer.findText(cups_printer.name)
    assert index >= 0, "the test printer is listed"
    dialog.printer.setCurrentIndex(index)
    assert dialog.to_printer.isChecked()
    made: list[Path] = []
    try:
        with qtbot.waitSignal(dialog.finished_batch, timeout=60_000) as blocker:
            dialog.start()
        report = blocker.args[0]
        assert report.failed == [] and len(report.output) == 2
        serials = [serial for _number, serial in report.issued]
        assert _serial_numbers(serials) == [1, 2]
        assert "Printed 2 on" in dialog.report_view.toPlainText()
        for serial in serials:
            made.append(cups_printer.wait_for_output(serial.lower()))
            copies = letters.letter_copies(org, serial)
            assert [(c.output, c.destination) for c in copies] == [("print", cups_printer.name)]
        for path in made:
            assert path.stat().st_size > 10_000  # a page, not an empty job
    finally:
        for path in made:
            path.unlink(missing_ok=True)


def test_a_batch_to_a_printer_refusing_jobs_issues_nothing(
    qtbot, org, people, answers, passphrases, cups_printer
):
    ids = _batch_cases(org, people, 2)
    with cups.temporary_queue() as queue:
        dialog = BatchLettersDialog(org, people.officer, ids, SigningKeyHolder())
        qtbot.addWidget(dialog)
        dialog.printer.setCurrentIndex(dialog.printer.findText(queue.name))
        assert dialog.printer.currentText() == queue.name
        subprocess.run(["cupsreject", queue.name], check=True)
        assert dialog.start() is None
    assert dialog.error.isVisibleTo(dialog) and "not accepting jobs" in dialog.error.text()
    assert passphrases.problems == []  # refused before the key was even asked for
    assert letters.list_letters(org) == []


def test_the_passphrase_question_hides_what_is_typed_and_shows_the_last_problem(qtbot):
    dialog = signing_unlock.PassphraseDialog(None, "0123456789abcdef", "The passphrase is wrong.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.objectName() == "signingPassphrase"
    assert dialog.edit.echoMode() == dialog.edit.EchoMode.Password
    assert dialog.problem.isVisible() and "wrong" in dialog.problem.text()
    buttons = dialog.findChild(QDialogButtonBox, "passphraseButtons")
    assert buttons is not None
    unlock = buttons.button(buttons.StandardButton.Ok)
    assert not unlock.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.edit, PASSPHRASE)
    assert unlock.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=2_000):
        unlock.click()
    assert dialog.passphrase() == PASSPHRASE
    fresh = signing_unlock.PassphraseDialog(None, "0123456789abcdef")
    qtbot.addWidget(fresh)
    assert not fresh.problem.isVisibleTo(fresh)
