"""Reads for the administration screens: users with their lock state, checklist versions.

The changes themselves go through `praverka.app.users` and `praverka.app.checklist.templates`;
these functions only read, for administrators, what those screens list.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from praverka.app.context import Actor, AppContext
from praverka.app.errors import NotFound
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.db.enums import Role
from praverka.db.models import Case, ChecklistTemplate, User


@dataclass(frozen=True)
class UserRow:
    """One line of the users list; `locked` is true while a lockout runs."""

    username: str
    full_name: str
    roles: tuple[str, ...]
    active: bool
    locked: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    failed_logins: int


def list_user_rows(ctx: AppContext, actor: Actor) -> list[UserRow]:
    """Every user, by user name, with whether their account is locked now (administrators)."""
    require_role(actor, Role.ADMIN)
    now = ctx.now()
    with ctx.db.read() as session:
        return [
            UserRow(
                username=user.username,
                full_name=user.full_name,
                roles=tuple(sorted(r.role.value for r in user.roles)),
                active=user.active,
                locked=user.locked_until is not None and user.locked_until > now,
                locked_until=user.locked_until,
                last_login_at=user.last_login_at,
                failed_logins=user.failed_logins,
            )
            for user in session.scalars(select(User).order_by(User.username))
        ]


@dataclass(frozen=True)
class TemplateItemRow:
    code: str
    text: str
    kind: str
    required: bool
    rule: str
    params: str  # the rule's parameters as compact JSON, "" when there are none


@dataclass(frozen=True)
class TemplateVersion:
    """One checklist template version with its items and how many cases use it."""

    id: int
    code: str
    version: int
    title: str
    imported_at: dt.datetime
    imported_by: str  # user name; "" for the version installed with the database
    cases: int
    items: tuple[TemplateItemRow, ...]


def _params_text(raw: str) -> str:
    try:
        params = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return raw
    return json.dumps(params, sort_keys=True, ensure_ascii=False) if params else ""


def template_versions(ctx: AppContext) -> list[TemplateVersion]:
    """Every checklist template version, by code and version, items included."""
    with ctx.db.read() as session:
        counts = dict(
            session.execute(
                select(Case.checklist_template_id, func.count()).group_by(
                    Case.checklist_template_id
                )
            ).all()
        )
        names = dict(session.execute(select(User.id, User.username)).all())
        templates = session.scalars(
            select(ChecklistTemplate).order_by(ChecklistTemplate.code, ChecklistTemplate.version)
        )
        return [
            TemplateVersion(
                id=t.id,
                code=t.code,
                version=t.version,
                title=t.title,
                imported_at=t.imported_at,
                imported_by=names.get(t.imported_by_id, "") if t.imported_by_id else "",
                cases=counts.get(t.id, 0),
                items=tuple(
                    TemplateItemRow(
                        code=item.code,
                        text=item.text,
                        kind=item.kind.value,
                        required=item.required,
                        rule=item.rule,
                        params=_params_text(item.params),
                    )
                    for item in t.items
                ),
            )
            for t in templates
        ]


def template_version(ctx: AppContext, template_id: int) -> TemplateVersion:
    for version in template_versions(ctx):
        if version.id == template_id:
            return version
    raise NotFound(_("There is no checklist template with id {id}.").format(id=template_id))
