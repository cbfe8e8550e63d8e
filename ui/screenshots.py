"""Render the workstation's windows to PNG files, offscreen, from a fresh demo database.

    python -m praverka.ui.screenshots [OUTPUT_DIR]    (default docs/screenshots)

Writes login.png, queue.png, new-case.png, case-<tab>.png for each tab of
the case editor, scan-viewer.png, case-letters.png (a case with its letter),
issue-letter.png, verify.png, review.png and dashboard.png.  The demo data comes from a fixed seed,
so only the dates move between runs; the scans shown are made-up specimens
(ui/sample_scan.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from praverka.app.context import Actor, AppContext
    from praverka.ui.main_window import MainWindow

DEMO_CASES = 400
SIZE = (1280, 760)
TABS = ("applicant", "documents", "references", "checklist", "letters", "timeline")


def _settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def _save(widget: QWidget, path: Path) -> None:
    _settle()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def _wait_for(done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let worker threads finish (thumbnails are made off the GUI thread)."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def _attach_sample_scans(ctx: AppContext, actor: Actor, case_id: int) -> None:
    """Specimen scans on the case's first document, through the same checks as a real file."""
    from praverka.app import queue_pages, scans
    from praverka.ui import sample_scan

    detail = queue_pages.reload_case(ctx, case_id)
    if not detail.documents:
        return
    version = detail.summary.version
    document_id = detail.documents[0].id
    for name, data in (
        ("passport-data-page.jpg", sample_scan.specimen_passport_jpeg()),
        ("registration.pdf", sample_scan.specimen_form_pdf()),
    ):
        _, version = scans.import_scan(ctx, actor, document_id, version, data, name)


def render(output: Path, cases: int = DEMO_CASES) -> list[Path]:
    from praverka.app import demo, queries, queue_pages, setup, users
    from praverka.app.context import AppContext
    from praverka.ui.case_editor import CaseEditor
    from praverka.ui.login import LoginDialog
    from praverka.ui.main_window import MainWindow
    from praverka.ui.new_case import NewCaseDialog

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Praverka")
    output.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="praverka-shots-") as tmp:
        ctx = AppContext(setup.open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}"))
        demo.populate(ctx, cases=cases, seed=2026)
        account = next(a for a in demo.DEMO_ACCOUNTS if a.username == "officer1")

        login = LoginDialog(context=ctx)
        login.show()
        login.connect_database()
        login.username.setText(account.username)
        login.password.setText("x" * len(account.password))
        written.append(output / "login.png")
        _save(login, written[-1])
        login.close()

        actor = users.authenticate(ctx, account.username, account.password)
        window = MainWindow(ctx, actor, demo=True)
        window.resize(*SIZE)
        window.show()
        if window.model.rowCount() > 3:
            window.table.selectRow(2)
        written.append(output / "queue.png")
        _save(window, written[-1])

        dialog = NewCaseDialog(ctx, actor, window)
        dialog.show()
        # Someone already in the queue, typed in Russian: the duplicates panel finds them.
        sample = window.model.summary(0)
        native = (sample.applicant_native if sample else "Францкевіч Алесь").split(" ")
        dialog.form.rows[1].surname.setText(native[0])
        dialog.form.rows[1].given.setText(native[1][:3] if len(native) > 1 else "")
        dialog.form.birth.edit.setText("1987")
        dialog.form.purpose_boxes["bank_account"].setChecked(True)
        dialog.update_duplicates()
        written.append(output / "new-case.png")
        _save(dialog, written[-1])
        dialog.done(0)

        # The draft with the most on it shows every tab at work.
        flt = queries.CaseFilter(statuses=("draft",), officer_id=actor.user_id)
        candidates = queries.list_cases(ctx, flt, limit=200)

        def richness(case_id: int) -> tuple[int, int, int]:
            detail = queue_pages.reload_case(ctx, case_id)
            done = sum(1 for item in detail.checklist if item.done)
            return (min(len(detail.references), 3) + min(len(detail.documents), 2), done, case_id)

        chosen = max((c.id for c in candidates), key=richness)
        _attach_sample_scans(ctx, actor, chosen)
        editor = CaseEditor(ctx, actor, chosen)
        editor.resize(*SIZE)
        editor.show()
        editor.references.table.selectRow(0)
        editor.checklist.table.selectRow(2)
        editor.documents.table.selectRow(0)
        panel = editor.documents.scan_panel
        shown = panel.document.scan_ids if panel.document else ()
        _wait_for(lambda: all(panel.thumbnail_ready(i) for i in shown))
        for index, name in enumerate(TABS):
            editor.tabs.setCurrentIndex(index)
            written.append(output / f"case-{name}.png")
            _save(editor, written[-1])
        if shown:
            editor.tabs.setCurrentWidget(editor.documents)
            viewer = panel.open_viewer(shown[0])
            if viewer is not None:
                viewer.resize(1100, 760)
                viewer.fit()
                written.append(output / "scan-viewer.png")
                _save(viewer, written[-1])
                viewer.close()
        editor.close()
        written.extend(_letter_shots(ctx, window, output))
        written.extend(_review_shot(ctx, output))
        written.extend(_dashboard_shot(ctx, output))
        window.close()
        ctx.db.dispose()
    return written


def _dashboard_shot(ctx: AppContext, output: Path) -> list[Path]:
    """The supervisors' dashboard over the demo data's last twelve weeks."""
    from praverka.app import users
    from praverka.ui.dashboard import DashboardWindow

    supervisor = users.actor_by_username(ctx, "supervisor1")
    window = DashboardWindow(ctx, supervisor)
    window.resize(1280, 900)
    applied: list[object] = []
    window.figures_applied.connect(applied.append)
    window.show()
    _wait_for(lambda: bool(applied), 30)
    path = output / "dashboard.png"
    _save(window, path)
    window.close()
    return [path]


def _review_shot(ctx: AppContext, output: Path) -> list[Path]:
    """A supervisor's review of a case someone else prepared."""
    from praverka.app import queries, review, users
    from praverka.ui.review import ReviewWindow

    supervisor = users.actor_by_username(ctx, "supervisor1")
    ids = [c.id for c in queries.list_cases(ctx, review.review_queue_filter(), limit=50)]
    chosen = next((i for i in ids if not review.prepared_by(ctx, supervisor, i)), None)
    if chosen is None:
        return []
    window = ReviewWindow(ctx, supervisor, chosen)
    window.resize(*SIZE)
    window.show()
    path = output / "review.png"
    _save(window, path)
    window.close()
    return [path]


def _letter_shots(ctx: AppContext, window: MainWindow, output: Path) -> list[Path]:
    """A case's letters, the issue dialog with its draft, and a letter checked from its PDF."""
    from praverka.app import letters, queries
    from praverka.ui import letter_actions
    from praverka.ui.case_editor import CaseEditor
    from praverka.ui.issue_letter import IssueLetterDialog
    from praverka.ui.signing_unlock import SigningKeyHolder

    written: list[Path] = []
    issued = letters.list_letters(ctx, limit=1)
    if issued:
        editor = CaseEditor(ctx, window.actor, issued[0].case_id)
        editor.resize(*SIZE)
        editor.show()
        editor.tabs.setCurrentWidget(editor.letters)
        written.append(output / "case-letters.png")
        _save(editor, written[-1])
        editor.close()
    approved = queries.list_cases(ctx, queries.CaseFilter(statuses=("approved",)), limit=1)
    if approved:
        holder = SigningKeyHolder()
        dialog = IssueLetterDialog(ctx, window.actor, approved[0], holder, parent=window)
        dialog.resize(1100, 800)
        dialog.show()
        _wait_for(lambda: False, seconds=0.6)  # the draft preview renders after a pause
        written.append(output / "issue-letter.png")
        _save(dialog, written[-1])
        dialog.done(0)
    if issued:
        copy = letters.output_letter(
            ctx, window.actor, issued[0].serial, "save", reprint=True, reason="Screenshot"
        )
        # A copy handed out, checked as a recipient would: the screen view has no QR code.
        with tempfile.TemporaryDirectory(prefix="praverka-letter-") as folder:
            path = Path(folder) / f"{copy.serial}.pdf"
            path.write_bytes(copy.pdf)
            verify = letter_actions.open_verify(window)
            verify.resize(900, 640)
            verify.set_file(path)
            _wait_for(lambda: not verify.is_running() and verify.last_result is not None, 30)
            written.append(output / "verify.png")
            _save(verify, written[-1])
            verify.close()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    render(Path(args[0]) if args else Path("docs/screenshots"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
