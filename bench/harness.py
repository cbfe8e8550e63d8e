"""Timing helpers: run a function a few times, keep the best and the median, print one line each."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

NAME_WIDTH = 34


@dataclass(frozen=True)
class Timing:
    best: float  # seconds
    median: float
    runs: int


def measure(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> Timing:
    """Time `fn`; the best run is the figure (least disturbed by the rest of the machine)."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return Timing(min(runs), statistics.median(runs), repeat)


def once(fn: Callable[[], object]) -> Timing:
    """For work too long to repeat."""
    return measure(fn, repeat=1, warmup=0)


def duration(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def columns() -> str:
    return f"{'figure':<{NAME_WIDTH}} {'measured':>10} {'floor':>10} {'ratio':>7}  floor is"


def line(name: str, measured: Timing, floor: Timing, floor_is: str) -> str:
    ratio = measured.best / floor.best if floor.best else float("inf")
    return (
        f"{name:<{NAME_WIDTH}} {duration(measured.best):>10} {duration(floor.best):>10} "
        f"{ratio:>6.1f}x  {floor_is}"
    )


def megabytes(size: float) -> str:
    """Bytes as decimal megabytes, the unit memory targets are given in."""
    return f"{size / 1e6:.0f} MB"


def memory_line(name: str, measured: float, floor: float, floor_is: str) -> str:
    """`line` for sizes in bytes (resident memory, say) rather than times."""
    ratio = measured / floor if floor else float("inf")
    return (
        f"{name:<{NAME_WIDTH}} {megabytes(measured):>10} {megabytes(floor):>10} "
        f"{ratio:>6.1f}x  {floor_is}"
    )


def _cpu_model() -> str:
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                return text.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def header() -> str:
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("SQLAlchemy", "alembic", "psycopg")
    )
    return "\n".join(
        (
            f"machine: {os.cpu_count()} cores, {_cpu_model()}, {platform.system()} "
            f"{platform.release()}",
            f"python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, {versions}",
            "times: best of the runs shown (one run for the long figures)",
        )
    )
