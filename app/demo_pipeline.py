"""Preparing demo batches: rows and case numbers, ready for executemany.

Preparing a batch (drawing the data, converting values for the database)
costs about as much as writing it.  For large runs it happens in a helper
process while this one writes, so the two halves overlap on two cores.  The
helper starts from a snapshot of the database (next ids, case-number
counters); the writer checks that snapshot still holds before each batch, so
nothing the helper assumed can silently be wrong.  The writer links the audit
events into the chain itself, under the chain's lock.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import random
import subprocess
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Enum
from sqlalchemy.engine import Dialect, make_url

import praverka
from praverka.app.demo_data import BatchBuilder, EventRow, TemplateRef
from praverka.app.demo_names import NamePool
from praverka.app.demo_records import COLUMNS, ID_TABLES, TABLES, Staff, at, unchanged
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.db.base import UTCDateTime
from praverka.db.models import Base

_MISSING = object()
AUDIT_TABLE = "audit_events"
AUDIT_COLUMNS = (
    "seq", "at", "actor_id", "actor_name", "action", "entity_type", "entity_id", "case_id",
    "changes", "prev_hash", "hash",
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """Everything a helper process needs to prepare the batches of one run."""

    seed: int
    cases: int
    batch_size: int
    offset: int  # cases already in the database: batch seeds continue from it
    start: float  # creation times are spread from start to end (office time, see demo_records)
    end: float
    now: float
    driver: str  # SQLAlchemy driver name: values are converted as that database takes them
    staff: Staff
    template: TemplateRef
    next_ids: dict[str, int]
    counters: dict[int, int]  # year -> value of its case-number counter before the run


@dataclass
class Prepared:
    """One batch, and the state of the database the writer must find before writing it."""

    size: int
    statuses: dict[str, int]
    counts: dict[str, int]  # rows per table
    params: list[tuple[str, tuple[str, ...], list[Any]]]  # table, columns, parameter rows
    events: list[EventRow]  # audit events, in the order they join the chain
    first_ids: dict[str, int]
    counters: dict[int, tuple[int, int]]  # year -> counter value (before, after)


def dialect_for(driver: str) -> Dialect:
    dialect: Dialect = make_url(f"{driver}://").get_dialect()()
    return dialect


def stamp_for(dialect: Dialect) -> Callable[[dt.datetime], Any]:
    """What a timestamp column of this database stores for an aware datetime."""
    processor = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    stamp: Callable[[dt.datetime], Any] = processor or unchanged
    return stamp


class Converter:
    """Column values as the database driver takes them, by the columns' own SQLAlchemy types.

    What executemany would do for each row, done a column at a time with the
    results remembered: values repeat (dates, the audit events' moments), and
    converting one costs far more than a dictionary look-up.
    """

    def __init__(self, dialect: Dialect, *, stamped: bool = False) -> None:
        """`stamped`: timestamp columns hold the database's values already (see `stamp_for`)."""
        self.positional = dialect.positional
        self.processors: dict[str, list[tuple[int, Any]]] = {}
        for name, columns in (*COLUMNS.items(), (AUDIT_TABLE, AUDIT_COLUMNS)):
            table = Base.metadata.tables[name]
            found = []
            for index, column in enumerate(columns):
                kind = table.c[column].type
                if isinstance(kind, Enum | Boolean) or (stamped and isinstance(kind, UTCDateTime)):
                    # Enum and Boolean processors hand our values back unchanged (valid
                    # strings from the enums; bools, which drivers bind as they are).
                    continue
                processor = kind.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    found.append((index, processor))
            self.processors[name] = found

    def convert(self, name: str, columns: tuple[str, ...], rows: list[list[Any]]) -> list[Any]:
        """Parameter rows for executemany: tuples, or dicts for drivers with named parameters."""
        for index, processor in self.processors[name]:
            done: dict[Any, Any] = {}
            remembered = done.get
            for row in rows:
                value = row[index]
                converted = remembered(value, _MISSING)
                if converted is _MISSING:
                    converted = done[value] = processor(value)
                row[index] = converted
        if self.positional:
            return list(map(tuple, rows))
        return [dict(zip(columns, row, strict=True)) for row in rows]


def batch_sizes(cases: int, batch_size: int) -> list[int]:
    """A small first batch, so the writer starts soon, then full ones."""
    sizes, done = [], 0
    while done < cases:
        size = min(batch_size if done else max(1, batch_size // 5), cases - done)
        sizes.append(size)
        done += size
    return sizes


def prepare(plan: Plan, names: NamePool | None = None) -> Iterator[Prepared]:
    """The run's batches in order, each continuing ids and case numbers from the one before."""
    dialect = dialect_for(plan.driver)
    converter = Converter(dialect, stamped=True)
    stamp = stamp_for(dialect)
    names = names or NamePool(plan.seed)
    ids, counters = dict(plan.next_ids), dict(plan.counters)
    done = 0
    for size in batch_sizes(plan.cases, plan.batch_size):
        rnd = random.Random(plan.seed * 1_000_003 + plan.offset + done)
        span = plan.end - plan.start
        low = plan.start + span * done / plan.cases
        high = plan.start + span * (done + size) / plan.cases
        times = sorted(low + (high - low) * rnd.random() for _ in range(size))
        years = [at(ts).year for ts in times]
        taken: dict[int, tuple[int, int]] = {}
        for year, count in sorted(Counter(years).items()):
            before = counters.get(year, 0)
            taken[year] = (before, before + count)
            counters[year] = before + count
        next_number = {year: before + 1 for year, (before, _) in taken.items()}
        builder = BatchBuilder(rnd, names, plan.staff, plan.template, plan.now, ids, stamp)
        for year, created in zip(years, times, strict=True):
            builder.add_case(f"{year:04d}-{next_number[year]:06d}", created)
            next_number[year] += 1
        params = [
            (name, COLUMNS[name], converter.convert(name, COLUMNS[name], builder.rows[name]))
            for name in TABLES
            if builder.rows[name]
        ]
        counts = {name: len(builder.rows[name]) for name in TABLES}
        counts[AUDIT_TABLE] = len(builder.events)
        yield Prepared(
            size=size,
            statuses=dict(builder.statuses),
            counts=counts,
            params=params,
            events=builder.events,
            first_ids={name: ids[name] for name in ID_TABLES},
            counters=taken,
        )
        ids = builder.ids
        done += size


def _helper_main() -> None:
    """The helper process: build the names, read a plan, write its batches or what went wrong."""
    # The batches travel on the original stdout; anything printed goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        names = NamePool(int(sys.argv[1]))  # while the writer still creates the accounts
        plan = pickle.load(sys.stdin.buffer)
        for batch in prepare(plan, names):
            pickle.dump(("batch", batch), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
        pickle.dump(("done", None), out)
    except BaseException:  # the writer must hear of any failure, or it waits forever
        pickle.dump(("error", traceback.format_exc()), out)
    out.close()


class Helper:
    """A helper process that prepares batches ahead of the writer.

    A fresh interpreter (not a fork: the caller may be a GUI with threads),
    talking over pipes whose buffer keeps it one batch ahead.  Started before
    the writer's own set-up, so that its start-up costs nothing.
    """

    def __init__(self, seed: int) -> None:
        root = str(Path(praverka.__file__).parent.parent)  # the folder that holds praverka/
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "praverka.app.demo_pipeline", str(seed)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )

    def batches(self, plan: Plan) -> Iterator[Prepared]:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        pickle.dump(plan, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.close()
        while True:
            try:
                kind, payload = pickle.load(process.stdout)
            except EOFError:
                raise PraverkaError(
                    _("The demo data helper process stopped (exit code {code}).").format(
                        code=process.wait()
                    )
                ) from None
            if kind == "done":
                return
            if kind == "error":
                raise PraverkaError(
                    _("Preparing demo data failed:\n{detail}").format(detail=payload)
                )
            yield payload

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()  # stopped early: the remaining batches are not wanted
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()


if __name__ == "__main__":
    # Through the package, so the batches pickle as praverka.app.demo_pipeline classes.
    from praverka.app.demo_pipeline import _helper_main as main

    main()
