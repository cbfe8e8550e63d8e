"""The queue: lazy paging, filters, sorting by any column, and search by any spelling."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView
from sqlalchemy.exc import OperationalError

from praverka.app import cases, demo, queries, queue_pages, records, users, workflow
from praverka.app.context import Actor, AppContext
from praverka.app.views import CaseSummary
from praverka.db.collation import sort_key
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


def _loaded(qtbot, model: QueueModel) -> None:
    """Wait for the rest of the ids, read off the GUI thread."""
    assert not model.is_complete
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        pass
    assert model.is_complete


def test_rows_are_read_a_page_at_a_time(qtbot, desk_ctx, monkeypatch):
    demo.populate(desk_ctx, cases=700, seed=7)
    monkeypatch.setattr(queue_model, "MAX_PAGES", 2)
    page, head = queue_model.PAGE_SIZE, queue_model.HEAD_ROWS
    assert head % page == 0 and head < 700 - page
    model = QueueModel(desk_ctx)
    model.set_query(model.case_filter)
    assert model.rowCount() == 700  # counted at once
    assert model.page_loads == 0  # the ids only
    assert model.index(0, 0).data()
    assert model.page_loads == 1
    assert model.index(page - 1, 1).data()
    assert model.page_loads == 1  # same page
    # Past the first pages the rows wait for their ids.
    assert model.index(699, 0).data() is None and model.case_id(699) is None
    _loaded(qtbot, model)
    assert model.page_loads == 1
    assert model.index(699, 0).data()
    assert model.index(head, 0).data()
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


def _demo_actor(ctx: AppContext, username: str) -> Actor:
    account = next(a for a in demo.DEMO_ACCOUNTS if a.username == username)
    return users.authenticate(ctx, account.username, account.password)


def _service_ids(ctx: AppContext, flt: queries.CaseFilter) -> list[int]:
    return queue_pages.fetch_ids(ctx, flt)


def test_a_sort_shows_its_first_rows_at_once_and_the_rest_after(qtbot, desk_ctx):
    demo.populate(desk_ctx, cases=700, seed=7)
    model = QueueModel(desk_ctx)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))
    for column in ("applicant", "number", "purposes", "officer"):
        model.sort(COLUMNS.index(column), Qt.SortOrder.DescendingOrder)
        wanted = _service_ids(desk_ctx, model.case_filter)
        head = queue_model.HEAD_ROWS
        assert [model.case_id(r) for r in range(head)] == wanted[:head]
        changed.clear()
        _loaded(qtbot, model)
        assert [model.case_id(r) for r in range(model.rowCount())] == wanted
        assert changed == [(queue_model.HEAD_ROWS, 699)]  # only the blank rows repaint
    # The applicant column in the order it shows, by the stored key.
    model.sort(COLUMNS.index("applicant"), Qt.SortOrder.AscendingOrder)
    _loaded(qtbot, model)
    shown = [_summary_of_model(model, r).applicant_native for r in range(700)]
    assert shown == sorted(shown, key=sort_key)  # alphabetical, not by code point


def _summary_of_model(model: QueueModel, row: int) -> CaseSummary:
    summary = model.summary(row)
    assert summary is not None
    return summary


def test_only_the_last_of_quick_changes_is_read_in_full(qtbot, desk_ctx, monkeypatch):
    demo.populate(desk_ctx, cases=450, seed=5)
    reads: list[queries.CaseFilter] = []
    fetch_ids = queue_pages.fetch_ids

    def counted(ctx, flt, only=None, **kwargs):
        if only is None:
            reads.append(flt)
        return fetch_ids(ctx, flt, only, **kwargs)

    monkeypatch.setattr(queue_pages, "fetch_ids", counted)
    model = QueueModel(desk_ctx)
    for column in ("number", "applicant", "priority"):
        model.sort(COLUMNS.index(column), Qt.SortOrder.AscendingOrder)
    _loaded(qtbot, model)
    assert [flt.sort for flt in reads] == ["priority"]
    assert [model.case_id(r) for r in range(450)] == fetch_ids(desk_ctx, model.case_filter)


def test_cases_changed_between_the_first_page_and_the_rest(qtbot, desk_ctx):
    demo.populate(desk_ctx, cases=450, seed=5)
    officer = _demo_actor(desk_ctx, "officer1")
    model = QueueModel(desk_ctx)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    # Newest first: a case made meanwhile belongs at the top, above the page shown.
    model.sort(COLUMNS.index("age"), Qt.SortOrder.AscendingOrder)
    picked = model.case_id(5)
    assert picked is not None
    view.selectRow(5)
    made = new_case(desk_ctx, officer)
    _loaded(qtbot, model)
    assert model.rowCount() == 451
    assert model.case_id(0) == made.id
    # The selection went with its case.
    assert view.currentIndex().row() == 6
    assert view.currentIndex().data(CASE_ID_ROLE) == picked
    assert model.row_of(picked) == 6


def test_the_window_keeps_the_selected_case_through_a_sort(qtbot, desk_ctx):
    demo.populate(desk_ctx, cases=700, seed=7)
    window = MainWindow(desk_ctx, _demo_actor(desk_ctx, "supervisor1"))
    qtbot.addWidget(window)
    window.filters.set_officer(None)
    window.show()
    _loaded(qtbot, window.model)
    header = window.table.horizontalHeader()
    picked = window.model.case_id(650)
    assert picked is not None and window.select_case(picked)
    header.setSortIndicator(COLUMNS.index("number"), Qt.SortOrder.AscendingOrder)
    # Its row is not known until the rest of the ids are in; then it is selected again.
    _loaded(qtbot, window.model)
    assert window.selected_case_id() == picked
    # With nothing selected (the current index the view sets for the focus is
    # not a selection), a sort shows the top of the queue and stays there.
    window.table.clearSelection()
    window.table.selectionModel().setCurrentIndex(
        window.model.index(650, 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    window.table.scrollToBottom()
    header.setSortIndicator(COLUMNS.index("applicant"), Qt.SortOrder.AscendingOrder)
    assert window.table.rowAt(0) == 0
    _loaded(qtbot, window.model)
    assert not window.table.selectionModel().hasSelection() and window.table.rowAt(0) == 0
    assert "700 cases shown" in window.count_label.text()


def test_a_filter_set_before_the_window_shows_is_the_only_query(
    qtbot, desk_ctx, people, monkeypatch
):
    new_case(desk_ctx, people.officer2)
    heads: list[queries.CaseFilter] = []
    fetch_head = queue_pages.fetch_head

    def counted(ctx, flt, limit):
        heads.append(flt)
        return fetch_head(ctx, flt, limit)

    monkeypatch.setattr(queue_pages, "fetch_head", counted)
    window = MainWindow(desk_ctx, people.officer)
    qtbot.addWidget(window)
    window.filters.set_officer(None)
    window.show()
    assert [flt.officer_id for flt in heads] == [None]
    assert window.model.rowCount() == 1


def test_a_failed_reading_of_the_ids_shows_in_the_status_bar(qtbot, desk_ctx, monkeypatch):
    demo.populate(desk_ctx, cases=250, seed=3)
    actor = _demo_actor(desk_ctx, "supervisor1")

    def lost(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    window = MainWindow(desk_ctx, actor)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(queue_pages, "fetch_ids", lost)
    with qtbot.waitSignal(window.model.load_failed, timeout=10_000):
        window.filters.set_officer(None)
    assert window.statusBar().currentMessage()
    assert window.model.rowCount() == 250 and window.model.index(0, 0).data()


def test_a_model_closed_while_reading_ids_is_left_alone(qtbot, desk_ctx):
    demo.populate(desk_ctx, cases=450, seed=5)
    model = QueueModel(desk_ctx)
    model.set_query(model.case_filter)
    qtbot.wait(0)  # the reading starts
    model.deleteLater()
    qtbot.wait(200)  # its result arrives for nobody, quietly
