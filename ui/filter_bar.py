"""The queue's filters: status (several at once), purpose, officer (mine by default), age."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSpinBox,
    QToolButton,
    QWidget,
)

from praverka.app import queries, users
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import _
from praverka.ui import labels

AGE_DELAY_MS = 250
ANYONE = -1  # the officer combo's "anyone"; None cannot be told from "no data" in a QVariant


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._actor = actor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.status_button = QToolButton(self)
        self.status_button.setObjectName("statusFilter")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_button.setMinimumWidth(180)
        self.status_button.setToolTip(_("Show only cases in the statuses ticked here"))
        self.status_menu = QMenu(self.status_button)
        self.status_menu.setObjectName("statusMenu")
        self.status_actions: dict[str, QAction] = {}
        for code in labels.STATUSES:
            action = QAction(labels.label(labels.STATUSES, code), self.status_menu)
            action.setObjectName(f"status_{code}")
            action.setCheckable(True)
            action.toggled.connect(self._on_status)
            self.status_menu.addAction(action)
            self.status_actions[code] = action
        self.status_menu.addSeparator()
        clear = self.status_menu.addAction(_("Any status"))
        clear.setObjectName("statusAny")
        clear.triggered.connect(self.clear_statuses)
        self.status_button.setMenu(self.status_menu)
        layout.addWidget(self.status_button)

        self.purpose = QComboBox(self)
        self.purpose.setObjectName("purposeFilter")
        self.purpose.addItem(_("Any purpose"), "")
        for code in labels.PURPOSES:
            self.purpose.addItem(labels.label(labels.PURPOSES, code), code)
        self.purpose.currentIndexChanged.connect(self.changed)
        layout.addWidget(self.purpose)

        self.officer = QComboBox(self)
        self.officer.setObjectName("officerFilter")
        self.officer.addItem(_("My cases"), actor.user_id)
        self.officer.addItem(_("Anyone's cases"), ANYONE)
        for info in users.list_users(ctx):
            if (
                info.active
                and info.id != actor.user_id
                and ("officer" in info.roles or "supervisor" in info.roles)
            ):
                self.officer.addItem(info.full_name, info.id)
        self.officer.currentIndexChanged.connect(self.changed)
        layout.addWidget(self.officer)

        age_label = QLabel(_("Older than"), self)
        age_label.setObjectName("ageLabel")
        layout.addWidget(age_label)
        self.min_age = QSpinBox(self)
        self.min_age.setObjectName("ageFilter")
        self.min_age.setRange(0, 3650)
        self.min_age.setSpecialValueText(_("any age"))
        self.min_age.setSuffix(_(" days"))
        # Holding an arrow key steps through many ages: query once it settles.
        self.age_timer = QTimer(self)
        self.age_timer.setObjectName("ageTimer")
        self.age_timer.setSingleShot(True)
        self.age_timer.setInterval(AGE_DELAY_MS)
        self.age_timer.timeout.connect(self.changed)
        self.min_age.valueChanged.connect(self.age_timer.start)
        age_label.setBuddy(self.min_age)
        layout.addWidget(self.min_age)
        self._update_status_text()

    def _on_status(self) -> None:
        self._update_status_text()
        self.changed.emit()

    def _update_status_text(self) -> None:
        chosen = self.statuses()
        if not chosen:
            text = _("Status: any")
        elif len(chosen) <= 2:
            text = _("Status: {list}").format(
                list=", ".join(labels.label(labels.STATUSES, s) for s in chosen)
            )
        else:
            text = _("Status: {n} chosen").format(n=len(chosen))
        self.status_button.setText(text)

    def clear_statuses(self) -> None:
        self.set_statuses(())

    def set_statuses(self, codes: tuple[str, ...] | list[str]) -> None:
        for code, action in self.status_actions.items():
            action.blockSignals(True)
            action.setChecked(code in codes)
            action.blockSignals(False)
        self._on_status()

    def statuses(self) -> list[str]:
        return [code for code, action in self.status_actions.items() if action.isChecked()]

    def set_officer(self, user_id: int | None) -> None:
        index = self.officer.findData(ANYONE if user_id is None else user_id)
        if index >= 0:
            self.officer.setCurrentIndex(index)

    def case_filter(self, sort: str, descending: bool) -> queries.CaseFilter:
        officer = self.officer.currentData()
        return queries.CaseFilter(
            statuses=tuple(self.statuses()),
            purpose=str(self.purpose.currentData()) or None,
            officer_id=None if officer in (None, ANYONE) else int(officer),
            min_age_days=self.min_age.value() or None,
            sort=sort,
            descending=descending,
        )
