"""Two desks on one case: the second save is refused, says who and when, and offers a reload."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt

from praverka.app import cases, queries, records
from praverka.ui.case_editor import CaseEditor
from tests.factories import applicant, new_case


def _editor(qtbot, ctx, actor, case_id: int) -> CaseEditor:
    editor = CaseEditor(ctx, actor, case_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_conflicting_save_names_the_other_desk_and_keeps_their_data(
    qtbot, desk_ctx, people, answers
):
    case = new_case(desk_ctx, people.officer)
    editor = _editor(qtbot, desk_ctx, people.officer, case.id)
    editor.form.phone.setText("+380 00 000 00 00")

    # Another desk saves first.
    theirs = dataclasses.replace(applicant(), phone="+48 111 222 333")
    cases.update_applicant(desk_ctx, people.officer2, case.id, case.version, theirs)

    assert not editor.save()
    bar = editor.bar
    assert bar.isVisible() and bar.kind == "conflict"
    assert people.officer2.full_name in bar.text.text()
    assert "UTC" in bar.text.text()  # when
    assert bar.reload_button.isVisible()
    # Nothing of ours was written; the form still holds what was typed.
    stored = queries.open_case(desk_ctx, people.officer, case.id)
    assert stored.applicant.phone == "+48 111 222 333"
    assert stored.updated_by == people.officer2.full_name
    assert editor.form.phone.text() == "+380 00 000 00 00"
    assert editor.is_dirty()

    qtbot.mouseClick(bar.reload_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    assert editor.form.phone.text() == "+48 111 222 333"
    assert not editor.is_dirty()
    # After the reload the desk holds the new version and can save again.
    editor.form.email.setText("ales@example.org")
    assert editor.save()
    assert queries.open_case(desk_ctx, people.officer, case.id).applicant.email == (
        "ales@example.org"
    )


def test_a_tab_action_on_a_stale_case_is_refused_too(qtbot, desk_ctx, people, answers):
    case = new_case(desk_ctx, people.officer)
    editor = _editor(qtbot, desk_ctx, people.officer, case.id)
    records.add_document(
        desk_ctx,
        people.officer2,
        case.id,
        case.version,
        records.DocumentInput("passport", "original", number="MP0000001"),
    )
    checklist = editor.checklist
    checklist.select("interview_held")
    checklist.evidence.setText("held on Monday")
    checklist.tick_button.click()
    assert editor.bar.kind == "conflict"
    assert people.officer2.full_name in editor.bar.text.text()
    items = {i.code: i for i in queries.open_case(desk_ctx, people.officer, case.id).checklist}
    assert not items["interview_held"].met
    editor.reload()
    assert editor.documents.table.rowCount() == 1
    checklist.select("interview_held")
    checklist.evidence.setText("held on Monday")
    checklist.tick_button.click()
    assert editor.bar.kind == ""
    items = {i.code: i for i in queries.open_case(desk_ctx, people.officer, case.id).checklist}
    assert items["interview_held"].met and items["interview_held"].evidence == "held on Monday"


def test_unsaved_tab_input_counts_as_unsaved(qtbot, desk_ctx, people, answers):
    case = new_case(desk_ctx, people.officer)
    editor = _editor(qtbot, desk_ctx, people.officer, case.id)
    editor.references.name.setText("Ihar Bahdanovich")
    assert editor.is_dirty() and editor.save_action.isEnabled()
    answers.unsaved = answers.unsaved.DISCARD
    assert editor.close()
    assert queries.open_case(desk_ctx, people.officer, case.id).references == ()
    assert any(q.startswith("unsaved") for q in answers.asked)
