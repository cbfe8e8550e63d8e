"""The organisation's signing key as stored in the database: made once, unlocked to sign.

The private key is stored only encrypted with the signing passphrase (PKCS#8), which is
never stored anywhere. A desk that issues letters asks for the passphrase and keeps the
unlocked key in memory for as long as the person stays signed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound
from praverka.app.i18n import _
from praverka.app.security import keys
from praverka.app.security.keys import PublicKey, SigningKey, StoredKeyPair
from praverka.app.users import require_role
from praverka.db.enums import Role
from praverka.db.models import SigningKeyRecord

ALGORITHM = "ES256"
MIN_PASSPHRASE_LENGTH = 10


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    algorithm: str
    created_at: dt.datetime
    retired_at: dt.datetime | None
    public_pem: str


def _info(row: SigningKeyRecord) -> KeyInfo:
    return KeyInfo(row.key_id, row.algorithm, row.created_at, row.retired_at, row.public_pem)


def _active(session: Session) -> SigningKeyRecord | None:
    return session.scalars(
        select(SigningKeyRecord)
        .where(SigningKeyRecord.retired_at.is_(None))
        .order_by(SigningKeyRecord.id.desc())
        .limit(1)
    ).one_or_none()


def active_key_id(session: Session) -> str | None:
    row = _active(session)
    return row.key_id if row else None


def active_key(ctx: AppContext) -> KeyInfo | None:
    with ctx.db.read() as session:
        row = _active(session)
        return _info(row) if row else None


def list_keys(ctx: AppContext) -> list[KeyInfo]:
    with ctx.db.read() as session:
        rows = session.scalars(select(SigningKeyRecord).order_by(SigningKeyRecord.id))
        return [_info(row) for row in rows]


def create_signing_key(ctx: AppContext, actor: Actor | None, passphrase: str) -> KeyInfo:
    """Make a new key pair; the previous active key (if any) is retired but kept for checking.

    `actor` is None only while `praverka init` sets up an empty database.
    """
    check_passphrase_strength(passphrase)
    pair = keys.generate_key_pair(passphrase)
    now = ctx.now()
    with ctx.db.write() as session:
        if actor is not None:
            require_role(actor, Role.ADMIN)
        previous = _active(session)
        if previous is not None:
            previous.retired_at = now
        row = SigningKeyRecord(
            key_id=pair.key_id,
            algorithm=ALGORITHM,
            public_pem=pair.public_pem,
            private_pem_encrypted=pair.private_pem_encrypted,
            created_at=now,
            created_by_id=actor.user_id if actor else None,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            now,
            actor,
            "key.create",
            "signing_key",
            pair.key_id,
            changes={"retired": previous.key_id if previous else None},
        )
        return _info(row)


def unlock_signing_key(ctx: AppContext, passphrase: str) -> SigningKey:
    """The active key, decrypted with `passphrase`; a wrong passphrase is refused plainly."""
    with ctx.db.read() as session:
        row = _active(session)
        if row is None:
            raise NotFound(
                _(
                    "This database has no signing key yet. An administrator makes one with "
                    "'praverka key create'."
                )
            )
        stored = StoredKeyPair(row.key_id, row.public_pem, row.private_pem_encrypted)
    return keys.unlock(stored, passphrase)


def trusted_keys(session: Session) -> dict[str, PublicKey]:
    """Every key this organisation ever signed with, active or retired, by key id."""
    rows = session.scalars(select(SigningKeyRecord))
    return {row.key_id: keys.load_public_key(row.public_pem) for row in rows}


def export_public_key(ctx: AppContext, key_id: str | None = None) -> str:
    """The public key file recipients use to check letters (the active key by default)."""
    with ctx.db.read() as session:
        if key_id is None:
            row = _active(session)
        else:
            row = session.scalars(
                select(SigningKeyRecord).where(SigningKeyRecord.key_id == key_id)
            ).one_or_none()
        if row is None:
            raise NotFound(
                _("There is no signing key {key_id}.").format(key_id=key_id)
                if key_id
                else _("This database has no signing key yet.")
            )
        return keys.public_key_file_text(keys.load_public_key(row.public_pem))


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(
            _("The signing passphrase must be at least {n} characters long.").format(
                n=MIN_PASSPHRASE_LENGTH
            )
        )


def check_passphrase_pair(passphrase: str, repeated: str) -> None:
    if passphrase != repeated:
        raise InvalidInput(_("The two signing passphrases differ."))
