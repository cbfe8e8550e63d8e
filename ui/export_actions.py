"""The File menu's exports: the queue as CSV or XLSX, and the weekly report PDF.

Both carry personal data, so the password is asked again (the service checks it and audits
the export); the writing runs off the GUI thread with progress and Cancel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.db.enums import Role
from praverka.ui import messages, reauth
from praverka.ui.login import database_error_text
from praverka.ui.tasks import TaskControl, run_task

if TYPE_CHECKING:
    from praverka.app import exports
    from praverka.ui.main_window import MainWindow

_FILTERS = {
    ".xlsx": "Excel (*.xlsx)",
    ".csv": "CSV (*.csv)",
    ".pdf": "PDF (*.pdf)",
}


def ask_save_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    """Where to write; None when the person cancels. Tests replace this function."""
    suffix = Path(suggested).suffix
    choices = ";;".join(
        [_FILTERS[suffix], *(f for s, f in _FILTERS.items() if s not in (suffix, ".pdf"))]
        if suffix != ".pdf"
        else [_FILTERS[".pdf"]]
    )
    return messages.ask_save_file(parent, title, suggested, choices)


def ask_week(parent: QWidget, suggested: str) -> str | None:
    """The ISO week of the report, as 2026-W47; None when cancelled. Tests replace this."""
    text, ok = QInputDialog.getText(
        parent, _("Weekly report"), _("Which week (YYYY-Www)?"), text=suggested
    )
    return text.strip() if ok else None


def install(window: MainWindow, menu: QMenu) -> tuple[QAction, QAction]:
    queue = QAction(_("&Export the queue..."), window)
    queue.setObjectName("exportQueueAction")
    queue.setToolTip(_("The cases the filters show, as a CSV or XLSX file (password asked)"))
    queue.triggered.connect(lambda: export_queue(window))
    weekly = QAction(_("&Weekly report..."), window)
    weekly.setObjectName("weeklyReportAction")
    allowed = window.actor.has_role(Role.SUPERVISOR) or window.actor.has_role(Role.ADMIN)
    weekly.setEnabled(allowed)
    weekly.setToolTip(
        _("The week's figures and charts as a PDF (password asked)")
        if allowed
        else _("The weekly report is for supervisors and administrators.")
    )
    weekly.triggered.connect(lambda: weekly_report(window))
    menu.addActions([queue, weekly])
    return queue, weekly


def _password(window: MainWindow, what: str) -> str | None:
    return reauth.ask_password(window, window.actor, what, "")


def _failed(window: MainWindow, title: str, exc: BaseException) -> None:
    from praverka.app import exports

    if isinstance(exc, exports.ExportCancelled):
        window.statusBar().showMessage(_("The export was cancelled; nothing was written."), 8000)
        return
    text = str(exc) if isinstance(exc, PraverkaError) else database_error_text(exc)
    messages.show_error(window, title, text)


def export_queue(window: MainWindow) -> None:
    # Imported on use: the exports bring ReportLab and openpyxl, which the window's
    # opening after sign-in should not wait for.
    from praverka.app import exports

    path = ask_save_path(window, _("Export the queue"), "cases.xlsx")
    if path is None:
        return
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in exports.FORMATS:
        path, fmt = path.with_name(path.name + ".xlsx"), "xlsx"
    password = _password(window, _("exporting the queue"))
    if password is None:
        return
    ctx, actor = window.ctx, window.actor
    flt = window.filters.case_filter(*window.current_sort())

    def work(control: TaskControl) -> exports.ExportResult:
        return exports.export_cases(ctx, actor, password, flt, fmt, path, control.progress)

    def done(result: exports.ExportResult) -> None:
        window.statusBar().showMessage(
            _("Exported {n:,} cases to {file}.").format(n=result.rows, file=result.path), 10000
        )

    window.export_task = run_task(
        window,
        work,
        on_done=done,
        on_error=lambda exc: _failed(window, _("The export failed"), exc),
        on_cancelled=lambda: window.statusBar().showMessage(
            _("The export was cancelled; nothing was written."), 8000
        ),
        label=_("Exporting cases..."),
    )


def weekly_report(window: MainWindow) -> None:
    from praverka.app import exports
    from praverka.app.weekly_figures import current_week

    year, week = current_week(window.ctx.now())
    typed = ask_week(window, f"{year:04d}-W{week:02d}")
    if typed is None:
        return
    try:
        chosen = exports.parse_week(typed)
    except PraverkaError as exc:
        messages.show_error(window, _("Weekly report"), str(exc))
        return
    path = ask_save_path(
        window, _("Save the weekly report"), f"weekly-{chosen[0]:04d}-W{chosen[1]:02d}.pdf"
    )
    if path is None:
        return
    password = _password(window, _("writing the weekly report"))
    if password is None:
        return
    ctx, actor = window.ctx, window.actor

    def work(_control: TaskControl) -> Path:
        return exports.export_weekly_report(ctx, actor, password, chosen, path)

    window.export_task = run_task(
        window,
        work,
        on_done=lambda written: window.statusBar().showMessage(
            _("Wrote the weekly report to {file}.").format(file=written), 10000
        ),
        on_error=lambda exc: _failed(window, _("The weekly report failed"), exc),
        label=_("Writing the weekly report..."),
    )
