"""The main window: the queue, its filters and search, and the way into every case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from praverka.app import queries, queue_pages, settings
from praverka.app.context import Actor, AppContext
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.ui import (
    admin_actions,
    dashboard_actions,
    export_actions,
    labels,
    letter_actions,
    messages,
    review_menu,
)
from praverka.ui.filter_bar import FilterBar
from praverka.ui.idle_lock import DeskLock
from praverka.ui.login import TITLE, database_error_text
from praverka.ui.queue_model import CASE_ID_ROLE, COLUMNS, QueueModel, sort_for
from praverka.ui.signing_unlock import SigningKeyHolder

if TYPE_CHECKING:
    from praverka.ui.case_editor import CaseEditor

SEARCH_DELAY_MS = 200
DEMO_BATCH = 5_000


class QueueView(QTableView):
    """The table; Enter opens the selected case."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                case_id = index.data(CASE_ID_ROLE)
                if case_id is not None:
                    self.open_requested.emit(int(case_id))
                    return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    logged_out = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        *,
        demo: bool = False,
        signing_holder: SigningKeyHolder | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.ctx, self.actor, self.demo = ctx, actor, demo
        # The unlocked signing key lives as long as this sign-in, shared by every case window.
        self.signing_holder = signing_holder if signing_holder is not None else SigningKeyHolder()
        self.batch_dialog: QDialog | None = None
        self.verify_dialog: QDialog | None = None
        self.dashboard_window: QWidget | None = None
        self.export_task: object | None = None  # kept while it runs: Qt needs it alive
        self.editors: dict[int, CaseEditor] = {}
        self._logging_out = False
        title = f"{TITLE} \N{EM DASH} {actor.full_name}"
        self.setWindowTitle(title + (" \N{EM DASH} DEMO" if demo else ""))
        self.resize(1280, 760)

        central = QWidget(self)
        central.setObjectName("queuePage")
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        self.filters = FilterBar(ctx, actor, central)
        top.addWidget(self.filters)
        top.addStretch(1)
        self.search = QLineEdit(central)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(_("Find: case number, document number or name"))
        self.search.setToolTip(
            _(
                "Any spelling of a name finds the applicant: Францкевіч, Францкевич, "
                "Frantskevich. Searching looks through all cases, whatever the filters say."
            )
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        top.addWidget(self.search)
        layout.addLayout(top)

        self.model = QueueModel(ctx, self)
        self.desk_lock: DeskLock | None = None
        try:
            office = settings.get_settings(ctx)
        except Exception:  # defaults are kept; the queue below reports a dead database
            office = settings.OrganisationSettings()
        self.model.set_age_limits(office.age_amber_days, office.age_red_days)
        if office.auto_lock_minutes:
            self.desk_lock = DeskLock(ctx, actor, office.auto_lock_minutes, self.log_out, self)
        self.table = QueueView(central)
        self.table.setObjectName("queueView")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows at once: a supervisor assigns many cases in one go.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures rows it has not shown.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setObjectName("queueHeader")
        header.setHighlightSections(False)
        widths = {"number": 110, "purposes": 150, "status": 100, "age": 80, "officer": 170}
        for column, name in enumerate(COLUMNS):
            if name == "applicant":
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.resizeSection(column, widths.get(name, 90))
        # Sorting re-runs the window's query (filters or search) rather than the
        # view's sortByColumn, which would ask the model to sort what it holds.
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(COLUMNS.index("age"), Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self.apply_query)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self.open_case)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.count_label = QLabel(bar)
        self.count_label.setObjectName("countLabel")
        bar.addWidget(self.count_label, 1)
        self.user_label = QLabel(
            _("{name} ({roles})").format(
                name=actor.full_name, roles=", ".join(sorted(actor.roles))
            ),
            bar,
        )
        self.user_label.setObjectName("userLabel")
        bar.addPermanentWidget(self.user_label)
        where = ctx.db.describe() + (" (DEMO)" if demo else "")
        self.database_label = QLabel(where, bar)
        self.database_label.setObjectName("databaseLabel")
        bar.addPermanentWidget(self.database_label)

        self._search_timer = QTimer(self)
        self._search_timer.setObjectName("searchTimer")
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_enter)
        self.filters.changed.connect(self.apply_query)
        self.model.reloaded.connect(self._update_counts)
        self.model.loaded.connect(self._ids_loaded)
        self.model.load_failed.connect(self._ids_failed)
        self._by_status: dict[str, int] = {}
        # A case to select once its row is known (the queue's ids are still coming).
        self._pending_case: int | None = None
        self._queried = False
        self._build_actions()
        self._count_statuses()
        self.table.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        # The first query waits until the window is shown: a filter set before
        # then (another officer's cases, say) is then the only query run.
        if not self._queried:
            self.apply_query()
        super().showEvent(event)

    # ------------------------------------------------------------- actions

    def _action(
        self,
        text: str,
        name: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu_bar = self.menuBar()
        menu_bar.setObjectName("menuBar")
        file_menu = menu_bar.addMenu(_("&File"))
        file_menu.setObjectName("fileMenu")
        case_menu = menu_bar.addMenu(_("&Case"))
        case_menu.setObjectName("caseMenu")
        view_menu = menu_bar.addMenu(_("&View"))
        view_menu.setObjectName("viewMenu")

        self.new_action = self._action(
            _("&New case..."), "newCaseAction", QKeySequence.StandardKey.New
        )
        self.new_action.triggered.connect(self.new_case)
        self.open_action = self._action(_("&Open case"), "openCaseAction")
        self.open_action.setShortcuts([QKeySequence("Ctrl+O")])
        self.open_action.setToolTip(_("Open the selected case (Enter, or double-click)"))
        self.open_action.triggered.connect(self.open_selected)
        case_menu.addActions([self.new_action, self.open_action])

        self.find_action = self._action(_("&Find"), "findAction", QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.refresh_action = self._action(_("&Refresh"), "refreshAction", QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh)
        view_menu.addActions([self.find_action, self.refresh_action])
        self.dashboard_action = dashboard_actions.install(self, view_menu)
        (
            self.batch_letters_action,
            self.verify_letter_action,
            self.export_public_key_action,
            self.export_revocations_action,
        ) = letter_actions.install(self, menu_bar)
        self.review_menu = review_menu.install(self, menu_bar)
        if self.actor.has_role("admin"):
            admin_actions.install(self, menu_bar)

        self.logout_action = self._action(_("&Log out"), "logoutAction", QKeySequence("Ctrl+L"))
        self.logout_action.triggered.connect(self.log_out)
        self.quit_action = self._action(_("&Quit"), "quitAction", QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.export_queue_action, self.weekly_report_action = export_actions.install(
            self, file_menu
        )
        file_menu.addSeparator()
        file_menu.addActions([self.logout_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        if self.demo:
            demo_menu = menu_bar.addMenu(_("&Demo"))
            demo_menu.setObjectName("demoMenu")
            self.demo_action = self._action(
                _("Add {n:,} demo cases...").format(n=DEMO_BATCH), "addDemoCases"
            )
            self.demo_action.triggered.connect(self.add_demo_cases)
            demo_menu.addAction(self.demo_action)

    # ------------------------------------------------------------- queue

    def current_sort(self) -> tuple[str, bool]:
        header = self.table.horizontalHeader()
        return sort_for(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def apply_query(self) -> None:
        """Run the filters, or the search when something is typed, keeping the selection.

        With no selection to keep (or while its row is not known yet), the
        queue shows its first rows.
        """
        self._search_timer.stop()
        self._queried = True
        selected = self._highlighted_case_id()
        if selected is None:
            selected = self._pending_case
        sort, descending = self.current_sort()
        text = self.search.text().strip()
        try:
            if text:
                hits = queue_pages.search_case_ids(self.ctx, text)
                self.model.set_query(queries.CaseFilter(sort=sort, descending=descending), hits)
            else:
                self.model.set_query(self.filters.case_filter(sort, descending))
        except PraverkaError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        except Exception as exc:  # a lost connection shows, the window stays
            self.statusBar().showMessage(database_error_text(exc), 8000)
            return
        self.filters.setEnabled(not text)
        self._pending_case = None
        if selected is None or not self.select_case(selected):
            self.table.scrollToTop()

    def _ids_loaded(self) -> None:
        case_id, self._pending_case = self._pending_case, None
        # Unless the officer has picked a row meanwhile.
        if case_id is not None and not self.table.selectionModel().hasSelection():
            self.select_case(case_id)

    def _ids_failed(self, message: str) -> None:
        self._pending_case = None
        self.statusBar().showMessage(message, 8000)

    def refresh(self) -> None:
        self._count_statuses()
        self.apply_query()

    def _count_statuses(self) -> None:
        # Read when the data may have changed (start, F5, a saved case), not on
        # every filter or sort change, which only looks at the same data again.
        try:
            self._by_status = queries.count_by_status(self.ctx)
        except Exception:  # the counts are a courtesy, the queue matters
            self._by_status = {}

    def _update_counts(self) -> None:
        shown = self.model.rowCount()
        if self.model.search_hits is not None:
            text = _("{n:,} cases found in all queues").format(n=shown)
        else:
            text = _("{n:,} cases shown").format(n=shown)
        by_status = self._by_status
        parts = [
            f"{labels.label(labels.STATUSES, code)} {by_status[code]:,}"
            for code in labels.STATUSES
            if by_status.get(code)
        ]
        if parts:
            text += "   \N{MIDDLE DOT}   " + _("in the database: ") + ", ".join(parts)
        self.count_label.setText(text)

    def _highlighted_case_id(self) -> int | None:
        """The case whose row the officer selected.

        Not merely the current index, which the view sets by itself when it
        gets the focus: a queue nobody has clicked into starts at the top
        after a sort or a filter change.
        """
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(CASE_ID_ROLE)
        return int(value) if value is not None else None

    def selected_case_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.data(CASE_ID_ROLE)
        return int(value) if value is not None else None

    def select_case(self, case_id: int) -> bool:
        """Select a case's row and show it; False if it is not in the queue (yet).

        A case whose row is not known yet is selected when the queue's ids are in.
        """
        row = self.model.row_of(case_id)
        if row is None:
            if not self.model.is_complete:
                self._pending_case = case_id
            return False
        self._pending_case = None
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_enter(self) -> None:
        if self._search_timer.isActive():
            self.apply_query()
        if self.model.rowCount():
            if self.model.rowCount() == 1:
                case_id = self.model.case_id(0)
                if case_id is not None:
                    self.open_case(case_id)
                    return
            self.table.setFocus()
            self.table.selectRow(0)

    # ------------------------------------------------------------- cases

    def _open_index(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id is not None:
            self.open_case(int(case_id))

    def open_selected(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.open_case(case_id)

    def open_case(self, case_id: int) -> CaseEditor | None:
        """Open the case in its own window, or bring its window forward if it is open."""
        existing = self.editors.get(case_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        from praverka.ui.case_editor import CaseEditor

        try:
            editor = CaseEditor(self.ctx, self.actor, case_id, signing_holder=self.signing_holder)
        except Exception as exc:  # the case may be gone or the network down
            messages.show_error(self, _("Cannot open the case"), database_error_text(exc))
            return None
        editor.case_changed.connect(self._case_changed)
        editor.closed.connect(lambda: self.editors.pop(case_id, None))
        self.editors[case_id] = editor
        editor.show()
        return editor

    def _case_changed(self, case_id: int) -> None:
        # A new status may take the case out of this view: read the ids again.
        self.refresh()

    def new_case(self) -> None:
        from praverka.ui.new_case import NewCaseDialog

        dialog = NewCaseDialog(self.ctx, self.actor, self)
        dialog.duplicate_chosen.connect(self.open_case)
        dialog.created.connect(self._case_created)
        dialog.open()

    def _case_created(self, case_id: int) -> None:
        self.refresh()
        self.select_case(case_id)
        self.open_case(case_id)

    def add_demo_cases(self) -> None:
        from praverka.app import demo
        from praverka.ui.tasks import TaskControl, run_task

        def work(control: TaskControl) -> demo.DemoReport:
            return demo.populate(self.ctx, cases=DEMO_BATCH, progress=control.progress)

        def done(report: demo.DemoReport) -> None:
            self.refresh()
            self.statusBar().showMessage(report.summary(), 10000)

        def failed(exc: BaseException) -> None:
            messages.show_error(self, _("Demo data"), database_error_text(exc))

        self.demo_task = run_task(
            self, work, on_done=done, on_error=failed, label=_("Adding demo cases...")
        )

    # ------------------------------------------------------------- leaving

    def close_editors(self) -> bool:
        """Close every case window; False if one of them wants to stay (unsaved changes)."""
        for editor in list(self.editors.values()):
            if not editor.close():
                editor.raise_()
                return False
        return True

    def log_out(self) -> None:
        if not self.close_editors():
            return
        if self.desk_lock is not None:
            self.desk_lock.stop()
        self._logging_out = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_editors():
            event.ignore()
            self._logging_out = False
            return
        event.accept()
        if self._logging_out:
            self.logged_out.emit()
        else:
            self.quit_requested.emit()
