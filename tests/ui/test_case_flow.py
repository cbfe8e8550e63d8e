"""From a new case to a submitted one, through the dialogs and tabs as an officer uses them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from praverka.app import queries
from praverka.app.context import AppContext
from praverka.ui.case_editor import CaseEditor
from praverka.ui.main_window import MainWindow
from praverka.ui.new_case import NewCaseDialog
from tests.factories import MANUAL_ITEMS, new_case


def _click(qtbot, button) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _new_case_dialog(qtbot, window: MainWindow) -> NewCaseDialog:
    window.new_action.trigger()
    dialog = window.findChild(NewCaseDialog, "newCaseDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _state(ctx: AppContext, actor, case_id: int):
    return queries.open_case(ctx, actor, case_id)


def test_intake_to_submission(qtbot, desk_ctx, people, answers):
    existing = new_case(desk_ctx, people.officer2)  # Францкевіч Алесь, at another desk
    window = MainWindow(desk_ctx, people.officer)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 0

    # --- intake, with the duplicate shown while typing
    dialog = _new_case_dialog(qtbot, window)
    form = dialog.form
    form.rows[0].surname.setText("Францкевіч")
    form.rows[0].given.setText("Алесь")
    form.rows[0].patronymic.setText("Міхайлавіч")
    qtbot.waitUntil(lambda: dialog.duplicates.count() == 1, timeout=3_000)
    assert existing.number in dialog.duplicates.item(0).text()
    form.rows[2].surname.setText("FRANTSKEVICH")
    form.rows[2].given.setText("ALES")
    _click(qtbot, form.add_name_button)
    assert len(form.rows) == 4
    form.rows[3].surname.setText("Frantzkevych")
    form.rows[3].given.setText("Ales")
    form.birth.edit.setText("1987")
    assert form.birth.value() == "1987"
    form.sex.setCurrentIndex(form.sex.findData("M"))
    form.phone.setText("+380501234567")
    form.address.setPlainText("Kyiv, Khreshchatyk 1")
    form.purpose_boxes["bank_account"].setChecked(True)
    form.purpose_boxes["border_crossing"].setChecked(True)
    form.priority.setCurrentIndex(form.priority.findData(2))
    _click(qtbot, dialog.create_button)
    assert dialog.created_case is not None
    case_id = dialog.created_case.id
    assert window.model.rowCount() == 1
    editor = window.editors[case_id]
    assert isinstance(editor, CaseEditor)
    qtbot.addWidget(editor)

    detail = _state(desk_ctx, people.officer, case_id)
    assert detail.summary.status == "draft"
    assert detail.summary.purposes == ("bank_account", "border_crossing")
    assert detail.summary.priority == 2
    assert detail.applicant.birth_date == "1987"
    assert [n.script for n in detail.applicant.names] == ["be", "latin_passport", "other"]
    assert detail.summary.assigned_officer == people.officer.full_name

    # Not ready: Submit is off and says why.
    submit = editor.workflow_actions["submit"]
    assert not submit.isEnabled()
    assert "Not ready for review" in submit.toolTip()

    # --- two documents
    docs = editor.documents
    editor.tabs.setCurrentWidget(docs)
    docs.kind.setCurrentIndex(docs.kind.findData("passport"))
    docs.seen_as.setCurrentIndex(docs.seen_as.findData("lost"))
    docs.number.setText("mp1234567")
    docs.note_edit.setPlainText("Confiscated at the border in 2024")
    assert editor.is_dirty()
    _click(qtbot, docs.save_button)
    assert not editor.is_dirty()
    assert docs.table.rowCount() == 1
    _click(qtbot, docs.new_button)
    docs.kind.setCurrentIndex(docs.kind.findData("birth_certificate"))
    docs.seen_as.setCurrentIndex(docs.seen_as.findData("copy"))
    docs.number.setText("I-BY 123456")
    docs.issued.setText("02.05.1987")
    _click(qtbot, docs.save_button)
    assert docs.table.rowCount() == 2
    # Correct the first one: select it, change, save.
    docs.table.selectRow(0)
    assert docs.number.text() == "MP1234567"
    docs.verification.setCurrentIndex(docs.verification.findData("verified"))
    _click(qtbot, docs.save_button)

    # --- two references, both confirmed (one by a logged call, one by hand)
    refs = editor.references
    editor.tabs.setCurrentWidget(refs)
    for name, relation in (("Ihar Bahdanovich", "neighbour"), ("Sviatlana Kazlova", "employer")):
        refs.name.setText(name)
        refs.relationship.setText(relation)
        refs.contact.setText("+380671112233")
        refs.years.setValue(10)
        _click(qtbot, refs.add_button)
    assert refs.table.rowCount() == 2
    refs.table.selectRow(0)
    refs.outcome.setCurrentIndex(refs.outcome.findData("no_answer"))
    _click(qtbot, refs.log_button)
    refs.outcome.setCurrentIndex(refs.outcome.findData("confirmed"))
    refs.contact_note.setText("Knows him from Hrodna, 10 years")
    _click(qtbot, refs.log_button)
    assert refs.attempts.rowCount() == 2
    refs.table.selectRow(1)
    assert refs.confirm_button.text() == "Mark confirmed"
    _click(qtbot, refs.confirm_button)
    assert "2 of 2" in refs.summary.text()

    # --- the manual checklist items, each with evidence
    checklist = editor.checklist
    editor.tabs.setCurrentWidget(checklist)
    codes = [item.code for item in checklist.items]
    reference_row = codes.index("references_confirmed")
    checklist.table.selectRow(reference_row)
    assert not checklist.tick_button.isEnabled()  # evaluated from data, not ticked
    for code in MANUAL_ITEMS:
        checklist.select(code)
        selected = checklist.selected()
        assert selected is not None and selected.code == code
        _click(qtbot, checklist.tick_button)  # no evidence yet: refused
        assert editor.bar.isVisible() and "evidence" in editor.bar.text.text()
        checklist.evidence.setText(f"seen in person ({code})")
        _click(qtbot, checklist.tick_button)
    assert "Ready to submit" in checklist.summary.text()

    # --- submit
    assert submit.isEnabled(), submit.toolTip()
    submit.trigger()
    detail = _state(desk_ctx, people.officer, case_id)
    assert detail.summary.status == "in_review"
    assert len(detail.documents) == 2
    assert {d.number for d in detail.documents} == {"MP1234567", "I-BY 123456"}
    assert next(d for d in detail.documents if d.kind == "passport").verification == "verified"
    assert [r.confirmed for r in detail.references] == [True, True]
    assert all(item.done for item in detail.checklist)
    assert editor.detail.summary.status == "in_review"
    assert not editor.save_action.isEnabled()
    assert not editor.documents.new_button.isEnabled()
    assert "in review" in editor.documents.new_button.toolTip()
    assert not editor.workflow_actions["submit"].isEnabled()
    tree = editor.timeline.tree
    newest = [item.text(1) for i in range(3) if (item := tree.topLevelItem(i)) is not None]
    assert "Status" in newest  # the submission is among the newest entries
    row = window.model.row_of(case_id)
    assert row is not None
    summary = window.model.summary(row)
    assert summary is not None and summary.status == "in_review"


def test_hold_and_withdraw_ask_why_and_a_cancel_changes_nothing(qtbot, desk_ctx, people, answers):
    case = new_case(desk_ctx, people.officer)
    editor = CaseEditor(desk_ctx, people.officer, case.id)
    qtbot.addWidget(editor)
    answers.text = None  # the person cancels the question
    editor.workflow_actions["hold"].trigger()
    assert _state(desk_ctx, people.officer, case.id).summary.status == "draft"
    answers.text = "Waiting for the employer's letter"
    editor.workflow_actions["hold"].trigger()
    assert _state(desk_ctx, people.officer, case.id).summary.status == "on_hold"
    resume = editor.workflow_actions["resume"]
    assert resume.isVisible() and resume.isEnabled()
    assert not editor.workflow_actions["withdraw"].isEnabled()
    assert "on_hold" in editor.workflow_actions["withdraw"].toolTip()
    resume.trigger()
    editor.workflow_actions["withdraw"].trigger()
    detail = _state(desk_ctx, people.officer, case.id)
    assert detail.summary.status == "withdrawn"
    assert any("Waiting for the employer's letter" in e.text for e in detail.timeline)


def test_applicant_edits_are_saved_with_ctrl_s_and_closing_asks(qtbot, desk_ctx, people, answers):
    case = new_case(desk_ctx, people.officer)
    editor = CaseEditor(desk_ctx, people.officer, case.id)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.save_action.isEnabled()
    editor.form.phone.setText("+48 600 100 200")
    assert editor.is_dirty() and editor.windowTitle().startswith("*")
    assert editor.save_action.isEnabled()
    assert not editor.workflow_actions["hold"].isEnabled()
    assert "Save" in editor.workflow_actions["hold"].toolTip()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2_000)
    qtbot.keyClick(editor.form.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.is_dirty()
    assert _state(desk_ctx, people.officer, case.id).applicant.phone == "+48 600 100 200"

    editor.form.email.setText("ales@example.org")
    answers.unsaved = answers.unsaved.CANCEL
    assert not editor.close()
    assert editor.isVisible()
    answers.unsaved = answers.unsaved.SAVE
    assert editor.close()
    assert _state(desk_ctx, people.officer, case.id).applicant.email == "ales@example.org"
    QApplication.processEvents()


def test_a_bad_date_of_birth_is_refused_before_saving(qtbot, desk_ctx, people, answers):
    window = MainWindow(desk_ctx, people.officer)
    qtbot.addWidget(window)
    dialog = _new_case_dialog(qtbot, window)
    dialog.form.rows[0].surname.setText("Жук")
    dialog.form.rows[0].given.setText("Вольга")
    dialog.form.purpose_boxes["other"].setChecked(True)
    dialog.form.birth.edit.setText("31.02.1990")
    assert "not a date" in dialog.form.birth.hint.text()
    _click(qtbot, dialog.create_button)
    assert dialog.created_case is None and dialog.error.isVisible()
    assert "Date of birth" in dialog.error.text()
    dialog.form.birth.edit.setText("02.1990")
    dialog.form.purpose_boxes["other"].setChecked(False)
    _click(qtbot, dialog.create_button)
    assert "purpose" in dialog.error.text()
    dialog.form.purpose_boxes["other"].setChecked(True)
    _click(qtbot, dialog.create_button)
    assert dialog.created_case is not None
    detail = _state(desk_ctx, people.officer, dialog.created_case.id)
    assert detail.applicant.birth_date == "1990-02"
    window.close_editors()
