"""Users, roles, sign-in with lockout; every change and every sign-in attempt is audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.context import Actor, AppContext
from praverka.app.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from praverka.app.i18n import _
from praverka.app.security.passwords import hash_password, needs_rehash, verify_password
from praverka.db.enums import Role
from praverka.db.models import User, UserRole

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        roles=tuple(sorted(r.role.value for r in user.roles)),
        active=user.active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
    )


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        roles=frozenset(r.role.value for r in user.roles),
    )


def require_role(actor: Actor, *roles: Role) -> None:
    if not any(actor.has_role(role) for role in roles):
        names = ", ".join(role.value for role in roles)
        raise PermissionDenied(
            _("This needs the role {roles}; {user} does not have it.").format(
                roles=names, user=actor.username
            )
        )


def parse_roles(roles: Iterable[str]) -> list[Role]:
    parsed: list[Role] = []
    for name in roles:
        try:
            parsed.append(Role(name.strip().lower()))
        except ValueError:
            valid = ", ".join(r.value for r in Role)
            raise InvalidInput(
                _("Unknown role {role!r}; roles are {valid}.").format(role=name, valid=valid)
            ) from None
    if not parsed:
        raise InvalidInput(_("A user needs at least one role."))
    return sorted(set(parsed))


def _check_username(username: str) -> str:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise InvalidInput(
            _(
                "A user name has 2 to 64 characters: lower-case Latin letters, digits, "
                "dot, hyphen or underscore, starting with a letter."
            )
        )
    return username


def _get_user(session: Session, username: str, *, for_update: bool = False) -> User:
    stmt = select(User).where(User.username == username.strip().lower())
    if for_update:
        stmt = stmt.with_for_update(key_share=True)
    user = session.scalars(stmt).one_or_none()
    if user is None:
        raise NotFound(_("There is no user {name!r}.").format(name=username))
    return user


def count_users(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(
    ctx: AppContext,
    actor: Actor | None,
    username: str,
    full_name: str,
    password: str,
    roles: Iterable[str],
) -> UserInfo:
    """Create a user.  `actor` None is allowed only for the first user of an empty database."""
    username = _check_username(username)
    full_name = full_name.strip()
    if not full_name:
        raise InvalidInput(_("A user needs a full name."))
    role_list = parse_roles(roles)
    password_hash = hash_password(password)  # slow on purpose: outside the transaction
    now = ctx.now()
    with ctx.db.write() as session:
        if actor is None:
            if session.scalar(select(func.count()).select_from(User)):
                raise PermissionDenied(_("Only an administrator can add users."))
        else:
            require_role(actor, Role.ADMIN)
        if session.scalars(select(User.id).where(User.username == username)).first():
            raise InvalidInput(_("The user name {name!r} is taken.").format(name=username))
        user = User(
            username=username,
            full_name=full_name,
            password_hash=password_hash,
            active=True,
            failed_logins=0,
            created_at=now,
            password_changed_at=now,
            roles=[UserRole(role=role) for role in role_list],
        )
        session.add(user)
        session.flush()
        audit.record(
            session,
            now,
            actor,
            "user.create",
            "user",
            user.id,
            changes={
                "username": username,
                "full_name": full_name,
                "roles": [r.value for r in role_list],
            },
        )
        return _info(user)


def list_users(ctx: AppContext) -> list[UserInfo]:
    with ctx.db.read() as session:
        return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


def get_user(ctx: AppContext, username: str) -> UserInfo:
    with ctx.db.read() as session:
        return _info(_get_user(session, username))


def set_active(ctx: AppContext, actor: Actor, username: str, active: bool) -> UserInfo:
    with ctx.db.write() as session:
        require_role(actor, Role.ADMIN)
        user = _get_user(session, username, for_update=True)
        if not active and user.id == actor.user_id:
            raise InvalidInput(_("You cannot disable your own account."))
        if user.active != active:
            user.active = active
            audit.record(
                session,
                ctx.now(),
                actor,
                "user.enable" if active else "user.disable",
                "user",
                user.id,
                changes={"active": [not active, active]},
            )
        return _info(user)


def unlock(ctx: AppContext, actor: Actor, username: str) -> UserInfo:
    with ctx.db.write() as session:
        require_role(actor, Role.ADMIN)
        user = _get_user(session, username, for_update=True)
        user.failed_logins = 0
        user.locked_until = None
        audit.record(session, ctx.now(), actor, "user.unlock", "user", user.id)
        return _info(user)


def change_password(
    ctx: AppContext,
    actor: Actor,
    username: str,
    new_password: str,
    *,
    old_password: str | None = None,
) -> None:
    """An admin resets anyone's password; a user changes their own with the old one."""
    new_hash = hash_password(new_password)
    with ctx.db.write() as session:
        user = _get_user(session, username, for_update=True)
        if user.id == actor.user_id and not actor.has_role(Role.ADMIN):
            if old_password is None or not verify_password(user.password_hash, old_password):
                raise AuthenticationFailed(_("The current password is not correct."))
        elif user.id != actor.user_id:
            require_role(actor, Role.ADMIN)
        user.password_hash = new_hash
        user.password_changed_at = ctx.now()
        audit.record(session, ctx.now(), actor, "user.password", "user", user.id)


def authenticate(ctx: AppContext, username: str, password: str) -> Actor:
    """Check a password; count failures and lock the account after too many.

    The failure is committed (and audited) before the error is raised, so a
    wrong password still counts towards the lockout.
    """
    now = ctx.now()
    name = username.strip().lower()
    failure: AuthenticationFailed | None = None
    with ctx.db.write() as session:
        # FOR NO KEY UPDATE: a plain FOR UPDATE also blocks the foreign-key checks of
        # this user's own audit events, and on PostgreSQL a desk that holds the audit
        # head while writing such an event then deadlocks with this sign-in.
        user = session.scalars(
            select(User).where(User.username == name).with_for_update(key_share=True)
        ).one_or_none()
        if user is None:
            audit.record(session, now, None, "login.unknown_user", "user", name)
            failure = AuthenticationFailed(_("Wrong user name or password."))
        elif not user.active:
            audit.record(session, now, None, "login.disabled", "user", user.id)
            failure = AuthenticationFailed(
                _("The account {name} is disabled; ask an administrator.").format(name=name)
            )
        elif user.locked_until is not None and user.locked_until > now:
            audit.record(session, now, None, "login.locked", "user", user.id)
            failure = _locked_error(user.locked_until, now)
        elif not verify_password(user.password_hash, password):
            user.failed_logins += 1
            changes: dict[str, object] = {"failed_logins": user.failed_logins}
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                changes["locked_until"] = audit.format_time(user.locked_until)
                failure = _locked_error(user.locked_until, now)
            else:
                failure = AuthenticationFailed(_("Wrong user name or password."))
            audit.record(session, now, None, "login.failed", "user", user.id, changes=changes)
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            actor = actor_for(user)
            audit.record(session, now, actor, "login.ok", "user", user.id)
            return actor
    assert failure is not None
    raise failure


def _locked_error(until: dt.datetime, now: dt.datetime) -> AccountLocked:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return AccountLocked(
        _(
            "Too many wrong passwords: the account is locked for {minutes} more minutes, "
            "or until an administrator unlocks it."
        ).format(minutes=minutes)
    )


def actor_by_username(ctx: AppContext, username: str) -> Actor:
    """The actor for a user without a password check: for demo set-up and tests only."""
    with ctx.db.read() as session:
        return actor_for(_get_user(session, username))


def actor_by_id(ctx: AppContext, user_id: int) -> Actor:
    """The actor for a user id without a password check: for demo set-up and tests only."""
    with ctx.db.read() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(_("There is no user with id {id}.").format(id=user_id))
        return actor_for(user)


def confirm_password(ctx: AppContext, actor: Actor, password: str, what: str) -> None:
    """Ask the signed-in person to prove it is still them before `what` (approve, export, ...).

    Counts towards the lockout like a sign-in, and is audited the same way.
    """
    try:
        again = authenticate(ctx, actor.username, password)
    except AccountLocked:
        raise
    except AuthenticationFailed:
        raise AuthenticationFailed(
            _("The password is wrong; {what} was not done.").format(what=what)
        ) from None
    if again.user_id != actor.user_id:
        raise AuthenticationFailed(_("That is not the signed-in person's password."))
