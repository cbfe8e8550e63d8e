"""Errors the services raise; each carries a message a person can read."""

from __future__ import annotations


class PraverkaError(Exception):
    """Base of every error meant for the user: `str(error)` is the message."""


class InvalidInput(PraverkaError):
    """A value is malformed or out of range; nothing was changed."""


class NotFound(PraverkaError):
    pass


class PermissionDenied(PraverkaError):
    pass


class AuthenticationFailed(PraverkaError):
    pass


class AccountLocked(AuthenticationFailed):
    pass


class WorkflowError(PraverkaError):
    """A transition that is not allowed from the case's state, with the reason."""


class ConflictError(PraverkaError):
    """Another desk changed the record since it was read; nothing was overwritten."""

    def __init__(self, message: str, *, changed_by: str = "", changed_at: str = "") -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class DatabaseUnavailable(PraverkaError):
    pass


def describe_database_error(exc: BaseException) -> str:
    """A sentence for a database failure that reached the user; the transaction was rolled back."""
    from praverka.app.i18n import _

    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    first = detail[0][:300] if detail else type(exc).__name__
    lowered = first.lower()
    if "disk is full" in lowered or "no space left" in lowered or "disk full" in lowered:
        return _("The disk is full: nothing was saved. Free some space and try again.")
    if "database is locked" in lowered:
        return _("Another program holds the database; nothing was saved. Try again shortly.")
    if "could not serialize" in lowered or "deadlock" in lowered:
        return _("Another desk was saving at the same moment; nothing was saved. Try again.")
    if "server closed the connection" in lowered or (
        "connection" in lowered and "failed" in lowered
    ):
        return _("The database server went away; nothing was saved. Check the network.")
    return _("Database error, nothing was saved: {detail}").format(detail=first)
