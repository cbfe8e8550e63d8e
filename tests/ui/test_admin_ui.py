"""The administration screens: users, organisation settings, checklist versions (SQLite)."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QPushButton, QTableWidget, QTableWidgetItem

from praverka.app import settings, user_admin, users
from praverka.app.context import AppContext
from praverka.app.errors import AuthenticationFailed
from praverka.ui import admin_checklists, admin_settings, admin_users
from praverka.ui.admin_checklists import AdminChecklistsDialog
from praverka.ui.admin_settings import AdminSettingsDialog
from praverka.ui.admin_users import AdminUsersDialog, NewUser
from tests.conftest import PASSWORD, People
from tests.factories import new_case
from tests.ui.conftest import Answers

SHOTS = os.environ.get("PRAVERKA_ADMIN_SHOTS", "")


def _grab(widget: object, name: str) -> None:
    """Save a picture of the screen when PRAVERKA_ADMIN_SHOTS names a folder."""
    if SHOTS:
        QApplication.processEvents()  # let pending layout changes land first
        widget.grab().save(str(Path(SHOTS) / f"admin-{name}.png"))  # type: ignore[attr-defined]


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def _row_of(dialog: AdminUsersDialog, username: str) -> int:
    for row in range(dialog.table.rowCount()):
        item = _cell(dialog.table, row, 0)
        if item.text() == username:
            return row
    raise AssertionError(f"{username} is not listed")


def _lock(ctx: AppContext, username: str) -> None:
    for _attempt in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(ctx, username, "wrong password")


def test_users_create_disable_reset_unlock(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers, monkeypatch
) -> None:
    ctx = desk_ctx
    _lock(ctx, "officer2")
    dialog = AdminUsersDialog(ctx, people.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 5
    locked = _row_of(dialog, "officer2")
    assert _cell(dialog.table, locked, 4).text() != ""  # locked until ...
    _grab(dialog, "users")

    monkeypatch.setattr(
        admin_users,
        "ask_new_user",
        lambda _parent: NewUser(
            "m.novik", "Maryna Novik", ("officer", "supervisor"), "pass-word-9"
        ),
    )
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.selected_username() == "m.novik"
    row = _cell(dialog.table, _row_of(dialog, "m.novik"), 2).text()
    assert "Supervisor" in row and "officer" in row.lower()
    users.authenticate(ctx, "m.novik", "pass-word-9")

    dialog.select_user("officer")
    assert dialog.disable_button.isEnabled() and dialog.enable_button.isHidden()
    qtbot.mouseClick(dialog.disable_button, Qt.MouseButton.LeftButton)
    assert any("Disable" in q for q in answers.asked)
    assert _cell(dialog.table, _row_of(dialog, "officer"), 3).text() == "disabled"
    assert dialog.enable_button.isVisible() and dialog.disable_button.isHidden()
    with pytest.raises(AuthenticationFailed, match="disabled"):
        users.authenticate(ctx, "officer", PASSWORD)
    qtbot.mouseClick(dialog.enable_button, Qt.MouseButton.LeftButton)
    users.authenticate(ctx, "officer", PASSWORD)

    monkeypatch.setattr(admin_users, "ask_new_password", lambda _parent, _name: "fresh-pass-7")
    dialog.select_user("supervisor")
    qtbot.mouseClick(dialog.password_button, Qt.MouseButton.LeftButton)
    users.authenticate(ctx, "supervisor", "fresh-pass-7")
    assert "password" in dialog.bar.text.text()

    dialog.select_user("officer2")
    assert dialog.unlock_button.isEnabled()
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert _cell(dialog.table, _row_of(dialog, "officer2"), 4).text() == ""
    users.authenticate(ctx, "officer2", PASSWORD)
    _grab(dialog, "users-unlocked")
    dialog.select_user("officer")
    assert not dialog.unlock_button.isEnabled()

    # The administrator cannot disable themselves: the button is off, the service refuses too.
    dialog.select_user("admin")
    assert not dialog.disable_button.isEnabled()
    assert answers.errors == []


def test_a_refused_user_is_asked_again_with_the_reason(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers, monkeypatch
) -> None:
    dialog = AdminUsersDialog(desk_ctx, people.admin)
    qtbot.addWidget(dialog)
    asked: list[tuple[NewUser | None, str]] = []
    given = [
        NewUser("officer", "Again", ("officer",), "pass-word-123"),  # taken
        NewUser("o.again", "Again", ("officer",), "short"),  # password too short
        None,  # the administrator gives up
    ]

    def ask(_parent: object, previous: NewUser | None = None, problem: str = "") -> NewUser | None:
        asked.append((previous, problem))
        return given[len(asked) - 1]

    monkeypatch.setattr(admin_users, "ask_new_user", ask)
    dialog.create_user()
    assert asked[0] == (None, "")
    assert "taken" in asked[1][1] and asked[1][0] == given[0]
    assert "password" in asked[2][1]
    assert dialog.bar.kind == "error" and "password" in dialog.bar.text.text()
    assert len(user_admin.list_user_rows(desk_ctx, people.admin)) == 5

    shown = admin_users.NewUserDialog(dialog, given[0], "The user name 'officer' is taken.")
    qtbot.addWidget(shown)
    assert shown.username.text() == "officer" and shown.problem.text().endswith("taken.")
    assert shown.role_boxes["officer"].isChecked() and not shown.role_boxes["admin"].isChecked()
    shown.show()
    _grab(shown, "new-user-refused")


def test_non_admins_get_no_admin_screens(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers
) -> None:
    assert admin_users.open_admin_users(None, desk_ctx, people.supervisor) is None
    assert admin_settings.open_admin_settings(None, desk_ctx, people.officer) is None
    assert len(answers.errors) == 2
    dialog = AdminUsersDialog(desk_ctx, people.supervisor)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.create_button.isVisible() and not dialog.create_button.isEnabled()
    checklists = AdminChecklistsDialog(desk_ctx, people.officer)
    qtbot.addWidget(checklists)
    assert checklists.import_button.isHidden()
    shown = admin_users.open_admin_users(None, desk_ctx, people.admin)
    assert shown is not None and shown.objectName() == "adminUsers"
    qtbot.addWidget(shown)


def _png(path: Path) -> Path:
    image = QImage(180, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f4e79"))
    assert image.save(str(path))  # the format follows the .png name
    return path


def test_settings_change_and_are_stored(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers, tmp_path: Path, monkeypatch
) -> None:
    ctx = desk_ctx
    dialog = AdminSettingsDialog(ctx, people.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.objectName() == "adminSettings"
    dialog.name.setText("Crisis Centre Kyiv")
    dialog.address.setPlainText("vul. Khreshchatyk 1\nKyiv 01001")
    dialog.place.setText("Kyiv")
    dialog.head_name.setText("Natallia Head")
    dialog.serial_prefix.setText("KYV")
    dialog.validity.setValue(90)
    dialog.amber.setValue(2)
    dialog.red.setValue(5)
    dialog.auto_lock.setValue(0)
    assert dialog.auto_lock.text() == "never"
    logo = _png(tmp_path / "logo.png")
    monkeypatch.setattr(admin_settings, "choose_logo_file", lambda _parent: logo)
    qtbot.mouseClick(dialog.choose_logo, Qt.MouseButton.LeftButton)
    assert dialog.logo_preview.pixmap() is not None and not dialog.logo_preview.pixmap().isNull()
    assert dialog.remove_logo.isEnabled()
    _grab(dialog, "settings")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == AdminSettingsDialog.DialogCode.Accepted
    stored = settings.get_settings(ctx)
    assert stored.name == "Crisis Centre Kyiv" and stored.serial_prefix == "KYV"
    assert stored.address == "vul. Khreshchatyk 1\nKyiv 01001"
    assert (stored.letter_validity_days, stored.age_amber_days, stored.age_red_days) == (90, 2, 5)
    assert stored.auto_lock_minutes == 0
    assert stored.logo_png == logo.read_bytes()

    again = AdminSettingsDialog(ctx, people.admin)
    qtbot.addWidget(again)
    assert again.name.text() == "Crisis Centre Kyiv" and again.red.value() == 5
    qtbot.mouseClick(again.remove_logo, Qt.MouseButton.LeftButton)
    assert again.changes() == {"logo_png": None}
    again.save()
    assert settings.get_settings(ctx).logo_png is None


def test_a_bad_prefix_shows_a_message_and_saves_nothing(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers, tmp_path: Path
) -> None:
    ctx = desk_ctx
    before = settings.get_settings(ctx)
    dialog = AdminSettingsDialog(ctx, people.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.place.setText("Lviv")
    dialog.serial_prefix.setText("kyv-1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "serial prefix" in dialog.error.text() and "kyv-1" in dialog.error.text()
    _grab(dialog, "settings-error")
    assert settings.get_settings(ctx) == before
    dialog.serial_prefix.setText("KYV")
    dialog.amber.setValue(9)  # after red: refused as well
    dialog.save()
    assert "amber" in dialog.error.text() and settings.get_settings(ctx) == before
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"GIF89a not a png")
    assert not dialog.set_logo_file(bad)
    assert "PNG" in dialog.error.text() and dialog.logo is None


def _template_file(tmp_path: Path, version: int) -> Path:
    """The installed default checklist with one item reworded, one dropped and one added."""
    raw = json.loads(
        resources.files("praverka.app.checklist").joinpath("templates/default-v1.json").read_bytes()
    )
    raw["version"] = version
    raw["title"] = "Default checklist, edition 2"
    items = [item for item in raw["items"] if item["code"] != "photo_matches"]
    for item in items:
        if item["code"] == "interview_held":
            item["text"] = "Interview held in person, with an interpreter if needed"
    items.append({"code": "video_call", "text": "Video call with a reference", "kind": "manual"})
    raw["items"] = items
    path = tmp_path / f"default-v{version}.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_import_a_template_version_and_see_it_listed(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers, tmp_path: Path, monkeypatch
) -> None:
    ctx = desk_ctx
    new_case(ctx, people.officer)
    dialog = AdminChecklistsDialog(ctx, people.admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 1
    assert _cell(dialog.table, 0, 4).text() == "1"  # one case uses version 1

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert not dialog.import_file(broken)
    assert dialog.bar.kind == "error" and "JSON" in dialog.bar.text.text()

    path = _template_file(tmp_path, 2)
    monkeypatch.setattr(admin_checklists, "choose_template_file", lambda _parent: path)
    button = dialog.findChild(QPushButton, "importTemplate")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.bar.kind == "info"
    assert dialog.table.rowCount() == 2
    assert [_cell(dialog.table, r, 1).text() for r in range(2)] == ["1", "2"]
    assert _cell(dialog.table, 1, 4).text() == "0"
    # The new version beside the one before it, items compared.
    assert dialog.chosen(dialog.right_choice).version == 2  # type: ignore[union-attr]
    assert dialog.chosen(dialog.left_choice).version == 1  # type: ignore[union-attr]
    left, right = dialog.left_items, dialog.right_items
    assert (left.rowCount(), right.rowCount()) == (8, 8)

    def colours(table: QTableWidget) -> dict[str, str]:
        return {
            _cell(table, r, 0).data(Qt.ItemDataRole.UserRole): _cell(table, r, 0)
            .background()
            .color()
            .name()
            for r in range(table.rowCount())
            if _cell(table, r, 0).background().style() != Qt.BrushStyle.NoBrush
        }

    assert colours(right) == {"interview_held": "#fff1d6", "video_call": "#e3f4e1"}
    assert colours(left) == {"interview_held": "#fff1d6", "photo_matches": "#fbe3e1"}
    _grab(dialog, "checklists")
    assert not dialog.import_file(path)  # the same version twice is refused
    assert "already at version 2" in dialog.bar.text.text()
