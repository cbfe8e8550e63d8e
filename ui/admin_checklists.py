"""Checklist templates, for administrators: every version, two side by side, import a new one.

    dialog = open_admin_checklists(parent, ctx, actor)

The list says how many cases use each version (a case keeps the version it was opened with).
Two versions chosen above the lower tables are shown item by item: an item only the newer one
has is green, one it dropped red, one whose wording or rule changed amber.
Import… reads a JSON template file with `templates.import_file`, which checks it whole.
Everyone may look; only administrators see Import….
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from praverka.app import user_admin
from praverka.app.checklist import templates
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import N_, _
from praverka.app.user_admin import TemplateItemRow, TemplateVersion
from praverka.ui import labels
from praverka.ui.admin_dialog import AdminDialog, row_button
from praverka.ui.login import database_error_text

ADMIN = "admin"
VERSION_COLUMNS = (
    N_("Checklist"),
    N_("Version"),
    N_("Title"),
    N_("Items"),
    N_("Cases"),
    N_("Imported"),
    N_("By"),
)
ITEM_COLUMNS = (N_("Item"), N_("Kind"), N_("Required"))
KINDS = {"evaluated": N_("computed"), "manual": N_("ticked")}
_ADDED = QColor("#e3f4e1")
_REMOVED = QColor("#fbe3e1")
_CHANGED = QColor("#fff1d6")


def choose_template_file(parent: QWidget) -> Path | None:
    """Ask for a template JSON file; a test replaces this like the questions in `messages`."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Import a checklist version"), "", _("Checklist templates (*.json)")
    )
    return Path(name) if name else None


def _table(parent: QWidget, name: str, columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([_(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    return table


def _same(a: TemplateItemRow, b: TemplateItemRow) -> bool:
    return (a.text, a.kind, a.required, a.rule, a.params) == (
        b.text,
        b.kind,
        b.required,
        b.rule,
        b.params,
    )


class AdminChecklistsDialog(AdminDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent, name="adminChecklists", title=_("Checklist templates"))
        self.versions: list[TemplateVersion] = []
        layout = self.page

        self.table = _table(self, "versionsTable", VERSION_COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)

        compare = QWidget(self)
        grid = QGridLayout(compare)
        grid.setContentsMargins(0, 0, 0, 0)
        self.left_choice = QComboBox(compare)
        self.left_choice.setObjectName("leftVersion")
        self.right_choice = QComboBox(compare)
        self.right_choice.setObjectName("rightVersion")
        self.left_items = _table(compare, "leftItems", ITEM_COLUMNS)
        self.right_items = _table(compare, "rightItems", ITEM_COLUMNS)
        for column, (choice, items) in enumerate(
            ((self.left_choice, self.left_items), (self.right_choice, self.right_items))
        ):
            row = QHBoxLayout()
            row.addWidget(QLabel(_("Version") if column == 0 else _("beside"), compare))
            row.addWidget(choice, 1)
            grid.addLayout(row, 0, column)
            grid.addWidget(items, 1, column)
            item_header = items.horizontalHeader()
            item_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            item_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            choice.currentIndexChanged.connect(self.show_items)
        self.legend = QLabel(
            _("Green: new in the newer version. Red: dropped from it. Amber: changed."),
            compare,
        )
        self.legend.setStyleSheet("color: #555;")
        grid.addWidget(self.legend, 2, 0, 1, 2)
        splitter.addWidget(compare)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([140, 460])
        layout.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.import_button = row_button(
            self, buttons, "importTemplate", _("Import…"), self.pick_and_import
        )
        self.import_button.setVisible(actor.has_role(ADMIN))
        buttons.addStretch(1)
        row_button(self, buttons, "closeChecklists", _("Close"), self.accept)
        layout.addLayout(buttons)
        self.resize(1000, 640)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.versions = user_admin.template_versions(self.ctx)
        except Exception as exc:
            self.bar.error(database_error_text(exc))
            return
        self.table.setRowCount(len(self.versions))
        for number, version in enumerate(self.versions):
            cells = (
                version.code,
                str(version.version),
                version.title,
                str(len(version.items)),
                str(version.cases),
                labels.when(version.imported_at),
                version.imported_by or _("installed"),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 3, 4):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(number, column, item)
        for choice in (self.left_choice, self.right_choice):
            choice.blockSignals(True)
            choice.clear()
            for version in self.versions:
                choice.addItem(
                    _("{code} v{version}: {title}").format(
                        code=version.code, version=version.version, title=version.title
                    ),
                    version.id,
                )
            choice.blockSignals(False)
        # The newest version beside the one before it, the usual question after an import.
        newest = len(self.versions) - 1
        self.right_choice.setCurrentIndex(newest)
        same_code = [
            i
            for i, v in enumerate(self.versions[:newest])
            if newest >= 0 and v.code == self.versions[newest].code
        ]
        self.left_choice.setCurrentIndex(same_code[-1] if same_code else newest)
        self.show_items()

    def chosen(self, choice: QComboBox) -> TemplateVersion | None:
        wanted = choice.currentData()
        return next((v for v in self.versions if v.id == wanted), None)

    def show_items(self) -> None:
        left, right = self.chosen(self.left_choice), self.chosen(self.right_choice)
        self._fill(self.left_items, left, right)
        self._fill(self.right_items, right, left)

    def _fill(
        self, table: QTableWidget, shown: TemplateVersion | None, other: TemplateVersion | None
    ) -> None:
        items = shown.items if shown else ()
        others = {item.code: item for item in other.items} if other else {}
        compare = other is not None and shown is not None and other.id != shown.id
        table.setRowCount(len(items))
        for number, entry in enumerate(items):
            background: QColor | None = None
            if compare:
                twin = others.get(entry.code)
                if twin is None:
                    newer = (
                        shown is not None and other is not None and shown.version > other.version
                    )
                    background = _ADDED if newer else _REMOVED
                elif not _same(entry, twin):
                    background = _CHANGED
            cells = (
                entry.text,
                labels.label(KINDS, entry.kind),
                _("yes") if entry.required else _("no"),
            )
            tip = "\n".join(
                part
                for part in (
                    _("Code: {code}").format(code=entry.code),
                    _("Rule: {rule}").format(rule=entry.rule) if entry.rule else "",
                    _("Parameters: {params}").format(params=entry.params) if entry.params else "",
                )
                if part
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, entry.code)
                cell.setToolTip(tip)
                if background is not None:
                    cell.setBackground(QBrush(background))
                table.setItem(number, column, cell)
        table.resizeRowsToContents()

    def pick_and_import(self) -> None:
        path = choose_template_file(self)
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bool:
        return self.run_and_refresh(
            lambda: templates.import_file(self.ctx, self.actor, path),
            lambda info: _("Imported {code} version {version} ({items} items).").format(
                code=info.code, version=info.version, items=info.items
            ),
        )


def open_admin_checklists(
    parent: QWidget | None, ctx: AppContext, actor: Actor
) -> AdminChecklistsDialog:
    """Show the checklist versions; Import… is there for administrators only."""
    dialog = AdminChecklistsDialog(ctx, actor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
