"""The context every service receives: the database, the clock, and who is acting.

Passed explicitly (no module-level singletons) so tests and several windows can
hold different contexts side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from praverka.db.engine import Database


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Actor:
    """The signed-in user, as the services see them."""

    user_id: int
    username: str
    full_name: str
    roles: frozenset[str]

    def has_role(self, role: str) -> bool:
        return role in self.roles


@dataclass
class AppContext:
    db: Database
    clock: Callable[[], dt.datetime] = field(default=utc_now)

    def now(self) -> dt.datetime:
        return self.clock()
