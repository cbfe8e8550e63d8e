"""Fixtures shared by the suite: a database per test on SQLite and PostgreSQL, and its people."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from praverka.app import setup, users
from praverka.app.context import Actor, AppContext
from praverka.app.security.keys import use_cheap_kdf_for_tests
from praverka.app.security.passwords import use_cheap_hashing_for_tests

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
use_cheap_hashing_for_tests()
use_cheap_kdf_for_tests()

pytest_plugins = ["tests.db_fixtures"]

PASSWORD = "correct-horse-1"


@pytest.fixture
def ctx(db_url: str) -> Iterator[AppContext]:
    """A migrated, empty database (default checklist installed, no users)."""
    context = AppContext(setup.open_database(db_url))
    setup.upgrade(context)
    yield context
    context.db.dispose()


@dataclass(frozen=True)
class People:
    admin: Actor
    officer: Actor
    officer2: Actor
    supervisor: Actor
    supervisor2: Actor


@pytest.fixture
def people(ctx: AppContext) -> People:
    admin_info = users.create_user(ctx, None, "admin", "Alena Admin", PASSWORD, ["admin"])
    admin = users.actor_by_username(ctx, admin_info.username)
    made = {}
    for username, full_name, role in (
        ("officer", "Ales Kavalenka", "officer"),
        ("officer2", "Hanna Shved", "officer"),
        ("supervisor", "Volha Dubrouskaya", "supervisor"),
        ("supervisor2", "Yauhen Lis", "supervisor"),
    ):
        users.create_user(ctx, admin, username, full_name, PASSWORD, [role])
        made[username] = users.authenticate(ctx, username, PASSWORD)
    return People(admin=admin, **made)


class Clock:
    """A clock the test moves by hand, for lockouts and ages."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock(ctx: AppContext) -> Clock:
    fake = Clock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))
    ctx.clock = fake
    return fake
