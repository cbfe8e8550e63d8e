"""Checklist templates: parse and validate a template file, install and list versions."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.checklist.rules import RULES
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.db.enums import ItemKind, Role
from praverka.db.models import Case, ChecklistItem, ChecklistTemplate

DEFAULT_CODE = "default"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_TEMPLATE_BYTES = 1_000_000


@dataclass(frozen=True)
class ItemSpec:
    code: str
    text: str
    kind: ItemKind
    required: bool
    rule: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    version: int
    title: str
    items: tuple[ItemSpec, ...]
    sha256: str


@dataclass(frozen=True)
class TemplateInfo:
    id: int
    code: str
    version: int
    title: str
    items: int
    cases: int


def parse_template(raw: bytes, source: str = "template") -> TemplateSpec:
    def bad(problem: str) -> InvalidInput:
        return InvalidInput(_("{source}: {problem}").format(source=source, problem=problem))

    if len(raw) > MAX_TEMPLATE_BYTES:
        raise bad(_("the file is too large for a checklist template."))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(_("not a JSON file ({error}).").format(error=exc)) from None
    if not isinstance(data, dict):
        raise bad(_("the template must be a JSON object."))
    code = data.get("code")
    version = data.get("version")
    title = data.get("title")
    items = data.get("items")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise bad(_("'code' must be a short lower-case name such as \"default\"."))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad(_("'version' must be a whole number from 1 up."))
    if not isinstance(title, str) or not title.strip():
        raise bad(_("'title' is missing."))
    if not isinstance(items, list) or not items:
        raise bad(_("'items' must be a non-empty list."))
    specs: list[ItemSpec] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        specs.append(_parse_item(item, number, seen, bad))
    return TemplateSpec(
        code=code,
        version=version,
        title=title.strip(),
        items=tuple(specs),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _parse_item(item: object, number: int, seen: set[str], bad: Any) -> ItemSpec:
    where = _("item {n}").format(n=number)
    if not isinstance(item, dict):
        raise bad(_("{where} must be an object.").format(where=where))
    code, text, kind = item.get("code"), item.get("text"), item.get("kind")
    required, rule, params = (
        item.get("required", True),
        item.get("rule", ""),
        item.get("params", {}),
    )
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise bad(_("{where}: 'code' must be a short lower-case name.").format(where=where))
    if code in seen:
        raise bad(_("{where}: the code {code!r} is used twice.").format(where=where, code=code))
    seen.add(code)
    if not isinstance(text, str) or not text.strip():
        raise bad(_("{where}: 'text' is missing.").format(where=where))
    if kind not in ("evaluated", "manual"):
        raise bad(_('{where}: \'kind\' must be "evaluated" or "manual".').format(where=where))
    if not isinstance(required, bool):
        raise bad(_("{where}: 'required' must be true or false.").format(where=where))
    if not isinstance(params, dict):
        raise bad(_("{where}: 'params' must be an object.").format(where=where))
    if kind == "evaluated":
        if rule not in RULES:
            known = ", ".join(sorted(RULES))
            raise bad(
                _("{where}: unknown rule {rule!r}; known rules: {known}.").format(
                    where=where, rule=rule, known=known
                )
            )
    elif rule:
        raise bad(_("{where}: a manual item has no rule.").format(where=where))
    return ItemSpec(code, text.strip(), ItemKind(kind), required, str(rule), dict(params))


def default_template_spec() -> TemplateSpec:
    raw = (
        resources.files("praverka.app.checklist").joinpath("templates/default-v1.json").read_bytes()
    )
    return parse_template(raw, "default-v1.json")


def install(
    session: Session, spec: TemplateSpec, actor: Actor | None, now: Any
) -> ChecklistTemplate:
    newest = session.scalar(
        select(func.max(ChecklistTemplate.version)).where(ChecklistTemplate.code == spec.code)
    )
    if newest is not None and spec.version <= newest:
        raise InvalidInput(
            _(
                "Checklist {code!r} is already at version {newest}; "
                "a new template needs a higher version than that."
            ).format(code=spec.code, newest=newest)
        )
    template = ChecklistTemplate(
        code=spec.code,
        version=spec.version,
        title=spec.title,
        content_sha256=spec.sha256,
        imported_at=now,
        imported_by_id=actor.user_id if actor else None,
        items=[
            ChecklistItem(
                position=position,
                code=item.code,
                text=item.text,
                kind=item.kind,
                required=item.required,
                rule=item.rule,
                params=json.dumps(item.params, sort_keys=True),
            )
            for position, item in enumerate(spec.items)
        ],
    )
    session.add(template)
    session.flush()
    audit.record(
        session,
        now,
        actor,
        "checklist.import",
        "checklist_template",
        template.id,
        changes={"code": spec.code, "version": spec.version, "sha256": spec.sha256},
    )
    return template


def ensure_default(session: Session, now: Any) -> None:
    exists = session.scalar(
        select(ChecklistTemplate.id).where(ChecklistTemplate.code == DEFAULT_CODE).limit(1)
    )
    if exists is None:
        install(session, default_template_spec(), None, now)


def import_file(ctx: AppContext, actor: Actor, path: Path) -> TemplateInfo:
    require_role(actor, Role.ADMIN)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror)
        ) from None
    spec = parse_template(raw, path.name)
    with ctx.db.write() as session:
        template = install(session, spec, actor, ctx.now())
        return TemplateInfo(
            template.id, template.code, template.version, template.title, len(spec.items), 0
        )


def current_template(session: Session, code: str = DEFAULT_CODE) -> ChecklistTemplate:
    template = session.scalars(
        select(ChecklistTemplate)
        .where(ChecklistTemplate.code == code)
        .order_by(ChecklistTemplate.version.desc())
        .limit(1)
    ).first()
    if template is None:
        raise NotFound(
            _("No checklist template {code!r}; run 'praverka init' first.").format(code=code)
        )
    return template


def list_templates(ctx: AppContext) -> list[TemplateInfo]:
    with ctx.db.read() as session:
        counts = dict(
            session.execute(
                select(Case.checklist_template_id, func.count()).group_by(
                    Case.checklist_template_id
                )
            ).all()
        )
        templates = session.scalars(
            select(ChecklistTemplate).order_by(ChecklistTemplate.code, ChecklistTemplate.version)
        )
        return [
            TemplateInfo(t.id, t.code, t.version, t.title, len(t.items), counts.get(t.id, 0))
            for t in templates
        ]
