"""The Letters menu's files for recipients: the public key and the signed revocation list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from praverka.app import letter_check, letters, signing
from praverka.app.context import Actor, AppContext
from praverka.app.security.keys import SigningKey
from praverka.app.security.revocation_list import read_revocation_list
from praverka.ui import letter_actions, messages, signing_unlock
from praverka.ui.main_window import MainWindow
from tests.conftest import People
from tests.factories import approved_case
from tests.ui.conftest import Answers

PASSPHRASE = "publish-signing-passphrase"


class Desk:
    """What the person at the desk answers: where to save, the passphrase, which key."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.key_id: str | None = None
        self.passphrases = 0
        self.infos: list[str] = []
        self.key_choices: list[list[str]] = []


@pytest.fixture
def desk(monkeypatch: pytest.MonkeyPatch, answers: Answers) -> Desk:
    given = Desk()

    def passphrase(_parent: object, _key_id: str, _problem: str) -> str:
        given.passphrases += 1
        return PASSPHRASE

    def ask_key(_parent: object, choices: list[signing.KeyInfo]) -> str | None:
        given.key_choices.append([c.key_id for c in choices])
        return given.key_id

    monkeypatch.setattr(letter_actions, "ask_save_path", lambda *_a: given.path)
    monkeypatch.setattr(letter_actions, "ask_key", ask_key)
    monkeypatch.setattr(signing_unlock, "ask_passphrase", passphrase)
    monkeypatch.setattr(
        messages, "show_info", lambda _parent, _title, text: given.infos.append(text)
    )
    return given


def _window(qtbot, ctx: AppContext, actor: Actor) -> MainWindow:
    window = MainWindow(ctx, actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.is_complete, timeout=5_000)
    return window


def _revoked_letter(ctx: AppContext, people: People, key: SigningKey) -> str:
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    letters.revoke_letter(ctx, people.supervisor, view.serial, "Issued to the wrong person")
    return view.serial


def test_a_supervisor_exports_the_key_and_a_list_that_verifies_with_it(
    qtbot, desk_ctx: AppContext, people: People, desk: Desk, answers: Answers, tmp_path: Path
) -> None:
    signing.create_signing_key(desk_ctx, people.admin, PASSPHRASE)
    key = signing.unlock_signing_key(desk_ctx, PASSPHRASE)
    serial = _revoked_letter(desk_ctx, people, key)
    window = _window(qtbot, desk_ctx, people.supervisor)
    assert window.export_public_key_action.isEnabled()
    assert window.export_revocations_action.isEnabled()

    desk.path = tmp_path / "centre.pem"
    window.export_public_key_action.trigger()
    assert desk.key_choices == []  # one key: nothing to choose
    trusted = letter_check.load_key_file(tmp_path / "centre.pem")
    assert trusted.key_id == key.key_id
    assert str(tmp_path / "centre.pem") in desk.infos[-1]

    desk.path = tmp_path / "revoked.cose"
    window.export_revocations_action.trigger()
    read = read_revocation_list((tmp_path / "revoked.cose").read_bytes(), {key.key_id: trusted})
    assert read.serials == frozenset({serial})
    assert (
        str(tmp_path / "revoked.cose") in desk.infos[-1] and "letters in it: 1." in desk.infos[-1]
    )
    assert desk.passphrases == 1

    # The key stays unlocked for the sitting: a later list asks no passphrase.
    desk.path = tmp_path / "again.cose"
    window.export_revocations_action.trigger()
    assert (tmp_path / "again.cose").exists() and desk.passphrases == 1
    assert not answers.errors


def test_a_retired_key_is_chosen_from_the_keys(
    qtbot, desk_ctx: AppContext, people: People, desk: Desk, answers: Answers, tmp_path: Path
) -> None:
    old = signing.create_signing_key(desk_ctx, people.admin, PASSPHRASE)
    new = signing.create_signing_key(desk_ctx, people.admin, PASSPHRASE + "-2")
    window = _window(qtbot, desk_ctx, people.admin)
    desk.path, desk.key_id = tmp_path / "old.pem", old.key_id
    window.export_public_key_action.trigger()
    assert desk.key_choices == [[new.key_id, old.key_id]]  # the active key first
    assert letter_check.load_key_file(tmp_path / "old.pem").key_id == old.key_id
    assert "retired key" in desk.infos[-1]
    desk.key_id = None  # cancelled: nothing written, nothing said
    desk.path = tmp_path / "none.pem"
    window.export_public_key_action.trigger()
    assert not (tmp_path / "none.pem").exists() and len(desk.infos) == 1
    assert not answers.errors


def test_a_missing_folder_is_said_plainly(
    qtbot, desk_ctx: AppContext, people: People, desk: Desk, answers: Answers, tmp_path: Path
) -> None:
    signing.create_signing_key(desk_ctx, people.admin, PASSPHRASE)
    window = _window(qtbot, desk_ctx, people.supervisor)
    desk.path = tmp_path / "gone" / "revoked.cose"
    window.export_revocations_action.trigger()
    assert len(answers.errors) == 1
    assert answers.errors[0].startswith("The revocation list was not saved: The folder")
    assert "does not exist; nothing was written" in answers.errors[0]
    desk.path = None  # the save dialog cancelled: nothing asked, nothing said
    window.export_public_key_action.trigger()
    assert len(answers.errors) == 1 and desk.infos == []


def test_officers_see_the_exports_disabled(
    qtbot, desk_ctx: AppContext, people: People, desk: Desk
) -> None:
    window = _window(qtbot, desk_ctx, people.officer)
    for action in (window.export_public_key_action, window.export_revocations_action):
        assert not action.isEnabled()
        assert "for supervisors and administrators" in action.toolTip()
    menu = window.findChild(QMenu, "lettersMenu")
    assert menu is not None
    names = [a.objectName() for a in menu.actions()]
    assert names[-2:] == ["exportPublicKeyAction", "exportRevocationsAction"]
