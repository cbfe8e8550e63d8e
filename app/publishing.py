"""The files the organisation hands to the people who check its letters.

Recipients (banks, border posts) check letters offline with two files: the public key file
of the key that signed a letter, and the latest signed list of revoked serials (revoked
letters and letters replaced by a correction; see `security.revocation_list`).  Both are
written here, for the window's Letters menu and for `praverka key export` and
`praverka revocations export` alike, so the two can never write different files.

One key a file: `praverka verify --trust` and the Verify dialog read one key from each key
file (a PEM reader takes the first block only), so a file holding several keys would
silently trust just the first.  After a key change, a recipient who must still check letters
signed with the old key is given the retired key's file as well; any key can be exported.

Who: supervisors and administrators.  The command line signs no one in for these two (a
public key is public, and the list cannot be signed without the signing passphrase), so it
passes no actor and the audit trail names the system.

Each file is written beside its target and renamed into place in the transaction that records
it in the audit trail: a full disk or an unwritable folder leaves nothing half-written and no
event for a file that was never written.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from praverka.app import file_output, letters, settings, signing, users
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound
from praverka.app.i18n import _
from praverka.app.security import keys
from praverka.app.security.keys import SigningKey
from praverka.app.security.revocation_list import sign_revocation_list
from praverka.db.enums import Role

# Publishing fails as the shared file writer does; the old name stays for callers.
PublishFailed = file_output.WriteFailed


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    retired: bool
    text: str  # the file's content: a short header naming the key, then the PEM
    path: Path


@dataclass(frozen=True)
class PublishedList:
    data: bytes  # the file's content: one COSE_Sign1 message
    count: int  # revoked serials in the list
    key_id: str  # the key that signed it
    issued_at: dt.datetime
    path: Path


def _may_publish(actor: Actor | None) -> None:
    if actor is not None:
        users.require_role(actor, Role.SUPERVISOR, Role.ADMIN)


def export_public_key(
    ctx: AppContext, actor: Actor | None, path: str | os.PathLike[str], key_id: str | None = None
) -> PublishedKey:
    """Write the public key file of `key_id` (the active key by default) to `path`, audited."""
    _may_publish(actor)
    target = file_output.check_target(path)
    found = signing.list_keys(ctx)
    info = next(
        (k for k in found if k.key_id == key_id)
        if key_id is not None
        else (k for k in reversed(found) if k.retired_at is None),
        None,
    )
    if info is None:
        raise NotFound(
            _("There is no signing key {key_id}.").format(key_id=key_id)
            if key_id
            else _("This database has no signing key yet.")
        )
    text = keys.public_key_file_text(keys.load_public_key(info.public_pem))
    retired = info.retired_at is not None
    file_output.write_and_record(
        ctx,
        actor,
        target,
        text.encode("ascii"),
        "key.export",
        ("signing_key", info.key_id),
        {"file": target.name, "retired": retired},
    )
    return PublishedKey(key_id=info.key_id, retired=retired, text=text, path=target)


def export_revocation_list(
    ctx: AppContext, actor: Actor | None, key: SigningKey, path: str | os.PathLike[str]
) -> PublishedList:
    """Write the list of every revoked serial, signed with the active `key`, to `path`, audited."""
    _may_publish(actor)
    target = file_output.check_target(path)
    with ctx.db.read() as session:
        active = signing.active_key_id(session)
        serials = letters.revoked_serials(session)
        issuer = settings.load(session).serial_prefix
    if key.key_id != active:
        # Recipients are sent the active key; a list signed with any other may not check.
        raise InvalidInput(
            _(
                "The revocation list is signed with the organisation's active key, and key "
                "{key_id} is not it. Unlock the active key and try again."
            ).format(key_id=key.key_id)
        )
    issued_at = ctx.now()
    data = sign_revocation_list(sorted(serials), issued_at, issuer, key)
    file_output.write_and_record(
        ctx,
        actor,
        target,
        data,
        "revocations.export",
        ("revocation_list", target.name),
        {"count": len(serials), "key_id": key.key_id, "issuer": issuer},
    )
    return PublishedList(
        data=data, count=len(serials), key_id=key.key_id, issued_at=issued_at, path=target
    )
