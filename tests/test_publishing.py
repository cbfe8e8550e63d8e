"""The files recipients check letters with, as the desk writes them: the public key file and
the signed revocation list, checked here with the recipient's own verifier."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from praverka.app import letter_check, letters, publishing, settings, signing
from praverka.app.context import AppContext
from praverka.app.errors import InvalidInput, NotFound, PermissionDenied
from praverka.app.security import keys
from praverka.app.security.revocation_list import read_revocation_list
from praverka.app.verification import Verdict, VerifyResult
from praverka.db.models import AuditEvent
from tests.conftest import People
from tests.factories import approved_case

PASSPHRASE = "publishing-signing-passphrase"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "out"
    made.mkdir()
    return made


def _letter_pdf(ctx: AppContext, people: People, key: keys.SigningKey, path: Path) -> str:
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    path.write_bytes(letters.output_letter(ctx, people.officer, view.serial, "save").pdf)
    return view.serial


def _recipient_check(letter: Path, key_file: Path, revocations: Path | None = None) -> VerifyResult:
    """A recipient's check: only the files they were given, no database."""
    request = letter_check.CheckRequest(
        path=letter, trust_files=(key_file,), revocations_file=revocations
    )
    return letter_check.check_letter(request, local=None, today=dt.datetime.now(dt.UTC).date())


def _events(ctx: AppContext, action: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    with ctx.db.read() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        )
        return [(e.actor_name, e.entity_type, e.entity_id, json.loads(e.changes)) for e in rows]


def test_the_public_key_file_checks_letters_and_is_audited(
    ctx: AppContext, people: People, folder: Path
) -> None:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    key = signing.unlock_signing_key(ctx, PASSPHRASE)
    letter = folder / "letter.pdf"
    serial = _letter_pdf(ctx, people, key, letter)

    published = publishing.export_public_key(ctx, people.supervisor, folder / "centre.pem")

    assert published.key_id == key.key_id and not published.retired
    assert published.path == folder / "centre.pem"
    # The same file `praverka key export` always wrote.
    assert (folder / "centre.pem").read_text(encoding="ascii") == signing.export_public_key(ctx)
    assert letter_check.load_key_file(folder / "centre.pem").key_id == key.key_id
    result = _recipient_check(letter, folder / "centre.pem")
    assert result.verdict is Verdict.VALID and result.claims is not None
    assert result.claims.serial == serial
    assert _events(ctx, "key.export") == [
        ("supervisor", "signing_key", key.key_id, {"file": "centre.pem", "retired": False})
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["centre.pem", "letter.pdf"]


def test_a_retired_key_stays_exportable_for_the_letters_it_signed(
    ctx: AppContext, people: People, folder: Path
) -> None:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    old_key = signing.unlock_signing_key(ctx, PASSPHRASE)
    letter = folder / "old-letter.pdf"
    _letter_pdf(ctx, people, old_key, letter)
    new_info = signing.create_signing_key(ctx, people.admin, PASSPHRASE + "-2")

    current = publishing.export_public_key(ctx, people.admin, folder / "current.pem")
    retired = publishing.export_public_key(ctx, people.admin, folder / "old.pem", old_key.key_id)

    assert (current.key_id, current.retired) == (new_info.key_id, False)
    assert (retired.key_id, retired.retired) == (old_key.key_id, True)
    # One key a file: the new key alone does not vouch for the old letter; the retired one does.
    assert _recipient_check(letter, folder / "current.pem").verdict is Verdict.UNKNOWN_KEY
    assert _recipient_check(letter, folder / "old.pem").verdict is Verdict.VALID
    assert [e[3]["retired"] for e in _events(ctx, "key.export")] == [False, True]
    with pytest.raises(NotFound, match="no signing key 0000"):
        publishing.export_public_key(ctx, people.admin, folder / "x.pem", "0000")


def test_the_revocation_list_verifies_with_the_public_key_and_is_audited(
    ctx: AppContext, people: People, folder: Path
) -> None:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    settings.update_settings(ctx, people.admin, {"serial_prefix": "KYV"})
    key = signing.unlock_signing_key(ctx, PASSPHRASE)
    letter = folder / "letter.pdf"
    serial = _letter_pdf(ctx, people, key, letter)
    kept = _letter_pdf(ctx, people, key, folder / "kept.pdf")
    letters.revoke_letter(ctx, people.supervisor, serial, "Documents were forged")
    publishing.export_public_key(ctx, people.supervisor, folder / "centre.pem")

    published = publishing.export_revocation_list(
        ctx, people.supervisor, key, folder / "revoked.cose"
    )

    assert (published.count, published.key_id) == (1, key.key_id)
    data = (folder / "revoked.cose").read_bytes()
    assert data == published.data
    trusted = letter_check.load_key_file(folder / "centre.pem")
    read = read_revocation_list(data, {trusted.key_id: trusted})
    assert read.serials == frozenset({serial}) and kept not in read.serials
    assert (read.key_id, read.issuer) == (key.key_id, "KYV")
    assert read.issued_at == published.issued_at.replace(microsecond=0)
    revoked = _recipient_check(letter, folder / "centre.pem", folder / "revoked.cose")
    assert revoked.verdict is Verdict.REVOKED
    still_valid = _recipient_check(
        folder / "kept.pdf", folder / "centre.pem", folder / "revoked.cose"
    )
    assert still_valid.verdict is Verdict.VALID
    assert _events(ctx, "revocations.export") == [
        (
            "supervisor",
            "revocation_list",
            "revoked.cose",
            {"count": 1, "key_id": key.key_id, "issuer": "KYV"},
        )
    ]


def test_officers_may_not_publish(ctx: AppContext, people: People, folder: Path) -> None:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    key = signing.unlock_signing_key(ctx, PASSPHRASE)
    with pytest.raises(PermissionDenied, match="supervisor, admin"):
        publishing.export_public_key(ctx, people.officer, folder / "centre.pem")
    with pytest.raises(PermissionDenied, match="supervisor, admin"):
        publishing.export_revocation_list(ctx, people.officer, key, folder / "revoked.cose")
    assert list(folder.iterdir()) == []
    assert _events(ctx, "key.export") == [] and _events(ctx, "revocations.export") == []


def test_only_the_active_key_signs_the_list(ctx: AppContext, people: People, folder: Path) -> None:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    old_key = signing.unlock_signing_key(ctx, PASSPHRASE)
    signing.create_signing_key(ctx, people.admin, PASSPHRASE + "-2")
    with pytest.raises(InvalidInput, match=f"key {old_key.key_id} is not it"):
        publishing.export_revocation_list(ctx, people.supervisor, old_key, folder / "r.cose")
    assert list(folder.iterdir()) == []


def test_the_command_line_is_audited_as_the_system(
    ctx: AppContext, people: People, folder: Path
) -> None:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    key = signing.unlock_signing_key(ctx, PASSPHRASE)
    publishing.export_public_key(ctx, None, folder / "centre.pem")
    publishing.export_revocation_list(ctx, None, key, folder / "revoked.cose")
    assert [e[0] for e in _events(ctx, "key.export") + _events(ctx, "revocations.export")] == [
        "system",
        "system",
    ]


def test_unwritable_targets_give_one_clear_sentence_and_leave_nothing(
    ctx: AppContext, people: People, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    key = signing.unlock_signing_key(ctx, PASSPHRASE)
    supervisor = people.supervisor
    with pytest.raises(publishing.PublishFailed, match="does not exist; nothing was written"):
        publishing.export_public_key(ctx, supervisor, folder / "no" / "centre.pem")
    with pytest.raises(publishing.PublishFailed, match="is a folder"):
        publishing.export_revocation_list(ctx, supervisor, key, folder)
    if os.geteuid() != 0:  # root writes anywhere
        locked = folder / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(publishing.PublishFailed, match="No permission to write"):
                publishing.export_revocation_list(ctx, supervisor, key, locked / "r.cose")
            assert list(locked.iterdir()) == []
        finally:
            locked.chmod(0o700)
            locked.rmdir()

    def full_disk(_fd: int) -> None:
        # What a full disk says when the written bytes are flushed to it.
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(
        publishing.PublishFailed, match=r"The disk is full: .*r\.cose was not written"
    ):
        publishing.export_revocation_list(ctx, supervisor, key, folder / "r.cose")
    with pytest.raises(publishing.PublishFailed, match="The disk is full"):
        publishing.export_public_key(ctx, supervisor, folder / "centre.pem")
    monkeypatch.undo()
    assert list(folder.iterdir()) == []
    assert _events(ctx, "key.export") == [] and _events(ctx, "revocations.export") == []
