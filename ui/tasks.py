"""Long work off the GUI thread, with progress and Cancel, results back on the GUI thread.

    run_task(parent, lambda control: demo.populate(ctx, cases=n, progress=control.progress),
             on_done=show_report, label="Adding demo cases...")

The callable runs on a worker thread of a `QThreadPool` and gets a `TaskControl`:
`control.progress(done, total)` moves the bar and returns False once Cancel was
pressed (the shape `demo.populate` and other batch services take), and
`control.cancelled` is the flag for loops that do not report progress.  The
result, an exception, or the news that the work gave up after a cancel, comes
back through queued signals to slots of a `Task` living on the GUI thread, so
no widget is ever touched from the worker.

Every Qt object here is made, and destroyed, on the GUI thread: the signals
object the worker emits on is a child of its `Task`, and a `Task` stays
referenced until the worker has stepped out of its last `emit`, so a test or a
window dropping its task the moment the result arrives never frees an object
the worker is still inside.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from praverka.app.i18n import _

T = TypeVar("T")

# A dialog that flashes up for a quick job is worse than none.
SHOW_AFTER_MS = 400
RELEASE_POLL_MS = 5


class TaskCancelled(Exception):
    """Raised by a callable that stops part way because Cancel was pressed."""


class TaskControl:
    """What the worker sees: a progress callback and a cancel flag, both thread-safe."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self.cancelled = threading.Event()

    def progress(self, done: int, total: int) -> bool:
        """Report progress; False means the user pressed Cancel and the work should stop."""
        self._signals.progressed.emit(int(done), int(total))
        return not self.cancelled.is_set()

    def check(self) -> None:
        """Raise `TaskCancelled` if Cancel was pressed: for loops that stop by exception."""
        if self.cancelled.is_set():
            raise TaskCancelled

    def cancel(self) -> None:
        self.cancelled.set()


class _Signals(QObject):
    """Emitted on by the worker; a child of its Task, so destroyed with it on the GUI thread."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    gave_up = Signal()


class _Runnable(QRunnable):
    def __init__(
        self,
        fn: Callable[[TaskControl], Any],
        control: TaskControl,
        signals: _Signals,
        left: threading.Event,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn: Callable[[TaskControl], Any] | None = fn
        self._control = control
        self._signals: _Signals | None = signals
        self._left = left

    def run(self) -> None:
        fn, signals = self._fn, self._signals
        # The pool deletes this runnable on the worker thread; holding nothing
        # Qt-owned by then keeps every deletion on the GUI thread.
        self._fn = self._signals = None
        assert fn is not None and signals is not None
        try:
            _deliver(fn, self._control, signals)
        finally:
            # The Task still holds fn and the signals, so these are never the
            # last references; the result and exception went with _deliver's frame.
            del fn, signals
            self._left.set()


def _deliver(fn: Callable[[TaskControl], Any], control: TaskControl, signals: _Signals) -> None:
    try:
        result = fn(control)
    except TaskCancelled:
        signals.gave_up.emit()
    except BaseException as exc:  # every failure must reach the GUI thread
        signals.failed.emit(exc)
    else:
        signals.succeeded.emit(result)


# Tasks still running, so Python does not collect them (and their slots) mid-flight.
_RUNNING: set[Task[Any]] = set()


class Task(QObject, Generic[T]):
    """A running piece of work; its signals arrive on the GUI thread."""

    done = Signal(object)  # the callable's result
    failed = Signal(object)  # the exception it raised
    cancelled = Signal()  # it raised TaskCancelled after Cancel
    finished = Signal()  # after any of the three

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[TaskControl], T],
        *,
        label: str,
        show_progress: bool,
        pool: QThreadPool | None,
    ) -> None:
        super().__init__()
        self.setObjectName("task")
        self._signals = _Signals(self)
        self.control = TaskControl(self._signals)
        self._running = True
        self._worker_left = threading.Event()
        self._fn: Callable[[TaskControl], T] | None = fn  # dropped here, never on the worker
        self.dialog: QProgressDialog | None = None
        if show_progress:
            dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
            dialog.setObjectName("taskProgress")
            dialog.setWindowTitle(_("Praverka"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(SHOW_AFTER_MS)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(self.cancel)
            dialog.setValue(0)
            self.dialog = dialog
        self._signals.progressed.connect(self._on_progress)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.gave_up.connect(self._on_gave_up)
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(
            _Runnable(fn, self.control, self._signals, self._worker_left)
        )

    def is_running(self) -> bool:
        return self._running

    @Slot()
    def cancel(self) -> None:
        self.control.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(_("Stopping after the current step..."))

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self.dialog is None or not self._running:
            return
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)

    def _finish(self) -> None:
        self._running = False
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self._release()

    def _release(self) -> None:
        # The outcome arrives while the worker may still be returning from its
        # emit; let go only once it has left, a few microseconds later.
        if self._worker_left.is_set():
            self._fn = None
            _RUNNING.discard(self)
        else:
            QTimer.singleShot(RELEASE_POLL_MS, self._release)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._finish()
        self.done.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self._finish()
        self.failed.emit(exc)
        self.finished.emit()

    @Slot()
    def _on_gave_up(self) -> None:
        self._finish()
        self.cancelled.emit()
        self.finished.emit()


def run_task(
    parent: QWidget | None,
    fn: Callable[[TaskControl], T],
    *,
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    label: str = "",
    show_progress: bool = True,
    pool: QThreadPool | None = None,
) -> Task[T]:
    """Start `fn(control)` on a worker thread; the callbacks run later on the GUI thread.

    `fn` must not touch widgets; it may call services, which open their own
    units of work.  Without `on_error` an exception is re-raised on the GUI
    thread, where Qt's excepthook reports it, rather than vanishing.
    """
    task: Task[T] = Task(
        parent, fn, label=label or _("Working..."), show_progress=show_progress, pool=pool
    )
    if on_done is not None:
        task.done.connect(on_done)
    if on_error is not None:
        task.failed.connect(on_error)
    else:
        task.failed.connect(_reraise)
    if on_cancelled is not None:
        task.cancelled.connect(on_cancelled)
    return task


def _reraise(exc: object) -> None:
    if isinstance(exc, BaseException):
        raise exc
