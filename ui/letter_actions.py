"""The main window's Letters menu: batch issue for approved cases, and checking a letter."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar

from praverka.app.i18n import _
from praverka.db.enums import Role
from praverka.ui import messages

if TYPE_CHECKING:
    from praverka.app.verification import VerifyResult
    from praverka.ui.main_window import MainWindow
    from praverka.ui.verify_dialog import VerifyDialog, VerifyRequest


def install(window: MainWindow, menu_bar: QMenuBar) -> tuple[QAction, QAction]:
    """Add the menu; returns its batch and verify actions."""
    menu = menu_bar.addMenu(_("&Letters"))
    menu.setObjectName("lettersMenu")
    batch = QAction(_("&Issue letters for approved cases..."), window)
    batch.setObjectName("batchLettersAction")
    may_issue = window.actor.has_role(Role.OFFICER) or window.actor.has_role(Role.SUPERVISOR)
    batch.setEnabled(may_issue)
    batch.setToolTip(
        _("Issue and print or save the letters of many approved cases at once")
        if may_issue
        else _("Issuing letters needs the role officer or supervisor.")
    )
    batch.triggered.connect(lambda: open_batch(window))
    verify = QAction(_("&Verify a letter..."), window)
    verify.setObjectName("verifyLetterAction")
    verify.setToolTip(_("Check a letter's PDF, a photo or scan of it, or its QR text"))
    verify.triggered.connect(lambda: open_verify(window))
    menu.addActions([batch, verify])
    return batch, verify


def open_batch(window: MainWindow) -> None:
    from praverka.ui.batch_letters import BatchLettersDialog, approved_case_ids

    try:
        ids = approved_case_ids(window.ctx)
    except Exception as exc:  # the database may be gone
        messages.show_error(window, _("Cannot list approved cases"), str(exc))
        return
    if not ids:
        messages.show_error(window, _("No approved cases"), _("No case is waiting for its letter."))
        return
    dialog = BatchLettersDialog(window.ctx, window.actor, ids, window.signing_holder, window)
    dialog.finished_batch.connect(lambda _report: window.refresh())
    window.batch_dialog = dialog
    dialog.open()


def open_verify(window: MainWindow) -> VerifyDialog:
    # Imported on use: checking brings the QR reader and the PDF renderer, which the
    # window's opening after sign-in should not wait for.
    from praverka.app import letter_check, letters
    from praverka.ui.verify_dialog import VerifyDialog

    ctx = window.ctx

    def check(request: VerifyRequest) -> VerifyResult:
        # Runs off the GUI thread: plain values in, a plain result out.
        return letter_check.check_letter(
            letter_check.CheckRequest(
                path=request.path,
                text=request.text,
                trust_files=(request.trust_key_file,) if request.trust_key_file else (),
                revocations_file=request.revocations_file,
            ),
            local=lambda: letters.trust_and_revocations(ctx),
            today=dt.datetime.now(dt.UTC).date(),
        )

    dialog = VerifyDialog(check, window)
    window.verify_dialog = dialog
    dialog.show()
    return dialog
