"""Long work off the GUI thread: progress, Cancel, results and errors back on the GUI thread."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtWidgets import QPushButton

from praverka.app import demo, queries, setup, users
from praverka.ui import main_window, tasks
from praverka.ui.main_window import MainWindow
from praverka.ui.tasks import TaskCancelled, TaskControl, run_task


def _counting(step_started: threading.Event, steps: int = 1_000):
    def work(control: TaskControl) -> tuple[int, bool]:
        done = 0
        for done in range(1, steps + 1):
            step_started.set()
            if not control.progress(done, steps):
                return done, True
            control.cancelled.wait(0.005)
        return done, False

    return work


def test_cancel_stops_the_work_and_the_result_arrives_on_the_gui_thread(qtbot):
    started = threading.Event()
    got: list[tuple[int, bool]] = []
    threads: list[threading.Thread] = []

    def done(result: tuple[int, bool]) -> None:
        threads.append(threading.current_thread())
        got.append(result)

    task = run_task(None, _counting(started), on_done=done, label="Counting...")
    assert task.dialog is not None and task.dialog.objectName() == "taskProgress"
    assert started.wait(5)
    cancel = task.dialog.findChild(QPushButton)
    assert cancel is not None
    with qtbot.waitSignal(task.finished, timeout=5_000):
        cancel.click()  # what the person does
    assert got and got[0][1] is True and got[0][0] < 1_000
    assert threads == [threading.main_thread()]
    assert not task.is_running() and task.dialog is None


def test_progress_reaches_the_dialog(qtbot):
    steps = 5
    gate = threading.Event()

    def work(control: TaskControl) -> str:
        for done in range(1, steps + 1):
            control.progress(done, steps)
        gate.wait(5)
        return "finished"

    task = run_task(None, work)
    dialog = task.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.value() == steps, timeout=5_000)
    assert dialog.maximum() == steps
    with qtbot.waitSignal(task.done, timeout=5_000) as blocker:
        gate.set()
    assert blocker.args == ["finished"]


def test_an_exception_is_delivered_not_lost(qtbot):
    errors: list[BaseException] = []

    def work(_control: TaskControl) -> None:
        raise ValueError("the file is corrupt")

    task = run_task(None, work, on_error=errors.append, show_progress=False)
    with qtbot.waitSignal(task.finished, timeout=5_000):
        pass
    assert [str(e) for e in errors] == ["the file is corrupt"]


def test_work_that_gives_up_by_exception_reports_cancelled(qtbot):
    cancelled: list[bool] = []
    started = threading.Event()

    def work(control: TaskControl) -> None:
        while True:
            started.set()
            control.check()
            control.cancelled.wait(0.005)

    task = run_task(None, work, on_cancelled=lambda: cancelled.append(True))
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5_000):
        task.cancel()
    assert cancelled == [True]
    with pytest.raises(TaskCancelled):
        task.control.check()


def test_demo_cases_are_added_in_the_background(qtbot, desk_ctx, monkeypatch, answers):
    demo.populate(desk_ctx, cases=10, seed=3)
    assert setup.is_demo(desk_ctx)
    account = next(a for a in demo.DEMO_ACCOUNTS if a.username == "officer1")
    actor = users.authenticate(desk_ctx, account.username, account.password)
    window = MainWindow(desk_ctx, actor, demo=True)
    qtbot.addWidget(window)
    assert window.windowTitle().endswith("DEMO")
    monkeypatch.setattr(main_window, "DEMO_BATCH", 30)
    before = queries.count_cases(desk_ctx, queries.CaseFilter())
    window.add_demo_cases()
    with qtbot.waitSignal(window.demo_task.finished, timeout=30_000):
        pass
    assert queries.count_cases(desk_ctx, queries.CaseFilter()) == before + 30
    assert answers.errors == []


def test_tasks_dropped_the_moment_their_result_arrives_leave_nothing_dangling(qtbot):
    # A window or test lets go of its task as soon as `done` fires, while the
    # worker may still be returning from that emit.  Before the signals object
    # became a child of its Task and the Task waited for the worker to leave,
    # this loop crashed the interpreter about one run in four.
    def work_for(i: int):
        return lambda _control: [i] * 50

    for i in range(500):
        task = run_task(None, work_for(i), show_progress=i % 2 == 0)
        with qtbot.waitSignal(task.done, timeout=5_000) as blocker:
            pass
        assert blocker.args == [[i] * 50]
        del task, blocker
        if i % 50 == 0:
            gc.collect()
    qtbot.waitUntil(lambda: not tasks._RUNNING, timeout=5_000)
