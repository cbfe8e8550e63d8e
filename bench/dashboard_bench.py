"""The supervisor's dashboard: its figures, and the window opened to its charts, beside the SQL.

The floor is the dashboard's own SELECTs, as SQLAlchemy sends them, run in bare
sqlite3: what the database needs to count the figures, with no ORM, no
dataclasses, no charts.
"""

from __future__ import annotations

import os

# Before Qt loads: no display is needed, and every machine measures the same platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from bench.harness import Timing, measure
from praverka.app import dashboard, users
from praverka.app.context import Actor, AppContext
from praverka.app.dashboard import DashboardFilter

ACCOUNT = "supervisor1"
TIMEOUT_S = 60.0
TARGET = "target ≤ 300 ms"


def _captured(ctx: AppContext, actor: Actor, flt: DashboardFilter) -> list[tuple[str, Any]]:
    """The SELECTs one dashboard sends to the driver, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(ctx.db.engine, "before_cursor_execute", listen)
    try:
        dashboard.dashboard(ctx, actor, flt)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", listen)
    return seen


def _open_window(app: QApplication, ctx: AppContext, actor: Actor) -> None:
    """A new dashboard window, from its construction to its figures drawn, then closed."""
    from praverka.ui.dashboard import DashboardWindow

    window = DashboardWindow(ctx, actor)
    loop = QEventLoop()
    failed: list[str] = []
    window.figures_applied.connect(lambda _figures: loop.quit())

    def on_failure(message: str) -> None:
        failed.append(message)
        loop.quit()

    window.load_failed.connect(on_failure)
    limit = QTimer(loop)
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    limit.start(int(TIMEOUT_S * 1000))
    window.show()
    if window.figures is None and not failed:
        loop.exec()
    limit.stop()
    if window.figures is None:
        raise RuntimeError(f"the dashboard never showed its figures: {failed}")
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def run(ctx: AppContext, path: Path) -> list[tuple[str, Timing, Timing, str]]:
    actor = users.actor_by_username(ctx, ACCOUNT)
    wide = dashboard.default_filter(ctx.now().date())
    bank = DashboardFilter(wide.start, wide.end, "bank_account")
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    weeks = len(dashboard.dashboard(ctx, actor, wide).weeks)
    raw = sqlite3.connect(path)
    results: list[tuple[str, Timing, Timing, str]] = []
    for name, flt in (("dashboard figures", wide), ("dashboard figures, one purpose", bank)):
        statements = _captured(ctx, actor, flt)

        def raw_sql(statements: list[tuple[str, Any]] = statements) -> None:
            for statement, parameters in statements:
                raw.execute(statement, parameters).fetchall()

        floor = measure(raw_sql)

        def figures_of(flt: DashboardFilter = flt) -> None:
            dashboard.dashboard(ctx, actor, flt)

        figures = measure(figures_of)
        results.append(
            (
                name,
                figures,
                floor,
                f"its {len(statements)} SELECTs in bare sqlite3 ({weeks} weeks)",
            )
        )
    opened = measure(lambda: _open_window(app, ctx, actor))
    results.append(
        (
            "dashboard window open to charts",
            opened,
            results[0][2],
            f"the figures' SELECTs in bare sqlite3; {TARGET}",
        )
    )
    raw.close()
    return results


def main(cases: int) -> None:
    """`python -m bench.dashboard_bench [CASES]`: this figure alone, on a new demo database."""
    import tempfile

    from bench import demo_bench, harness

    print(harness.header())
    print()
    print(harness.columns())
    with tempfile.TemporaryDirectory(prefix="praverka-bench-") as folder:
        path = Path(folder) / "demo.sqlite3"
        started = time.perf_counter()
        ctx, report, _took = demo_bench.generate(path, cases)
        print(f"({report.cases:,} demo cases in {time.perf_counter() - started:.0f} s)")
        for row in run(ctx, path):
            print(harness.line(*row), flush=True)
        ctx.db.dispose()


if __name__ == "__main__":
    import sys

    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
