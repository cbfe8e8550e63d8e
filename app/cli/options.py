"""Options several commands share."""

from __future__ import annotations

import argparse

from praverka.app.i18n import _


def acting_user(parser: argparse.ArgumentParser) -> None:
    """--user and --password-file, for a command that acts as a signed-in person."""
    parser.add_argument(
        "--user", required=True, help=_("the user acting (their password is asked)")
    )
    parser.add_argument("--password-file", help=_("read the acting user's password from this file"))
