"""Exports from the File menu: the queue as XLSX or CSV, and the weekly report, with the password."""

from __future__ import annotations

import csv
import subprocess

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from praverka.ui import export_actions, reauth
from praverka.ui.main_window import MainWindow
from tests.conftest import PASSWORD
from tests.factories import new_case


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    given: dict[str, object] = {"password": PASSWORD}
    monkeypatch.setattr(export_actions, "ask_save_path", lambda *_a: given["path"])
    monkeypatch.setattr(export_actions, "ask_week", lambda *_a: given.get("week"))
    monkeypatch.setattr(reauth, "ask_password", lambda *_a: given["password"])
    return given


def _window(qtbot, ctx, actor) -> MainWindow:
    window = MainWindow(ctx, actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.is_complete, timeout=5_000)
    return window


def test_export_the_queue_as_xlsx_and_csv(qtbot, desk_ctx, people, typed, answers, tmp_path):
    for given in ("Янка", "Міхась", "Алесь"):
        new_case(desk_ctx, people.officer, given=given)
    window = _window(qtbot, desk_ctx, people.supervisor)
    window.filters.officer.setCurrentIndex(1)  # anyone's cases
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5_000)
    shown = window.model.rowCount()
    typed["path"] = tmp_path / "queue.xlsx"
    window.export_queue_action.trigger()
    qtbot.waitUntil(lambda: (tmp_path / "queue.xlsx").exists(), timeout=20_000)
    sheet = load_workbook(tmp_path / "queue.xlsx").active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == shown + 1  # the header and one row a case
    summaries = [window.model.summary(i) for i in range(shown)]
    assert {r[0] for r in rows[1:]} == {s.number for s in summaries if s is not None}
    typed["path"] = tmp_path / "queue.csv"
    window.export_queue_action.trigger()
    qtbot.waitUntil(lambda: (tmp_path / "queue.csv").exists(), timeout=20_000)
    with (tmp_path / "queue.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.reader(stream))) == shown + 1
    assert not answers.errors


def test_a_wrong_password_writes_nothing(qtbot, desk_ctx, people, typed, answers, tmp_path):
    new_case(desk_ctx, people.officer)
    window = _window(qtbot, desk_ctx, people.supervisor)
    typed["path"], typed["password"] = tmp_path / "queue.xlsx", "not-my-password"
    window.export_queue_action.trigger()
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=20_000)
    assert "password is wrong" in answers.errors[0]
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("praverka.sqlite3")]


def test_weekly_report_for_supervisors(qtbot, desk_ctx, people, typed, answers, tmp_path):
    new_case(desk_ctx, people.officer)
    officer = _window(qtbot, desk_ctx, people.officer)
    assert not officer.weekly_report_action.isEnabled()
    window = _window(qtbot, desk_ctx, people.supervisor)
    typed["week"], typed["path"] = "2026-W47", tmp_path / "weekly.pdf"
    window.weekly_report_action.trigger()
    qtbot.waitUntil(lambda: (tmp_path / "weekly.pdf").exists(), timeout=20_000)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "weekly.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "2026" in text and not answers.errors
    typed["week"] = "next week"
    window.weekly_report_action.trigger()
    assert answers.errors and "Weekly report" in answers.errors[-1]


def test_dashboard_table_exported_with_the_password(qtbot, desk_ctx, people, typed, tmp_path):
    from praverka.ui.dashboard import DashboardWindow

    new_case(desk_ctx, people.officer)
    window = DashboardWindow(desk_ctx, people.supervisor)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.figures_applied, timeout=20_000):
        window.show()
    typed["path"] = tmp_path / "dashboard.csv"
    window.export_button.click()
    headers, rows = window.current_table()
    with (tmp_path / "dashboard.csv").open(encoding="utf-8-sig", newline="") as stream:
        written = list(csv.reader(stream))
    assert written[0] == list(headers) and len(written) == len(rows) + 1
    assert [r[2] for r in written[1:]] == [str(r[2]) for r in rows]
    assert "Exported" in window.status.text()
