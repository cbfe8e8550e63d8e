"""The Administration menu, shown to administrators: users, organisation settings, checklists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QMenuBar

from praverka.app.i18n import _

if TYPE_CHECKING:
    from praverka.ui.main_window import MainWindow


def install(window: MainWindow, menu_bar: QMenuBar) -> QMenu:
    # Imported on use: the screens are rarely opened and the window should open fast.
    def users() -> None:
        from praverka.ui.admin_users import open_admin_users

        open_admin_users(window, window.ctx, window.actor)

    def settings() -> None:
        from praverka.ui.admin_settings import open_admin_settings

        open_admin_settings(window, window.ctx, window.actor)

    def checklists() -> None:
        from praverka.ui.admin_checklists import open_admin_checklists

        open_admin_checklists(window, window.ctx, window.actor)

    menu = menu_bar.addMenu(_("&Administration"))
    menu.setObjectName("adminMenu")
    for text, name, slot in (
        (_("&Users..."), "adminUsersAction", users),
        (_("&Organisation settings..."), "adminSettingsAction", settings),
        (_("&Checklist templates..."), "adminChecklistsAction", checklists),
    ):
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(slot)
    return menu
