"""Commands for exports and reports: `export cases` (CSV, XLSX) and `report weekly` (PDF)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from praverka.app import exports, queries, users, weekly_figures
from praverka.app.cli import passwords
from praverka.app.cli.commands import _context
from praverka.app.cli.options import acting_user
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import _


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    export = sub.add_parser("export", help=_("export cases to a file")).add_subparsers(
        dest="export_command", metavar="WHAT", parser_class=parser_class
    )
    export.required = True
    p = export.add_parser(
        "cases", help=_("the cases, oldest first, as CSV or XLSX (the password is asked again)")
    )
    p.add_argument("--status", action="append", help=_("only this status; repeatable"))
    p.add_argument("--purpose", help=_("only cases with this purpose"))
    p.add_argument("--officer", help=_("only cases assigned to this user"))
    p.add_argument("--format", required=True, choices=exports.FORMATS)
    p.add_argument("--out", required=True, help=_("the file to write"))
    p.add_argument("--quiet", action="store_true", help=_("no progress on the terminal"))
    acting_user(p)
    p.set_defaults(run=export_cases)

    report = sub.add_parser("report", help=_("reports for supervisors")).add_subparsers(
        dest="report_command", metavar="WHICH", parser_class=parser_class
    )
    report.required = True
    p = report.add_parser("weekly", help=_("the weekly report as PDF"))
    p.add_argument("--week", help=_("YYYY-Www, for example 2026-W47 (default: this week)"))
    p.add_argument("--out", required=True, help=_("the PDF file to write"))
    acting_user(p)
    p.set_defaults(run=report_weekly)


def _password(ctx: AppContext, args: argparse.Namespace) -> tuple[Actor, str]:
    """Sign in, and keep the password: the export asks for it again as the window does."""
    secret = passwords.password(
        args.password_file, _("Password for {user}: ").format(user=args.user)
    )
    return users.authenticate(ctx, args.user, secret), secret


def _progress(done: int, total: int) -> bool:
    print(f"\r{done:,}/{total:,}", end="", file=sys.stderr, flush=True)
    return True


def export_cases(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor, secret = _password(ctx, args)
    officer_id = users.get_user(ctx, args.officer).id if args.officer else None
    flt = queries.CaseFilter(
        statuses=tuple(args.status or ()), purpose=args.purpose, officer_id=officer_id
    )
    show = not args.quiet and sys.stderr.isatty()
    try:
        result = exports.export_cases(
            ctx, actor, secret, flt, args.format, args.out, _progress if show else None
        )
    finally:
        if show:
            print(file=sys.stderr)
    print(_("Exported {rows} cases to {file}.").format(rows=result.rows, file=result.path))
    return 0


def report_weekly(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor, secret = _password(ctx, args)
    week = exports.parse_week(args.week) if args.week else weekly_figures.current_week(ctx.now())
    path = exports.export_weekly_report(ctx, actor, secret, week, args.out)
    print(
        _("Wrote the weekly report of {year}-W{week:02d} to {file}.").format(
            year=week[0], week=week[1], file=path
        )
    )
    return 0
