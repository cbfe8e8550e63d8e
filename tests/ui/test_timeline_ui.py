"""The Timeline tab shows a case's history as sentences, by people's full names."""

from __future__ import annotations

from praverka.app import records, workflow
from praverka.app.checklist import state
from praverka.ui.case_editor import CaseEditor
from tests.factories import MANUAL_ITEMS, ready_case

LONG_REASON = "The applicant asked for an interview in Belarusian; " * 30


def _rows(editor: CaseEditor) -> list[list[str]]:
    tree = editor.timeline.tree
    return [
        [item.text(column) for column in range(4)]
        for i in range(tree.topLevelItemCount())
        if (item := tree.topLevelItem(i)) is not None
    ]


def test_the_timeline_tab_shows_sentences_and_full_names(qtbot, desk_ctx, people) -> None:
    case = ready_case(desk_ctx, people.officer)
    case.version = state.waive(
        desk_ctx, people.supervisor, case.id, case.version, MANUAL_ITEMS[0], LONG_REASON
    )
    records.add_comment(desk_ctx, people.officer, case.id, "Original passport seen today.")
    workflow.transition(desk_ctx, people.officer, case.id, case.version, "submit")
    editor = CaseEditor(desk_ctx, people.officer, case.id)
    qtbot.addWidget(editor)
    tree = editor.timeline.tree
    header = tree.headerItem()
    assert [header.text(c) for c in range(4)] == ["When", "What", "Who", "Details"]
    assert tree.wordWrap()

    rows = _rows(editor)
    by_detail = {row[3]: row for row in rows}
    assert by_detail["Draft \N{RIGHTWARDS ARROW} In review"][1:3] == ["Status", "Ales Kavalenka"]
    assert by_detail["Original passport seen today."][1] == "Comment"
    assert by_detail["Document added: Passport MP1234567"][1] == "Document"
    assert by_detail["Case created: Bank account"][1] == "Case"
    assert {row[2] for row in rows} == {"Ales Kavalenka", "Volha Dubrouskaya"}
    assert not any("{" in row[3] or "case." in row[3] for row in rows)

    # A long reason is cut on screen; its tooltip holds all of it.
    waived = next(i for i, row in enumerate(rows) if "waived" in row[3])
    item = tree.topLevelItem(waived)
    assert item is not None and item.text(1) == "Checklist"
    assert item.text(2) == "Volha Dubrouskaya"
    assert len(item.text(3)) <= 1000 and item.text(3).endswith("\N{HORIZONTAL ELLIPSIS}")
    assert LONG_REASON.strip() in item.toolTip(3)

    # On screen the long line wraps into a taller row, and grows taller when the column narrows.
    editor.resize(1000, 600)
    editor.show()
    editor.tabs.setCurrentWidget(editor.timeline)
    qtbot.waitExposed(editor)
    created = tree.topLevelItem(len(rows) - 1)
    assert created is not None
    one_line = tree.visualItemRect(created).height()
    wide = tree.visualItemRect(item).height()
    assert wide > 3 * one_line
    editor.resize(700, 600)
    qtbot.waitUntil(lambda: tree.visualItemRect(item).height() > wide)
