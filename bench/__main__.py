"""`python -m bench [--cases N] [--only FIGURE]`: each figure beside its floor."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench import (
    audit_bench,
    dashboard_bench,
    demo_bench,
    export_bench,
    harness,
    letter_bench,
    query_bench,
    ui_bench,
)

FIGURES = ("demo", "list", "verify", "ui", "letters", "dashboard", "exports")
# Figures measured on the populated demo database; the letters need none.
DATABASE_FIGURES = ("demo", "list", "verify", "ui", "dashboard", "exports")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000, help="demo cases (default 100000)")
    parser.add_argument("--only", choices=FIGURES, help="one figure only")
    args = parser.parse_args(argv)
    wanted = (args.only,) if args.only else FIGURES
    print(harness.header())
    print()
    print(harness.columns())
    if "letters" in wanted:
        for row in letter_bench.run():
            print(harness.line(*row), flush=True)
    if not set(wanted) & set(DATABASE_FIGURES):
        return 0
    with tempfile.TemporaryDirectory(prefix="praverka-bench-") as folder:
        path = Path(folder) / "demo.sqlite3"
        # Every figure needs the populated database, so it is always made.
        own, helper = demo_bench.cpu_seconds()
        ctx, report, generated = demo_bench.generate(path, args.cases)
        own_after, helper_after = demo_bench.cpu_seconds()
        if "demo" in wanted:
            floor, rows = demo_bench.floor(path, Path(folder) / "floor.sqlite3")
            name = f"demo populate, {report.cases:,} cases"
            floor_is = f"bare sqlite3 executemany of the same {rows:,} rows"
            print(harness.line(name, generated, floor, floor_is))
            print(
                f"{'':<{harness.NAME_WIDTH}} cpu: {own_after - own:.1f} s writer + "
                f"{helper_after - helper:.1f} s helper process, on {os.cpu_count()} cores",
                flush=True,
            )
        if "list" in wanted:
            for name, measured, floor, floor_is in query_bench.run(ctx, path):
                print(harness.line(name, measured, floor, floor_is), flush=True)
        if "verify" in wanted:
            print(harness.line(*audit_bench.run(ctx, path)), flush=True)
        if "dashboard" in wanted:
            for row in dashboard_bench.run(ctx, path):
                print(harness.line(*row), flush=True)
        if "exports" in wanted:
            for row in export_bench.run(ctx, path):
                print(harness.line(*row), flush=True)
        if "ui" in wanted:
            for text in ui_bench.run(ctx, path):
                print(text, flush=True)
        ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
