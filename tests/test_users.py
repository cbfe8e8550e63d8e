"""Users: creation rules, sign-in, lockout after five failures, administration, all audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from praverka.app import users
from praverka.app.context import AppContext
from praverka.app.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from praverka.db.models import AuditEvent, User
from tests.conftest import PASSWORD, Clock, People


def _events(ctx: AppContext, action: str) -> int:
    with ctx.db.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
            )
            or 0
        )


def _user_rows(ctx: AppContext) -> list[tuple[str, bool, str]]:
    with ctx.db.read() as session:
        return [
            (u.username, u.active, u.password_hash)
            for u in session.scalars(select(User).order_by(User.id))
        ]


def test_first_user_needs_empty_database(ctx: AppContext, people: People) -> None:
    before = _user_rows(ctx)
    with pytest.raises(PermissionDenied):
        users.create_user(ctx, None, "intruder", "X", PASSWORD, ["admin"])
    assert _user_rows(ctx) == before


@pytest.mark.parametrize(
    ("username", "name", "password", "roles", "message"),
    [
        ("Bad Name", "Full", PASSWORD, ["officer"], "user name"),
        ("x", "Full", PASSWORD, ["officer"], "user name"),
        ("newuser", "", PASSWORD, ["officer"], "full name"),
        ("newuser", "Full", "short", ["officer"], "at least 10"),
        ("newuser", "Full", PASSWORD, ["boss"], "Unknown role"),
        ("newuser", "Full", PASSWORD, [], "at least one role"),
        ("officer", "Full", PASSWORD, ["officer"], "taken"),
    ],
)
def test_bad_user_input_is_refused_and_changes_nothing(
    ctx: AppContext,
    people: People,
    username: str,
    name: str,
    password: str,
    roles: list[str],
    message: str,
) -> None:
    before = _user_rows(ctx)
    with pytest.raises(InvalidInput, match=message):
        users.create_user(ctx, people.admin, username, name, password, roles)
    assert _user_rows(ctx) == before


def test_only_admin_creates_users(ctx: AppContext, people: People) -> None:
    with pytest.raises(PermissionDenied, match="admin"):
        users.create_user(ctx, people.supervisor, "newbie", "New Bie", PASSWORD, ["officer"])


def test_login_success_and_failure_are_audited(ctx: AppContext, people: People) -> None:
    ok_before, failed_before = _events(ctx, "login.ok"), _events(ctx, "login.failed")
    actor = users.authenticate(ctx, "Officer ", PASSWORD)  # case and spaces are forgiven
    assert actor.username == "officer" and actor.has_role("officer")
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        users.authenticate(ctx, "officer", "not-the-password")
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        users.authenticate(ctx, "nobody", PASSWORD)
    assert _events(ctx, "login.ok") == ok_before + 1
    assert _events(ctx, "login.failed") == failed_before + 1
    assert _events(ctx, "login.unknown_user") == 1


def test_five_failures_lock_for_fifteen_minutes(
    ctx: AppContext, people: People, clock: Clock
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as raised:
            users.authenticate(ctx, "officer", "wrong-password")
        assert not isinstance(raised.value, AccountLocked)
    with pytest.raises(AccountLocked, match="locked for 15 more minutes"):
        users.authenticate(ctx, "officer", "wrong-password")
    # Even the right password is refused while locked.
    clock.advance(minutes=14)
    with pytest.raises(AccountLocked, match="1 more minutes"):
        users.authenticate(ctx, "officer", PASSWORD)
    clock.advance(minutes=1, seconds=1)
    assert users.authenticate(ctx, "officer", PASSWORD).username == "officer"


def test_admin_unlocks_and_disables(ctx: AppContext, people: People, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(ctx, "officer2", "wrong-password")
    with pytest.raises(PermissionDenied):
        users.unlock(ctx, people.supervisor, "officer2")
    users.unlock(ctx, people.admin, "officer2")
    assert users.authenticate(ctx, "officer2", PASSWORD).username == "officer2"

    users.set_active(ctx, people.admin, "officer2", False)
    with pytest.raises(AuthenticationFailed, match="disabled"):
        users.authenticate(ctx, "officer2", PASSWORD)
    with pytest.raises(InvalidInput, match="your own"):
        users.set_active(ctx, people.admin, "admin", False)
    users.set_active(ctx, people.admin, "officer2", True)
    assert users.authenticate(ctx, "officer2", PASSWORD).username == "officer2"
    assert _events(ctx, "user.disable") == 1 and _events(ctx, "user.unlock") == 1


def test_passwords(ctx: AppContext, people: People) -> None:
    with pytest.raises(AuthenticationFailed, match="current password"):
        users.change_password(ctx, people.officer, "officer", "brand-new-pass", old_password="x")
    users.change_password(ctx, people.officer, "officer", "brand-new-pass", old_password=PASSWORD)
    assert users.authenticate(ctx, "officer", "brand-new-pass")
    with pytest.raises(PermissionDenied):
        users.change_password(ctx, people.officer, "officer2", "brand-new-pass")
    users.change_password(ctx, people.admin, "officer2", "reset-by-admin")
    assert users.authenticate(ctx, "officer2", "reset-by-admin")
    with pytest.raises(NotFound):
        users.change_password(ctx, people.admin, "ghost", "whatever-long")
    with pytest.raises(InvalidInput, match="at least"):
        users.change_password(ctx, people.admin, "officer2", "tiny")


def test_password_is_never_stored_in_clear(ctx: AppContext, people: People) -> None:
    hashes = [h for _, _, h in _user_rows(ctx)]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)


def test_confirm_password_before_a_sensitive_step(ctx: AppContext, people: People) -> None:
    users.confirm_password(ctx, people.supervisor, PASSWORD, "approving")
    with pytest.raises(AuthenticationFailed, match="approving was not done"):
        users.confirm_password(ctx, people.supervisor, "not-the-password", "approving")
