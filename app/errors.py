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
