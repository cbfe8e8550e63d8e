"""Parse the command line and run one command; errors print one line and exit non-zero."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from praverka.app.cli import commands, letter_commands, report_commands
from praverka.app.cli.options import acting_user
from praverka.app.errors import PraverkaError, describe_database_error
from praverka.app.i18n import _

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"praverka: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="praverka",
        description=_("Praverka: verification of displaced Belarusian nationals."),
    )
    parser.add_argument(
        "--db", help=_("database URL (default: PRAVERKA_DATABASE_URL or the local file)")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("init", help=_("create a new, empty database with one administrator"))
    p.add_argument("--admin", default="admin", help=_("the administrator's user name"))
    p.add_argument("--full-name", default="Administrator", help=_("the administrator's name"))
    p.add_argument("--password-file", help=_("read the new password from this file"))
    p.add_argument(
        "--passphrase-file",
        help=_(
            "read the new signing key's passphrase from this file (or set "
            "PRAVERKA_SIGNING_PASSPHRASE)"
        ),
    )
    p.set_defaults(run=commands.init)

    p = sub.add_parser("demo", help=_("fill a new or demo database with synthetic cases"))
    p.add_argument("--cases", type=int, default=500, help=_("how many cases (default 500)"))
    p.add_argument("--seed", type=int, default=2026, help=_("random seed"))
    p.set_defaults(run=commands.demo)

    p = sub.add_parser("gui", help=_("open the workstation window"))
    p.set_defaults(run=commands.gui)

    db = sub.add_parser("db", help=_("database maintenance")).add_subparsers(
        dest="db_command", metavar="ACTION", parser_class=_Parser
    )
    db.required = True
    p = db.add_parser("upgrade", help=_("bring the schema up to date"))
    p.set_defaults(run=commands.db_upgrade)

    user = sub.add_parser("user", help=_("manage users")).add_subparsers(
        dest="user_command", metavar="ACTION", parser_class=_Parser
    )
    user.required = True
    p = user.add_parser("add", help=_("add a user"))
    p.add_argument("username")
    p.add_argument("--name", required=True, help=_("full name"))
    p.add_argument(
        "--role", action="append", required=True, help=_("officer, supervisor or admin; repeatable")
    )
    p.add_argument("--new-password-file", help=_("read the new user's password from this file"))
    acting_user(p)
    p.set_defaults(run=commands.user_add)
    p = user.add_parser("list", help=_("list users"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=commands.user_list)
    for name, helptext, func in (
        ("disable", _("disable a user"), commands.user_disable),
        ("enable", _("enable a disabled user"), commands.user_enable),
        ("unlock", _("unlock a user locked out by wrong passwords"), commands.user_unlock),
    ):
        p = user.add_parser(name, help=helptext)
        p.add_argument("username")
        acting_user(p)
        p.set_defaults(run=func)
    p = user.add_parser("passwd", help=_("set a user's password"))
    p.add_argument("username")
    p.add_argument("--new-password-file", help=_("read the new password from this file"))
    acting_user(p)
    p.set_defaults(run=commands.user_passwd)

    case = sub.add_parser("case", help=_("list and show cases")).add_subparsers(
        dest="case_command", metavar="ACTION", parser_class=_Parser
    )
    case.required = True
    p = case.add_parser("list", help=_("list cases, oldest first"))
    p.add_argument("--status", action="append", help=_("only this status; repeatable"))
    p.add_argument("--purpose")
    p.add_argument("--officer", help=_("only cases assigned to this user"))
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true")
    acting_user(p)
    p.set_defaults(run=commands.case_list)
    p = case.add_parser("show", help=_("show one case (the opening is audited)"))
    p.add_argument("number")
    p.add_argument("--json", action="store_true")
    acting_user(p)
    p.set_defaults(run=commands.case_show)

    checklist = sub.add_parser("checklist", help=_("checklist templates")).add_subparsers(
        dest="checklist_command", metavar="ACTION", parser_class=_Parser
    )
    checklist.required = True
    p = checklist.add_parser("list", help=_("list template versions and how many cases use them"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=commands.checklist_list)
    p = checklist.add_parser("import", help=_("import a new template version from a JSON file"))
    p.add_argument("file")
    acting_user(p)
    p.set_defaults(run=commands.checklist_import)

    aud = sub.add_parser("audit", help=_("the audit trail")).add_subparsers(
        dest="audit_command", metavar="ACTION", parser_class=_Parser
    )
    aud.required = True
    p = aud.add_parser("verify", help=_("check the hash chain of every audit event"))
    p.set_defaults(run=commands.audit_verify)

    letter_commands.add_parsers(sub, _Parser)
    report_commands.add_parsers(sub, _Parser)
    return parser


def main(argv: Sequence[str] | None = None, *, gui: commands.GuiLauncher | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.gui_launcher = gui
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except PraverkaError as exc:
        print(f"praverka: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except SQLAlchemyError as exc:
        print(f"praverka: {describe_database_error(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(_("praverka: {error}").format(error=exc), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(_("praverka: interrupted; nothing half-done was kept."), file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
