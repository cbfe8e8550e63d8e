"""A supervisor's review of one case: everything read-only, the checklist and timeline beside it,
and the decision (approve, return, reject) with a waiver for a checklist item.

Approving, rejecting and waiving ask for the password again first.  The person
who prepared the case sees no decision buttons at all (four eyes); the
workflow service refuses them anyway.  Every decision carries the version of
the case this window last read, so a change made meanwhile at another desk is
refused and the window offers to reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from praverka.app import queries, review, workflow
from praverka.app.checklist import state
from praverka.app.checklist.state import ItemState
from praverka.app.context import Actor, AppContext
from praverka.app.errors import ConflictError, PraverkaError
from praverka.app.i18n import _
from praverka.app.identity.dates import parse as parse_partial_date
from praverka.app.views import CaseDetail
from praverka.ui import labels, messages, reauth
from praverka.ui.case_window import available_actions, read_case_again
from praverka.ui.checklist_tab import fill_item_table, item_detail_text, state_cell
from praverka.ui.documents_tab import document_cells
from praverka.ui.login import TITLE, database_error_text
from praverka.ui.review_style import AGE_COLOURS, escape_html, wrapping_table
from praverka.ui.tab_base import current_of, fill_table, select_where
from praverka.ui.timeline_tab import show_timeline, timeline_tree

if TYPE_CHECKING:
    pass

R = TypeVar("R")

DECISIONS = ("approve", "return", "reject")


def _titled_box(side: QSplitter, title: str, name: str) -> tuple[QGroupBox, QVBoxLayout]:
    """A titled group added to the splitter, and the column its contents go in."""
    box = QGroupBox(title, side)
    box.setObjectName(name)
    side.addWidget(box)
    return box, QVBoxLayout(box)


def _birth_date(iso: str) -> str:
    """As the officer typed it (14.03.1987, 03.1987 or 1987), like every other date here."""
    if not iso:
        return _("unknown")
    try:
        return parse_partial_date(iso).display()
    except ValueError:  # a stored value this program would not accept today: show it as is
        return iso


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

        applicant_box, applicant_layout = _titled_box(side, _("Applicant"), "reviewApplicantBox")
        self.applicant = QLabel(applicant_box)
        self.applicant.setObjectName("reviewApplicant")
        self.applicant.setTextFormat(Qt.TextFormat.RichText)
        self.applicant.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.applicant.setWordWrap(True)
        self.applicant.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        applicant_layout.addWidget(self.applicant)
        applicant_layout.addStretch(1)

        self.documents_box, documents_layout = _titled_box(
            side, _("Documents"), "reviewDocumentsBox"
        )
        self.documents = wrapping_table(
            self.documents_box,
            "reviewDocuments",
            [_("Kind"), _("Number"), _("Seen as"), _("Verification"), _("Scans"), _("Note")],
        )
        documents_layout.addWidget(self.documents)

        self.references_box, references_layout = _titled_box(
            side, _("References"), "reviewReferencesBox"
        )
        self.references = wrapping_table(
            self.references_box,
            "reviewReferences",
            [_("Name"), _("Relationship"), _("Years"), _("Confirmed"), _("Last contact")],
        )
        # Names of organisations run long: they and the last contact share the width and
        # wrap, rather than pushing the table into a sideways scroll.
        for column in (0, 4):
            self.references.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        references_layout.addWidget(self.references)
        side.setSizes([260, 230, 240])
        return side

    def _build_checks_side(self, parent: QWidget) -> QWidget:
        side = QSplitter(Qt.Orientation.Vertical, parent)
        side.setObjectName("reviewChecksSplitter")
        side.setChildrenCollapsible(False)

        box, box_layout = _titled_box(side, _("Checklist"), "reviewChecklistBox")
        self.checklist_box = box
        self.checklist = wrapping_table(
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

        timeline_box, timeline_layout = _titled_box(side, _("Timeline"), "reviewTimelineBox")
        self.timeline = timeline_tree(timeline_box, "reviewTimeline")
        timeline_layout.addWidget(self.timeline)
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
        show_timeline(self.timeline, detail.timeline)
        self._available = available_actions(self.ctx, self.actor, self.case_id, self.bar)
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
            f"<span style='font-size:15pt'><b>{escape_html(summary.number)}</b> &nbsp; "
            f"{escape_html(summary.applicant_native)} &nbsp; "
            f"<i>{escape_html(summary.applicant_latin)}</i></span><br>"
            + _(
                "<b>{status}</b> &middot; {purposes} &middot; priority {priority} &middot; "
                "officer {officer} &middot; prepared by {preparer} &middot; {age} &middot; "
                "in this status since {since}"
            ).format(
                status=labels.label(labels.STATUSES, summary.status),
                purposes=escape_html(purposes),
                priority=labels.priority_label(summary.priority).lower(),
                officer=escape_html(summary.assigned_officer or "-"),
                preparer=escape_html(detail.preparer),
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
            (_("Date of birth"), _birth_date(applicant.birth_date)),
            (_("Sex"), labels.label(labels.SEXES, applicant.sex)),
            (_("Citizenship"), applicant.citizenship),
            (_("Phone"), applicant.phone),
            (_("E-mail"), applicant.email),
            (_("Address"), applicant.address),
            (_("Checklist version"), detail.checklist_template),
            (_("Last changed"), f"{labels.when(detail.updated_at)}, {detail.updated_by}"),
        ]
        cells = "".join(
            f"<tr><td style='color:#555; padding-right:12px'>{escape_html(k)}</td>"
            f"<td>{escape_html(v) or '-'}</td></tr>"
            for k, v in rows
        )
        self.applicant.setText(f"<table cellspacing='4'>{cells}</table>")

    def _show_documents(self, detail: CaseDetail) -> None:
        self.documents_box.setTitle(_("Documents ({n})").format(n=len(detail.documents)))
        fill_table(self.documents, [[*document_cells(d), d.note] for d in detail.documents])

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
        fill_item_table(
            self.checklist,
            [
                [
                    QTableWidgetItem(item.text),
                    state_cell(item),
                    QTableWidgetItem(item_detail_text(item)),
                ]
                for item in items
            ],
        )

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
        return current_of(self.checklist, self.detail.checklist)

    def select_item(self, code: str) -> None:
        select_where(self.checklist, self.detail.checklist, lambda item: item.code == code)

    def _update_waive(self) -> None:
        item = self.selected_item()
        if item is None:
            self.item_note.setText(_("Choose an item to see it in full or to waive it."))
        else:
            self.item_note.setText(
                f"<b>{escape_html(item.text)}</b>: {escape_html(item_detail_text(item))}"
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
        detail = read_case_again(self.ctx, self.case_id, self.bar)
        if detail is not None:
            self.show_detail(detail)

    def reload(self) -> None:
        """Read the case again (after a conflict, or on request)."""
        detail = read_case_again(self.ctx, self.case_id, self.bar)
        if detail is None:
            return
        self.bar.clear()
        self.show_detail(detail)
        self.statusBar().showMessage(_("Reloaded."), 6000)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.closed.emit()
