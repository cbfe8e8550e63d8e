"""The review window, the password question before a decision, and the assign dialog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QTableWidget, QTableWidgetItem

from praverka.app import queries, review, workflow
from praverka.app.checklist import state
from praverka.app.context import Actor, AppContext
from praverka.ui import reauth
from praverka.ui.assign import AssignDialog
from praverka.ui.main_window import MainWindow
from praverka.ui.queue_model import CASE_ID_ROLE
from praverka.ui.review import ReviewWindow
from praverka.ui.review_menu import ReviewMenu, install
from tests.conftest import PASSWORD, Clock, People
from tests.factories import new_case, ready_case
from tests.test_review import sql_workload
from tests.ui.conftest import Answers


class Passwords:
    """What the supervisor types when asked for the password, and what they were told."""

    def __init__(self) -> None:
        self.typed: list[str | None] = []
        self.problems: list[str] = []
        self.whats: list[str] = []

    def __call__(self, _parent: object, _actor: Actor, what: str, problem: str) -> str | None:
        self.whats.append(what)
        self.problems.append(problem)
        return self.typed.pop(0) if self.typed else None


@pytest.fixture
def passwords(monkeypatch: pytest.MonkeyPatch) -> Iterator[Passwords]:
    given = Passwords()
    monkeypatch.setattr(reauth, "ask_password", given)
    yield given


def _submitted(ctx: AppContext, preparer: Actor) -> int:
    case = ready_case(ctx, preparer)
    workflow.transition(ctx, preparer, case.id, case.version, "submit")
    return case.id


def _window(qtbot, ctx: AppContext, actor: Actor, case_id: int) -> ReviewWindow:
    window = ReviewWindow(ctx, actor, case_id)
    qtbot.addWidget(window)
    window.show()
    return window


def _click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def _status(ctx: AppContext, case_id: int) -> str:
    return queries.case_detail(ctx, case_id).summary.status


def test_the_window_shows_the_case_read_only(qtbot, desk_ctx, people: People) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)
    assert window.objectName() == "reviewWindow"
    detail = queries.case_detail(desk_ctx, case_id)
    assert detail.summary.number in window.header.text()
    assert "Францкевіч" in window.applicant.text()
    assert window.documents.rowCount() == 1
    assert window.references.rowCount() == 2
    assert window.checklist.rowCount() == len(detail.checklist)
    # The window shows the case as it was when opened, before its own opening was recorded.
    assert window.timeline.topLevelItemCount() == len(detail.timeline) - 1 > 0
    assert set(window.decision_buttons) == {"approve", "return", "reject"}
    assert all(b.isEnabled() for b in window.decision_buttons.values())
    assert not window.four_eyes_note.isVisible()
    # Nothing on the case side can be edited.
    assert window.findChildren(QLineEdit) == []


def test_approve_asks_the_password_and_a_wrong_one_changes_nothing(
    qtbot, desk_ctx, people: People, passwords: Passwords, answers: Answers
) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)
    version = window.version

    passwords.typed = ["wrong-password", None]  # wrong, then gives up
    _click(qtbot, window.decision_buttons["approve"])
    assert passwords.problems[0] == ""
    assert "wrong" in passwords.problems[1].lower()
    assert "approving" in passwords.whats[0]
    assert _status(desk_ctx, case_id) == "in_review"
    assert queries.case_detail(desk_ctx, case_id).summary.version == version

    passwords.typed = ["wrong-password", PASSWORD]
    _click(qtbot, window.decision_buttons["approve"])
    assert _status(desk_ctx, case_id) == "approved"
    assert window.detail.summary.status == "approved"
    assert not any(b.isEnabled() for b in window.decision_buttons.values())


def test_lockout_is_said_and_stops_asking(
    qtbot, desk_ctx, people: People, passwords: Passwords, answers: Answers
) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)
    passwords.typed = ["wrong"] * 10
    _click(qtbot, window.decision_buttons["approve"])
    assert len(passwords.whats) == 5  # the fifth wrong one locks the account
    assert answers.errors and "locked" in answers.errors[-1]
    assert _status(desk_ctx, case_id) == "in_review"


def test_return_needs_a_comment_that_reaches_the_officer(
    qtbot, desk_ctx, people: People, passwords: Passwords, answers: Answers
) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)

    answers.text = ""
    _click(qtbot, window.decision_buttons["return"])
    assert window.bar.kind == "error" and "comment" in window.bar.text.text()
    assert _status(desk_ctx, case_id) == "in_review"

    answers.text = "The second reference did not answer; call again."
    _click(qtbot, window.decision_buttons["return"])
    assert passwords.whats == []  # a return goes back to the officer: no password
    assert _status(desk_ctx, case_id) == "draft"
    returned = review.returned_to(desk_ctx, people.officer)
    assert [r.comment for r in returned] == ["The second reference did not answer; call again."]
    assert returned[0].by == people.supervisor.full_name


def test_reject_needs_a_reason_and_the_password(
    qtbot, desk_ctx, people: People, passwords: Passwords, answers: Answers
) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)

    answers.text = "  "
    _click(qtbot, window.decision_buttons["reject"])
    assert "reason" in window.bar.text.text()
    assert passwords.whats == []  # no reason, no password asked
    assert _status(desk_ctx, case_id) == "in_review"

    answers.text = "The passport is forged."
    passwords.typed = [PASSWORD]
    _click(qtbot, window.decision_buttons["reject"])
    assert "rejecting" in passwords.whats[0]
    assert _status(desk_ctx, case_id) == "rejected"


def test_waive_the_selected_item_with_a_reason_and_the_password(
    qtbot, desk_ctx, people: People, passwords: Passwords, answers: Answers
) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)
    window.select_item("photo_matches")
    answers.text = "The photo is ten years old; identity is established otherwise."
    passwords.typed = [None]  # cancelled at the password
    _click(qtbot, window.waive_button)
    item = {i.code: i for i in queries.case_detail(desk_ctx, case_id).checklist}["photo_matches"]
    assert not item.waived

    passwords.typed = [PASSWORD]
    _click(qtbot, window.waive_button)
    item = {i.code: i for i in queries.case_detail(desk_ctx, case_id).checklist}["photo_matches"]
    assert item.waived and item.waive_reason.startswith("The photo is ten years old")
    row = window.checklist.currentRow()
    assert window.detail.checklist[row].code == "photo_matches"
    assert _cell(window.checklist, row, 1).text() == "Waived"
    assert not window.waive_button.isEnabled()  # already waived


def test_the_preparer_has_no_decision_buttons_and_the_service_refuses(
    qtbot, desk_ctx, people: People
) -> None:
    case_id = _submitted(desk_ctx, people.supervisor)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)
    assert window.decision_buttons == {}
    for name in ("approveButton", "returnButton", "rejectButton"):
        assert window.findChild(QPushButton, name) is None
    assert window.four_eyes_note.isVisible()
    version = queries.case_detail(desk_ctx, case_id).summary.version
    with pytest.raises(Exception, match="four eyes"):
        workflow.transition(desk_ctx, people.supervisor, case_id, version, "approve")
    assert _status(desk_ctx, case_id) == "in_review"
    # Another supervisor sees them.
    other = _window(qtbot, desk_ctx, people.supervisor2, case_id)
    assert set(other.decision_buttons) == {"approve", "return", "reject"}


def test_a_change_at_another_desk_is_a_conflict_with_reload(
    qtbot, desk_ctx, people: People, passwords: Passwords, answers: Answers
) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor, case_id)
    version = queries.case_detail(desk_ctx, case_id).summary.version
    state.waive(desk_ctx, people.supervisor2, case_id, version, "consent_recorded", "On file.")

    passwords.typed = [PASSWORD]
    _click(qtbot, window.decision_buttons["approve"])
    assert window.bar.kind == "conflict"
    assert people.supervisor2.full_name in window.bar.text.text()
    assert window.bar.reload_button.isVisible()
    assert _status(desk_ctx, case_id) == "in_review"

    _click(qtbot, window.bar.reload_button)
    assert window.bar.kind == ""
    assert window.version == queries.case_detail(desk_ctx, case_id).summary.version
    passwords.typed = [PASSWORD]
    _click(qtbot, window.decision_buttons["approve"])
    assert _status(desk_ctx, case_id) == "approved"


def test_the_password_dialog_hides_what_is_typed(qtbot, desk_ctx, people: People) -> None:
    dialog = reauth.ReauthDialog(None, people.supervisor, "approving", "Wrong. Try again.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.objectName() == "reauth"
    assert dialog.edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.problem.isVisible() and "Wrong" in dialog.problem.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.edit, PASSWORD)
    assert dialog.ok_button.isEnabled()
    assert dialog.password() == PASSWORD


def test_assign_many_with_each_officers_workload(qtbot, desk_ctx, people: People) -> None:
    ids = [new_case(desk_ctx, people.officer, surname=s).id for s in ("Быкаў", "Танк")]
    _submitted(desk_ctx, people.officer)
    dialog = AssignDialog(desk_ctx, people.supervisor, ids)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = {
        _cell(dialog.table, r, 0).data(Qt.ItemDataRole.UserRole): (
            int(_cell(dialog.table, r, 1).text()),
            int(_cell(dialog.table, r, 2).text()),
        )
        for r in range(dialog.table.rowCount())
    }
    assert shown == sql_workload(desk_ctx) == {"officer": (3, 1), "officer2": (0, 0)}
    assert not dialog.assign_button.isEnabled()

    dialog.choose("officer2")
    with qtbot.waitSignal(dialog.assigned) as signal:
        _click(qtbot, dialog.assign_button)
    assert sorted(signal.args[0]) == sorted(ids)
    assert "Assigned 2" in dialog.result_label.text()
    after = {
        _cell(dialog.table, r, 0).data(Qt.ItemDataRole.UserRole): int(
            _cell(dialog.table, r, 1).text()
        )
        for r in range(dialog.table.rowCount())
    }
    assert after == {"officer": 1, "officer2": 2}
    for case_id in ids:
        summary = queries.case_detail(desk_ctx, case_id).summary
        assert summary.assigned_officer == people.officer2.full_name


def _main(qtbot, ctx: AppContext, actor: Actor) -> tuple[MainWindow, ReviewMenu]:
    window = MainWindow(ctx, actor)
    qtbot.addWidget(window)
    menu = install(window, window.menuBar())
    window.show()
    return window, menu


def _queue_ids(window: MainWindow) -> list[int]:
    model = window.model
    return [model.index(r, 0).data(CASE_ID_ROLE) for r in range(model.rowCount())]


def test_the_review_menu_shows_the_queue_and_opens_review_and_assign(
    qtbot, desk_ctx, people: People, clock: Clock
) -> None:
    first = _submitted(desk_ctx, people.officer)
    clock.advance(days=4)
    new_case(desk_ctx, people.officer, surname="Танк")
    clock.advance(days=1)
    second = _submitted(desk_ctx, people.officer2)
    window, menu = _main(qtbot, desk_ctx, people.supervisor)
    assert menu.queue_action.isVisible() and menu.assign_action.isEnabled()

    menu.queue_action.trigger()
    assert window.filters.statuses() == ["in_review"]
    assert _queue_ids(window) == [first, second]  # oldest first, anyone's

    window.select_case(second)
    opened = menu.review_selected()
    assert isinstance(opened, ReviewWindow) and opened.case_id == second
    qtbot.addWidget(opened)
    assert menu.review_selected() is opened  # brought forward, not opened twice

    dialog = menu.assign_selected()
    assert isinstance(dialog, AssignDialog) and dialog.case_ids == [second]
    qtbot.addWidget(dialog)


def test_an_officer_sees_a_returned_case_on_the_next_refresh(
    qtbot, desk_ctx, people: People, answers: Answers
) -> None:
    case_id = _submitted(desk_ctx, people.officer)
    window, menu = _main(qtbot, desk_ctx, people.officer)
    assert not menu.queue_action.isVisible() and not menu.assign_action.isEnabled()
    assert not menu.returned_label.isVisible()

    version = queries.case_detail(desk_ctx, case_id).summary.version
    workflow.transition(
        desk_ctx, people.supervisor, case_id, version, "return", "Add the birth certificate."
    )
    window.refresh_action.trigger()
    assert menu.returned_label.isVisible()
    assert "1 case returned to you (1 new)" in menu.returned_label.text()
    assert "Add the birth certificate." in menu.returned_label.toolTip()

    dialog = menu.show_returned()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert _cell(dialog.table, 0, 3).text() == "Add the birth certificate."
    dialog.table.selectRow(0)
    _click(qtbot, dialog.open_button)
    assert case_id in window.editors
    qtbot.addWidget(window.editors[case_id])
    assert "(1 new)" not in menu.returned_label.text()
    assert "1 case returned to you" in menu.returned_label.text()


def test_waiving_in_the_case_editor_asks_for_the_password(
    qtbot, desk_ctx, people, answers, passwords
):
    from praverka.app import queries
    from praverka.ui.case_editor import CaseEditor
    from tests.factories import new_case

    case = new_case(desk_ctx, people.officer)
    editor = CaseEditor(desk_ctx, people.supervisor, case.id)
    qtbot.addWidget(editor)
    editor.checklist.select("interview_held")
    answers.text = "Interview by video: the applicant is in hospital"
    passwords.typed = ["wrong-password", None]  # a wrong try, then Cancel
    editor.checklist.waive_selected()
    waived = {i.code for i in queries.case_detail(desk_ctx, case.id).checklist if i.waived}
    assert waived == set() and passwords.problems[1]
    passwords.typed = [PASSWORD]
    editor.checklist.waive_selected()
    waived = {i.code for i in queries.case_detail(desk_ctx, case.id).checklist if i.waived}
    assert waived == {"interview_held"}


def test_dates_of_birth_read_like_every_other_date_in_the_window() -> None:
    from praverka.ui.review import _birth_date

    assert _birth_date("1987-03-14") == "14.03.1987"
    assert _birth_date("1987-03") == "03.1987"
    assert _birth_date("1987") == "1987"
    assert _birth_date("") == "unknown"
