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
import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from praverka.app import audit, letters, settings, signing, users
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound, PraverkaError
from praverka.app.i18n import _
from praverka.app.security import keys
from praverka.app.security.keys import SigningKey
from praverka.app.security.revocation_list import sign_revocation_list
from praverka.db.enums import Role


class PublishFailed(PraverkaError):
    """The file could not be written; nothing was left behind."""


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
    target = _check_target(path)
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
    _write_and_record(
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
    target = _check_target(path)
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
    _write_and_record(
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


# ---------------------------------------------------------------- writing the file


def _check_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise PublishFailed(
            _("The folder {folder} does not exist; nothing was written.").format(
                folder=target.parent
            )
        )
    if target.is_dir():
        raise PublishFailed(
            _("{file} is a folder; give a file name. Nothing was written.").format(file=target)
        )
    return target


def _write_failed(target: Path, exc: OSError) -> PublishFailed:
    if isinstance(exc, PermissionError):
        return PublishFailed(
            _("No permission to write in {folder}; nothing was written.").format(
                folder=target.parent
            )
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return PublishFailed(
            _("The disk is full: {file} was not written. Free some space and try again.").format(
                file=target
            )
        )
    reason = exc.strerror or type(exc).__name__
    return PublishFailed(
        _("Could not write {file} ({reason}); nothing was written.").format(
            file=target, reason=reason
        )
    )


def _write_and_record(
    ctx: AppContext,
    actor: Actor | None,
    target: Path,
    data: bytes,
    action: str,
    entity: tuple[str, str],
    changes: dict[str, Any],
) -> None:
    """Write `data` beside `target`, then audit and rename it into place in one transaction."""
    partial: Path | None = None
    renamed = False
    try:
        with tempfile.NamedTemporaryFile(
            mode="wb", dir=target.parent, prefix=f".{target.name}.", suffix=".partial", delete=False
        ) as handle:
            partial = Path(handle.name)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with ctx.db.write() as session:
            audit.record(session, ctx.now(), actor, action, *entity, changes=changes)
            os.replace(partial, target)
            renamed = True
    except BaseException as exc:
        if renamed:
            # The audit event did not commit: the file must not stay either.
            target.unlink(missing_ok=True)
        elif partial is not None:
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_failed(target, exc) from None
        raise
