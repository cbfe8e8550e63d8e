"""Checking a letter with what the checker has: key files, a revocation list, a desk's database.

Shared by `praverka verify` and the window's Verify dialog, so both give the same verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from praverka.app.errors import InvalidInput
from praverka.app.i18n import _
from praverka.app.security import keys
from praverka.app.security.keys import PublicKey
from praverka.app.security.revocation_list import read_revocation_list
from praverka.app.verification import VerifyResult, verify_file, verify_qr_text

MAX_KEY_FILE_BYTES = 64 * 1024
MAX_REVOCATION_FILE_BYTES = 32 * 1024 * 1024

# A desk's own knowledge: its keys (active and retired) and its revoked serials.
LocalKnowledge = Callable[[], tuple[dict[str, PublicKey], frozenset[str]]]


@dataclass(frozen=True)
class CheckRequest:
    """What to check (a file or the QR text) and what to trust beyond the desk's database."""

    path: Path | None = None
    text: str | None = None
    trust_files: Sequence[Path] = field(default_factory=tuple)
    revocations_file: Path | None = None

    def __post_init__(self) -> None:
        if (self.path is None) == (self.text is None or not self.text.strip()):
            raise InvalidInput(_("Give a file to check, or the QR code's text, but not both."))


def _read(path: Path, limit: int, what: str) -> bytes:
    try:
        with path.expanduser().open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise InvalidInput(
            _("Cannot read the {what} {file}: {error}").format(
                what=what, file=path, error=exc.strerror or exc
            )
        ) from None
    if len(data) > limit:
        raise InvalidInput(_("{file} is too large to be a {what}.").format(file=path, what=what))
    return data


def load_key_file(path: Path) -> PublicKey:
    data = _read(path, MAX_KEY_FILE_BYTES, _("key file"))
    try:
        return keys.load_public_key(data.decode("ascii"))
    except (UnicodeDecodeError, InvalidInput):
        raise InvalidInput(
            _("{file} is not a public key file (praverka key export writes one).").format(file=path)
        ) from None


def check_letter(
    request: CheckRequest, *, local: LocalKnowledge | None, today: dt.date
) -> VerifyResult:
    """The verdict on one letter.

    Trusted keys are those in `request.trust_files` plus, when `local` is given, the desk's
    own; revoked serials come from the signed revocation list (checked against those keys)
    and the desk's database. An unreadable input raises InvalidInput with a plain sentence.
    """
    trusted: dict[str, PublicKey] = {}
    revoked: frozenset[str] = frozenset()
    if local is not None:
        trusted, revoked = local()
        trusted = dict(trusted)
    for path in request.trust_files:
        key = load_key_file(path)
        trusted[key.key_id] = key
    # With no key at all the verdict is UNKNOWN key, which names the key the letter needs.
    if request.revocations_file is not None:
        data = _read(request.revocations_file, MAX_REVOCATION_FILE_BYTES, _("revocation list"))
        revoked = revoked | read_revocation_list(data, trusted).serials
    if request.text is not None and request.text.strip():
        return verify_qr_text(request.text.strip(), trusted, revoked, today)
    assert request.path is not None
    return verify_file(request.path.expanduser(), trusted, revoked, today)
