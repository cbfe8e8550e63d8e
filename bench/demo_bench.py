"""Demo generation against its floor: the same rows written by the bare sqlite3 module."""

from __future__ import annotations

import resource
import sqlite3
import time
from pathlib import Path

from bench.harness import Timing
from praverka.app import demo, setup
from praverka.app.context import AppContext
from praverka.app.demo_pipeline import AUDIT_TABLE
from praverka.app.demo_records import TABLES
from praverka.db import migrate

# Rows the generator writes, in foreign-key order, and what they refer to.
DATA_TABLES = (*TABLES, AUDIT_TABLE, "counters")
REFERENCED = ("users", "user_roles", "checklist_templates", "checklist_items")
CHUNK = 100_000  # rows per transaction in the floor, about what one demo batch writes


def generate(path: Path, cases: int) -> tuple[AppContext, demo.DemoReport, Timing]:
    """Populate a new SQLite file, timed from the empty file to the last commit."""
    ctx = AppContext(setup.open_database(f"sqlite:///{path}"))
    start = time.perf_counter()
    report = demo.populate(ctx, cases=cases)
    took = time.perf_counter() - start
    return ctx, report, Timing(took, took, 1)


def cpu_seconds() -> tuple[float, float]:
    """CPU time of this process and of its finished children (the demo helper)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _connect(path: Path) -> sqlite3.Connection:
    # The settings Praverka's own engine gives every connection (db/engine.py),
    # and the one populate adds while it writes (CHECKs not evaluated).
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA ignore_check_constraints=ON")
    return connection


def floor(source: Path, target: Path) -> tuple[Timing, int]:
    """The floor of generation: insert the rows the generator wrote, as they are stored.

    A new file gets the same schema (same indexes and constraints, the same
    connection settings as populate's writer); the users and the checklist are copied
    untimed, then every generated row is read back from the demo database
    (untimed) and inserted with bare sqlite3 executemany (timed).  What is left
    is SQLite's own cost of storing those rows: no data to draw, no values to
    convert, no audit hashes to compute, no SQLAlchemy.
    """
    schema = setup.open_database(f"sqlite:///{target}")
    migrate.upgrade(schema.engine)
    schema.dispose()
    src, dst = sqlite3.connect(source), _connect(target)
    timed, rows_copied = 0.0, 0
    for name in (*REFERENCED, *DATA_TABLES):
        names = [row[1] for row in src.execute(f"PRAGMA table_info({name})")]
        insert = f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        cursor = src.execute(f"SELECT {', '.join(names)} FROM {name} ORDER BY rowid")
        while rows := cursor.fetchmany(CHUNK):
            start = time.perf_counter()
            dst.execute("BEGIN IMMEDIATE")
            dst.executemany(insert, rows)
            dst.execute("COMMIT")
            if name not in REFERENCED:
                timed += time.perf_counter() - start
                rows_copied += len(rows)
    src.close()
    dst.close()
    return Timing(timed, timed, 1), rows_copied
