"""Opening a database, bringing its schema up to date, and first-time set-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, select, text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from praverka.app import signing, users
from praverka.app.checklist import templates
from praverka.app.context import AppContext
from praverka.app.errors import DatabaseUnavailable, InvalidInput, PraverkaError
from praverka.app.i18n import _
from praverka.app.security.passwords import check_password_strength
from praverka.db import migrate
from praverka.db.engine import Database, make_engine, normalise_url
from praverka.db.models import Counter

DEMO_MARKER = "demo-database"


def open_database(url: str) -> Database:
    """An engine for `url`, checked by connecting; a bad or unreachable URL says so plainly."""
    try:
        parsed = normalise_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(
            _(
                "{url!r} is not a database URL. Use sqlite:///PATH or "
                "postgresql://USER@HOST/DATABASE."
            ).format(url=url)
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(
            _("Praverka works with SQLite or PostgreSQL, not {backend}.").format(backend=backend)
        )
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = make_engine(parsed)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError) as exc:
        where = parsed.render_as_string(hide_password=True)
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300]
        raise DatabaseUnavailable(
            _("Cannot open the database {where}: {detail}").format(where=where, detail=detail)
        ) from None
    return Database(engine)


def schema_state(db: Database) -> str:
    """'empty', 'current', or 'outdated'."""
    current = migrate.current_revision(db.engine)
    if current is None:
        names = set(inspect(db.engine).get_table_names())
        return "empty" if not names - {"alembic_version"} else "outdated"
    return "current" if current == migrate.head_revision() else "outdated"


def require_current_schema(db: Database) -> None:
    state = schema_state(db)
    if state == "empty":
        raise PraverkaError(
            _("The database {where} is empty: run 'praverka init' (or 'praverka demo').").format(
                where=db.describe()
            )
        )
    if state == "outdated":
        raise PraverkaError(
            _("The database {where} needs an upgrade: run 'praverka db upgrade'.").format(
                where=db.describe()
            )
        )


def upgrade(ctx: AppContext) -> None:
    """Migrate to the newest schema and make sure the default checklist exists."""
    try:
        migrate.upgrade(ctx.db.engine)
    except SQLAlchemyError as exc:
        raise PraverkaError(
            _("The database upgrade failed and was rolled back: {detail}").format(
                detail=str(getattr(exc, "orig", exc)).splitlines()[0]
            )
        ) from None
    with ctx.db.write() as session:
        templates.ensure_default(session, ctx.now())


@dataclass(frozen=True)
class InitResult:
    admin: str
    key_id: str


def initialise(
    ctx: AppContext, admin_username: str, admin_name: str, password: str, passphrase: str
) -> InitResult:
    """Create the schema, the first administrator and the signing key in an empty database."""
    # Checked before anything is written, so a short passphrase leaves the database empty.
    signing.check_passphrase_strength(passphrase)
    check_password_strength(password)
    upgrade(ctx)
    if users.count_users(ctx):
        raise InvalidInput(
            _("The database {where} already has users; nothing was changed.").format(
                where=ctx.db.describe()
            )
        )
    info = users.create_user(ctx, None, admin_username, admin_name, password, ["admin"])
    key = signing.create_signing_key(ctx, None, passphrase)
    return InitResult(info.username, key.key_id)


def is_demo(ctx: AppContext) -> bool:
    with ctx.db.read() as session:
        return session.scalar(select(Counter.value).where(Counter.name == DEMO_MARKER)) == 1


def mark_demo(ctx: AppContext) -> None:
    with ctx.db.write() as session:
        if session.get(Counter, DEMO_MARKER) is None:
            session.add(Counter(name=DEMO_MARKER, value=1))
