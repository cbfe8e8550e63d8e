"""A titled bar chart that can show its figures as a table instead, for the dashboard.

Every bar carries its value and every category its name, so nothing is told
by colour alone; the colours are a palette that colour-blind readers tell apart.
"""

from __future__ import annotations

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
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app.i18n import _

# Okabe and Ito's palette: distinct for the common kinds of colour blindness.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
MAX_LABELLED_BARS = 40
MAX_FLAT_CATEGORIES = 20

Cell = str | int


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
