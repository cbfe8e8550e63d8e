"""One function per command: parse nothing, call the services, print the result."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from praverka.app import audit, cases, queries, setup, users
from praverka.app.checklist import templates
from praverka.app.cli import passwords
from praverka.app.cli.output import print_json, print_table
from praverka.app.config import resolve_database_url
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, PraverkaError
from praverka.app.i18n import _

EXIT_AUDIT_BROKEN = 3

GuiLauncher = Callable[[str], int]


def _context(args: argparse.Namespace, *, check_schema: bool = True) -> AppContext:
    db = setup.open_database(resolve_database_url(args.db))
    if check_schema:
        setup.require_current_schema(db)
    return AppContext(db)


def _sign_in(ctx: AppContext, args: argparse.Namespace) -> Actor:
    secret = passwords.password(
        args.password_file, _("Password for {user}: ").format(user=args.user)
    )
    return users.authenticate(ctx, args.user, secret)


def init(args: argparse.Namespace) -> int:
    ctx = _context(args, check_schema=False)
    if setup.schema_state(ctx.db) != "empty":
        raise InvalidInput(
            _("The database {where} is not empty; 'init' only sets up a new one.").format(
                where=ctx.db.describe()
            )
        )
    secret = passwords.new_password(
        args.password_file, _("New password for {user}: ").format(user=args.admin)
    )
    passphrase = passwords.signing_passphrase(args.passphrase_file, confirm=True)
    result = setup.initialise(ctx, args.admin, args.full_name, secret, passphrase)
    print(
        _(
            "Created the database {where} with administrator {admin} and signing key {key_id}."
        ).format(where=ctx.db.describe(), admin=result.admin, key_id=result.key_id)
    )
    return 0


def demo(args: argparse.Namespace) -> int:
    from praverka.app import demo as demo_data

    if args.cases < 0 or args.cases > 1_000_000:
        raise InvalidInput(_("--cases is a number from 0 to 1,000,000."))
    ctx = _context(args, check_schema=False)
    report = demo_data.populate(ctx, cases=args.cases, seed=args.seed, progress=_progress)
    print(file=sys.stderr)
    print(report.summary())
    return 0


def _progress(done: int, total: int) -> bool:
    print(f"\r{done:,}/{total:,}", end="", file=sys.stderr, flush=True)
    return True


def gui(args: argparse.Namespace) -> int:
    # The window lives in praverka.ui, which this layer may not import; the
    # entry point (praverka.launcher) hands its starter in.
    launcher: GuiLauncher | None = args.gui_launcher
    if launcher is None:
        raise PraverkaError(_("The window is not available here; run 'praverka gui'."))
    return int(launcher(resolve_database_url(args.db)))


def db_upgrade(args: argparse.Namespace) -> int:
    ctx = _context(args, check_schema=False)
    setup.upgrade(ctx)
    print(_("The database {where} is up to date.").format(where=ctx.db.describe()))
    return 0


def user_add(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    secret = passwords.new_password(
        args.new_password_file, _("Password for the new user {user}: ").format(user=args.username)
    )
    info = users.create_user(ctx, actor, args.username, args.name, secret, args.role)
    print(_("Added {user} ({roles}).").format(user=info.username, roles=", ".join(info.roles)))
    return 0


def user_list(args: argparse.Namespace) -> int:
    ctx = _context(args)
    found = users.list_users(ctx)
    if args.json:
        print_json(found)
        return 0
    now = ctx.now()
    print_table(
        [_("user"), _("name"), _("roles"), _("state"), _("last login")],
        [
            [
                u.username,
                u.full_name,
                ",".join(u.roles),
                _("disabled")
                if not u.active
                else _("locked")
                if u.locked_until and u.locked_until > now
                else _("active"),
                u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "",
            ]
            for u in found
        ],
    )
    return 0


def user_disable(args: argparse.Namespace) -> int:
    ctx = _context(args)
    info = users.set_active(ctx, _sign_in(ctx, args), args.username, False)
    print(_("{user} is disabled.").format(user=info.username))
    return 0


def user_enable(args: argparse.Namespace) -> int:
    ctx = _context(args)
    info = users.set_active(ctx, _sign_in(ctx, args), args.username, True)
    print(_("{user} is enabled.").format(user=info.username))
    return 0


def user_unlock(args: argparse.Namespace) -> int:
    ctx = _context(args)
    info = users.unlock(ctx, _sign_in(ctx, args), args.username)
    print(_("{user} is unlocked.").format(user=info.username))
    return 0


def user_passwd(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    secret = passwords.new_password(
        args.new_password_file, _("New password for {user}: ").format(user=args.username)
    )
    users.change_password(ctx, actor, args.username, secret)
    print(_("The password of {user} is changed.").format(user=args.username))
    return 0


def case_list(args: argparse.Namespace) -> int:
    ctx = _context(args)
    _sign_in(ctx, args)
    if not 1 <= args.limit <= 100_000 or args.offset < 0:
        raise InvalidInput(_("--limit is 1 to 100,000 and --offset 0 or more."))
    officer_id = users.get_user(ctx, args.officer).id if args.officer else None
    flt = queries.CaseFilter(
        statuses=tuple(args.status or ()), purpose=args.purpose, officer_id=officer_id
    )
    found = queries.list_cases(ctx, flt, limit=args.limit, offset=args.offset)
    if args.json:
        print_json(found)
        return 0
    print_table(
        [_("case"), _("status"), _("age"), _("applicant"), _("Latin"), _("purposes"), _("officer")],
        [
            [
                c.number,
                c.status,
                c.age_days,
                c.applicant_native,
                c.applicant_latin,
                ",".join(c.purposes),
                c.assigned_officer,
            ]
            for c in found
        ],
    )
    total = queries.count_cases(ctx, flt)
    print(_("{shown} of {total} cases").format(shown=len(found), total=total))
    return 0


def case_show(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    detail = queries.open_case(ctx, actor, cases.find_case_id(ctx, args.number))
    if args.json:
        print_json(detail)
        return 0
    s, a = detail.summary, detail.applicant
    print(f"{s.number}  {s.status}  {', '.join(s.purposes)}  {_('priority')} {s.priority}")
    for name in a.names:
        print(f"  {name.script:15} {name.full}")
    print(f"  {_('born')}: {a.birth_date or '?'}  {_('sex')}: {a.sex}  {a.citizenship}")
    print(f"  {_('officer')}: {s.assigned_officer}  {_('prepared by')}: {detail.preparer}")
    print(_("Documents:"))
    for d in detail.documents:
        print(f"  {d.kind:18} {d.number:12} {d.seen_as:9} {d.verification}  {d.note}")
    print(_("References:"))
    for r in detail.references:
        mark = _("confirmed") if r.confirmed else _("not confirmed")
        print(f"  {r.name} ({r.relationship}), {mark}, {len(r.attempts)} contact attempt(s)")
    print(_("Checklist ({template}):").format(template=detail.checklist_template))
    for item in detail.checklist:
        box = "x" if item.met else "w" if item.waived else " "
        extra = item.waive_reason if item.waived else item.evidence if item.met else item.reason
        print(f"  [{box}] {item.text}" + (f": {extra}" if extra else ""))
    print(_("Timeline:"))
    for entry in detail.timeline[:20]:
        print(f"  {entry.at:%Y-%m-%d %H:%M}  {entry.actor:12} {entry.text}")
    return 0


def checklist_list(args: argparse.Namespace) -> int:
    ctx = _context(args)
    found = templates.list_templates(ctx)
    if args.json:
        print_json(found)
        return 0
    print_table(
        [_("template"), _("version"), _("title"), _("items"), _("cases")],
        [[t.code, t.version, t.title, t.items, t.cases] for t in found],
    )
    return 0


def checklist_import(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    info = templates.import_file(ctx, actor, Path(args.file))
    print(
        _("Imported checklist {code} version {version} ({items} items); new cases use it.").format(
            code=info.code, version=info.version, items=info.items
        )
    )
    return 0


def audit_verify(args: argparse.Namespace) -> int:
    ctx = _context(args)
    result = audit.verify(ctx)
    print(result.message(), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else EXIT_AUDIT_BROKEN
