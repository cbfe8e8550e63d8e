"""What `make run` does before the window opens: a local database with demo data on first start.

Prints what it did, so a new user sees where the data lives and how to sign in.
"""

from __future__ import annotations

import sys

from praverka.app import demo, setup
from praverka.app.config import resolve_database_url
from praverka.app.context import AppContext
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _

FIRST_START_CASES = 2_000


def main() -> int:
    try:
        db = setup.open_database(resolve_database_url())
        ctx = AppContext(db)
        state = setup.schema_state(db)
        if state == "empty":
            print(
                _("First start: creating a demo database at {where} ...").format(
                    where=db.describe()
                )
            )
            report = demo.populate(ctx, cases=FIRST_START_CASES, seed=2026)
            print(report.summary())
        elif state == "outdated":
            print(_("Upgrading the database at {where} ...").format(where=db.describe()))
            setup.upgrade(ctx)
        else:
            print(_("Database: {where}").format(where=db.describe()))
        if setup.is_demo(ctx):
            from praverka.app import demo_letters

            # A demo database made before letters existed gets its organisation and key now.
            demo_letters.ensure_organisation(ctx)
            print(_("DEMO database. Sign in as one of:"))
            for account in demo.DEMO_ACCOUNTS:
                print(f"  {account.username:12} {account.password:20} {', '.join(account.roles)}")
            print(
                _("Letters are signed with the passphrase {passphrase}.").format(
                    passphrase=demo.DEMO_SIGNING_PASSPHRASE
                )
            )
    except PraverkaError as exc:
        print(f"praverka: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
