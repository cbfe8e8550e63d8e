"""The supervisor's dashboard window: five charts of the office's figures, each with its table.

The figures are counted by the database (praverka.app.dashboard) on a worker
thread; the charts and tables are rebuilt from the result on the GUI thread.
Every bar carries its value and every category its name, so nothing is told
by colour alone; the colours are a palette that colour-blind readers tell apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app import dashboard as service
from praverka.app.context import Actor, AppContext
from praverka.app.dashboard import DashboardFigures, DashboardFilter
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.ui import labels
from praverka.ui.tasks import Task, TaskControl, run_task

# Okabe and Ito's palette: distinct for the common kinds of colour blindness.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
FILTER_DELAY_MS = 300
MAX_LABELLED_BARS = 40
MAX_FLAT_CATEGORIES = 20
PANELS = ("status", "weeks", "ages", "officers", "letters")

Cell = str | int
Table = tuple[list[str], list[list[Cell]]]


def may_view(actor: Actor) -> bool:
    """Whether the dashboard is for this person (the menu entry is enabled for them)."""
    return service.may_view(actor)


@dataclass(frozen=True)
class BarSeries:
    """One set of bars as the chart shows it: its name, colour, and a value per category."""

    name: str
    colour: str
    values: tuple[int, ...]


class ChartPanel(QGroupBox):
    """A titled chart with a "Table" toggle that shows the same figures as a table."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(f"{name}Panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addStretch(1)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName(f"{name}TableToggle")
        self.toggle.setText(_("Table"))
        self.toggle.setCheckable(True)
        self.toggle.setToolTip(_("Show these figures as a table instead of a chart"))
        self.toggle.toggled.connect(self._show_table)
        top.addWidget(self.toggle)
        layout.addLayout(top)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName(f"{name}Stack")
        self.chart = QChart()
        self.chart.setObjectName(f"{name}Chart")
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(0)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.view = QChartView(self.chart, self.stack)
        self.view.setObjectName(f"{name}ChartView")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(220)
        self.table = QTableWidget(self.stack)
        self.table.setObjectName(f"{name}Table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack, 1)
        self.headers: list[str] = []
        self.rows: list[list[Cell]] = []

    def _show_table(self, on: bool) -> None:
        self.stack.setCurrentWidget(self.table if on else self.view)
        self.toggle.setToolTip(
            _("Show these figures as a chart") if on else _("Show these figures as a table")
        )

    def set_bars(
        self,
        categories: Sequence[str],
        bars: Sequence[BarSeries],
        *,
        horizontal: bool = False,
        axis_title: str = "",
    ) -> None:
        """Replace the chart with bars: one set per entry of `bars`, values labelled."""
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.setObjectName(f"{self.objectName()}Series")
        for bar in bars:
            bar_set = QBarSet(bar.name)
            bar_set.setObjectName(bar.name)
            bar_set.append([float(v) for v in bar.values])
            bar_set.setColor(QColor(bar.colour))
            bar_set.setBorderColor(QColor(bar.colour).darker(130))
            bar_set.setLabelColor(QColor("#202020"))
            series.append(bar_set)
        # Past a few dozen bars their labels would overlap: the table has the values then.
        crowded = len(categories) * max(len(bars), 1) > MAX_LABELLED_BARS
        series.setLabelsVisible(not crowded)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(9)  # whole numbers in full, never 1.2e+04
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setBarWidth(0.8 if len(bars) > 1 else 0.6)
        chart.addSeries(series)

        names = QBarCategoryAxis()
        names.append(list(categories))
        names.setTruncateLabels(False)
        if not horizontal and len(categories) > MAX_FLAT_CATEGORIES:
            names.setLabelsAngle(-90)
            axis_title = ""  # Qt draws it over labels on their side; the labels say enough
        small = QFont(names.labelsFont())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        names.setLabelsFont(small)
        values = QValueAxis()
        top = max((v for bar in bars for v in bar.values), default=0)
        # Room beyond the longest bar for its label; at least 0..4 when all are zero.
        values.setRange(0, max(4, int(top * 1.18) + 1))
        values.setTickCount(5)
        values.setLabelFormat("%d")
        values.applyNiceNumbers()
        values.setLabelsFont(small)
        if axis_title:
            (values if horizontal else names).setTitleText(axis_title)
            title_font = QFont(small)
            (values if horizontal else names).setTitleFont(title_font)
        if horizontal:
            chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        series.attachAxis(values)
        chart.legend().setVisible(len(bars) > 1)
        # Bars of nought draw nothing, not even their label: say so rather than show a blank.
        chart.setTitle("" if top else _("None in this range"))

    def set_table(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
        self.headers = list(headers)
        self.rows = [list(row) for row in rows]
        table = self.table
        table.clear()
        table.setColumnCount(len(headers))
        table.setRowCount(len(rows))
        table.setHorizontalHeaderLabels(list(headers))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if isinstance(value, int):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)

    def series_values(self) -> dict[str, list[float]]:
        """What the chart shows: each bar set's name and its values, category by category."""
        shown: dict[str, list[float]] = {}
        for series in self.chart.series():
            if isinstance(series, QAbstractBarSeries):
                for bar_set in series.barSets():
                    shown[bar_set.label()] = [bar_set.at(i) for i in range(bar_set.count())]
        return shown

    def categories(self) -> list[str]:
        for axis in self.chart.axes():
            if isinstance(axis, QBarCategoryAxis):
                return list(axis.categories())
        return []


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
