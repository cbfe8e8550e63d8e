"""Demo databases: the demo accounts, and `populate`, which fills a database with synthetic cases.

The cases are written as the services would have left them (numbers,
transitions, checklist marks, the audit chain), but in bulk: thousands of
cases per transaction through executemany, which makes 100,000 cases a matter
of seconds rather than hours.  Large runs prepare the batches in a helper
process while this one writes (see demo_pipeline).  A database with real
users is never touched.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from praverka.app import audit, setup, users
from praverka.app.checklist import templates
from praverka.app.context import Actor, AppContext
from praverka.app.demo_data import TemplateRef
from praverka.app.demo_pipeline import (
    AUDIT_COLUMNS,
    AUDIT_TABLE,
    Converter,
    Helper,
    Plan,
    Prepared,
    prepare,
)
from praverka.app.demo_records import ID_TABLES, Staff, office_time
from praverka.app.errors import InvalidInput, PraverkaError
from praverka.app.i18n import _
from praverka.db.enums import ItemKind, Role
from praverka.db.models import Base, Case, User, UserRole
from praverka.db.models import Counter as CounterRow

BATCH_SIZE = 5_000
SPAN = dt.timedelta(days=90)
# The newest case is this much office time old, so that its history fits before "now".
NEWEST = dt.timedelta(minutes=10)
# Below this a helper process costs more to start than it saves.
HELPER_MIN_CASES = 20_000
_audit_row = itemgetter(*AUDIT_COLUMNS)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    password: str
    roles: tuple[str, ...]


# Shown on the demo sign-in screen like the passwords: a demo key signs nothing real.
DEMO_SIGNING_PASSPHRASE = "demo-signing-passphrase"

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Alena Kavaliova", "admin-demo-1", ("admin",)),
    DemoAccount("officer1", "Siarhei Dubovik", "officer-demo-1", ("officer",)),
    DemoAccount("officer2", "Volha Zhuk", "officer-demo-2", ("officer",)),
    DemoAccount("officer3", "Andrei Lisouski", "officer-demo-3", ("officer",)),
    DemoAccount("supervisor1", "Tatsiana Miadzviedzieva", "supervisor-demo-1", ("supervisor",)),
    DemoAccount("supervisor2", "Paval Karpovich", "supervisor-demo-2", ("supervisor",)),
)


@dataclass
class DemoReport:
    cases: int = 0
    applicants: int = 0
    documents: int = 0
    references: int = 0
    contact_attempts: int = 0
    transitions: int = 0
    audit_events: int = 0
    accounts_created: int = 0
    letters: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False
    elapsed: float = 0.0  # seconds

    def summary(self) -> str:
        first = _(
            "Demo data: {cases:,} cases, {documents:,} documents, {references:,} references, "
            "{events:,} audit events in {seconds:.1f} s"
        ).format(
            cases=self.cases,
            documents=self.documents,
            references=self.references,
            events=self.audit_events,
            seconds=self.elapsed,
        )
        if self.letters:
            first += _("; {n} letters issued").format(n=self.letters)
        if self.accounts_created:
            first += _("; {n} demo accounts created").format(n=self.accounts_created)
        if self.cancelled:
            first += _(" (cancelled)")
        if not self.statuses:
            return first + "."
        by_status = ", ".join(f"{status} {n:,}" for status, n in sorted(self.statuses.items()))
        return first + ".\n" + _("By status: {list}.").format(list=by_status)


def populate(
    ctx: AppContext,
    *,
    cases: int,
    seed: int = 2026,
    progress: Callable[[int, int], bool] | None = None,
) -> DemoReport:
    """Add `cases` synthetic cases to a new or demo database; never to a real one.

    Batches are committed one by one; `progress(done, total)` runs after each,
    and returning False stops after that batch, keeping what was written.
    """
    if cases < 0:
        raise InvalidInput(_("The number of demo cases cannot be negative."))
    started = time.perf_counter()
    if setup.schema_state(ctx.db) == "empty":
        setup.upgrade(ctx)
    if users.count_users(ctx) and not setup.is_demo(ctx):
        raise InvalidInput(
            _(
                "The database {where} has real users and is not a demo database; "
                "demo data is never added to it."
            ).format(where=ctx.db.describe())
        )
    setup.upgrade(ctx)  # nothing to do when current; brings an older demo database up to date
    # Marked before the accounts exist: a run interrupted in between must not
    # leave a database that looks real to the next one.
    setup.mark_demo(ctx)
    helper = None
    if cases >= HELPER_MIN_CASES and (os.cpu_count() or 1) > 1:
        try:
            helper = Helper(seed)  # starts now, while the accounts are made
        except OSError:
            helper = None  # no interpreter to start: prepare the batches here
    try:
        # Imported here: it brings the letter renderer, which the sign-in dialog (reading
        # DEMO_ACCOUNTS from this module) should not pay for.
        from praverka.app import demo_letters

        report = DemoReport(accounts_created=_ensure_accounts(ctx))
        demo_letters.ensure_organisation(ctx)
        if cases:
            plan = _plan(ctx, cases, seed)
            prepared = helper.batches(plan) if helper else prepare(plan)
            _write_all(ctx, prepared, report, cases, progress)
            if not report.cancelled:
                report.letters = demo_letters.issue_demo_letters(ctx, seed)
    finally:
        if helper is not None:
            helper.close()
    report.elapsed = time.perf_counter() - started
    return report


def _write_all(
    ctx: AppContext,
    prepared: Iterator[Prepared],
    report: DemoReport,
    total: int,
    progress: Callable[[int, int], bool] | None,
) -> None:
    """Write the batches one transaction each, counting what went in."""
    converter = Converter(ctx.db.engine.dialect)
    statuses: Counter[str] = Counter()
    for batch in prepared:
        with ctx.db.write() as session:
            _write(session, batch, converter)
        report.cases += batch.size
        report.applicants += batch.counts["applicants"]
        report.documents += batch.counts["documents"]
        report.references += batch.counts["case_references"]
        report.contact_attempts += batch.counts["contact_attempts"]
        report.transitions += batch.counts["transitions"]
        report.audit_events += batch.counts["audit_events"]
        statuses.update(batch.statuses)
        report.statuses = dict(statuses)
        if progress is not None and progress(report.cases, total) is False:
            report.cancelled = report.cases < total
            return


def _ensure_accounts(ctx: AppContext) -> int:
    """Create the demo accounts that are missing, the administrator first; returns how many."""
    with ctx.db.read() as session:
        existing = set(session.scalars(select(User.username)))
        admin_name = session.scalar(
            select(User.username)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.ADMIN, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
    admin: Actor | None = None
    if admin_name is not None:
        admin = users.actor_by_username(ctx, admin_name)
    created = 0
    for account in DEMO_ACCOUNTS:
        if account.username in existing:
            continue
        if admin is None and existing:
            raise InvalidInput(_("This demo database has no active administrator."))
        users.create_user(
            ctx, admin, account.username, account.full_name, account.password, account.roles
        )
        existing.add(account.username)
        created += 1
        if admin is None:
            admin = users.actor_by_username(ctx, account.username)
    return created


def _plan(ctx: AppContext, cases: int, seed: int) -> Plan:
    """Where the run starts: the demo staff, the checklist, and the database's next values."""
    now = ctx.now()
    start, end = now - SPAN, now
    demo_names = [account.username for account in DEMO_ACCOUNTS]
    with ctx.db.read() as session:
        people = session.execute(
            select(User.id, User.username, UserRole.role)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.username.in_(demo_names), User.active.is_(True))
            .order_by(User.id)
        ).all()
        template = templates.current_template(session)
        template_ref = TemplateRef(
            id=template.id,
            label=f"{template.code} v{template.version}",
            manual_codes=tuple(i.code for i in template.items if i.kind == ItemKind.MANUAL),
        )
        next_ids = {name: _max_id(session, name) + 1 for name in ID_TABLES}
        years = range(start.year, end.year + 1)
        counters = {
            year: session.scalar(select(CounterRow.value).where(CounterRow.name == f"case-{year}"))
            or 0
            for year in years
        }
        offset = session.scalar(select(func.max(Case.id))) or 0
    officers = tuple((uid, name) for uid, name, role in people if role == Role.OFFICER)
    supervisors = tuple((uid, name) for uid, name, role in people if role == Role.SUPERVISOR)
    if not officers or not supervisors:
        raise InvalidInput(
            _("Demo data needs an active demo officer and supervisor; one has been disabled.")
        )
    return Plan(
        seed=seed,
        cases=cases,
        batch_size=BATCH_SIZE,
        offset=offset,
        start=office_time(start),
        end=office_time(end) - NEWEST.total_seconds(),
        now=office_time(now),
        driver=ctx.db.engine.url.drivername,
        staff=Staff(officers, supervisors),
        template=template_ref,
        next_ids=next_ids,
        counters=counters,
    )


def _max_id(session: Session, name: str) -> int:
    return int(session.scalar(select(func.max(Base.metadata.tables[name].c.id))) or 0)


def _write(session: Session, batch: Prepared, converter: Converter) -> None:
    """Insert one prepared batch, after checking the database is where the batch assumes."""
    changed = _(
        "The database changed while demo data was being written ({what}); "
        "the batches written so far are kept."
    )
    # The chain head first, as every writer takes it: desks queue behind us in one order.
    head = audit.lock_head(session)
    for name, first in batch.first_ids.items():
        if _max_id(session, name) + 1 != first:
            raise PraverkaError(changed.format(what=name))
    dialect = session.get_bind().dialect
    upsert: Any = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    for year, (before, after) in batch.counters.items():
        name = f"case-{year}"
        session.execute(upsert(CounterRow).values(name=name, value=0).on_conflict_do_nothing())
        value = session.execute(
            update(CounterRow)
            .where(CounterRow.name == name)
            .values(value=CounterRow.value + (after - before))
            .returning(CounterRow.value)
        ).scalar_one()
        if value != after:
            raise PraverkaError(changed.format(what=name))
    events, head.seq, head.hash = audit.chain_rows(
        head.seq, head.hash, (audit.EventData(*event) for event in batch.events)
    )
    audit_rows = converter.convert(
        AUDIT_TABLE, AUDIT_COLUMNS, list(map(list, map(_audit_row, events)))
    )
    connection = session.connection()
    on_sqlite = dialect.name == "sqlite"
    if on_sqlite:
        # SQLite checks each `column IN (...)` CHECK by building a temporary
        # index for every row (some 18 per case, a quarter of the writing
        # time).  The values come from the enums' own constants, the tests run
        # PRAGMA integrity_check over generated data, and PostgreSQL checks
        # every row; NOT NULL, UNIQUE and foreign keys stay enforced here too.
        connection.exec_driver_sql("PRAGMA ignore_check_constraints=ON")
    try:
        for name, columns, params in [*batch.params, (AUDIT_TABLE, AUDIT_COLUMNS, audit_rows)]:
            # The values are in the driver's form already (demo_pipeline.Converter):
            # SQLAlchemy's per-row parameter handling would cost more than the
            # database's own work, so the rows go to executemany as they are.
            statement = insert(Base.metadata.tables[name]).compile(
                dialect=dialect, column_keys=list(columns)
            )
            if dialect.positional and tuple(statement.positiontup or ()) != columns:
                raise AssertionError(f"column order of {name} differs from its insert statement")
            connection.exec_driver_sql(str(statement), params)
    finally:
        if on_sqlite:
            # Also expires the statements prepared meanwhile, so none keeps skipping checks.
            connection.exec_driver_sql("PRAGMA ignore_check_constraints=OFF")
    if dialect.name == "postgresql":
        # Explicit ids do not move PostgreSQL's sequences; the services' next
        # ordinary insert must not collide with a demo row.
        for name in ID_TABLES:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )
    session.flush()
