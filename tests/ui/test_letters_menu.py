"""The main window's Letters menu: checking a letter against this desk's keys and revocations."""

from __future__ import annotations

from pathlib import Path

from praverka.app import letters, signing
from praverka.app.verification import Verdict, VerifyResult
from praverka.ui.main_window import MainWindow
from praverka.ui.verify_dialog import VerifyDialog
from tests.factories import approved_case

PASSPHRASE = "menu-signing-passphrase"


def _issued_letter(ctx, people, tmp_path: Path) -> tuple[str, Path]:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    key = signing.unlock_signing_key(ctx, PASSPHRASE)
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    pdf = letters.output_letter(ctx, people.officer, view.serial, "save").pdf
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return view.serial, path


def _check(qtbot, window: MainWindow, path: Path) -> VerifyResult:
    window.verify_letter_action.trigger()
    dialog = window.verify_dialog
    assert isinstance(dialog, VerifyDialog) and dialog.objectName() == "verifyDialog"
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.checked, timeout=30_000) as blocker:
        dialog.set_file(path)
    result = blocker.args[0]
    assert isinstance(result, VerifyResult), result
    dialog.close()
    return result


def test_verify_from_the_menu_uses_this_desks_keys_and_revocations(
    qtbot, desk_ctx, people, tmp_path
):
    serial, path = _issued_letter(desk_ctx, people, tmp_path)
    window = MainWindow(desk_ctx, people.supervisor)
    qtbot.addWidget(window)
    window.show()
    assert window.verify_letter_action.isEnabled()
    result = _check(qtbot, window, path)
    assert result.verdict is Verdict.VALID and result.claims is not None
    assert result.claims.serial == serial
    letters.revoke_letter(desk_ctx, people.supervisor, serial, "Documents were forged")
    assert _check(qtbot, window, path).verdict is Verdict.REVOKED


def test_batch_issue_is_offered_to_officers_only(qtbot, desk_ctx, people):
    officer = MainWindow(desk_ctx, people.officer)
    admin = MainWindow(desk_ctx, people.admin)
    for window in (officer, admin):
        qtbot.addWidget(window)
    assert officer.batch_letters_action.isEnabled()
    assert not admin.batch_letters_action.isEnabled()
    assert "officer or supervisor" in admin.batch_letters_action.toolTip()
