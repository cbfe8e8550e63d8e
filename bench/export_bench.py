"""Exporting every case to XLSX and CSV, against writing the same rows, fetched beforehand.

The export reads the ids and the rows from the database chunk by chunk, reports progress,
writes a partial file beside the target, and renames it once the audit event is written.
The floors are the bare writers (openpyxl write-only, csv.writer) given the same rows
already in memory: what is left when the database reading and the rest cost nothing.

`python -m bench.export_bench DATABASE` prints the figures for an existing demo database.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]

from bench import harness
from bench.harness import Timing, once
from praverka.app import demo, exports, queries, setup, users
from praverka.app.context import AppContext

ACCOUNT = next(a for a in demo.DEMO_ACCOUNTS if "supervisor" in a.roles)


def _prefetched(ctx: AppContext) -> list[list[object]]:
    now = ctx.now()
    with ctx.db.read() as session:
        ids = list(session.scalars(queries.filtered_ids(queries.CaseFilter(), now)))
        rows: list[list[object]] = [exports.column_headers()]  # type: ignore[list-item]
        for start in range(0, len(ids), exports.CHUNK):
            rows += exports._rows(session, ids[start : start + exports.CHUNK], now, as_text=False)
    return rows


def _xlsx_floor(rows: list[list[object]], target: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    for row in rows:
        sheet.append(row)
    book.save(target)


def _csv_floor(rows: list[list[object]], target: Path) -> None:
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def run(ctx: AppContext, path: Path) -> list[tuple[str, Timing, Timing, str]]:
    actor = users.authenticate(ctx, ACCOUNT.username, ACCOUNT.password)
    rows = _prefetched(ctx)
    count = len(rows) - 1
    text_rows = [
        [f"{c:%Y-%m-%d %H:%M}" if hasattr(c, "strftime") else c for c in row] for row in rows
    ]
    results: list[tuple[str, Timing, Timing, str]] = []
    with tempfile.TemporaryDirectory(prefix="praverka-export-bench-") as folder:
        out = Path(folder)
        ticks: list[int] = []

        def progress(done: int, total: int) -> bool:
            ticks.append(done)
            return True

        def export(fmt: str) -> None:
            result = exports.export_cases(
                ctx, actor, ACCOUNT.password, queries.CaseFilter(), fmt, out / f"all.{fmt}",
                progress,
            )  # fmt: skip
            if result.rows != count:
                raise RuntimeError("the export and the prefetch disagree; update the bench")

        # The password check (argon2, slow on purpose) is part of what a person waits for.
        xlsx = once(lambda: export("xlsx"))
        xlsx_floor = once(lambda: _xlsx_floor(rows, out / "floor.xlsx"))
        results.append(
            (f"export {count:,} cases to XLSX", xlsx, xlsx_floor,
             "openpyxl write-only of the same rows, fetched beforehand")
        )  # fmt: skip
        text = once(lambda: export("csv"))
        text_floor = once(lambda: _csv_floor(text_rows, out / "floor.csv"))
        results.append(
            (f"export {count:,} cases to CSV", text, text_floor,
             "csv.writer of the same rows, fetched beforehand")
        )  # fmt: skip
    return results


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.export_bench DATABASE.sqlite3", file=sys.stderr)
        return 2
    path = Path(argv[0])
    ctx = AppContext(setup.open_database(f"sqlite:///{path}"))
    print(harness.columns())
    for row in run(ctx, path):
        print(harness.line(*row), flush=True)
    ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
