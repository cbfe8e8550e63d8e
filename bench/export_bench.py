"""Exporting every case to XLSX and CSV, against writing the same rows, fetched beforehand.

The export counts the cases, streams their rows from one SELECT chunk by chunk, reports
progress, writes a partial file beside the target, and renames it once the audit event
is written.
The floors are the bare writers (openpyxl write-only, csv.writer) given the same rows
already in memory: what is left when the database reading and the rest cost nothing.
Reading the rows has its own floor: one plain SQL query for the same columns, run and
fetched with the bare sqlite3 module; the export's reading is measured against it, and
each export against the work it cannot skip: the password check, that read and its writer.

`python -m bench.export_bench DATABASE` prints the figures for an existing demo database.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]

from bench import harness
from bench.harness import Timing, measure, once
from praverka.app import demo, exports, queries, setup, users
from praverka.app.context import AppContext

ACCOUNT = next(a for a in demo.DEMO_ACCOUNTS if "supervisor" in a.roles)


def _prefetched(ctx: AppContext, *, as_text: bool) -> list[list[object]]:
    """The header and every case's row, read the way the export reads them."""
    now = ctx.now()
    with ctx.db.read() as session:
        rows: list[list[object]] = [exports.column_headers()]  # type: ignore[list-item]
        for chunk in exports._row_chunks(session, queries.CaseFilter(), now, as_text=as_text):
            rows += chunk
    return rows


# Every column the export shows, for every case in the queue's default order (oldest
# first): the purposes gathered in one string, the first Cyrillic and the first Latin
# name, the birth date parts and the officer's name, as stored.
RAW_QUERY = """
SELECT c.number, c.status, c.priority,
       (SELECT group_concat(p.purpose, ',') FROM case_purposes p WHERE p.case_id = c.id),
       (SELECT trim(n.surname || ' ' || n.given_names || ' ' || n.patronymic)
          FROM applicant_names n
         WHERE n.applicant_id = c.applicant_id AND n.script IN ('be', 'ru')
         ORDER BY n.position LIMIT 1),
       (SELECT n.surname || ' ' || n.given_names
          FROM applicant_names n
         WHERE n.applicant_id = c.applicant_id AND n.script = 'latin_passport'
         ORDER BY n.position LIMIT 1),
       a.birth_year, a.birth_month, a.birth_day, u.full_name, c.created_at, c.status_changed_at
  FROM cases c
  JOIN applicants a ON a.id = c.applicant_id
  LEFT JOIN users u ON u.id = c.assigned_officer_id
 ORDER BY c.created_at, c.id
"""


def _raw_query(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return len(connection.execute(RAW_QUERY).fetchall())
    finally:
        connection.close()


def _xlsx_floor(rows: list[list[object]], target: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    for row in rows:
        sheet.append(row)
    book.save(target)


def _csv_floor(rows: list[list[object]], target: Path) -> None:
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _sum(*parts: Timing) -> Timing:
    """Work done one part after the other: the best of each, added."""
    total = sum(part.best for part in parts)
    return Timing(total, total, 1)


def run(ctx: AppContext, path: Path) -> list[tuple[str, Timing, Timing, str]]:
    actor = users.authenticate(ctx, ACCOUNT.username, ACCOUNT.password)
    rows = _prefetched(ctx, as_text=False)
    text_rows = _prefetched(ctx, as_text=True)
    count = len(rows) - 1
    if _raw_query(path) != count:
        raise RuntimeError("the raw query and the export disagree; update the bench")
    reading = measure(lambda: _prefetched(ctx, as_text=True), repeat=3, warmup=0)
    raw = measure(lambda: _raw_query(path), repeat=3, warmup=0)
    # The export asks for the password again (argon2, slow on purpose): work it cannot skip.
    password = measure(
        lambda: users.confirm_password(ctx, actor, ACCOUNT.password, "the export"), repeat=3
    )
    results: list[tuple[str, Timing, Timing, str]] = [
        (f"read {count:,} cases' export rows", reading, raw,
         "bare sqlite3 running one SQL query for the same columns")
    ]  # fmt: skip
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
        results.append(
            ("  the same, against", xlsx, _sum(password, raw, xlsx_floor),
             "the password check, the raw query, then openpyxl write-only")
        )  # fmt: skip
        text = once(lambda: export("csv"))
        text_floor = once(lambda: _csv_floor(text_rows, out / "floor.csv"))
        results.append(
            (f"export {count:,} cases to CSV", text, text_floor,
             "csv.writer of the same rows, fetched beforehand")
        )  # fmt: skip
        results.append(
            ("  the same, against", text, _sum(password, raw, text_floor),
             "the password check, the raw query, then csv.writer")
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
