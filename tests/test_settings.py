"""Organisation settings: the version-2 fields, their checks, and the upgrade from version 1.

Also the reads behind the administration screens (users with lock state, checklist versions).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from praverka.app import settings, user_admin, users
from praverka.app.checklist import templates
from praverka.app.context import AppContext
from praverka.app.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from praverka.db.models import AuditEvent, Setting
from tests.conftest import PASSWORD, Clock, People
from tests.factories import new_case


def _rows(ctx: AppContext) -> dict[str, object]:
    with ctx.db.read() as session:
        return {row.name: row.value for row in session.scalars(select(Setting))}


def _write_rows(ctx: AppContext, rows: dict[str, object]) -> None:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with ctx.db.write() as session:
        for name, value in rows.items():
            session.add(Setting(name=name, value=value, updated_at=now))


def test_new_settings_have_defaults_and_are_checked(ctx: AppContext, people: People) -> None:
    current = settings.get_settings(ctx)
    assert (current.age_amber_days, current.age_red_days, current.auto_lock_minutes) == (3, 7, 10)
    for bad in (
        {"age_amber_days": 7, "age_red_days": 7},
        {"age_amber_days": 9},  # amber after red
        {"age_amber_days": 0},
        {"age_red_days": 400},
        {"auto_lock_minutes": -1},
        {"auto_lock_minutes": 24 * 60},
        {"age_red_days": "eight"},
        {"age_red_days": True},
        {"place": "x" * 201},
    ):
        with pytest.raises(InvalidInput):
            settings.update_settings(ctx, people.admin, bad)
    assert _rows(ctx) == {}  # nothing was saved by the refused changes
    with pytest.raises(PermissionDenied):
        settings.update_settings(ctx, people.supervisor, {"age_red_days": 10})
    after = settings.update_settings(
        ctx, people.admin, {"age_amber_days": 2, "age_red_days": 5, "auto_lock_minutes": 0}
    )
    assert settings.get_settings(ctx) == after
    assert [after.age_band(days) for days in (0, 1, 2, 4, 5, 30)] == [
        "normal",
        "normal",
        "amber",
        "amber",
        "red",
        "red",
    ]
    rows = _rows(ctx)
    assert rows["auto_lock_minutes"] == 0 and rows["settings_version"] == 2
    with ctx.db.read() as session:
        changes = json.loads(
            session.scalars(
                select(AuditEvent.changes).where(AuditEvent.action == "settings.update")
            ).one()
        )
    assert changes["age_red_days"] == [7, 5] and changes["auto_lock_minutes"] == [10, 0]


def test_settings_upgrade_from_version_1(ctx: AppContext, people: People) -> None:
    """Rows written by version 1: no age thresholds, the auto-lock under its old name."""
    _write_rows(
        ctx,
        {
            "settings_version": 1,
            "name": "Old Centre",
            "serial_prefix": "OLD",
            "letter_validity_days": 90,
            "lock_after_minutes": 25,
        },
    )
    loaded = settings.get_settings(ctx)
    assert loaded.name == "Old Centre" and loaded.serial_prefix == "OLD"
    assert loaded.letter_validity_days == 90
    assert loaded.auto_lock_minutes == 25  # carried over from the old name
    assert (loaded.age_amber_days, loaded.age_red_days) == (3, 7)
    assert _rows(ctx)["settings_version"] == 1  # reading changes nothing

    settings.update_settings(ctx, people.admin, {"place": "Lviv"})

    rows = _rows(ctx)
    assert rows == {
        "settings_version": 2,
        "name": "Old Centre",
        "serial_prefix": "OLD",
        "letter_validity_days": 90,
        "auto_lock_minutes": 25,
        "age_amber_days": 3,
        "age_red_days": 7,
        "place": "Lviv",
    }
    assert "lock_after_minutes" not in rows
    again = settings.get_settings(ctx)
    assert again.auto_lock_minutes == 25 and again.place == "Lviv"
    # The upgrade is audited only for what the person changed.
    with ctx.db.read() as session:
        changes = json.loads(
            session.scalars(
                select(AuditEvent.changes).where(AuditEvent.action == "settings.update")
            ).one()
        )
    assert changes == {"place": ["", "Lviv"]}


def test_version_1_without_the_old_name_gets_defaults(ctx: AppContext, people: People) -> None:
    _write_rows(ctx, {"settings_version": 1, "lock_after_minutes": "soon"})
    assert settings.get_settings(ctx).auto_lock_minutes == 10  # wrong type: the default
    settings.update_settings(ctx, people.admin, {"age_red_days": 14})
    rows = _rows(ctx)
    assert rows["auto_lock_minutes"] == 10 and rows["age_red_days"] == 14
    assert rows["age_amber_days"] == 3 and rows["settings_version"] == 2
    assert "lock_after_minutes" not in rows


def test_settings_from_a_newer_version_are_read_but_not_overwritten(
    ctx: AppContext, people: People
) -> None:
    _write_rows(ctx, {"settings_version": 3, "name": "Future Centre", "new_thing": 1})
    assert settings.get_settings(ctx).name == "Future Centre"
    with pytest.raises(InvalidInput, match="newer version"):
        settings.update_settings(ctx, people.admin, {"place": "Lviv"})
    assert _rows(ctx)["settings_version"] == 3


def test_user_rows_show_lock_state(ctx: AppContext, people: People, clock: Clock) -> None:
    for _attempt in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(ctx, "officer2", "wrong")
    with pytest.raises(PermissionDenied):
        user_admin.list_user_rows(ctx, people.supervisor)
    rows = {row.username: row for row in user_admin.list_user_rows(ctx, people.admin)}
    assert list(rows) == sorted(rows)
    assert rows["officer2"].locked and rows["officer2"].locked_until is not None
    assert not rows["officer"].locked and rows["officer"].last_login_at is not None
    assert rows["supervisor"].roles == ("supervisor",)
    users.unlock(ctx, people.admin, "officer2")
    users.set_active(ctx, people.admin, "officer", False)
    rows = {row.username: row for row in user_admin.list_user_rows(ctx, people.admin)}
    assert not rows["officer2"].locked and not rows["officer"].active
    users.authenticate(ctx, "officer2", PASSWORD)


def test_template_versions_with_items_and_cases(
    ctx: AppContext, people: People, tmp_path: Path
) -> None:
    new_case(ctx, people.officer)
    [first] = user_admin.template_versions(ctx)
    assert first.version == 1 and first.cases == 1 and first.imported_by == ""
    assert first.items and first.items[0].code
    raw = {
        "code": first.code,
        "version": 2,
        "title": "Default checklist, second edition",
        "items": [
            {"code": "interview", "text": "Interview held", "kind": "manual"},
            {"code": "consent", "text": "Consent recorded", "kind": "manual", "required": False},
        ],
    }
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    templates.import_file(ctx, people.admin, path)
    versions = user_admin.template_versions(ctx)
    assert [(v.version, v.cases) for v in versions] == [(1, 1), (2, 0)]
    second = user_admin.template_version(ctx, versions[1].id)
    assert second.imported_by == "admin"
    assert [(i.code, i.required) for i in second.items] == [
        ("interview", True),
        ("consent", False),
    ]
