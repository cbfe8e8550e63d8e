"""The supervisor's dashboard window: five charts of the office's figures, each with its table.

The figures are counted by the database (praverka.app.dashboard) on a worker
thread; the charts and tables are rebuilt from the result on the GUI thread.
Each chart is a `chart_panel.ChartPanel`, which says how the bars are drawn.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app import dashboard as service
from praverka.app.context import Actor, AppContext
from praverka.app.dashboard import DashboardFigures, DashboardFilter
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.ui import labels
from praverka.ui.chart_panel import (
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    VERMILION,
    BarSeries,
    Cell,
    ChartPanel,
)
from praverka.ui.tasks import Task, TaskControl, run_task

FILTER_DELAY_MS = 300
PANELS = ("status", "weeks", "ages", "officers", "letters")

Table = tuple[list[str], list[list[Cell]]]


def may_view(actor: Actor) -> bool:
    """Whether the dashboard is for this person (the menu entry is enabled for them)."""
    return service.may_view(actor)


class DashboardWindow(QWidget):
    """Charts of the office's figures for a date range and purpose; supervisors and admins."""

    figures_applied = Signal(object)  # the DashboardFigures now on screen
    load_failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboard")
        self.setWindowTitle(_("Dashboard \N{EM DASH} Praverka"))
        self.ctx, self.actor = ctx, actor
        self.figures: DashboardFigures | None = None
        self._task: Task[DashboardFigures] | None = None
        self._generation = 0
        self.resize(1360, 900)

        initial = service.default_filter(today or ctx.now().date())
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("From"), self))
        self.start_edit = self._date_edit("dashboardStart", initial.start)
        bar.addWidget(self.start_edit)
        bar.addWidget(QLabel(_("to"), self))
        self.end_edit = self._date_edit("dashboardEnd", initial.end)
        bar.addWidget(self.end_edit)
        self.purpose = QComboBox(self)
        self.purpose.setObjectName("dashboardPurpose")
        self.purpose.setAccessibleName(_("Purpose"))
        self.purpose.addItem(_("Any purpose"), "")
        for code in labels.PURPOSES:
            self.purpose.addItem(labels.label(labels.PURPOSES, code), code)
        bar.addWidget(self.purpose)
        self.refresh_button = QPushButton(_("Refresh"), self)
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.setToolTip(_("Count the figures again (F5)"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        self.export_button = QPushButton(_("Export table..."), self)
        self.export_button.setObjectName("dashboardExport")
        self.export_button.setToolTip(_("The figures as a CSV or XLSX file (password asked)"))
        self.export_button.clicked.connect(self.export_table)
        bar.addWidget(self.export_button)
        bar.addStretch(1)
        self.status = QLabel(self)
        self.status.setObjectName("dashboardStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.status)
        layout.addLayout(bar)

        self.panels: dict[str, ChartPanel] = {
            "status": ChartPanel("status", _("Cases by status, now"), self),
            "weeks": ChartPanel("weeks", _("Intake and approvals per week"), self),
            "ages": ChartPanel("ages", _("Open cases by age, now"), self),
            "officers": ChartPanel("officers", _("Officers: submitted and approved"), self),
            "letters": ChartPanel("letters", _("Letters issued per purpose"), self),
        }
        grid = QGridLayout()
        grid.setSpacing(8)
        grid.addWidget(self.panels["status"], 0, 0)
        grid.addWidget(self.panels["ages"], 0, 1)
        grid.addWidget(self.panels["weeks"], 1, 0, 1, 2)
        grid.addWidget(self.panels["officers"], 2, 0)
        grid.addWidget(self.panels["letters"], 2, 1)
        for row in range(3):
            grid.setRowStretch(row, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid, 1)

        self._timer = QTimer(self)
        self._timer.setObjectName("dashboardFilterTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.start_edit.dateChanged.connect(self._timer.start)
        self.end_edit.dateChanged.connect(self._timer.start)
        self.purpose.currentIndexChanged.connect(self._timer.start)
        self.refresh_button.setFocus()

    def _date_edit(self, name: str, value: dt.date) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(_("From") if name == "dashboardStart" else _("To"))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setDate(QDate(value.year, value.month, value.day))
        return edit

    def showEvent(self, event: QShowEvent) -> None:
        # Counted when opened, and again whenever it is shown after being closed
        # (not when the window manager merely restores it).
        if not event.spontaneous():
            self.refresh()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Figures still being counted are dropped when they arrive.
        self._generation += 1
        self._timer.stop()
        super().closeEvent(event)

    # ------------------------------------------------------------- filter

    def current_filter(self) -> DashboardFilter:
        purpose = self.purpose.currentData()
        return DashboardFilter(
            start=self.start_edit.date().toPython(),  # type: ignore[arg-type]
            end=self.end_edit.date().toPython(),  # type: ignore[arg-type]
            purpose=str(purpose) if purpose else None,
        )

    def set_filter(self, flt: DashboardFilter) -> None:
        """Show the filter's values; the figures follow after the usual short pause."""
        for edit, value in ((self.start_edit, flt.start), (self.end_edit, flt.end)):
            edit.setDate(QDate(value.year, value.month, value.day))
        index = self.purpose.findData(flt.purpose or "")
        self.purpose.setCurrentIndex(max(index, 0))

    def is_loading(self) -> bool:
        return self._task is not None and self._task.is_running()

    def refresh(self) -> None:
        """Count the figures for the filter shown, off the GUI thread."""
        self._timer.stop()
        flt = self.current_filter()
        try:
            service.check_filter(flt)
        except PraverkaError as exc:
            self._failed_now(str(exc))
            return
        self._generation += 1
        generation = self._generation
        ctx, actor = self.ctx, self.actor

        def work(_control: TaskControl) -> DashboardFigures:
            return service.dashboard(ctx, actor, flt)

        self.status.setText(_("Counting..."))
        self._task = run_task(
            self,
            work,
            on_done=lambda figures: self._done(generation, figures),
            on_error=lambda exc: self._error(generation, exc),
            show_progress=False,
        )

    def _done(self, generation: int, figures: DashboardFigures) -> None:
        if generation != self._generation:
            return  # a newer filter is being counted
        self.apply(figures)

    def _error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._failed_now(
            str(exc) if isinstance(exc, PraverkaError) else _("Cannot count: {e}").format(e=exc)
        )

    def _failed_now(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #B00020;")
        self.load_failed.emit(message)

    # ------------------------------------------------------------- figures

    def apply(self, figures: DashboardFigures) -> None:
        """Draw the figures: every chart and its table (GUI thread)."""
        self.figures = figures
        self.status.setStyleSheet("")
        flt = figures.filter
        purpose = labels.label(labels.PURPOSES, flt.purpose) if flt.purpose else _("any purpose")
        self.status.setText(
            _("{start} to {end}, {purpose}; {open:,} open cases; counted {at}").format(
                start=labels.day(flt.start),
                end=labels.day(flt.end),
                purpose=purpose,
                open=figures.open_cases,
                at=labels.when(figures.computed_at),
            )
        )
        count = _("Cases")
        statuses = [labels.label(labels.STATUSES, s) for s, _n in figures.by_status]
        panel = self.panels["status"]
        panel.set_bars(statuses, [BarSeries(count, BLUE, tuple(n for _s, n in figures.by_status))])
        panel.set_table(
            [_("Status"), count],
            [[s, n] for s, (_c, n) in zip(statuses, figures.by_status, strict=True)],
        )

        intake, approvals = _("Intake"), _("Approvals")
        # "W45" while the range is within one ISO year; "2025-W45" when two weeks would share it.
        weeks = [w.week.split("-")[1] for w in figures.weeks]
        if len(set(weeks)) < len(weeks) or len({w.week[:4] for w in figures.weeks}) > 1:
            weeks = [w.week for w in figures.weeks]
        panel = self.panels["weeks"]
        panel.set_bars(
            weeks,
            [
                BarSeries(intake, BLUE, tuple(w.intake for w in figures.weeks)),
                BarSeries(approvals, ORANGE, tuple(w.approvals for w in figures.weeks)),
            ],
            axis_title=_("ISO week"),
        )
        panel.set_table(
            [_("Week"), _("Monday"), intake, approvals],
            [[w.week, labels.day(w.monday), w.intake, w.approvals] for w in figures.weeks],
        )

        bands = [band.label for band in figures.age_bands]
        panel = self.panels["ages"]
        panel.set_bars(
            bands,
            [BarSeries(_("Open cases"), VERMILION, tuple(b.count for b in figures.age_bands))],
            axis_title=_("Days open"),
        )
        panel.set_table(
            [_("Days open"), _("Open cases")],
            [[b, c.count] for b, c in zip(bands, figures.age_bands, strict=True)],
        )

        submitted, approved = _("Submitted for review"), _("Approved (prepared by them)")
        # Horizontal bars list their categories bottom up: reversed, the first name is on top.
        officers = list(reversed(figures.officers))
        panel = self.panels["officers"]
        panel.set_bars(
            [o.name for o in officers],
            [
                BarSeries(submitted, BLUE, tuple(o.submitted for o in officers)),
                BarSeries(approved, GREEN, tuple(o.approved for o in officers)),
            ],
            horizontal=True,
        )
        panel.set_table(
            [_("Officer"), submitted, approved],
            [[o.name, o.submitted, o.approved] for o in figures.officers],
        )

        letters = [labels.label(labels.SHORT_PURPOSES, p) for p, _n in figures.letters]
        panel = self.panels["letters"]
        panel.set_bars(
            letters, [BarSeries(_("Letters"), PURPLE, tuple(n for _p, n in figures.letters))]
        )
        panel.set_table(
            [_("Purpose"), _("Letters")],
            [[labels.label(labels.PURPOSES, p), n] for p, n in figures.letters],
        )
        self.figures_applied.emit(figures)

    def export_table(self) -> None:
        """The figures on screen as CSV or XLSX, after the password; audited by the service."""
        from praverka.app import exports
        from praverka.app.errors import PraverkaError
        from praverka.ui import export_actions, messages, reauth

        path = export_actions.ask_save_path(self, _("Export the dashboard"), "dashboard.xlsx")
        if path is None:
            return
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in exports.FORMATS:
            path, fmt = path.with_name(path.name + ".xlsx"), "xlsx"
        password = reauth.ask_password(self, self.actor, _("exporting the dashboard"), "")
        if password is None:
            return
        headers, rows = self.current_table()
        try:
            result = exports.export_table(
                self.ctx, self.actor, password, _("Dashboard"), headers, rows, fmt, path
            )
        except PraverkaError as exc:
            messages.show_error(self, _("The export failed"), str(exc))
            return
        self.status.setText(
            _("Exported {n} rows to {file}.").format(n=result.rows, file=result.path.name)
        )

    def current_table(self) -> Table:
        """Every figure on screen as one table (figure, item, value), for export."""
        headers = [_("Figure"), _("Item"), _("Value")]
        rows: list[list[Cell]] = []
        for name in PANELS:
            panel = self.panels[name]
            for row in panel.rows:
                item = str(row[0])
                for header, value in zip(panel.headers[1:], row[1:], strict=True):
                    if isinstance(value, int):
                        rows.append([f"{panel.title()}: {header}", item, value])
        return headers, rows
