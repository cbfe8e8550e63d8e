"""A supervisor's review of one case: everything read-only, the checklist and timeline beside it,
and the decision (approve, return, reject) with a waiver for a checklist item.

Approving, rejecting and waiving ask for the password again first.  The person
who prepared the case sees no decision buttons at all (four eyes); the
workflow service refuses them anyway.  Every decision carries the version of
the case this window last read, so a change made meanwhile at another desk is
refused and the window offers to reload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenuBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from praverka.app import queries, queue_pages, review, workflow
from praverka.app.checklist import state
from praverka.app.checklist.state import ItemState
from praverka.app.context import Actor, AppContext
from praverka.app.errors import ConflictError, PraverkaError
from praverka.app.i18n import _
from praverka.app.views import CaseDetail
from praverka.db.enums import Role
from praverka.ui import labels, messages, reauth
from praverka.ui.assign import AssignDialog
from praverka.ui.checklist_tab import item_detail_text, item_state_text
from praverka.ui.login import TITLE, database_error_text
from praverka.ui.queue_model import CASE_ID_ROLE, COLUMNS
from praverka.ui.tab_base import fill_table
from praverka.ui.timeline_tab import MAX_DETAIL, entry_text

if TYPE_CHECKING:
    from praverka.ui.main_window import MainWindow

R = TypeVar("R")
RETURNED_REFRESH_MS = 120_000

DECISIONS = ("approve", "return", "reject")
AGE_COLOURS = {"amber": "#b26a00", "red": "#a01c12"}
_DONE = QColor("#1d6b2f")
_OPEN = QColor("#a01c12")
_WAIVED = QColor("#6b5b00")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class ReviewWindow(QMainWindow):
    """One case under review, read-only, with the supervisor's decisions."""

    case_changed = Signal(int)
    closed = Signal()

    def __init__(
        self, ctx: AppContext, actor: Actor, case_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.ctx, self.actor, self.case_id = ctx, actor, case_id
        # Opening is the audited view; re-reads after a decision are not.
        detail = queries.open_case(ctx, actor, case_id)
        self.detail = detail
        self.version = detail.summary.version
        self.preparer = review.prepared_by(ctx, actor, case_id)
        self.thresholds = review.age_thresholds(ctx)
        self._available: dict[str, workflow.Availability] = {}

        central = QWidget(self)
        central.setObjectName("reviewPage")
        layout = QVBoxLayout(central)
        self.header = QLabel(central)
        self.header.setObjectName("reviewHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.four_eyes_note = QLabel(
            _(
                "You prepared this case, so another supervisor decides on it (four eyes). "
                "You can read it here."
            ),
            central,
        )
        self.four_eyes_note.setObjectName("fourEyesNote")
        self.four_eyes_note.setWordWrap(True)
        self.four_eyes_note.setStyleSheet("color: #6b3d00;")
        self.four_eyes_note.setVisible(self.preparer)
        layout.addWidget(self.four_eyes_note)
        self.bar = messages.MessageBar(central)
        self.bar.reload_requested.connect(self.reload)
        layout.addWidget(self.bar)

        splitter = QSplitter(Qt.Orientation.Horizontal, central)
        splitter.setObjectName("reviewSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_case_side(splitter))
        splitter.addWidget(self._build_checks_side(splitter))
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        self.decision_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        if not self.preparer:
            texts = {
                "approve": _("&Approve..."),
                "return": _("Re&turn to officer..."),
                "reject": _("Re&ject..."),
            }
            handlers: dict[str, Callable[[], bool]] = {
                "approve": self.approve,
                "return": self.return_to_officer,
                "reject": self.reject,
            }
            for name in DECISIONS:
                button = QPushButton(texts[name], central)
                button.setObjectName(f"{name}Button")
                button.clicked.connect(handlers[name])
                row.addWidget(button)
                self.decision_buttons[name] = button
        self.close_button = QPushButton(_("Close"), central)
        self.close_button.setObjectName("reviewClose")
        self.close_button.clicked.connect(self.close)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.setCentralWidget(central)
        self.statusBar().setObjectName("reviewStatusBar")

        reload_action = QAction(_("Reload"), self)
        reload_action.setObjectName("reviewReload")
        reload_action.setShortcut(QKeySequence("F5"))
        reload_action.triggered.connect(self.reload)
        self.addAction(reload_action)
        close_action = QAction(_("Close"), self)
        close_action.setShortcut(QKeySequence.StandardKey.Close)
        close_action.triggered.connect(self.close)
        self.addAction(close_action)

        self.show_detail(detail)
        splitter.setSizes([560, 640])
        self.resize(1200, 780)

    # ------------------------------------------------------------- building

    def _build_case_side(self, parent: QWidget) -> QWidget:
        """Applicant, documents and references one above the other, all in sight at once."""
        side = QSplitter(Qt.Orientation.Vertical, parent)
        side.setObjectName("reviewCaseSplitter")
        side.setChildrenCollapsible(False)

        applicant_box = QGroupBox(_("Applicant"), side)
        applicant_box.setObjectName("reviewApplicantBox")
        applicant_layout = QVBoxLayout(applicant_box)
        self.applicant = QLabel(applicant_box)
        self.applicant.setObjectName("reviewApplicant")
        self.applicant.setTextFormat(Qt.TextFormat.RichText)
        self.applicant.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.applicant.setWordWrap(True)
        self.applicant.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        applicant_layout.addWidget(self.applicant)
        applicant_layout.addStretch(1)
        side.addWidget(applicant_box)

        self.documents_box = QGroupBox(_("Documents"), side)
        self.documents_box.setObjectName("reviewDocumentsBox")
        documents_layout = QVBoxLayout(self.documents_box)
        self.documents = _table(
            self.documents_box,
            "reviewDocuments",
            [_("Kind"), _("Number"), _("Seen as"), _("Verification"), _("Scans"), _("Note")],
        )
        documents_layout.addWidget(self.documents)
        side.addWidget(self.documents_box)

        self.references_box = QGroupBox(_("References"), side)
        self.references_box.setObjectName("reviewReferencesBox")
        references_layout = QVBoxLayout(self.references_box)
        self.references = _table(
            self.references_box,
            "reviewReferences",
            [_("Name"), _("Relationship"), _("Years"), _("Confirmed"), _("Last contact")],
        )
        references_layout.addWidget(self.references)
        side.addWidget(self.references_box)
        side.setSizes([260, 230, 240])
        return side

    def _build_checks_side(self, parent: QWidget) -> QWidget:
        side = QSplitter(Qt.Orientation.Vertical, parent)
        side.setObjectName("reviewChecksSplitter")
        side.setChildrenCollapsible(False)

        box = QGroupBox(_("Checklist"), side)
        box.setObjectName("reviewChecklistBox")
        self.checklist_box = box
        box_layout = QVBoxLayout(box)
        self.checklist = _table(
            box, "reviewChecklist", [_("Item"), _("State"), _("Why / evidence")]
        )
        header = self.checklist.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.checklist.currentCellChanged.connect(lambda *_args: self._update_waive())
        box_layout.addWidget(self.checklist, 1)
        waive_row = QHBoxLayout()
        self.item_note = QLabel(box)
        self.item_note.setObjectName("reviewItemNote")
        self.item_note.setWordWrap(True)
        waive_row.addWidget(self.item_note, 1)
        self.waive_button = QPushButton(_("&Waive item..."), box)
        self.waive_button.setObjectName("waiveButton")
        self.waive_button.clicked.connect(self.waive_selected)
        self.waive_button.setVisible(self.actor.has_role("supervisor"))
        waive_row.addWidget(self.waive_button)
        box_layout.addLayout(waive_row)
        side.addWidget(box)

        timeline_box = QGroupBox(_("Timeline"), side)
        timeline_box.setObjectName("reviewTimelineBox")
        timeline_layout = QVBoxLayout(timeline_box)
        self.timeline = QTreeWidget(timeline_box)
        self.timeline.setObjectName("reviewTimeline")
        self.timeline.setRootIsDecorated(False)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setHeaderLabels([_("When"), _("What"), _("Who"), _("Details")])
        theader = self.timeline.header()
        for column in range(3):
            theader.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        theader.setStretchLastSection(True)
        timeline_layout.addWidget(self.timeline)
        side.addWidget(timeline_box)
        side.setSizes([430, 300])
        return side

    # ------------------------------------------------------------- showing

    def show_detail(self, detail: CaseDetail) -> None:
        self.detail = detail
        self.version = detail.summary.version
        self._show_header(detail)
        self._show_applicant(detail)
        self._show_documents(detail)
        self._show_references(detail)
        self._show_checklist(detail.checklist)
        self._show_timeline(detail)
        self._fetch_available()
        self._update_buttons()
        summary = detail.summary
        name = summary.applicant_native or summary.applicant_latin
        self.setWindowTitle(
            _("Review {number} {name}").format(number=summary.number, name=name)
            + f" \N{EM DASH} {TITLE}"
        )

    def _show_header(self, detail: CaseDetail) -> None:
        summary = detail.summary
        purposes = ", ".join(labels.label(labels.PURPOSES, p) for p in summary.purposes)
        age = _("{n} days old").format(n=summary.age_days)
        colour = AGE_COLOURS.get(self.thresholds.level(summary.age_days))
        if colour:
            age = f"<span style='color:{colour}'><b>{age}</b></span>"
        self.header.setText(
            f"<span style='font-size:15pt'><b>{_escape(summary.number)}</b> &nbsp; "
            f"{_escape(summary.applicant_native)} &nbsp; "
            f"<i>{_escape(summary.applicant_latin)}</i></span><br>"
            + _(
                "<b>{status}</b> &middot; {purposes} &middot; priority {priority} &middot; "
                "officer {officer} &middot; prepared by {preparer} &middot; {age} &middot; "
                "in this status since {since}"
            ).format(
                status=labels.label(labels.STATUSES, summary.status),
                purposes=_escape(purposes),
                priority=labels.priority_label(summary.priority).lower(),
                officer=_escape(summary.assigned_officer or "-"),
                preparer=_escape(detail.preparer),
                age=age,
                since=labels.when(summary.status_changed_at),
            )
        )

    def _show_applicant(self, detail: CaseDetail) -> None:
        applicant = detail.applicant
        rows: list[tuple[str, str]] = [
            (labels.label(labels.SCRIPTS, n.script), n.full) for n in applicant.names
        ]
        rows += [
            (_("Date of birth"), applicant.birth_date or _("unknown")),
            (_("Sex"), labels.label(labels.SEXES, applicant.sex)),
            (_("Citizenship"), applicant.citizenship),
            (_("Phone"), applicant.phone),
            (_("E-mail"), applicant.email),
            (_("Address"), applicant.address),
            (_("Checklist version"), detail.checklist_template),
            (_("Last changed"), f"{labels.when(detail.updated_at)}, {detail.updated_by}"),
        ]
        cells = "".join(
            f"<tr><td style='color:#555; padding-right:12px'>{_escape(k)}</td>"
            f"<td>{_escape(v) or '-'}</td></tr>"
            for k, v in rows
        )
        self.applicant.setText(f"<table cellspacing='4'>{cells}</table>")

    def _show_documents(self, detail: CaseDetail) -> None:
        self.documents_box.setTitle(_("Documents ({n})").format(n=len(detail.documents)))
        fill_table(
            self.documents,
            [
                [
                    labels.label(labels.DOCUMENT_KINDS, d.kind),
                    d.number,
                    labels.label(labels.SEEN_AS, d.seen_as),
                    labels.label(labels.VERIFICATION, d.verification),
                    str(len(d.scan_ids)),
                    d.note,
                ]
                for d in detail.documents
            ],
        )

    def _show_references(self, detail: CaseDetail) -> None:
        confirmed = sum(1 for r in detail.references if r.confirmed)
        self.references_box.setTitle(
            _("References ({n}, {confirmed} confirmed)").format(
                n=len(detail.references), confirmed=confirmed
            )
        )
        rows = []
        for r in detail.references:
            last = r.attempts[-1] if r.attempts else None
            contact = (
                f"{labels.when(last.at)} {labels.label(labels.OUTCOMES, last.outcome)}"
                if last
                else _("never reached")
            )
            rows.append(
                [
                    r.name,
                    r.relationship,
                    "" if r.years_known is None else str(r.years_known),
                    _("yes") if r.confirmed else _("no"),
                    contact,
                ]
            )
        fill_table(self.references, rows)

    def _show_checklist(self, items: tuple[ItemState, ...]) -> None:
        required = [i for i in items if i.required]
        done = sum(1 for i in required if i.done)
        self.checklist_box.setTitle(
            _("Checklist: {done} of {total} required items done").format(
                done=done, total=len(required)
            )
        )
        current = self.checklist.currentRow()
        self.checklist.setRowCount(len(items))
        for r, item in enumerate(items):
            state_item = QTableWidgetItem(item_state_text(item))
            colour = _WAIVED if item.waived else _DONE if item.met else _OPEN
            state_item.setForeground(QBrush(colour))
            for c, cell in enumerate(
                [QTableWidgetItem(item.text), state_item, QTableWidgetItem(item_detail_text(item))]
            ):
                cell.setToolTip(cell.text())
                self.checklist.setItem(r, c, cell)
        if 0 <= current < len(items):
            self.checklist.selectRow(current)

    def _show_timeline(self, detail: CaseDetail) -> None:
        self.timeline.clear()
        items = []
        for entry in sorted(detail.timeline, key=lambda e: e.at, reverse=True):
            text = entry_text(entry)
            item = QTreeWidgetItem(
                [
                    labels.when(entry.at),
                    labels.label(labels.TIMELINE_KINDS, entry.kind),
                    entry.actor,
                    text[:MAX_DETAIL],
                ]
            )
            item.setToolTip(3, entry.text[:4000])
            items.append(item)
        self.timeline.addTopLevelItems(items)

    def _fetch_available(self) -> None:
        try:
            found = workflow.available_actions(self.ctx, self.actor, self.case_id)
        except Exception as exc:  # the buttons stay off and the bar says why
            self.bar.error(database_error_text(exc))
            found = []
        self._available = {a.action: a for a in found}

    def _update_buttons(self) -> None:
        for name, button in self.decision_buttons.items():
            found = self._available.get(name)
            allowed = found is not None and found.allowed
            button.setEnabled(allowed)
            button.setToolTip(
                found.label if found and allowed else found.reason if found else _("Not available")
            )
        self._update_waive()

    def selected_item(self) -> ItemState | None:
        row = self.checklist.currentRow()
        items = self.detail.checklist
        return items[row] if 0 <= row < len(items) else None

    def select_item(self, code: str) -> None:
        for row, item in enumerate(self.detail.checklist):
            if item.code == code:
                self.checklist.selectRow(row)
                return

    def _update_waive(self) -> None:
        item = self.selected_item()
        if item is None:
            self.item_note.setText(_("Choose an item to see it in full or to waive it."))
        else:
            self.item_note.setText(
                f"<b>{_escape(item.text)}</b>: {_escape(item_detail_text(item))}"
            )
        waivable = self.detail.summary.status in {s.value for s in state.WAIVABLE}
        self.waive_button.setEnabled(item is not None and not item.waived and waivable)
        self.waive_button.setToolTip(
            ""
            if waivable
            else _("The case is {status}; its checklist can no longer change.").format(
                status=labels.label(labels.STATUSES, self.detail.summary.status).lower()
            )
        )

    # ------------------------------------------------------------- deciding

    def _call(self, fn: Callable[[], R]) -> R | None:
        """Run a service call; a refusal goes to the message bar and gives None."""
        try:
            result = fn()
        except ConflictError as exc:
            self.bar.conflict(str(exc))
            return None
        except PraverkaError as exc:
            self.bar.error(str(exc))
            return None
        except Exception as exc:  # e.g. the server went away; nothing was saved
            self.bar.error(database_error_text(exc))
            return None
        self.bar.clear()
        return result

    def _change(self, op: Callable[[int], int], done: str) -> bool:
        version = self.version
        new_version = self._call(lambda: op(version))
        if new_version is None:
            return False
        self.version = new_version
        self.reload_quietly()
        self.case_changed.emit(self.case_id)
        self.statusBar().showMessage(done, 8000)
        return True

    def _confirmed(self, what: str) -> bool:
        return reauth.confirm_with_password(self, self.ctx, self.actor, what)

    def _ask_reason(self, title: str, prompt: str, missing: str) -> str | None:
        answer = messages.ask_text(self, title, prompt)
        if answer is None:
            return None
        if not answer.strip():
            self.bar.error(missing)
            return None
        return answer.strip()

    def _transition(self, name: str, comment: str = "") -> bool:
        ctx, actor, case_id = self.ctx, self.actor, self.case_id
        label = _(workflow.ACTIONS[name].label)
        return self._change(
            lambda v: workflow.transition(ctx, actor, case_id, v, name, comment),
            _("{action}: done.").format(action=label),
        )

    def approve(self) -> bool:
        number = self.detail.summary.number
        if not self._confirmed(_("approving case {number}").format(number=number)):
            return False
        return self._transition("approve")

    def return_to_officer(self) -> bool:
        comment = self._ask_reason(
            _("Return to officer"),
            _("What must the officer do? They see this comment with the returned case."),
            _("A return needs a comment for the officer; the case was not returned."),
        )
        if comment is None:
            return False
        return self._transition("return", comment)

    def reject(self) -> bool:
        reason = self._ask_reason(
            _("Reject"),
            _("Why is the case rejected? The reason goes on the case's timeline."),
            _("A rejection needs a reason; the case was not rejected."),
        )
        if reason is None:
            return False
        number = self.detail.summary.number
        if not self._confirmed(_("rejecting case {number}").format(number=number)):
            return False
        return self._transition("reject", reason)

    def waive_selected(self) -> bool:
        item = self.selected_item()
        if item is None:
            return False
        reason = self._ask_reason(
            _("Waive an item"),
            _("Why is \u201c{item}\u201d waived?").format(item=item.text),
            _("A waiver needs a reason; the item was not waived."),
        )
        if reason is None:
            return False
        if not self._confirmed(_("waiving \u201c{item}\u201d").format(item=item.text)):
            return False
        ctx, actor, case_id, code = self.ctx, self.actor, self.case_id, item.code
        done = self._change(
            lambda v: state.waive(ctx, actor, case_id, v, code, reason),
            _("Waived: {item}").format(item=item.text),
        )
        if done:
            self.select_item(code)
        return done

    # ------------------------------------------------------------- reading again

    def reload_quietly(self) -> None:
        try:
            detail = queue_pages.reload_case(self.ctx, self.case_id)
        except Exception as exc:
            self.bar.error(database_error_text(exc))
            return
        self.show_detail(detail)

    def reload(self) -> None:
        """Read the case again (after a conflict, or on request)."""
        try:
            detail = queue_pages.reload_case(self.ctx, self.case_id)
        except Exception as exc:
            self.bar.error(database_error_text(exc))
            return
        self.bar.clear()
        self.show_detail(detail)
        self.statusBar().showMessage(_("Reloaded."), 6000)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.closed.emit()


# ----------------------------------------------------------------- returned cases


class ReturnedDialog(QDialog):
    """The cases returned to the signed-in officer, with the supervisor's comment."""

    open_requested = Signal(int)

    def __init__(
        self, returned: Sequence[review.ReturnedCase], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("returnedDialog")
        self.setWindowTitle(_("Cases returned to you"))
        self.returned = list(returned)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("A supervisor sent these cases back with a comment. Double-click one to open it.")
            if self.returned
            else _("No case of yours is waiting after a return."),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = _table(
            self, "returnedTable", [_("Case"), _("Returned"), _("By"), _("Comment")]
        )
        rows = [[r.number, labels.when(r.returned_at), r.by, r.comment] for r in self.returned]
        fill_table(self.table, rows)
        for row, item in enumerate(self.returned):
            cell = self.table.item(row, 0)
            if cell is not None and not item.seen:
                font = cell.font()
                font.setBold(True)
                cell.setFont(font)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = buttons.addButton(_("&Open"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setObjectName("returnedOpen")
        self.open_button.setEnabled(bool(self.returned))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.returned):
            self.open_requested.emit(self.returned[row].case_id)


def returned_summary(returned: Sequence[review.ReturnedCase]) -> str:
    """The status bar's words for the returned cases; "" when there are none."""
    if not returned:
        return ""
    new = sum(1 for r in returned if not r.seen)
    text = (
        _("1 case returned to you")
        if len(returned) == 1
        else _("{n} cases returned to you").format(n=len(returned))
    )
    if new:
        text += " " + _("({n} new)").format(n=new)
    return text


# ----------------------------------------------------------------- the main window's menu


class ReviewMenu(QObject):
    """The main window's Review menu, and the returned-cases notice in its status bar.

    self.review_menu = review.install(self, menu_bar)
    """

    def __init__(self, window: MainWindow, menu_bar: QMenuBar) -> None:
        super().__init__(window)
        self.setObjectName("reviewMenuHandler")
        self.window = window
        self.windows: dict[int, ReviewWindow] = {}
        self.returned: list[review.ReturnedCase] = []
        self.returned_dialog: ReturnedDialog | None = None
        supervisor = window.actor.has_role(Role.SUPERVISOR)

        menu = menu_bar.addMenu(_("&Review"))
        menu.setObjectName("reviewMenu")
        self.queue_action = QAction(_("Review &queue"), window)
        self.queue_action.setObjectName("reviewQueueAction")
        self.queue_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.queue_action.setToolTip(_("Cases in review, oldest first"))
        self.queue_action.triggered.connect(self.show_queue)
        self.review_action = QAction(_("&Review selected case..."), window)
        self.review_action.setObjectName("reviewCaseAction")
        self.review_action.setShortcut(QKeySequence("Ctrl+R"))
        self.review_action.triggered.connect(self.review_selected)
        self.assign_action = QAction(_("&Assign selected cases..."), window)
        self.assign_action.setObjectName("assignCasesAction")
        self.assign_action.triggered.connect(self.assign_selected)
        self.returned_action = QAction(_("Cases re&turned to me..."), window)
        self.returned_action.setObjectName("returnedCasesAction")
        self.returned_action.triggered.connect(self.show_returned)
        for action in (self.queue_action, self.review_action, self.assign_action):
            action.setVisible(supervisor)
            action.setEnabled(supervisor)
            window.addAction(action)
        menu.addActions([self.queue_action, self.review_action, self.assign_action])
        menu.addSeparator()
        menu.addAction(self.returned_action)
        window.addAction(self.returned_action)

        self.returned_label = QLabel(window.statusBar())
        self.returned_label.setObjectName("returnedLabel")
        self.returned_label.setTextFormat(Qt.TextFormat.RichText)
        self.returned_label.linkActivated.connect(lambda _link: self.show_returned())
        self.returned_label.hide()
        window.statusBar().addPermanentWidget(self.returned_label)
        window.refresh_action.triggered.connect(self.update_returned)
        self.timer = QTimer(self)
        self.timer.setObjectName("returnedTimer")
        self.timer.setInterval(RETURNED_REFRESH_MS)
        self.timer.timeout.connect(self.update_returned)
        self.timer.start()
        self.update_returned()

    def selected_ids(self) -> list[int]:
        model = self.window.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        ids = [int(i) for i in (row.data(CASE_ID_ROLE) for row in rows) if i is not None]
        if not ids:
            current = self.window.selected_case_id()
            ids = [current] if current is not None else []
        return ids

    def show_queue(self) -> None:
        """The review queue preset: in review, anyone's, any age, oldest first."""
        flt = review.review_queue_filter()
        window = self.window
        window.search.clear()
        window.filters.set_officer(None)
        window.filters.min_age.setValue(0)
        window.filters.set_statuses(tuple(flt.statuses))
        header = window.table.horizontalHeader()
        # The Age column sorted by descending age is the oldest case first.
        header.setSortIndicator(COLUMNS.index("age"), Qt.SortOrder.DescendingOrder)
        window.apply_query()

    def review_selected(self) -> ReviewWindow | None:
        ids = self.selected_ids()
        if not ids:
            self.window.statusBar().showMessage(_("Choose a case in the queue first."), 6000)
            return None
        return self.open_review(ids[0])

    def open_review(self, case_id: int) -> ReviewWindow | None:
        existing = self.windows.get(case_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        try:
            window = ReviewWindow(self.window.ctx, self.window.actor, case_id)
        except Exception as exc:  # the case may be gone or the network down
            messages.show_error(self.window, _("Cannot open the case"), database_error_text(exc))
            return None
        window.case_changed.connect(lambda _id: self.window.refresh())
        window.closed.connect(lambda: self.windows.pop(case_id, None))
        self.windows[case_id] = window
        window.show()
        return window

    def assign_selected(self) -> AssignDialog | None:
        ids = self.selected_ids()
        if not ids:
            self.window.statusBar().showMessage(_("Choose cases in the queue first."), 6000)
            return None
        dialog = AssignDialog(self.window.ctx, self.window.actor, ids, self.window)
        dialog.assigned.connect(lambda _ids: self.window.refresh())
        dialog.open()
        return dialog

    def update_returned(self) -> None:
        try:
            self.returned = review.returned_to(self.window.ctx, self.window.actor)
        except Exception:  # a notice is a courtesy; the queue says what is wrong
            return
        text = returned_summary(self.returned)
        self.returned_label.setVisible(bool(text))
        new = any(not r.seen for r in self.returned)
        colour = AGE_COLOURS["amber"] if new else "#444"
        self.returned_label.setText(
            f"<a href='returned' style='color:{colour}'>{_escape(text)}</a>" if text else ""
        )
        self.returned_label.setToolTip(
            "\n".join(f"{r.number}: {r.comment}" for r in self.returned[:10])
        )

    def show_returned(self) -> ReturnedDialog:
        self.update_returned()
        dialog = ReturnedDialog(self.returned, self.window)
        dialog.open_requested.connect(self._open_returned)
        self.returned_dialog = dialog
        dialog.open()
        return dialog

    def _open_returned(self, case_id: int) -> None:
        self.window.open_case(case_id)
        self.update_returned()


def install(window: MainWindow, menu_bar: QMenuBar) -> ReviewMenu:
    """Add the Review menu and the returned-cases notice to the main window."""
    return ReviewMenu(window, menu_bar)
