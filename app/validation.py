"""Small checks shared by the services; each raises InvalidInput with a readable message."""

from __future__ import annotations

import enum
from typing import TypeVar

from praverka.app.errors import InvalidInput
from praverka.app.i18n import _

E = TypeVar("E", bound=enum.Enum)


def choice(enum_cls: type[E], value: object, what: str) -> E:
    try:
        return enum_cls(value)
    except ValueError:
        valid = ", ".join(str(m.value) for m in enum_cls)
        raise InvalidInput(
            _("{what}: {value!r} is not one of {valid}.").format(
                what=what, value=value, valid=valid
            )
        ) from None


def text(value: str, what: str, *, max_len: int, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("{what} is required.").format(what=what))
    if len(value) > max_len:
        raise InvalidInput(_("{what} is longer than {n} characters.").format(what=what, n=max_len))
    return value
