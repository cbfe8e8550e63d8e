"""Where a command gets a password: a file, the environment, or a prompt (in that order)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from praverka.app.errors import InvalidInput
from praverka.app.i18n import _

ENV_PASSWORD = "PRAVERKA_PASSWORD"
ENV_NEW_PASSWORD = "PRAVERKA_NEW_PASSWORD"


def _read_file(path: str) -> str:
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(
            _("Cannot read the password file {path}: {error}").format(path=path, error=exc.strerror)
        ) from None
    # Only the first line counts, without its line ending, so `echo pw > file` works.
    return text.splitlines()[0] if text else ""


def _prompt(prompt: str, *, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise InvalidInput(
            _(
                "A password is needed: give --password-file FILE, set {env}, "
                "or run the command in a terminal."
            ).format(env=ENV_PASSWORD)
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Again: ")) != first:
        raise InvalidInput(_("The two passwords differ; nothing was changed."))
    return first


def password(file: str | None, prompt: str) -> str:
    """The acting user's password."""
    if file:
        return _read_file(file)
    env = os.environ.get(ENV_PASSWORD)
    if env is not None:
        return env
    return _prompt(prompt, confirm=False)


def new_password(file: str | None, prompt: str) -> str:
    """A password being set: from a file, PRAVERKA_NEW_PASSWORD, or typed twice."""
    if file:
        return _read_file(file)
    env = os.environ.get(ENV_NEW_PASSWORD)
    if env is not None:
        return env
    return _prompt(prompt, confirm=True)


ENV_SIGNING_PASSPHRASE = "PRAVERKA_SIGNING_PASSPHRASE"


def signing_passphrase(file: str | None, *, confirm: bool = False) -> str:
    """The signing key's passphrase: from a file, PRAVERKA_SIGNING_PASSPHRASE, or a prompt."""
    if file:
        return _read_file(file)
    env = os.environ.get(ENV_SIGNING_PASSPHRASE)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise InvalidInput(
            _(
                "The signing passphrase is needed: give --passphrase-file FILE, set {env}, "
                "or run the command in a terminal."
            ).format(env=ENV_SIGNING_PASSPHRASE)
        )
    first = getpass.getpass(_("Signing passphrase: "))
    if confirm and getpass.getpass(_("Again: ")) != first:
        raise InvalidInput(_("The two passphrases differ; nothing was changed."))
    return first
