"""Files the program writes for people to take away: whole, audited, or not there at all.

Exports, reports, public keys and revocation lists are written to a partial file
beside the target, flushed to the disk, and renamed into place inside the
transaction that records the audit event: a full disk, a cancel or a lost
database leaves neither a half-written file nor an event for a file that was
never written.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from praverka.app import audit
from praverka.app.context import Actor, AppContext
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _


class WriteFailed(PraverkaError):
    """The file could not be written; nothing was left behind."""


def check_target(path: str | os.PathLike[str]) -> Path:
    """The file to write, refused plainly when its folder is missing or it is a folder."""
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise WriteFailed(
            _("The folder {folder} does not exist; nothing was written.").format(
                folder=target.parent
            )
        )
    if target.is_dir():
        raise WriteFailed(
            _("{file} is a folder; give a file name. Nothing was written.").format(file=target)
        )
    return target


def write_failed(target: Path, exc: OSError) -> WriteFailed:
    """A sentence for an operating-system error while writing `target`."""
    if isinstance(exc, PermissionError):
        return WriteFailed(
            _("No permission to write in {folder}; nothing was written.").format(
                folder=target.parent
            )
        )
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteFailed(
            _(
                "The disk is full: {file} was not written ({reason}). Free some space and "
                "try again."
            ).format(file=target, reason=reason)
        )
    return WriteFailed(
        _("Could not write {file} ({reason}); nothing was written.").format(
            file=target, reason=reason
        )
    )


@contextmanager
def partial_file(target: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """A new temporary file beside `target`; removed unless `move_into_place` renamed it."""
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed by caller
            mode="wb", dir=target.parent, prefix=f".{target.name}.", suffix=".partial", delete=False
        )
    except OSError as exc:
        raise write_failed(target, exc) from None
    partial = Path(handle.name)
    try:
        yield handle, partial
    except OSError as exc:
        handle.close()
        partial.unlink(missing_ok=True)
        raise write_failed(target, exc) from None
    except BaseException:
        handle.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        handle.close()


def finish(handle: IO[bytes]) -> None:
    """Everything written is on the disk before the rename makes the file appear."""
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


def move_into_place(
    ctx: AppContext,
    actor: Actor | None,
    partial: Path,
    target: Path,
    action: str,
    entity: tuple[str, str],
    changes: dict[str, Any],
) -> None:
    """Record the event and rename the finished file into place, in one transaction."""
    renamed = False
    try:
        with ctx.db.write() as session:
            audit.record(session, ctx.now(), actor, action, *entity, changes=changes)
            os.replace(partial, target)
            renamed = True
    except OSError as exc:
        raise write_failed(target, exc) from None
    except BaseException:
        # The audit event did not commit: the file must not stay either.
        if renamed:
            target.unlink(missing_ok=True)
        raise


def write_and_record(
    ctx: AppContext,
    actor: Actor | None,
    target: Path,
    data: bytes,
    action: str,
    entity: tuple[str, str],
    changes: dict[str, Any],
) -> None:
    """Write `data` to `target` and record `action`, both or neither."""
    with partial_file(target) as (handle, partial):
        handle.write(data)
        finish(handle)
        move_into_place(ctx, actor, partial, target, action, entity, changes)
