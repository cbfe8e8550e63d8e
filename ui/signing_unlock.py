"""The organisation's signing key, unlocked once per sitting at the desk.

    holder = SigningKeyHolder()            # one per sign-in; holder.clear() on log out
    key = ensure_unlocked(parent, ctx, holder)
    if key is None:
        return                             # the person cancelled, or there is no key

The private key is stored only encrypted with the signing passphrase, so the
first letter of a sitting asks for it; the unlocked key then stays in memory
until the person logs out, so that a batch of letters asks once.  A wrong
passphrase is said plainly in the same question, which is asked again.  The
question is `ask_passphrase`, which a test replaces, like those in `messages`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from praverka.app import signing
from praverka.app.context import AppContext
from praverka.app.i18n import _
from praverka.app.security.keys import SigningKey
from praverka.ui import messages
from praverka.ui.login import database_error_text
from praverka.ui.secret_prompt import (
    SecretDialog,
    SecretTexts,
    ask_until_accepted,
    run_secret_dialog,
)


class SigningKeyHolder:
    """The unlocked signing key of one signed-in sitting, or nothing yet."""

    def __init__(self) -> None:
        self._key: SigningKey | None = None

    @property
    def key(self) -> SigningKey | None:
        return self._key

    def hold(self, key: SigningKey) -> None:
        self._key = key

    def clear(self) -> None:
        """Forget the key (log out): the next letter asks for the passphrase again."""
        self._key = None

    def is_unlocked(self) -> bool:
        return self._key is not None


class PassphraseDialog(SecretDialog):
    """The signing passphrase, typed unseen; a previous attempt's problem shown above it."""

    def __init__(self, parent: QWidget | None, key_id: str, problem: str = "") -> None:
        texts = SecretTexts(
            dialog_name="signingPassphrase",
            title=_("Unlock the signing key"),
            intro=_(
                "Letters are signed with the organisation's key {key_id}. Type its signing "
                "passphrase (not your password) to unlock it until you log out."
            ).format(key_id=key_id),
            placeholder=_("signing passphrase"),
            confirm=_("Unlock"),
            intro_name="passphraseIntro",
            problem_name="passphraseProblem",
            edit_name="passphraseEdit",
            buttons_name="passphraseButtons",
            min_width=420,
        )
        super().__init__(parent, texts, problem)

    def passphrase(self) -> str:
        return self.secret()


def ask_passphrase(parent: QWidget | None, key_id: str, problem: str) -> str | None:
    """Ask for the signing passphrase; None when the person cancels.  Tests replace this."""
    return run_secret_dialog(PassphraseDialog(parent, key_id, problem))


def ensure_unlocked(
    parent: QWidget | None, ctx: AppContext, holder: SigningKeyHolder
) -> SigningKey | None:
    """The unlocked active signing key, asking for its passphrase if it is not held yet.

    None when the person cancels, or when there is no key to unlock (they are told why).
    A key held from earlier in the sitting that an administrator has since retired is
    dropped and the new one asked for, rather than letting the issue be refused.
    """
    try:
        active = signing.active_key(ctx)
    except Exception as exc:  # e.g. the database went away; nothing to unlock
        messages.show_error(parent, _("Signing key"), database_error_text(exc))
        return None
    if active is None:
        holder.clear()
        messages.show_error(
            parent,
            _("Signing key"),
            _(
                "This database has no signing key yet, so no letter can be signed. An "
                "administrator makes one with 'praverka key create'."
            ),
        )
        return None
    held = holder.key
    if held is not None and held.key_id == active.key_id:
        return held
    holder.clear()
    # `ask_passphrase` is looked up at each question, so that a test's replacement answers.
    key = ask_until_accepted(
        parent,
        lambda problem: ask_passphrase(parent, active.key_id, problem),
        lambda passphrase: signing.unlock_signing_key(ctx, passphrase),
        _("Signing key"),
    )
    if key is not None:
        holder.hold(key)
    return key
