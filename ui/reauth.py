"""The password again, before a step that cannot be taken back (approve, reject, waive, export).

    if not reauth.confirm_with_password(self, ctx, actor, _("approving case 2026-000123")):
        return                             # cancelled, wrong and given up, or locked out

A wrong password is said plainly in the same question, which is asked again;
every attempt counts towards the lockout like a sign-in.  The question is
`ask_password`, which a test replaces, like those in `messages`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from praverka.app import users
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import _
from praverka.ui.secret_prompt import (
    SecretDialog,
    SecretTexts,
    ask_until_accepted,
    run_secret_dialog,
)


class ReauthDialog(SecretDialog):
    """The signed-in person's password, typed unseen; a previous attempt's problem above it."""

    def __init__(self, parent: QWidget | None, actor: Actor, what: str, problem: str = "") -> None:
        texts = SecretTexts(
            dialog_name="reauth",
            title=_("Confirm with your password"),
            intro=_(
                "Before {what}, type your password again, {name}. It proves that you "
                "are still the person at this desk."
            ).format(what=what, name=actor.full_name),
            placeholder=_("your password"),
            confirm=_("Confirm"),
            intro_name="reauthIntro",
            problem_name="reauthProblem",
            edit_name="reauthPassword",
            buttons_name="reauthButtons",
            min_width=440,
        )
        super().__init__(parent, texts, problem)

    def password(self) -> str:
        return self.secret()


def ask_password(parent: QWidget | None, actor: Actor, what: str, problem: str) -> str | None:
    """Ask for the password; None when the person cancels.  Tests replace this."""
    return run_secret_dialog(ReauthDialog(parent, actor, what, problem))


def confirm_with_password(parent: QWidget | None, ctx: AppContext, actor: Actor, what: str) -> bool:
    """True once the signed-in person has typed their password again.

    False when they cancel, when the account gets locked (they are told until
    when), or when the database cannot be asked.
    """

    def check(password: str) -> bool:
        users.confirm_password(ctx, actor, password, what)
        return True

    # `ask_password` is looked up at each question, so that a test's replacement answers.
    confirmed = ask_until_accepted(
        parent,
        lambda problem: ask_password(parent, actor, what, problem),
        check,
        _("Confirm with your password"),
    )
    return confirmed is True
