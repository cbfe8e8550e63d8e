"""The supervisors' weekly report as an A4 PDF: plain values in, bytes out.

    pdf = weekly_report_pdf(figures, "Crisis Centre Kyiv", labels)

Tables of the week's figures with simple bar charts, in the letters' shipped DejaVu fonts
(embedded).  Every text arrives already translated: the figures carry their row labels,
and `WeeklyLabels` the headings (English by default).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.charts.barcharts import (  # type: ignore[import-untyped]
    HorizontalBarChart,
    VerticalBarChart,
)
from reportlab.graphics.charts.legends import Legend  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from praverka.reports.letters import fonts
from praverka.reports.letters.fonts import BOLD, REGULAR


@dataclass(frozen=True)
class OfficerFigures:
    name: str
    intake: int  # cases they opened during the week
    submitted: int  # cases they submitted for review during the week
    decided: int  # approvals, returns and rejections they made during the week
    letters: int  # letters they issued during the week
    open_assigned: int  # open cases assigned to them now


@dataclass(frozen=True)
class WeeklyFigures:
    iso_year: int
    iso_week: int
    first_day: dt.date  # Monday
    generated_at: dt.datetime
    day_labels: tuple[str, ...]  # seven, Monday first
    # Each a count per day of the week, Monday first.
    intake: tuple[int, ...]
    submitted: tuple[int, ...]
    approved: tuple[int, ...]
    returned: tuple[int, ...]
    rejected: tuple[int, ...]
    letters: tuple[int, ...]
    by_status: tuple[tuple[str, int], ...]  # (label, count) now
    age_bands: tuple[tuple[str, int], ...]  # (label, open cases) now
    officers: tuple[OfficerFigures, ...]

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=6)


@dataclass(frozen=True)
class WeeklyLabels:
    title: str = "Weekly report"
    week: str = "Week {week}: {first} to {last}"
    generated: str = "Made {at} UTC. Days are counted in UTC."
    activity: str = "During the week"
    total: str = "Total"
    intake: str = "New cases"
    submitted: str = "Submitted for review"
    approved: str = "Approved"
    returned: str = "Returned"
    rejected: str = "Rejected"
    letters: str = "Letters issued"
    by_status: str = "Cases by status now"
    status: str = "Status"
    cases: str = "Cases"
    age_bands: str = "Open cases by age now"
    age: str = "Age"
    officers: str = "Per person, during the week"
    person: str = "Person"
    decided: str = "Decisions"
    open_assigned: str = "Open, assigned now"
    nobody: str = "Nobody worked on cases this week."
    page: str = "Page {n}"


NAVY = colors.Color(0.11, 0.23, 0.38)
GREY = colors.Color(0.36, 0.38, 0.42)
RULE = colors.Color(0.8, 0.82, 0.86)
SHADE = colors.Color(0.93, 0.95, 0.97)
SERIES = (
    colors.Color(0.11, 0.23, 0.38),
    colors.Color(0.35, 0.62, 0.78),
    colors.Color(0.85, 0.55, 0.2),
)
WIDTH = A4[0] - 36 * mm


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "org": ParagraphStyle("org", fontName=BOLD, fontSize=9, leading=11, textColor=GREY),
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, textColor=NAVY),
        "sub": ParagraphStyle("sub", fontName=REGULAR, fontSize=10, leading=13),
        "note": ParagraphStyle("note", fontName=REGULAR, fontSize=7.5, leading=9.5, textColor=GREY),
        "h": ParagraphStyle(
            "h", fontName=BOLD, fontSize=11, leading=14, textColor=NAVY, spaceBefore=5 * mm,
            spaceAfter=2 * mm,
        ),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=10),
        "th": ParagraphStyle(
            "th", fontName=BOLD, fontSize=8, leading=10, textColor=NAVY, alignment=2
        ),
    }  # fmt: skip


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float], *, total_row: bool) -> Table:
    cells = [[c if isinstance(c, Flowable) else str(c) for c in row] for row in rows]
    table = Table(cells, colWidths=list(widths), repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8),
        ("FONT", (0, 0), (-1, 0), BOLD, 8),
        ("TEXTCOLOR", (0, 0), (-1, 0), NAVY),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, SHADE]),
    ]
    if total_row:
        style += [("FONT", (0, -1), (-1, -1), BOLD, 8), ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY)]
    table.setStyle(TableStyle(style))
    return table


def _axis_top(values: Sequence[int]) -> tuple[int, int]:
    """A round top for the value axis and its step, so the ticks are whole numbers."""
    top = max([*values, 1])
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        if top / step <= 6:
            break
    else:
        step = 10 ** len(str(top))
    return step * -(-top // step), step


def _style_axes(chart: Any, values: Sequence[int]) -> None:
    top, step = _axis_top(values)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.25
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.strokeColor = GREY
    chart.bars.strokeColor = None


def _day_chart(figures: WeeklyFigures, labels: WeeklyLabels) -> Drawing:
    series = (
        (labels.intake, figures.intake),
        (labels.approved, figures.approved),
        (labels.letters, figures.letters),
    )
    drawing = _drawing(WIDTH, 52 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    chart.width, chart.height = WIDTH - 60 * mm, 40 * mm
    chart.data = [list(values) for _, values in series]
    chart.categoryAxis.categoryNames = list(figures.day_labels)
    _style_axes(chart, [v for _, values in series for v in values])
    chart.groupSpacing = 6
    chart.barSpacing = 1
    for index, colour in enumerate(SERIES):
        chart.bars[index].fillColor = colour
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = WIDTH - 44 * mm, 40 * mm
    legend.fontName, legend.fontSize = REGULAR, 7.5
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.dx = legend.dy = 7
    legend.deltay = 11
    legend.columnMaximum = 5
    legend.strokeColor = None
    legend.colorNamePairs = [(SERIES[i], name) for i, (name, _) in enumerate(series)]
    drawing.add(legend)
    return drawing


def _bars(pairs: Sequence[tuple[str, int]], width: float, colour: Any) -> Drawing:
    """Horizontal bars, one a row, with the count at the end of each bar."""
    height = max(len(pairs), 1) * 6 * mm + 10 * mm
    drawing = _drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 32 * mm, 7 * mm
    chart.width, chart.height = width - 42 * mm, height - 10 * mm
    # Drawn bottom-up: reversed so the first pair is on top, as in the table beside it.
    chart.data = [[count for _, count in reversed(pairs)] or [0]]
    chart.categoryAxis.categoryNames = [label for label, _ in reversed(pairs)] or [""]
    _style_axes(chart, [count for _, count in pairs])
    chart.categoryAxis.labels.fontSize = 7.5
    chart.bars[0].fillColor = colour
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    return drawing


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # Its text starts in our font, not ReportLab's default (an unembedded Helvetica).
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = 7
    return drawing


def _side_by_side(left: Any, right: Any, left_width: float) -> Table:
    table = Table([[left, right]], colWidths=[left_width, WIDTH - left_width])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),  # else Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 6 * mm),
            ]
        )
    )
    return table


def _activity(figures: WeeklyFigures, labels: WeeklyLabels) -> Table:
    rows: list[list[object]] = [["", *figures.day_labels, labels.total]]
    for label, values in (
        (labels.intake, figures.intake),
        (labels.submitted, figures.submitted),
        (labels.approved, figures.approved),
        (labels.returned, figures.returned),
        (labels.rejected, figures.rejected),
        (labels.letters, figures.letters),
    ):
        rows.append([label, *values, sum(values)])
    first = 44 * mm
    rest = (WIDTH - first) / 8
    return _table(rows, [first] + [rest] * 8, total_row=False)


def _counted(
    pairs: Sequence[tuple[str, int]], head: str, labels: WeeklyLabels, colour: Any
) -> Table:
    rows: list[list[object]] = [[head, labels.cases], *[[label, n] for label, n in pairs]]
    rows.append([labels.total, sum(n for _, n in pairs)])
    table = _table(rows, [38 * mm, 18 * mm], total_row=True)
    return _side_by_side(table, _bars(pairs, WIDTH - 62 * mm, colour), 62 * mm)


def _officers(figures: WeeklyFigures, labels: WeeklyLabels, styles: dict[str, Any]) -> Any:
    if not figures.officers:
        return Paragraph(_escape(labels.nobody), styles["sub"])
    heads = (labels.intake, labels.submitted, labels.decided, labels.letters, labels.open_assigned)
    rows: list[list[object]] = [
        [labels.person, *(Paragraph(_escape(head), styles["th"]) for head in heads)]
    ]
    for o in figures.officers:
        rows.append(
            [
                Paragraph(_escape(o.name), styles["cell"]),
                o.intake,
                o.submitted,
                o.decided,
                o.letters,
                o.open_assigned,
            ]
        )
    rows.append(
        [
            labels.total,
            *(
                sum(getattr(o, name) for o in figures.officers)
                for name in ("intake", "submitted", "decided", "letters", "open_assigned")
            ),
        ]
    )
    first = 54 * mm
    rest = (WIDTH - first) / 5
    return _table(rows, [first] + [rest] * 5, total_row=True)


def weekly_report_pdf(
    figures: WeeklyFigures, organisation_name: str, labels: WeeklyLabels | None = None
) -> bytes:
    """The weekly report of `figures` as PDF bytes."""
    labels = labels or WeeklyLabels()
    fonts.register()
    styles = _styles()
    buffer = io.BytesIO()
    week = f"{figures.iso_year:04d}-W{figures.iso_week:02d}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{labels.title} {week}",
        author=organisation_name,
        initialFontName=REGULAR,  # not ReportLab's default, an unembedded Helvetica
        initialFontSize=9,
        invariant=1,
    )

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(18 * mm, 9 * mm, f"{organisation_name} · {labels.title} {week}")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, labels.page.format(n=doc.page))
        canvas.restoreState()

    flow: list[Any] = [
        Paragraph(_escape(organisation_name), styles["org"]),
        Paragraph(_escape(labels.title), styles["title"]),
        Paragraph(
            _escape(
                labels.week.format(
                    week=week,
                    first=figures.first_day.isoformat(),
                    last=figures.last_day.isoformat(),
                )
            ),
            styles["sub"],
        ),
        Paragraph(
            _escape(labels.generated.format(at=f"{figures.generated_at:%Y-%m-%d %H:%M}")),
            styles["note"],
        ),
        Paragraph(_escape(labels.activity), styles["h"]),
        _activity(figures, labels),
        Spacer(1, 4 * mm),
        _day_chart(figures, labels),
        KeepTogether(
            [
                Paragraph(_escape(labels.by_status), styles["h"]),
                _counted(figures.by_status, labels.status, labels, SERIES[0]),
            ]
        ),
        KeepTogether(
            [
                Paragraph(_escape(labels.age_bands), styles["h"]),
                _counted(figures.age_bands, labels.age, labels, SERIES[2]),
            ]
        ),
        KeepTogether(
            [
                Paragraph(_escape(labels.officers), styles["h"]),
                _officers(figures, labels, styles),
            ]
        ),
    ]
    document.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
