"""The main window's Letters menu: batch issue for approved cases, checking a letter, and the
files recipients check letters with (the public key and the signed revocation list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog, QMenuBar, QWidget

from praverka.app import signing
from praverka.app.i18n import N_, _
from praverka.db.enums import Role
from praverka.ui import messages
from praverka.ui.login import database_error_text
from praverka.ui.signing_unlock import SigningKeyHolder, ensure_unlocked

if TYPE_CHECKING:
    from praverka.app.context import Actor, AppContext
    from praverka.app.signing import KeyInfo
    from praverka.app.verification import VerifyResult
    from praverka.ui.main_window import MainWindow
    from praverka.ui.verify_dialog import VerifyDialog, VerifyRequest


def install(window: MainWindow, menu_bar: QMenuBar) -> tuple[QAction, QAction, QAction, QAction]:
    """Add the menu; returns its batch, verify, public key and revocation list actions."""
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
    may_publish = window.actor.has_role(Role.SUPERVISOR) or window.actor.has_role(Role.ADMIN)
    public_key = QAction(_("Export &public key..."), window)
    public_key.setObjectName("exportPublicKeyAction")
    public_key.setEnabled(may_publish)
    public_key.setToolTip(
        _("Save the public key file that recipients check the letters' QR codes with")
        if may_publish
        else _("Exporting the public key is for supervisors and administrators.")
    )
    public_key.triggered.connect(lambda: export_public_key(window))
    revocations = QAction(_("Export &revocation list..."), window)
    revocations.setObjectName("exportRevocationsAction")
    revocations.setEnabled(may_publish)
    revocations.setToolTip(
        _("Save the signed list of revoked letters for recipients (signing passphrase asked)")
        if may_publish
        else _("Exporting the revocation list is for supervisors and administrators.")
    )
    revocations.triggered.connect(lambda: export_revocation_list(window))
    menu.addActions([batch, verify])
    menu.addSeparator()
    menu.addActions([public_key, revocations])
    return batch, verify, public_key, revocations


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


# ---------------------------------------------------------------- files for recipients

# The file types the Verify dialog offers when a recipient opens these files.
KEY_FILTER = N_("Public keys (*.pem);;All files (*)")
REVOCATIONS_FILTER = N_("Revocation lists (*.cose);;All files (*)")


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """Where to write; None when the person cancels. Tests replace this function."""
    return messages.ask_save_file(parent, title, suggested, filters)


def ask_key(parent: QWidget, choices: Sequence[KeyInfo]) -> str | None:
    """Which key to export, the active one first; None when cancelled. Tests replace this."""
    labels = [_key_label(info) for info in choices]
    chosen, ok = QInputDialog.getItem(
        parent,
        _("Export public key"),
        _(
            "Letters signed before a key change are checked with the retired key. "
            "Which key's file to save?"
        ),
        labels,
        0,
        False,
    )
    return choices[labels.index(chosen)].key_id if ok and chosen in labels else None


def _key_label(info: KeyInfo) -> str:
    if info.retired_at is None:
        return _("{key_id} (active, since {date})").format(
            key_id=info.key_id, date=info.created_at.date().isoformat()
        )
    return _("{key_id} (retired {date})").format(
        key_id=info.key_id, date=info.retired_at.date().isoformat()
    )


def export_public_key(window: MainWindow) -> None:
    # Imported on use, like the letters it reads from: they bring the PDF renderer, which
    # the window's opening after sign-in should not wait for.
    from praverka.app import publishing

    title = _("Export public key")
    try:
        found = signing.list_keys(window.ctx)
    except Exception as exc:  # the database may be gone
        messages.show_error(window, title, database_error_text(exc))
        return
    # The active key first (recipients need it for new letters), then the newest retired.
    choices = sorted(reversed(found), key=lambda k: k.retired_at is not None)
    if not choices:
        messages.show_error(window, title, _("This database has no signing key yet."))
        return
    key_id = choices[0].key_id if len(choices) == 1 else ask_key(window, choices)
    if key_id is None:
        return
    path = ask_save_path(
        window,
        _("Save the public key"),
        f"praverka-key-{key_id}.pem",
        _(KEY_FILTER),
    )
    if path is None:
        return
    try:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            published = publishing.export_public_key(window.ctx, window.actor, path, key_id)
        finally:
            QApplication.restoreOverrideCursor()
    except Exception as exc:  # a refusal, an unwritable folder, a full disk, a lost database
        messages.show_error(window, _("The public key was not saved"), database_error_text(exc))
        return
    text = (
        _(
            "Wrote the public key {key_id} to {file}. Recipients check letters with it, "
            "together with the latest revocation list."
        )
        if not published.retired
        else _(
            "Wrote the retired key {key_id} to {file}. Recipients check the letters signed "
            "before it was retired with it."
        )
    ).format(key_id=published.key_id, file=published.path)
    window.statusBar().showMessage(text, 10000)
    messages.show_info(window, title, text)


def export_revocation_list(window: MainWindow) -> None:
    text = save_revocation_list(window, window.ctx, window.actor, window.signing_holder)
    if text is not None:
        window.statusBar().showMessage(text, 10000)


def save_revocation_list(
    parent: QWidget, ctx: AppContext, actor: Actor, holder: SigningKeyHolder
) -> str | None:
    """Ask where, unlock the key if needed, write the signed list and say so.

    Returns the confirmation shown, or None when cancelled or refused (the person was told
    why).  Takes no main window, so that any window holding the sitting's key can offer it.
    """
    from praverka.app import publishing  # on use, as above

    title = _("Export revocation list")
    today = ctx.now().date().isoformat()
    path = ask_save_path(
        parent, _("Save the revocation list"), f"revoked-{today}.cose", _(REVOCATIONS_FILTER)
    )
    if path is None:
        return None
    key = ensure_unlocked(parent, ctx, holder)
    if key is None:
        return None
    try:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            published = publishing.export_revocation_list(ctx, actor, key, path)
        finally:
            QApplication.restoreOverrideCursor()
    except Exception as exc:  # a refusal, an unwritable folder, a full disk, a lost database
        messages.show_error(
            parent, _("The revocation list was not saved"), database_error_text(exc)
        )
        return None
    text = _(
        "Wrote the revocation list to {file}, signed by key {key_id}. Revoked or replaced "
        "letters in it: {n}. Send it to the recipients who check your letters."
    ).format(file=published.path, n=published.count, key_id=published.key_id)
    messages.show_info(parent, title, text)
    return text
