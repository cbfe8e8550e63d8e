"""The Verify dialog: real signed codes in real pictures, checked off the GUI thread."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import segno
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton

from praverka.app import letter_check
from praverka.app.security import keys
from praverka.app.security.keys import PublicKey, SigningKey
from praverka.app.security.qr_claims import LetterClaims, encode_letter_qr
from praverka.app.security.revocation_list import sign_revocation_list
from praverka.app.verification import Verdict, VerifyResult
from praverka.ui import verify_dialog
from praverka.ui.verify_dialog import Tone, VerifyDialog, VerifyRequest

TODAY = dt.date(2026, 12, 1)
PASSPHRASE = "correct-horse-battery"
CLAIMS = LetterClaims(
    serial="PRV-2026-000123",
    issued_on=dt.date(2026, 11, 2),
    expires_on=dt.date(2027, 5, 2),
    purpose="bank_account",
    name_native="Аляксандра Уладзіміраўна Кастрычніцкая-Барысевіч",
    name_latin="Aliaksandra Uladzimiraŭna Kastrychnitskaya-Barysevich",
    birth_date="1987-03",
    document_number="MP1234567",
    issuer="Praverka Kyiv",
)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return keys.unlock(keys.generate_key_pair(PASSPHRASE), PASSPHRASE)


@pytest.fixture(scope="module")
def code(key: SigningKey) -> str:
    return encode_letter_qr(CLAIMS, key)


@pytest.fixture
def key_file(key: SigningKey, tmp_path: Path) -> Path:
    path = tmp_path / "issuer.pem"
    path.write_text(keys.public_key_file_text(key.public_key()), encoding="utf-8")
    return path


def scan_of(text: str, path: Path) -> Path:
    """The code as a scan of a printed letter would show it: about 38 mm at 150 dpi."""
    qr = segno.make(text, error="m", micro=False)
    qr.save(str(path), kind="png", scale=max(1, round(224 / qr.symbol_size(border=0)[0])))
    return path


def make_check(
    today: dt.date = TODAY, desk_keys: dict[str, PublicKey] | None = None
) -> Callable[[VerifyRequest], VerifyResult]:
    """What the desk does with a request (as `praverka verify` does): trust, revocations, verdict."""

    def check(request: VerifyRequest) -> VerifyResult:
        # The same check the desk's Letters menu and `praverka verify` run.
        return letter_check.check_letter(
            letter_check.CheckRequest(
                path=request.path,
                text=request.text,
                trust_files=(request.trust_key_file,) if request.trust_key_file else (),
                revocations_file=request.revocations_file,
            ),
            local=lambda: (dict(desk_keys or {}), frozenset()),
            today=today,
        )

    return check


def open_dialog(qtbot, check: Callable[[VerifyRequest], VerifyResult]) -> VerifyDialog:
    dialog = VerifyDialog(check)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def answer_files(monkeypatch, *paths: Path) -> list[str]:
    """Answer the file dialogs in turn with `paths`; their titles are recorded."""
    queue = list(paths)
    titles: list[str] = []

    def ask(_parent, title: str, _filters: str) -> Path | None:
        titles.append(title)
        return queue.pop(0) if queue else None

    monkeypatch.setattr(verify_dialog, "ask_open_path", ask)
    return titles


def wait_checked(qtbot, dialog: VerifyDialog, start: Callable[[], object]) -> object:
    with qtbot.waitSignal(dialog.checked, timeout=30_000) as blocker:
        start()
    assert not dialog.is_running()
    return blocker.args[0]


def background(dialog: VerifyDialog) -> str:
    picture = dialog.verdict_frame.grab().toImage()
    return QColor(picture.pixel(12, picture.height() // 2)).name()


def test_a_genuine_letter_scanned_to_png_is_valid_and_shows_its_signed_fields(
    qtbot, monkeypatch, code, key, key_file, tmp_path
):
    png = scan_of(code, tmp_path / "scan.png")
    dialog = open_dialog(qtbot, make_check())
    assert dialog.objectName() == "verifyDialog" and not dialog.fields_box.isVisible()
    answer_files(monkeypatch, key_file, png)
    qtbot.mouseClick(dialog.findChild(QPushButton, "chooseKey"), Qt.MouseButton.LeftButton)
    assert dialog.key_edit.text() == str(key_file)

    threads: list[str] = []
    real = dialog.check

    def watched(request: VerifyRequest) -> VerifyResult:
        threads.append(threading.current_thread().name)
        return real(request)

    dialog.check = watched
    result = wait_checked(
        qtbot,
        dialog,
        lambda: qtbot.mouseClick(
            dialog.findChild(QPushButton, "openLetter"), Qt.MouseButton.LeftButton
        ),
    )

    assert isinstance(result, VerifyResult) and result.verdict is Verdict.VALID
    assert threads and threads[0] != threading.main_thread().name  # checked off the GUI thread
    assert dialog.file_edit.text() == str(png)
    assert dialog.verdict.text() == "✔  VALID"
    assert dialog.tone() is Tone.GOOD and background(dialog) == "#e6f4e7"  # green
    assert "PRV-2026-000123" in dialog.detail.text() and dialog.bar.kind == ""
    shown = {name: label.text() for name, label in dialog.fields.items()}
    assert shown == {
        "serial": "PRV-2026-000123",
        "name_native": CLAIMS.name_native,
        "name_latin": CLAIMS.name_latin,
        "birth_date": "1987-03",
        "purpose": "Bank account",
        "issued_on": "2026-11-02",
        "expires_on": "2027-05-02",
        "document_number": "MP1234567",
        "issuer": "Praverka Kyiv",
        "key_id": key.key_id,
    }
    assert dialog.fields_box.isVisible()


def test_a_pasted_code_signed_by_an_unknown_key_is_flagged_without_its_fields(qtbot, code, key):
    dialog = open_dialog(qtbot, make_check(desk_keys={}))
    dialog.text_edit.setPlainText(code)
    result = wait_checked(
        qtbot,
        dialog,
        lambda: qtbot.mouseClick(
            dialog.findChild(QPushButton, "checkLetter"), Qt.MouseButton.LeftButton
        ),
    )
    assert isinstance(result, VerifyResult) and result.verdict is Verdict.UNKNOWN_KEY
    assert dialog.verdict.text() == "⚠  UNKNOWN key"
    assert dialog.tone() is Tone.CAUTION and background(dialog) == "#fff4e0"  # amber
    # What an unverified code claims is not shown as the letter's content.
    assert dialog.fields["serial"].text() == "" and dialog.fields["key_id"].text() == key.key_id


def test_a_revoked_letter_is_red(qtbot, monkeypatch, code, key, key_file, tmp_path):
    revocations = tmp_path / "revoked.cose"
    revocations.write_bytes(
        sign_revocation_list(
            [CLAIMS.serial], dt.datetime(2026, 11, 20, tzinfo=dt.UTC), "Praverka Kyiv", key
        )
    )
    dialog = open_dialog(qtbot, make_check())
    answer_files(monkeypatch, key_file, revocations)
    dialog.choose_key()
    dialog.choose_revocations()
    result = wait_checked(qtbot, dialog, lambda: dialog.set_text(code))
    assert isinstance(result, VerifyResult) and result.verdict is Verdict.REVOKED
    assert dialog.verdict.text() == "✖  REVOKED"
    assert dialog.tone() is Tone.BAD and background(dialog) == "#fdecea"  # red
    assert dialog.fields["serial"].text() == CLAIMS.serial


def test_an_expired_letter_is_amber(qtbot, code, key):
    dialog = open_dialog(
        qtbot, make_check(today=dt.date(2027, 5, 3), desk_keys={key.key_id: key.public_key()})
    )
    wait_checked(qtbot, dialog, lambda: dialog.set_text(code))
    assert dialog.verdict.text() == "⚠  EXPIRED" and dialog.tone() is Tone.CAUTION
    assert dialog.fields["expires_on"].text() == "2027-05-02"


def test_a_picture_without_a_code_is_not_found(qtbot, key, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (600, 800), 255).save(blank)
    dialog = open_dialog(qtbot, make_check(desk_keys={key.key_id: key.public_key()}))
    result = wait_checked(qtbot, dialog, lambda: dialog.set_file(blank))
    assert isinstance(result, VerifyResult) and result.verdict is Verdict.NOT_FOUND
    assert dialog.verdict.text() == "⚠  NOT FOUND" and dialog.tone() is Tone.CAUTION
    assert "blank.png" in dialog.detail.text()
    assert not dialog.fields_box.isVisible()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("notes.txt", b"just some text"),
    ],
)
def test_a_damaged_file_says_so_in_one_sentence_and_the_dialog_goes_on(
    qtbot, code, key, tmp_path, name, data
):
    broken = tmp_path / name
    broken.write_bytes(data)
    dialog = open_dialog(qtbot, make_check(desk_keys={key.key_id: key.public_key()}))
    outcome = wait_checked(qtbot, dialog, lambda: dialog.set_file(broken))
    assert isinstance(outcome, str) and name in outcome
    assert dialog.bar.kind == "error" and dialog.bar.text.text() == outcome
    assert "\n" not in outcome and "Traceback" not in outcome
    assert dialog.verdict.text() == "Not checked" and dialog.tone() is Tone.NEUTRAL
    # The next letter is checked as usual.
    result = wait_checked(qtbot, dialog, lambda: dialog.set_text(code))
    assert isinstance(result, VerifyResult) and result.verdict is Verdict.VALID
    assert dialog.bar.kind == ""


def test_a_failure_inside_the_check_is_reported_not_raised(qtbot, tmp_path):
    def broken(_request: VerifyRequest) -> VerifyResult:
        raise OSError("the network share went away")

    dialog = open_dialog(qtbot, broken)
    outcome = wait_checked(qtbot, dialog, lambda: dialog.set_text("PRV1:ABC"))
    assert outcome == "The letter could not be checked: the network share went away"
    assert dialog.bar.kind == "error"


def test_a_file_dropped_on_the_dialog_is_checked(qtbot, code, key, tmp_path):
    png = scan_of(code, tmp_path / "dropped.png")
    dialog = open_dialog(qtbot, make_check(desk_keys={key.key_id: key.public_key()}))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(png))])
    where = QPointF(20, 20)
    buttons, keys_held = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, mime, buttons, keys_held)
    QApplication.sendEvent(dialog, enter)
    assert enter.isAccepted()
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys_held)
    result = wait_checked(qtbot, dialog, lambda: QApplication.sendEvent(dialog, drop))
    assert drop.isAccepted()
    assert isinstance(result, VerifyResult) and result.verdict is Verdict.VALID
    assert dialog.file_edit.text() == str(png)

    several = QMimeData()
    several.setUrls([QUrl.fromLocalFile(str(png)), QUrl.fromLocalFile(str(png) + ".2")])
    refused = QDragEnterEvent(
        where.toPoint(), Qt.DropAction.CopyAction, several, buttons, keys_held
    )
    QApplication.sendEvent(dialog, refused)
    assert not refused.isAccepted()  # one letter at a time


def test_nothing_to_check_is_said_plainly(qtbot):
    dialog = open_dialog(qtbot, make_check())
    dialog.start_check()
    assert not dialog.is_running()
    assert dialog.bar.kind == "error" and "paste" in dialog.bar.text.text()


def test_only_the_latest_check_is_shown(qtbot, code, key):
    release = threading.Event()
    real = make_check(desk_keys={key.key_id: key.public_key()})

    def check(request: VerifyRequest) -> VerifyResult:
        if request.text == "PRV1:SLOW":
            release.wait(10)
        return real(request)

    dialog = open_dialog(qtbot, check)
    dialog.set_text("PRV1:SLOW")
    result = wait_checked(qtbot, dialog, lambda: dialog.set_text(code))
    assert isinstance(result, VerifyResult) and result.verdict is Verdict.VALID
    release.set()
    qtbot.wait(300)  # the slow answer arrives, and is dropped
    assert dialog.last_result is result and dialog.verdict.text() == "✔  VALID"


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_is_told_in_words_and_a_symbol_not_colour_alone(qtbot, verdict):
    dialog = open_dialog(qtbot, make_check())
    dialog.show_result(VerifyResult(verdict, None, None, "One sentence."))
    words = dialog.verdict.text()
    assert words.endswith(verdict.label) and words[0] in "✔✖⚠"
    assert dialog.verdict.accessibleName() == verdict.label
    assert (dialog.tone() is Tone.GOOD) == (verdict is Verdict.VALID)
    assert dialog.tone() is not Tone.NEUTRAL
    assert dialog.detail.text() == "One sentence."


def test_a_request_names_either_a_file_or_a_text():
    with pytest.raises(ValueError):
        VerifyRequest()
    with pytest.raises(ValueError):
        VerifyRequest(path=Path("a.png"), text="PRV1:")
