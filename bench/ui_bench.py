"""The desk window on the demo database: start-up, the queue of every case, memory.

Each figure stands beside its floor from the same run: a bare `QMainWindow`
holding an empty `QTableView` for what Qt itself costs, bare sqlite3 for what
the query costs.  "Painted" means the view's paint event has run and the rows
it drew were read for it, not merely that the model was reset.
"""

from __future__ import annotations

import os

# Before Qt loads: no display is needed, and every machine measures the same platform.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget
from sqlalchemy import event

from bench import harness
from bench.harness import Timing
from praverka.app import queries, queue_pages, setup, users
from praverka.app.context import Actor, AppContext
from praverka.app.demo import DEMO_ACCOUNTS, DemoAccount
from praverka.ui.main_window import MainWindow
from praverka.ui.queue_model import COLUMNS, HEAD_ROWS, PAGE_SIZE

# A supervisor owns no cases, so "my cases" (the window's first query) is empty
# and the whole queue is one change of the officer filter away.
ACCOUNT = "supervisor1"
STARTS = 5  # child processes per start-up figure, after one to warm the disk cache
SIGN_INS = 3
REPEAT = 5
TIMEOUT_S = 60.0
WINDOW_SIZE = (1280, 760)  # MainWindow's own size, so both views paint as many rows

# Columns sorted for the sort figures: the case number; the applicant's name and
# the purposes, by the keys stored for them; the officer, by a join to the users.
SORTED = (
    ("number", "case number"),
    ("applicant", "applicant"),
    ("purposes", "purposes"),
    ("officer", "officer"),
)

# A filter or sort figure runs from the change to the first rows painted; the
# rest of the ids come after, off the GUI thread (the line under it).
HEAD_IS = "its first ids and count, the SELECTs as sent, in bare sqlite3"

TARGET_LOGIN = "target ≤ 400 ms"
TARGET_QUEUE = "target ≤ 1.2 s"
TARGET_CHANGE = "target ≤ 50 ms"
TARGET_MEMORY = "target ≤ 250 MB"

# Shared by the child processes.  Qt is up before anything of Praverka's is
# imported, so that the hook below is queued ahead of everything the window
# queues while it is shown: it runs in the first pass of the event loop, after
# the show and before the first paint, and reports when that paint is done.
_CHILD_PRELUDE = f"""
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])


def rss():
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]) * 1024


def painted():
    print("painted", "sqlalchemy" in sys.modules, rss(), flush=True)
    # The parent times the lines, not the exit; skip the tear-down.
    os._exit(0)


class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Queued behind the paint: runs once it is drawn and flushed.
            QTimer.singleShot(0, painted)
        return False


watch = Watch()


def shown():
    for widget in app.topLevelWidgets():
        if widget.objectName() == WATCHED and widget.isVisible():
            print("shown", "sqlalchemy" in sys.modules, flush=True)
            widget.installEventFilter(watch)
            return
    print("not shown", flush=True)
    os._exit(2)


QTimer.singleShot(0, shown)
QTimer.singleShot({int(TIMEOUT_S * 1000)}, lambda: os._exit(3))
"""

_START_DESK = (
    'WATCHED = "loginDialog"\n'
    + _CHILD_PRELUDE
    + """
from praverka.ui.main import run_gui

run_gui(sys.argv[1])
"""
)

# What `make run` starts: the console script, its command line, then run_gui.
_START_CONSOLE = (
    'WATCHED = "loginDialog"\n'
    + _CHILD_PRELUDE
    + """
from praverka.launcher import main

main(["--db", sys.argv[1], "gui"])
"""
)

_START_BARE = (
    'WATCHED = "bareWindow"\n'
    + _CHILD_PRELUDE
    + f"""
from PySide6.QtWidgets import QMainWindow, QTableView

window = QMainWindow()
window.setObjectName("bareWindow")
window.resize{WINDOW_SIZE}
window.setCentralWidget(QTableView(window))
window.show()
app.exec()
"""
)

# run_gui's steps with the sign-in typed in by the script: the dialog opens the
# database, the password is checked, the window opens, the officer filter is
# set to anyone.  Prints the seconds from the click to the painted queue less
# the password check, the password check, and the resident memory then.
_SIGN_IN = """
import os, sys, time
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
app.setQuitOnLastWindowClosed(False)
url, username, password, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
deadline = time.perf_counter() + TIMEOUT


def wait(done):
    # An event loop, not a processEvents() spin: see _wait in the parent.
    loop = QEventLoop()
    poll = QTimer(loop)
    poll.setInterval(0)
    poll.timeout.connect(lambda: (done() or time.perf_counter() > deadline) and loop.quit())
    poll.start()
    loop.exec()
    poll.stop()
    if not done():
        print("timed out", flush=True)
        os._exit(3)


from praverka.ui.main import Desk

desk = Desk(url)
desk.start()
dialog = desk.login
wait(lambda: dialog.ctx is not None)

from praverka.app import users

checking = []
authenticate = users.authenticate


def timed_authenticate(*args, **kwargs):
    start = time.perf_counter()
    try:
        return authenticate(*args, **kwargs)
    finally:
        checking.append(time.perf_counter() - start)


users.authenticate = timed_authenticate
dialog.username.setText(username)
dialog.password.setText(password)
start = time.perf_counter()
dialog.try_sign_in()
window = desk.window
if window is None:
    print("not signed in:", dialog.error.text(), flush=True)
    os._exit(2)
window.filters.set_officer(None)


class Paints(QObject):
    count = 0

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


paints = Paints()
window.table.viewport().installEventFilter(paints)


def usable():
    if not paints.count or window.model.rowCount() != expected:
        return False
    return bool(window.model.index(max(window.table.rowAt(0), 0), 0).data())


wait(usable)
took = time.perf_counter() - start
with open("/proc/self/status") as status:
    fields = dict(line.split(":", 1) for line in status)
print(
    "signed-in", took - sum(checking), sum(checking),
    int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024,
    flush=True,
)
os._exit(0)
""".replace("TIMEOUT", repr(TIMEOUT_S))


@dataclass(frozen=True)
class Start:
    shown: float  # seconds from Popen to the line
    painted: float
    sqlalchemy_before_paint: bool
    rss: int  # bytes, at the first paint


def _child_env(pycache: Path) -> dict[str, str]:
    # Bytecode is compiled once, into the bench's own folder, as an installed
    # copy has it: the figures are about starting, not compiling the source.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _start(code: str, url: str, env: dict[str, str]) -> Start:
    """One child process from Popen to its first painted frame, timed here in the parent."""
    begun = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    seen: dict[str, tuple[float, list[str]]] = {}
    for text in child.stdout:
        words = text.split()
        if words:
            seen[words[0]] = (time.perf_counter() - begun, words[1:])
        if words[:1] == ["painted"]:
            break
    _, errors = child.communicate(timeout=TIMEOUT_S)
    if "shown" not in seen or "painted" not in seen:
        raise RuntimeError(f"the window never painted (exit {child.returncode}): {errors[-2000:]}")
    painted_at, (sqlalchemy, rss) = seen["painted"]
    return Start(seen["shown"][0], painted_at, sqlalchemy == "True", int(rss))


def _starts(code: str, url: str, env: dict[str, str]) -> list[Start]:
    _start(code, url, env)
    return [_start(code, url, env) for _ in range(STARTS)]


def _timing(runs: list[float]) -> Timing:
    return Timing(min(runs), statistics.median(runs), len(runs))


@dataclass(frozen=True)
class SignIn:
    usable: float  # seconds from the click to the painted queue, less the password check
    password_check: float
    rss: int
    peak: int


def _sign_in(url: str, account: DemoAccount, expected: int, env: dict[str, str]) -> SignIn:
    done = subprocess.run(
        [sys.executable, "-c", _SIGN_IN, url, account.username, account.password, str(expected)],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S * 2,
    )
    for text in done.stdout.splitlines():
        words = text.split()
        if words[:1] == ["signed-in"]:
            return SignIn(float(words[1]), float(words[2]), int(words[3]), int(words[4]))
    raise RuntimeError(f"sign-in failed: {done.stdout[-500:]} {done.stderr[-2000:]}")


# ----------------------------------------------------------------- in this process


class _Paints(QObject):
    """Counts a widget's paint events; the count rises as the paint begins."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _wait(done: Callable[[], bool], what: str) -> None:
    """Run the event loop until `done()`, checking between events.

    An event loop rather than a processEvents() spin: PySide6 6.12 on CPython
    3.11 drops a reference to None on every call of a void method, and a spin
    makes enough of them to free None and abort the interpreter.
    """
    loop = QEventLoop()
    poll = QTimer(loop)
    poll.setInterval(0)
    deadline = time.perf_counter() + TIMEOUT_S
    expired: list[bool] = []

    def check() -> None:
        if done():
            loop.quit()
        elif time.perf_counter() > deadline:
            expired.append(True)
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if expired:
        raise RuntimeError(f"timed out waiting for {what}")


def _dispose(app: QApplication, window: QWidget) -> None:
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


class _Queue:
    """A main window and the tests for "its rows are on screen"."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        self.app, self.window = app, window
        self.model, self.table = window.model, window.table
        self.paints = _Paints(window.table.viewport())

    def painted_from(self) -> Callable[[], bool]:
        """Whether a paint since this call drew rows it had to read (not the page cache)."""
        paints, loads = self.paints.count, self.model.page_loads

        def done() -> bool:
            if self.paints.count == paints or self.model.page_loads == loads:
                return False
            top = self.table.rowAt(0)
            return top >= 0 and self._cached(top)

        return done

    def end_painted_from(self) -> Callable[[], bool]:
        """The same, for a paint that reached the last row."""
        painted = self.painted_from()

        def done() -> bool:
            bar = self.table.verticalScrollBar()
            return (
                painted()
                and bar.value() == bar.maximum()
                and self._cached(self.model.rowCount() - 1)
            )

        return done

    def _cached(self, row: int) -> bool:
        # Asking for a row the paint did not read would read it now; the page
        # count tells the two apart.
        loads = self.model.page_loads
        text = self.model.index(row, 0).data()
        return self.model.page_loads == loads and bool(text)

    def settle(self, change: Callable[[], object], what: str) -> None:
        """Make a change and wait until it is painted and all its ids are in."""
        done = self.painted_from()
        change()
        _wait(done, what)
        self.wait_complete(what)
        self.app.processEvents()

    def wait_complete(self, what: str) -> None:
        """Wait, idle, for the rest of the ids.

        Not by polling like `_wait`: a GUI thread spinning through the event
        loop holds the interpreter lock the thread reading the ids needs.
        """
        if self.model.is_complete:
            return
        loop = QEventLoop()
        self.model.loaded.connect(loop.quit)
        self.model.load_failed.connect(loop.quit)
        limit = QTimer(loop)
        limit.setSingleShot(True)
        limit.timeout.connect(loop.quit)
        limit.start(int(TIMEOUT_S * 1000))
        loop.exec()
        limit.stop()
        self.model.loaded.disconnect(loop.quit)
        self.model.load_failed.disconnect(loop.quit)
        if not self.model.is_complete:
            raise RuntimeError(f"timed out waiting for {what}, every id")

    def two_stage(
        self, change: Callable[[], object], prepare: Callable[[], object], what: str
    ) -> tuple[Timing, Timing]:
        """`_runs` of a change, timed to its painted first rows and to its last id in."""
        painted, complete = [], []
        for attempt in range(REPEAT + 1):
            prepare()
            done = self.painted_from()
            start = time.perf_counter()
            change()
            _wait(done, what)
            shown = time.perf_counter()
            self.wait_complete(what)
            if attempt:
                painted.append(shown - start)
                complete.append(time.perf_counter() - start)
        return _timing(painted), _timing(complete)


def _runs(
    act: Callable[[], object], prepare: Callable[[], object], *, repeat: int = REPEAT
) -> Timing:
    """Best of `repeat` timed `act`s, each after an untimed `prepare`; one more first to warm."""
    runs = []
    for attempt in range(repeat + 1):
        prepare()
        start = time.perf_counter()
        act()
        if attempt:
            runs.append(time.perf_counter() - start)
    return _timing(runs)


def _complete_line(complete: Timing, painted: Timing, all_ids: Timing) -> str:
    """The detail under a filter or sort figure: its median, and when the last id was in."""
    return (
        f"{'':<{harness.NAME_WIDTH}} median {harness.duration(painted.median)}; every id in "
        f"(the rows past the first pages filled) after {harness.duration(complete.best)} "
        f"(median {harness.duration(complete.median)}), the full id query in bare sqlite3 "
        f"{harness.duration(all_ids.best)}"
    )


def _literal(ctx: AppContext, statement: Any) -> str:
    return str(
        statement.compile(dialect=ctx.db.engine.dialect, compile_kwargs={"literal_binds": True})
    )


def _id_query(ctx: AppContext, raw: sqlite3.Connection, flt: queries.CaseFilter) -> Timing:
    sql = _literal(ctx, queries.filtered_ids(flt, ctx.now()))
    return harness.measure(lambda: raw.execute(sql).fetchall(), repeat=REPEAT)


def _selects(ctx: AppContext, read: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECTs `read` sends, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(ctx.db.engine, "before_cursor_execute", listen)
    try:
        read()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", listen)
    return seen


def _page_selects(ctx: AppContext, pages: list[list[int]]) -> list[tuple[str, Any]]:
    """The SELECTs the model sends to read these pages, with their parameters."""
    return _selects(ctx, lambda: [queue_pages.fetch_rows(ctx, ids) for ids in pages])


def _head_query(ctx: AppContext, raw: sqlite3.Connection, flt: queries.CaseFilter) -> Timing:
    """The SELECTs of a new query's first ids and count, as the model sends them, bare."""
    selects = _selects(ctx, lambda: queue_pages.fetch_head(ctx, flt, HEAD_ROWS))

    def replay() -> None:
        for statement, parameters in selects:
            raw.execute(statement, parameters).fetchall()

    return harness.measure(replay, repeat=REPEAT)


def _bare_window(app: QApplication) -> Callable[[], QMainWindow]:
    def show() -> QMainWindow:
        window = QMainWindow()
        window.resize(*WINDOW_SIZE)
        view = QTableView(window)
        view.setModel(QStandardItemModel(0, len(COLUMNS), view))
        window.setCentralWidget(view)
        paints = _Paints(view.viewport())
        window.show()
        _wait(lambda: paints.count > 0, "the bare window's paint")
        return window

    return show


def _account(username: str) -> DemoAccount:
    return next(a for a in DEMO_ACCOUNTS if a.username == username)


def run(ctx: AppContext, path: Path) -> Iterator[str]:
    """The figures' lines, each printed as soon as it is measured."""
    url = f"sqlite:///{path}"
    account = _account(ACCOUNT)
    # The desk opens a database its last user closed, which leaves no write-ahead
    # log; reads through the log the generator left behind are slower.
    with closing(sqlite3.connect(path)) as connection:
        wal = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if wal[0]:
        raise RuntimeError("the write-ahead log could not be checkpointed: the database is busy")
    with ctx.db.read() as session:
        total = len(list(session.scalars(queries.filtered_ids(queries.CaseFilter(), ctx.now()))))

    # 1. Start-up, in fresh processes.
    env = _child_env(path.parent / "pycache")
    bare = _starts(_START_BARE, url, env)
    floor_start = _timing([s.painted for s in bare])
    bare_is = "bare QMainWindow + empty QTableView, first paint"
    for name, code in (
        ("process start → login painted", _START_DESK),
        ("  the same via `praverka gui`", _START_CONSOLE),
    ):
        starts = _starts(code, url, env)
        yield harness.line(
            name, _timing([s.painted for s in starts]), floor_start, f"{bare_is}; {TARGET_LOGIN}"
        )
        first = min(starts, key=lambda s: s.painted)
        loaded = "loaded" if first.sqlalchemy_before_paint else "not loaded"
        yield (
            f"{'':<{harness.NAME_WIDTH}} showEvent done at {harness.duration(first.shown)}; "
            f"SQLAlchemy {loaded} before the first paint"
        )

    # 2-4. The queue, in this process, on a context of its own as the dialog would open.
    app_instance = QApplication.instance()
    app = app_instance if isinstance(app_instance, QApplication) else QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    desk_ctx = AppContext(setup.open_database(url))
    raw = sqlite3.connect(path)
    try:
        actor = users.authenticate(desk_ctx, account.username, account.password)
        demo = setup.is_demo(desk_ctx)
        yield from _queue_figures(app, desk_ctx, raw, actor, demo, total)
    finally:
        raw.close()
        desk_ctx.db.dispose()

    # 5. Memory, and the first sign-in cold, in fresh processes.
    _sign_in(url, account, total, env)
    signed = [_sign_in(url, account, total, env) for _ in range(SIGN_INS)]
    cold = _timing([s.usable for s in signed])
    yield (
        f"{'':<{harness.NAME_WIDTH}} first sign-in of a fresh process (Desk path): "
        f"{harness.duration(cold.best)} to the painted queue, plus "
        f"{harness.duration(min(s.password_check for s in signed))} checking the password"
    )
    rss = max(s.rss for s in signed)
    yield harness.memory_line(
        f"memory, queue of {total:,} open",
        rss,
        max(s.rss for s in bare),
        f"VmRSS; {bare_is}; {TARGET_MEMORY}",
    )
    yield (
        f"{'':<{harness.NAME_WIDTH}} peak (VmHWM) {harness.megabytes(max(s.peak for s in signed))}"
    )


def _queue_figures(
    app: QApplication,
    ctx: AppContext,
    raw: sqlite3.Connection,
    actor: Actor,
    demo: bool,
    total: int,
) -> Iterator[str]:
    # 2. Sign-in accepted → every case listed and its first rows painted.
    opened: list[_Queue] = []

    def open_queue() -> None:
        window = MainWindow(ctx, actor, demo=demo)
        window.filters.set_officer(None)
        queue = _Queue(app, window)
        window.show()
        _wait(queue.painted_from(), "the queue's first rows")
        if queue.model.rowCount() != total:
            raise RuntimeError(f"the queue lists {queue.model.rowCount():,} of {total:,} cases")
        opened.append(queue)

    def close_last() -> None:
        if opened:
            _dispose(app, opened.pop().window)

    measured = _runs(open_queue, close_last)
    queue = opened[-1]
    all_cases = queue.model.case_filter
    floor_sql = _literal(ctx, queries.filtered_ids(all_cases, ctx.now()))
    show_bare = _bare_window(app)
    shown: list[QMainWindow] = []

    def bare_floor() -> None:
        raw.execute(floor_sql).fetchall()
        shown.append(show_bare())

    def close_bare() -> None:
        if shown:
            _dispose(app, shown.pop())

    floor = _runs(bare_floor, close_bare)
    close_bare()
    yield harness.line(
        f"login → queue of {total:,} usable",
        measured,
        floor,
        f"bare sqlite3 id query + bare QTableView painted; {TARGET_QUEUE}",
    )

    # 3. A filter change and a sort, each from the whole queue in its default order.
    window, header = queue.window, queue.table.horizontalHeader()
    in_review = window.filters.status_actions["in_review"]
    age = COLUMNS.index("age")

    def no_status() -> None:
        if window.filters.statuses():
            queue.settle(window.filters.clear_statuses, "the unfiltered queue")

    def filter_in_review() -> None:
        in_review.setChecked(True)

    measured, complete = queue.two_stage(filter_in_review, no_status, "the filtered queue")
    yield harness.line(
        f"filter status in_review ({queue.model.rowCount():,})",
        measured,
        _head_query(ctx, raw, queue.model.case_filter),
        f"{HEAD_IS}; {TARGET_CHANGE}",
    )
    yield _complete_line(complete, measured, _id_query(ctx, raw, queue.model.case_filter))
    no_status()

    def by_age() -> None:
        if header.sortIndicatorSection() != age:
            queue.settle(
                lambda: header.setSortIndicator(age, Qt.SortOrder.DescendingOrder),
                "the queue by age",
            )

    for column, label in SORTED:

        def sort_by(section: int = COLUMNS.index(column)) -> None:
            header.setSortIndicator(section, Qt.SortOrder.AscendingOrder)

        measured, complete = queue.two_stage(sort_by, by_age, "the sorted queue")
        yield harness.line(
            f"sort {queue.model.rowCount():,} by {label}",
            measured,
            _head_query(ctx, raw, queue.model.case_filter),
            f"{HEAD_IS}; {TARGET_CHANGE}",
        )
        yield _complete_line(complete, measured, _id_query(ctx, raw, queue.model.case_filter))
    by_age()

    # 4. To the end of the queue, with the page cache emptied before each run.
    def from_the_top() -> None:
        # A reset keeps the scroll position: go up first, so the re-read starts at the top.
        queue.table.scrollToTop()
        app.processEvents()
        queue.settle(window.apply_query, "the re-read queue")

    def to_the_end() -> None:
        done = queue.end_painted_from()
        queue.table.scrollToBottom()
        _wait(done, "the end of the queue")

    measured = _runs(to_the_end, from_the_top)
    first_page, last_page = queue.table.rowAt(0) // PAGE_SIZE, (total - 1) // PAGE_SIZE
    ids = [queue.model.case_id(row) for row in range(first_page * PAGE_SIZE, total)]
    pages = [
        [i for i in ids[start : start + PAGE_SIZE] if i is not None]
        for start in range(0, len(ids), PAGE_SIZE)
    ]
    selects = _page_selects(ctx, pages)

    def raw_pages() -> None:
        for statement, parameters in selects:
            raw.execute(statement, parameters).fetchall()

    read = "the last page's" if last_page == first_page else "the last two pages'"
    yield harness.line(
        f"scroll to the end of {total:,}",
        measured,
        harness.measure(raw_pages, repeat=REPEAT),
        f"{read} SELECTs (as the model sends them) in bare sqlite3",
    )
    close_last()
