"""`python -m praverka.ui [DATABASE_URL]`: the workstation on the configured database."""

from __future__ import annotations

import sys

from praverka.app.config import resolve_database_url
from praverka.ui.main import run_gui


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return run_gui(resolve_database_url(args[0] if args else None))


if __name__ == "__main__":
    raise SystemExit(main())
