"""One case in its own window: tabs for each part, a toolbar for the workflow.

Every change is a service call carrying the version of the case this window
last read; the service refuses it if another desk saved in between, and the
window then says who and when and offers to reload.  Typed input that no
service has seen yet (the applicant form, a new document or reference) is
"unsaved": Save sends it, and closing the window asks about it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from praverka.app import cases, queries, workflow
from praverka.app.context import Actor, AppContext
from praverka.app.errors import ConflictError, PraverkaError
from praverka.app.i18n import _
from praverka.app.views import CaseDetail
from praverka.ui import labels, messages
from praverka.ui.applicant_form import ApplicantForm
from praverka.ui.case_window import available_actions, read_case_again
from praverka.ui.checklist_tab import ChecklistTab
from praverka.ui.documents_tab import DocumentsTab
from praverka.ui.letters_tab import LettersTab
from praverka.ui.login import TITLE, database_error_text
from praverka.ui.references_tab import ReferencesTab
from praverka.ui.signing_unlock import SigningKeyHolder
from praverka.ui.tab_base import CaseTab
from praverka.ui.timeline_tab import TimelineTab

R = TypeVar("R")

EDITABLE = ("draft", "on_hold")
TOOLBAR_ACTIONS = ("submit", "hold", "resume", "withdraw")


class CaseEditor(QMainWindow):
    case_changed = Signal(int)
    closed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        case_id: int,
        parent: QWidget | None = None,
        *,
        signing_holder: SigningKeyHolder | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseEditor")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.ctx, self.actor, self.case_id = ctx, actor, case_id
        # The sitting's unlocked signing key, shared by every case window; a window opened
        # without one keeps its own, so the passphrase is then asked once per window.
        self.signing_holder = signing_holder if signing_holder is not None else SigningKeyHolder()
        # Opening is the audited view; later re-reads after our own changes are not.
        detail = queries.open_case(ctx, actor, case_id)
        self.detail = detail
        self.version = detail.summary.version
        self._form_dirty = False
        self._available: dict[str, workflow.Availability] = {}

        central = QWidget(self)
        central.setObjectName("caseEditorPage")
        layout = QVBoxLayout(central)
        self.header = QLabel(central)
        self.header.setObjectName("caseHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.header)
        self.bar = messages.MessageBar(central)
        self.bar.reload_requested.connect(self.reload)
        layout.addWidget(self.bar)

        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("caseTabs")
        self.form = ApplicantForm()
        scroll = QScrollArea(self.tabs)
        scroll.setObjectName("applicantTab")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.tabs.addTab(scroll, _("&Applicant"))
        self.documents = DocumentsTab(self)
        self.references = ReferencesTab(self)
        self.checklist = ChecklistTab(self)
        self.letters = LettersTab(self)
        self.timeline = TimelineTab(self)
        self.case_tabs: list[CaseTab] = [
            self.documents,
            self.references,
            self.checklist,
            self.letters,
            self.timeline,
        ]
        self.tabs.addTab(self.documents, _("&Documents"))
        self.tabs.addTab(self.references, _("&References"))
        self.tabs.addTab(self.checklist, _("Chec&klist"))
        self.tabs.addTab(self.letters, _("&Letters"))
        self.tabs.addTab(self.timeline, _("&Timeline"))
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.statusBar().setObjectName("editorStatusBar")

        self._build_toolbar()
        self.form.changed.connect(self._on_form_changed)
        self.show_detail(detail)
        self.resize(1100, 760)

    # ------------------------------------------------------------- toolbar

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(_("Case"))
        toolbar.setObjectName("caseToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.save_action = QAction(_("Save"), self)
        self.save_action.setObjectName("saveAction")
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save)
        toolbar.addAction(self.save_action)
        toolbar.addSeparator()
        self.workflow_actions: dict[str, QAction] = {}
        for name in TOOLBAR_ACTIONS:
            action = QAction(_(workflow.ACTIONS[name].label), self)
            action.setObjectName(f"{name}Action")
            action.triggered.connect(lambda _checked=False, n=name: self.take(n))
            toolbar.addAction(action)
            self.workflow_actions[name] = action
        toolbar.addSeparator()
        self.reload_action = QAction(_("Reload"), self)
        self.reload_action.setObjectName("reloadAction")
        self.reload_action.setShortcut(QKeySequence("F5"))
        self.reload_action.triggered.connect(self.ask_reload)
        toolbar.addAction(self.reload_action)
        self.close_action = QAction(_("Close"), self)
        self.close_action.setObjectName("closeAction")
        self.close_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_action.triggered.connect(self.close)
        self.addAction(self.close_action)

    def update_actions(self) -> None:
        dirty = self.is_dirty()
        editable = self.editable()
        self.save_action.setEnabled(dirty and editable)
        self.save_action.setToolTip(
            _("Save the changes (Ctrl+S)")
            if dirty
            else _("Nothing to save")
            if editable
            else self.why_not_editable()
        )
        for name, action in self.workflow_actions.items():
            found = self._available.get(name)
            if found is None:
                action.setEnabled(False)
                action.setToolTip(_("Not available"))
                continue
            if name == "resume":
                action.setVisible(self.detail.summary.status == "on_hold")
            if found.allowed and dirty:
                action.setEnabled(False)
                action.setToolTip(_("Save or discard your changes first."))
            else:
                action.setEnabled(found.allowed)
                action.setToolTip(found.label if found.allowed else found.reason)

    # ------------------------------------------------------------- state

    def editable(self) -> bool:
        return self.detail.summary.status in EDITABLE and bool(
            {"officer", "supervisor"} & self.actor.roles
        )

    def why_not_editable(self) -> str:
        if not {"officer", "supervisor"} & self.actor.roles:
            return _("Only officers and supervisors change cases.")
        if self.detail.summary.status not in EDITABLE:
            return _("The case is {status}; only draft or on-hold cases can be changed.").format(
                status=labels.label(labels.STATUSES, self.detail.summary.status).lower()
            )
        return ""

    def is_dirty(self) -> bool:
        return self._form_dirty or any(tab.pending() for tab in self.case_tabs)

    def _on_form_changed(self) -> None:
        if not self.editable():
            return
        self._form_dirty = True
        self.refresh_dirty()

    def refresh_dirty(self) -> None:
        """Title and actions after the unsaved state may have changed."""
        self._update_title()
        self.update_actions()

    def _update_title(self) -> None:
        summary = self.detail.summary
        name = summary.applicant_native or summary.applicant_latin
        mark = "*" if self.is_dirty() else ""
        self.setWindowTitle(f"{mark}{summary.number} {name} \N{EM DASH} {TITLE}")

    def show_detail(self, detail: CaseDetail, *, keep_form: bool = False) -> None:
        self.detail = detail
        self.version = detail.summary.version
        summary = detail.summary
        editable = self.editable()
        why_not = self.why_not_editable()
        if not (keep_form and self._form_dirty):
            self.form.load(detail.applicant, summary.purposes, summary.priority)
            self._form_dirty = False
        self.form.set_read_only(not editable)
        for tab in self.case_tabs:
            tab.load(detail, editable, why_not)
        purposes = ", ".join(labels.label(labels.PURPOSES, p) for p in summary.purposes)
        self.header.setText(
            f"<span style='font-size:15pt'><b>{summary.number}</b> &nbsp; "
            f"{_escape(summary.applicant_native)} &nbsp; <i>{_escape(summary.applicant_latin)}</i>"
            f"</span><br>"
            + _(
                "<b>{status}</b> &middot; {purposes} &middot; priority {priority} &middot; "
                "officer {officer} &middot; prepared by {preparer} &middot; {age} days old "
                "&middot; checklist {template}"
            ).format(
                status=labels.label(labels.STATUSES, summary.status),
                purposes=_escape(purposes),
                priority=labels.priority_label(summary.priority).lower(),
                officer=_escape(summary.assigned_officer or "-"),
                preparer=_escape(detail.preparer),
                age=summary.age_days,
                template=_escape(detail.checklist_template),
            )
        )
        self._available = available_actions(self.ctx, self.actor, self.case_id, self.bar)
        self.refresh_dirty()

    # ------------------------------------------------------------- changing

    def _call(self, fn: Callable[[], R]) -> R | None:
        """Run a service call; a refusal goes to the message bar and gives None."""
        try:
            result = fn()
        except ConflictError as exc:
            self.bar.conflict(
                str(exc) + "\n" + _("Your unsaved input stays here until you reload.")
            )
            return None
        except PraverkaError as exc:
            self.bar.error(str(exc))
            return None
        except Exception as exc:  # e.g. the server went away; nothing was saved
            self.bar.error(database_error_text(exc))
            return None
        if self.bar.kind == "error":
            self.bar.clear()
        return result

    def change(self, op: Callable[[int], R]) -> R | None:
        version = self.version
        result = self._call(lambda: op(version))
        if result is None:
            return None
        new_version = result[-1] if isinstance(result, tuple) else result
        if isinstance(new_version, int):
            self.version = new_version
        self._after_change()
        return result

    def _after_change(self) -> None:
        self.reload_quietly()
        self.case_changed.emit(self.case_id)

    def note(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def show_error(self, text: str) -> None:
        self.bar.error(text)

    def letters_changed(self) -> None:
        """A letter was issued, corrected or revoked: the status may have moved (to attested)."""
        if self.bar.kind == "error":
            self.bar.clear()
        self._after_change()

    def save(self) -> bool:
        """Send every unsaved input: the applicant form first, then each tab's form."""
        if self._form_dirty and not self._save_form():
            return False
        for tab in self.case_tabs:
            if tab.pending() and not tab.save_pending():
                self.tabs.setCurrentWidget(tab)
                return False
        self.refresh_dirty()
        return True

    def _save_form(self) -> bool:
        try:
            applicant = self.form.applicant_input()
        except ValueError as exc:
            self.bar.error(_("Date of birth: {problem}").format(problem=exc))
            self.tabs.setCurrentIndex(0)
            return False
        purposes = self.form.purposes()
        if not purposes:
            self.bar.error(_("Choose at least one purpose for the case."))
            self.tabs.setCurrentIndex(0)
            return False
        ctx, actor, case_id = self.ctx, self.actor, self.case_id
        priority = self.form.priority_value()
        version = self._call(
            lambda: cases.save_case(
                ctx,
                actor,
                case_id,
                self.version,
                applicant=applicant,
                purposes=purposes,
                priority=priority,
            )
        )
        if version is None:
            return False
        self.version = version
        self._form_dirty = False
        self.note(_("Saved."))
        self._after_change()
        return True

    def take(self, name: str) -> None:
        """A workflow step from the toolbar; some ask why (a comment for the timeline)."""
        action = workflow.ACTIONS[name]
        comment = ""
        if action.comment_required:
            answer = messages.ask_text(
                self, _(action.label), _("Why? This goes on the case's timeline.")
            )
            if answer is None:
                return
            comment = answer
        ctx, actor, case_id = self.ctx, self.actor, self.case_id
        if self.change(lambda v: workflow.transition(ctx, actor, case_id, v, name, comment)):
            self.note(_("{action}: done.").format(action=_(action.label)))

    def reload_quietly(self) -> None:
        """Read the case again after our own change, keeping unsaved input."""
        detail = read_case_again(self.ctx, self.case_id, self.bar)
        if detail is not None:
            self.show_detail(detail, keep_form=True)

    def reload(self) -> None:
        """Read the case again and drop unsaved input (after a conflict, or on request)."""
        detail = read_case_again(self.ctx, self.case_id, self.bar)
        if detail is None:
            return
        self._form_dirty = False
        for tab in self.case_tabs:
            tab.discard()
        self.bar.clear()
        self.show_detail(detail)
        self.note(_("Reloaded."))

    def ask_reload(self) -> None:
        if self.is_dirty() and not messages.confirm(
            self, _("Reload"), _("Reloading drops the changes you have not saved. Reload?")
        ):
            return
        self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            answer = messages.ask_unsaved(
                self, _("Case {number}").format(number=self.detail.summary.number)
            )
            if answer is messages.Answer.CANCEL or (
                answer is messages.Answer.SAVE and not self.save()
            ):
                event.ignore()
                return
        event.accept()
        self.closed.emit()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
