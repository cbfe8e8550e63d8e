"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from praverka.app.errors import InvalidInput
from praverka.app.i18n import _

MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


def use_cheap_hashing_for_tests() -> None:
    """Swap in argon2-cffi's cheapest parameters: the suite creates hundreds of users.

    Only a test harness calls this; the program never does.
    """
    global _hasher  # a process-wide switch, as the hasher itself is
    from argon2.profiles import CHEAPEST

    _hasher = PasswordHasher.from_parameters(CHEAPEST)


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("A password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH)
        )
    if password.strip() != password:
        raise InvalidInput(_("A password cannot start or end with a space."))
