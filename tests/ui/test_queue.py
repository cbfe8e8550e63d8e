"""The queue: lazy paging, filters, sorting by any column, and search by any spelling."""

from __future__ import annotations

from PySide6.QtCore import Qt

from praverka.app import cases, demo, records, workflow
from praverka.app.context import AppContext
from praverka.app.views import CaseSummary
from praverka.ui import queue_model
from praverka.ui.main_window import MainWindow
from praverka.ui.queue_model import CASE_ID_ROLE, COLUMNS, QueueModel
from tests.factories import CaseRef, applicant, new_case, ready_case


def _make_cases(ctx: AppContext, people, clock) -> dict[str, int]:
    """Five cases over ten days: four of the officer's, one of officer2's."""
    made: dict[str, CaseRef | cases.CreatedCase] = {}
    made["old"] = new_case(ctx, people.officer)  # Францкевіч, bank account, 10 days old
    clock.advance(days=3)
    made["border"] = cases.create_case(
        ctx,
        people.officer,
        cases.CaseInput(
            applicant("Жук", "Вольга", "Іванаўна"), purposes=["border_crossing"], priority=3
        ),
    )
    clock.advance(days=3)
    made["submitted"] = ready_case(ctx, people.officer, surname="Лукашэвіч", given="Ірына")
    workflow.transition(
        ctx, people.officer, made["submitted"].id, made["submitted"].version, "submit"
    )
    clock.advance(days=2)
    made["theirs"] = new_case(ctx, people.officer2, surname="Швед", given="Ганна")
    clock.advance(days=1)
    made["doc"] = new_case(ctx, people.officer, surname="Каваль", given="Пятро")
    records.add_document(
        ctx,
        people.officer,
        made["doc"].id,
        made["doc"].version,
        records.DocumentInput("passport", "original", number="MP7654321"),
    )
    clock.advance(days=1)
    return {name: case.id for name, case in made.items()}


def _ids(window: MainWindow) -> list[int]:
    model = window.model
    return [model.index(r, 0).data(CASE_ID_ROLE) for r in range(model.rowCount())]


def _summary(window: MainWindow, row: int | None) -> CaseSummary:
    assert row is not None
    summary = window.model.summary(row)
    assert summary is not None
    return summary


def _summary_of(window: MainWindow, case_id: int) -> CaseSummary:
    return _summary(window, window.model.row_of(case_id))


def _window(qtbot, ctx, actor) -> MainWindow:
    window = MainWindow(ctx, actor)
    qtbot.addWidget(window)
    window.show()
    return window


def test_filters_default_to_my_cases_and_narrow_by_status_purpose_age(
    qtbot, desk_ctx, people, clock
):
    made = _make_cases(desk_ctx, people, clock)
    window = _window(qtbot, desk_ctx, people.officer)
    mine = {made[k] for k in ("old", "border", "submitted", "doc")}
    assert set(_ids(window)) == mine
    assert "4 cases shown" in window.count_label.text()
    assert desk_ctx.db.describe() in window.database_label.text()
    assert people.officer.full_name in window.user_label.text()

    window.filters.set_officer(None)
    assert set(_ids(window)) == mine | {made["theirs"]}

    window.filters.status_actions["in_review"].setChecked(True)
    assert _ids(window) == [made["submitted"]]
    assert "In review" in window.filters.status_button.text()
    window.filters.status_actions["draft"].setChecked(True)
    assert len(_ids(window)) == 5
    window.filters.clear_statuses()

    window.filters.purpose.setCurrentIndex(window.filters.purpose.findData("border_crossing"))
    assert _ids(window) == [made["border"]]
    window.filters.purpose.setCurrentIndex(0)

    with qtbot.waitSignal(window.filters.changed, timeout=2_000):
        window.filters.min_age.setValue(5)
    assert set(_ids(window)) == {made["old"], made["border"]}


def test_sorting_by_columns(qtbot, desk_ctx, people, clock):
    made = _make_cases(desk_ctx, people, clock)
    window = _window(qtbot, desk_ctx, people.officer)
    header = window.table.horizontalHeader()
    # Default: age, oldest first.
    assert _ids(window)[0] == made["old"]
    header.setSortIndicator(COLUMNS.index("age"), Qt.SortOrder.AscendingOrder)
    assert _ids(window)[0] == made["doc"]
    header.setSortIndicator(COLUMNS.index("priority"), Qt.SortOrder.DescendingOrder)
    assert _ids(window)[0] == made["border"]
    header.setSortIndicator(COLUMNS.index("number"), Qt.SortOrder.DescendingOrder)
    numbers = [window.model.index(r, 0).data() for r in range(window.model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)
    header.setSortIndicator(COLUMNS.index("status"), Qt.SortOrder.AscendingOrder)
    statuses = [_summary(window, r).status for r in range(window.model.rowCount())]
    assert statuses == sorted(statuses)
    # Every column sorts, if need be by a stand-in key.
    for column in range(len(COLUMNS)):
        header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        assert window.model.rowCount() == 4


def test_search_finds_any_spelling_case_and_document_numbers(qtbot, desk_ctx, people, clock):
    made = _make_cases(desk_ctx, people, clock)
    window = _window(qtbot, desk_ctx, people.officer)
    window.find_action.trigger()
    assert window.focusWidget() is window.search

    def search(text: str) -> list[int]:
        if text.isascii():
            qtbot.keyClicks(window.search, text)  # typed: each key restarts the delay
        else:
            window.search.setText(text)  # QTest types ASCII only
        assert window._search_timer.isActive()
        qtbot.waitUntil(lambda: not window._search_timer.isActive(), timeout=2_000)
        found = _ids(window)
        window.search.clear()
        window.apply_query()
        return found

    assert search("Frants") == [made["old"]]
    assert search("францкевич") == [made["old"]]  # Russian spelling of Францкевіч
    assert search("Zhuk") == [made["border"]]
    assert search("MP765") == [made["doc"]]
    number = _summary_of(window, made["submitted"]).number
    assert search(number) == [made["submitted"]]
    # Search looks beyond the officer filter: officer2's case is found too.
    assert search("Shved") == [made["theirs"]]
    assert search("Nobody-like-this") == []
    assert window.filters.isEnabled()  # the search was cleared


def test_rows_are_read_a_page_at_a_time(qtbot, desk_ctx, monkeypatch):
    demo.populate(desk_ctx, cases=700, seed=7)
    monkeypatch.setattr(queue_model, "MAX_PAGES", 2)
    model = QueueModel(desk_ctx)
    model.set_query(model.case_filter)
    assert model.rowCount() == 700
    assert model.page_loads == 0  # the ids only
    assert model.index(0, 0).data()
    assert model.page_loads == 1
    assert model.index(199, 1).data()
    assert model.page_loads == 1  # same page
    assert model.index(699, 0).data()
    assert model.index(400, 0).data()
    assert model.page_loads == 3
    assert model.index(0, 0).data()  # evicted: read again
    assert model.page_loads == 4
    last = model.summary(699)
    assert last is not None and model.index(699, 0).data() == last.number


def test_enter_and_double_click_open_the_case(qtbot, desk_ctx, people, clock, answers):
    made = _make_cases(desk_ctx, people, clock)
    window = _window(qtbot, desk_ctx, people.officer)
    assert window.select_case(made["border"])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert made["border"] in window.editors
    editor = window.editors[made["border"]]
    qtbot.addWidget(editor)
    assert editor.detail.summary.id == made["border"]
    # Opening again brings the same window forward.
    window.open_case(made["border"])
    assert window.editors[made["border"]] is editor
    window.close_editors()
    assert window.editors == {}
