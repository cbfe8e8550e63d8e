"""The `praverka` console script: the command line, with the window behind `praverka gui`.

It sits above both layers so that praverka.app never imports Qt.
"""

from __future__ import annotations

from collections.abc import Sequence


def _run_gui(database_url: str) -> int:
    from praverka.ui.main import run_gui

    return run_gui(database_url)


def main(argv: Sequence[str] | None = None) -> int:
    from praverka.app.cli.main import main as cli_main

    return cli_main(argv, gui=_run_gui)


if __name__ == "__main__":
    raise SystemExit(main())
