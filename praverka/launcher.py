"""The `praverka` console script: the command line, with the window behind `praverka gui`.

It sits above both layers so that praverka.app never imports Qt.  `praverka gui`
goes straight to the window, without loading the command line's services first,
so the sign-in dialog appears as early as it can.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _run_gui(database_url: str) -> int:
    from praverka.ui.main import run_gui

    return run_gui(database_url)


def _gui_database(args: Sequence[str]) -> tuple[bool, str | None]:
    """(True, the --db value or None) when the arguments are exactly a `gui` command."""
    items = list(args)
    if items == ["gui"]:
        return True, None
    if len(items) == 3 and items[0] == "--db" and items[2] == "gui":
        return True, items[1]
    if len(items) == 2 and items[0].startswith("--db=") and items[1] == "gui":
        return True, items[0].removeprefix("--db=")
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    is_gui, url = _gui_database(args)
    if is_gui:
        from praverka.app.config import resolve_database_url

        return _run_gui(resolve_database_url(url))
    from praverka.app.cli.main import main as cli_main

    return cli_main(args, gui=_run_gui)


if __name__ == "__main__":
    raise SystemExit(main())
