"""The dashboard window: its charts show the service's figures, and follow the filters."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from praverka.app import demo, users
from praverka.app.context import Actor, AppContext
from praverka.app.dashboard import DashboardFigures, DashboardFilter, dashboard
from praverka.ui.dashboard import DashboardWindow, may_view

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
WAIT_MS = 30_000


@pytest.fixture
def office(desk_ctx: AppContext) -> tuple[AppContext, Actor]:
    desk_ctx.clock = lambda: NOW
    demo.populate(desk_ctx, cases=300, seed=5)
    return desk_ctx, users.actor_by_username(desk_ctx, "supervisor1")


def _opened(qtbot, ctx: AppContext, actor: Actor) -> DashboardWindow:
    window = DashboardWindow(ctx, actor)
    qtbot.addWidget(window)
    assert window.objectName() == "dashboard"
    with qtbot.waitSignal(window.figures_applied, timeout=WAIT_MS):
        window.show()
    return window


def _assert_charts_show(window: DashboardWindow, figures: DashboardFigures) -> None:
    panels = window.panels
    assert window.figures == figures
    assert panels["status"].series_values() == {"Cases": [float(n) for _s, n in figures.by_status]}
    assert len(panels["status"].categories()) == len(figures.by_status)
    assert panels["weeks"].series_values() == {
        "Intake": [float(w.intake) for w in figures.weeks],
        "Approvals": [float(w.approvals) for w in figures.weeks],
    }
    assert panels["ages"].series_values() == {
        "Open cases": [float(b.count) for b in figures.age_bands]
    }
    # Horizontal bars run bottom up: the first officer is the top bar, the last category.
    officers = list(reversed(figures.officers))
    assert panels["officers"].categories() == [o.name for o in officers]
    assert panels["officers"].series_values() == {
        "Submitted for review": [float(o.submitted) for o in officers],
        "Approved (prepared by them)": [float(o.approved) for o in officers],
    }
    assert panels["letters"].series_values() == {"Letters": [float(n) for _p, n in figures.letters]}
    # The tables beside the charts hold the same numbers.
    assert [row[1] for row in panels["status"].rows] == [n for _s, n in figures.by_status]
    assert panels["ages"].table.rowCount() == len(figures.age_bands)


def test_charts_show_the_services_figures_and_follow_the_filters(qtbot, office) -> None:
    ctx, supervisor = office
    window = _opened(qtbot, ctx, supervisor)
    expected = dashboard(ctx, supervisor, window.current_filter())
    assert window.current_filter() == DashboardFilter(dt.date(2026, 8, 17), dt.date(2026, 11, 2))
    _assert_charts_show(window, expected)
    assert sum(w.intake for w in expected.weeks) > 0 and expected.open_cases > 0

    # A purpose narrows every chart.
    with qtbot.waitSignal(window.figures_applied, timeout=WAIT_MS) as blocker:
        window.purpose.setCurrentIndex(window.purpose.findData("bank_account"))
    bank = blocker.args[0]
    assert bank.filter.purpose == "bank_account"
    assert bank == dashboard(ctx, supervisor, window.current_filter())
    _assert_charts_show(window, bank)
    assert [label for label in window.panels["letters"].categories()] == ["Bank"]
    assert sum(n for _s, n in bank.by_status) < sum(n for _s, n in expected.by_status)

    # A shorter range: fewer weeks, their figures as before.
    with qtbot.waitSignal(window.figures_applied, timeout=WAIT_MS) as blocker:
        window.start_edit.setDate(QDate(2026, 10, 19))
    shorter = blocker.args[0]
    assert [w.week for w in shorter.weeks] == ["2026-W43", "2026-W44", "2026-W45"]
    assert shorter.weeks == tuple(w for w in bank.weeks if w.monday >= dt.date(2026, 10, 19))
    _assert_charts_show(window, shorter)

    # The table toggle shows the figures as a table; every figure is in the export table.
    panel = window.panels["weeks"]
    panel.toggle.click()
    assert panel.stack.currentWidget() is panel.table
    assert panel.table.rowCount() == 3
    headers, rows = window.current_table()
    assert headers == ["Figure", "Item", "Value"]
    assert ["Intake and approvals per week: Intake", "2026-W44", shorter.weeks[1].intake] in rows
    assert ["Cases by status, now: Cases", "In review", dict(shorter.by_status)["in_review"]] in (
        rows
    )
    panel.toggle.click()
    assert panel.stack.currentWidget() is panel.view
    assert not window.grab().isNull()


def test_an_empty_range_says_so_and_a_backward_one_is_explained(qtbot, office) -> None:
    ctx, supervisor = office
    window = _opened(qtbot, ctx, supervisor)
    assert window.panels["weeks"].chart.title() == ""
    with qtbot.waitSignal(window.figures_applied, timeout=WAIT_MS):
        window.set_filter(DashboardFilter(dt.date(2021, 1, 4), dt.date(2021, 3, 1)))
    for name in ("weeks", "officers", "letters"):
        assert window.panels[name].chart.title() == "None in this range", name
    assert window.panels["status"].chart.title() == ""  # "now", whatever the range
    with qtbot.waitSignal(window.load_failed, timeout=WAIT_MS) as blocker:
        window.end_edit.setDate(QDate(2021, 1, 1))
    assert "before its start" in blocker.args[0]
    assert "before its start" in window.status.text()


def test_officers_are_refused(qtbot, office) -> None:
    ctx, _supervisor = office
    officer = users.actor_by_username(ctx, "officer1")
    assert not may_view(officer)
    window = DashboardWindow(ctx, officer)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.load_failed, timeout=WAIT_MS) as blocker:
        window.show()
    assert "supervisors and administrators" in blocker.args[0]
    assert window.figures is None


def test_figures_arriving_after_close_are_dropped(qtbot, office) -> None:
    ctx, supervisor = office
    window = _opened(qtbot, ctx, supervisor)
    shown = window.figures
    window.refresh()
    task = window._task
    assert task is not None
    window.close()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=WAIT_MS)
    assert window.figures is shown
