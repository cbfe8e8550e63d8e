"""The organisation's settings: typed, versioned, stored in the database, changed with an audit trail.

Every desk sharing a database must print the same letterhead and serial prefix, so these
settings live in the database (table `settings`), not in a desk's local file. Each value is
stored under its name as JSON; `SETTINGS_VERSION` counts the shape of the stored values, and
`_UPGRADES` turns an older shape into the current one when it is read, the way a program's
settings file is upgraded step by step.

Versions of the stored shape:

1. organisation, letterhead, serial prefix, letter validity, head of the organisation.
2. adds the queue's age thresholds (`age_amber_days`, `age_red_days`) and the desk's
   auto-lock time (`auto_lock_minutes`); a version-1 value stored as `lock_after_minutes`
   (the auto-lock time's earlier name) is carried over under the new name.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput
from praverka.app.i18n import _
from praverka.app.users import require_role
from praverka.db.enums import Role
from praverka.db.models import Setting

SETTINGS_VERSION = 2
_VERSION_KEY = "settings_version"
MAX_LOGO_BYTES = 512 * 1024
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PREFIX = re.compile(r"[A-Z][A-Z0-9]{1,7}")


@dataclass(frozen=True)
class OrganisationSettings:
    """What every letter and report shows about the organisation that issues it."""

    name: str = "Verification Centre"
    address: str = ""
    contact: str = ""
    place: str = ""  # where letters are signed, printed beside the date
    logo_png: bytes | None = None
    serial_prefix: str = "PRV"
    letter_validity_days: int = 180
    head_name: str = ""  # signs every letter beside the approving supervisor
    head_title: str = ""  # shown under the head's name when set; otherwise the role's name
    age_amber_days: int = 3  # a queue shows an open case amber from this age in days ...
    age_red_days: int = 7  # ... and red from this one
    auto_lock_minutes: int = 10  # an idle desk locks after this many minutes; 0 = never

    def age_band(self, age_days: int) -> str:
        """How a queue colours a case of this age: "normal", "amber" or "red"."""
        if age_days >= self.age_red_days:
            return "red"
        if age_days >= self.age_amber_days:
            return "amber"
        return "normal"

    def describe_missing(self) -> list[str]:
        """Fields a letter needs that are still empty, for a warning before issuing."""
        missing = []
        if not self.address:
            missing.append(_("organisation address"))
        if not self.place:
            missing.append(_("place of issue"))
        if not self.head_name:
            missing.append(_("name of the head of the organisation"))
        return missing


_FIELDS = {f.name for f in dataclasses.fields(OrganisationSettings)}
MAX_AGE_DAYS = 365
MAX_AUTO_LOCK_MINUTES = 8 * 60


def _upgrade_nothing(values: dict[str, Any]) -> dict[str, Any]:
    return values


def _upgrade_1_to_2(values: dict[str, Any]) -> dict[str, Any]:
    """Version 1 had no age thresholds and called the auto-lock time `lock_after_minutes`."""
    upgraded = dict(values)
    old_lock = upgraded.pop("lock_after_minutes", None)
    if old_lock is not None:
        upgraded.setdefault("auto_lock_minutes", old_lock)
    defaults = OrganisationSettings()
    for name in ("age_amber_days", "age_red_days", "auto_lock_minutes"):
        # Written explicitly, so the office keeps these values if a later default changes.
        upgraded.setdefault(name, getattr(defaults, name))
    return upgraded


# _UPGRADES[n] turns version n's stored values into version n + 1's.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _upgrade_nothing,
    1: _upgrade_1_to_2,
}
# Names an older version stored that the current one no longer has; their rows go on rewrite.
_RETIRED_NAMES = frozenset({"lock_after_minutes"})


def _to_json(name: str, value: Any) -> Any:
    if name == "logo_png":
        return base64.b64encode(value).decode("ascii") if value else None
    return value


def _from_json(name: str, value: Any) -> Any:
    if name == "logo_png":
        if not value:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, TypeError):
            return None  # a damaged logo is dropped rather than breaking every letter
    return value


def load(session: Session) -> OrganisationSettings:
    return _load(session)[0]


def _fits(value: Any, default: Any) -> bool:
    """Whether a value has the type of the field whose default is `default`."""
    if default is None:
        return value is None or isinstance(value, bytes)
    if isinstance(value, bool) and not isinstance(default, bool):
        return False  # JSON true is not a number of days
    return isinstance(value, type(default))


def _load(session: Session) -> tuple[OrganisationSettings, int]:
    """The settings, and the version of the shape they were stored in."""
    settings, stored_version, _names = _load_values(session)
    return settings, stored_version


def _load_values(session: Session) -> tuple[OrganisationSettings, int, frozenset[str]]:
    """The settings, the version they were stored in, and the names the upgrade produced."""
    stored = {row.name: row.value for row in session.scalars(select(Setting))}
    raw_version = stored.pop(_VERSION_KEY, 0)
    values: dict[str, Any] = dict(stored)
    stored_version = version = (
        raw_version if isinstance(raw_version, int) and not isinstance(raw_version, bool) else 0
    )
    while version < SETTINGS_VERSION:
        values = _UPGRADES[version](values)
        version += 1
    defaults = OrganisationSettings()
    typed: dict[str, Any] = {}
    for name in _FIELDS:
        if name in values:
            value = _from_json(name, values[name])
            # A value of the wrong type (hand-edited row) falls back to the default.
            if value is None or _fits(value, getattr(defaults, name)):
                typed[name] = value
    return OrganisationSettings(**typed), stored_version, frozenset(values)


def get_settings(ctx: AppContext) -> OrganisationSettings:
    with ctx.db.read() as session:
        return load(session)


def validate(settings: OrganisationSettings) -> None:
    defaults = OrganisationSettings()
    for field in dataclasses.fields(OrganisationSettings):
        value = getattr(settings, field.name)
        if value is not None and not _fits(value, getattr(defaults, field.name)):
            raise InvalidInput(
                _("The setting {name} has a value of the wrong kind: {value!r}.").format(
                    name=field.name, value=value
                )
            )
    if not settings.name.strip():
        raise InvalidInput(_("The organisation needs a name."))
    if not _PREFIX.fullmatch(settings.serial_prefix):
        raise InvalidInput(
            _(
                "The serial prefix {prefix!r} must be 2 to 8 capital Latin letters or digits, "
                "starting with a letter (for example PRV)."
            ).format(prefix=settings.serial_prefix)
        )
    if not 1 <= settings.letter_validity_days <= 3 * 366:
        raise InvalidInput(_("A letter's validity must be between 1 day and 3 years."))
    if not 1 <= settings.age_amber_days <= MAX_AGE_DAYS:
        raise InvalidInput(
            _("A case turns amber after 1 to {limit} days.").format(limit=MAX_AGE_DAYS)
        )
    if not 1 <= settings.age_red_days <= MAX_AGE_DAYS:
        raise InvalidInput(
            _("A case turns red after 1 to {limit} days.").format(limit=MAX_AGE_DAYS)
        )
    if settings.age_amber_days >= settings.age_red_days:
        raise InvalidInput(
            _("A case must turn amber ({amber} days) before it turns red ({red} days).").format(
                amber=settings.age_amber_days, red=settings.age_red_days
            )
        )
    if not 0 <= settings.auto_lock_minutes <= MAX_AUTO_LOCK_MINUTES:
        raise InvalidInput(
            _("The desk locks after 0 (never) to {limit} idle minutes.").format(
                limit=MAX_AUTO_LOCK_MINUTES
            )
        )
    if settings.logo_png is not None:
        if not settings.logo_png.startswith(_PNG_MAGIC):
            raise InvalidInput(_("The logo must be a PNG image."))
        if len(settings.logo_png) > MAX_LOGO_BYTES:
            raise InvalidInput(
                _("The logo is {size} KB; it may be at most {limit} KB.").format(
                    size=len(settings.logo_png) // 1024, limit=MAX_LOGO_BYTES // 1024
                )
            )
    for text, limit in (
        (settings.name, 200),
        (settings.address, 400),
        (settings.contact, 200),
        (settings.place, 200),
        (settings.head_name, 200),
        (settings.head_title, 200),
    ):
        if len(text) > limit:
            raise InvalidInput(
                _("A setting is longer than {limit} characters.").format(limit=limit)
            )


def update_settings(
    ctx: AppContext, actor: Actor | None, changes: Mapping[str, Any]
) -> OrganisationSettings:
    """Change some settings (administrators only); audited with the old and new values."""
    unknown = set(changes) - _FIELDS
    if unknown:
        raise InvalidInput(_("Unknown settings: {names}.").format(names=", ".join(sorted(unknown))))
    now = ctx.now()
    with ctx.db.write() as session:
        if actor is not None:
            require_role(actor, Role.ADMIN)
        before, stored_version, upgraded_names = _load_values(session)
        if stored_version > SETTINGS_VERSION:
            raise InvalidInput(
                _(
                    "The settings were saved by a newer version of Praverka (settings version "
                    "{stored}); install that version on this desk before changing them."
                ).format(stored=stored_version)
            )
        after = dataclasses.replace(before, **changes)
        validate(after)
        # Rows stored in an older shape are rewritten whole, so the version row stays true:
        # every value the upgrade steps produced is written in the current shape, and rows
        # under names the current shape no longer has are removed.
        rewrite_all = stored_version < SETTINGS_VERSION
        if rewrite_all:
            for retired in _RETIRED_NAMES:
                retired_row = session.get(Setting, retired)
                if retired_row is not None:
                    session.delete(retired_row)
        diff: dict[str, list[Any]] = {}
        for name in sorted(_FIELDS):
            old, new = getattr(before, name), getattr(after, name)
            rewrite = rewrite_all and (
                name in upgraded_names or session.get(Setting, name) is not None
            )
            if old == new and not rewrite:
                continue
            row = session.get(Setting, name)
            if row is None:
                row = Setting(name=name)
                session.add(row)
            row.value = _to_json(name, new)
            row.updated_at = now
            row.updated_by_id = actor.user_id if actor else None
            # The audit shows a logo's size, not its bytes.
            shown = (lambda v: f"{len(v)} bytes" if v else None) if name == "logo_png" else None
            if old != new:
                diff[name] = [shown(old), shown(new)] if shown else [old, new]
        version_row = session.get(Setting, _VERSION_KEY)
        if version_row is None:
            version_row = Setting(name=_VERSION_KEY)
            session.add(version_row)
        if version_row.value != SETTINGS_VERSION:
            version_row.value = SETTINGS_VERSION
            version_row.updated_at = now
            version_row.updated_by_id = actor.user_id if actor else None
        if diff:
            audit.record(
                session, now, actor, "settings.update", "settings", "organisation", changes=diff
            )
        return after
