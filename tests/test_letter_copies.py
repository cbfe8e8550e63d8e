"""Spoiled copies and renewing an expired letter, through the services, on both databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from praverka.app import audit, letters, settings, signing
from praverka.app.context import AppContext
from praverka.app.errors import InvalidInput, PermissionDenied, WorkflowError
from praverka.app.letters import LetterView
from praverka.app.security.keys import SigningKey
from praverka.db.models import AuditEvent, LetterCopy
from tests.conftest import Clock, People
from tests.factories import approved_case
from tests.test_letters import _text

PASSPHRASE = "copies-passphrase-1"


@pytest.fixture
def key(ctx: AppContext, people: People) -> SigningKey:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    settings.update_settings(ctx, people.admin, {"serial_prefix": "KYV", "place": "Kyiv"})
    return signing.unlock_signing_key(ctx, PASSPHRASE)


@pytest.fixture
def letter(ctx: AppContext, people: People, key: SigningKey) -> LetterView:
    case = approved_case(ctx, people.officer, people.supervisor)
    return letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)


def _events(ctx: AppContext, serial: str) -> list[tuple[str, dict[str, object]]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.changes)
            .where(AuditEvent.entity_id == serial)
            .order_by(AuditEvent.seq)
        ).all()
    return [(action, json.loads(changes) if changes else {}) for action, changes in rows]


def test_after_a_spoiled_original_the_retry_is_the_original_again(
    ctx: AppContext, people: People, letter: LetterView, tmp_path: Path
) -> None:
    first = letters.output_letter(ctx, people.officer, letter.serial, "print", destination="HP")
    assert first.copy_number == 0
    spoiled = letters.mark_copy_spoiled(
        ctx, people.officer, letter.serial, 0, "The printer refused the job."
    )
    assert spoiled.spoiled and spoiled.spoiled_reason == "The printer refused the job."
    assert spoiled.number == 0 and spoiled.destination == "HP" and spoiled.by == "Ales Kavalenka"
    view = letters.get_letter(ctx, letter.serial)
    assert (view.copies, view.spoiled) == (0, 1)
    assert letters.next_copy_number(ctx, letter.serial) == 0

    # No reprint, no reason: nothing has left the office yet.
    again = letters.output_letter(ctx, people.officer, letter.serial, "save", destination="a.pdf")
    assert again.copy_number == 0
    assert "Copy" not in _text(again.pdf, tmp_path)
    copies = letters.letter_copies(ctx, letter.serial)
    assert [(c.number, c.output, c.spoiled, c.spoiled_reason) for c in copies] == [
        (0, "print", True, "The printer refused the job."),
        (0, "save", False, ""),
    ]
    assert letters.get_letter(ctx, letter.serial).copies == 1
    # The next one is a reprint marked Copy 1, as usual.
    with pytest.raises(WorkflowError, match="already been handed out"):
        letters.output_letter(ctx, people.officer, letter.serial, "save")
    reprint = letters.output_letter(
        ctx, people.officer, letter.serial, "save", reprint=True, reason="Bank wants two"
    )
    assert reprint.copy_number == 1


def test_after_a_spoiled_copy_n_the_retry_is_copy_n_again(
    ctx: AppContext, people: People, letter: LetterView, tmp_path: Path
) -> None:
    letters.output_letter(ctx, people.officer, letter.serial, "print")
    for reason in ("Lost", "Bank wants two"):
        letters.output_letter(
            ctx, people.officer, letter.serial, "print", reprint=True, reason=reason
        )
    letters.mark_copy_spoiled(ctx, people.officer, letter.serial, 2, "Paper jam")
    assert letters.next_copy_number(ctx, letter.serial) == 2
    retry = letters.output_letter(
        ctx, people.officer, letter.serial, "print", reprint=True, reason="Bank wants two"
    )
    assert retry.copy_number == 2
    assert "Copy 2" in _text(retry.pdf, tmp_path)
    numbers = [(c.number, c.spoiled) for c in letters.letter_copies(ctx, letter.serial)]
    assert numbers == [(0, False), (1, False), (2, True), (2, False)]
    assert letters.get_letter(ctx, letter.serial).copies == 3

    # An older copy spoiled after later ones were made leaves a gap, never a duplicate.
    letters.mark_copy_spoiled(ctx, people.supervisor, letter.serial, 1, "Found torn")
    assert letters.next_copy_number(ctx, letter.serial) == 3
    nxt = letters.output_letter(
        ctx, people.officer, letter.serial, "save", reprint=True, reason="x"
    )
    assert nxt.copy_number == 3
    # Nothing is ever deleted: every attempt stays in the log.
    with ctx.db.read() as session:
        assert len(session.scalars(select(LetterCopy)).all()) == 5


def test_only_the_maker_or_a_supervisor_marks_a_copy_and_only_once(
    ctx: AppContext, people: People, letter: LetterView
) -> None:
    letters.output_letter(ctx, people.officer, letter.serial, "print")
    with pytest.raises(PermissionDenied, match="Only whoever made"):
        letters.mark_copy_spoiled(ctx, people.officer2, letter.serial, 0, "not mine")
    with pytest.raises(PermissionDenied):
        letters.mark_copy_spoiled(ctx, people.admin, letter.serial, 0, "an administrator")
    with pytest.raises(WorkflowError, match="no copy 1"):
        letters.mark_copy_spoiled(ctx, people.officer, letter.serial, 1, "never made")
    letters.mark_copy_spoiled(ctx, people.supervisor2, letter.serial, 0, "Toner out")
    with pytest.raises(WorkflowError, match="already be marked spoiled"):
        letters.mark_copy_spoiled(ctx, people.officer, letter.serial, 0, "again")
    assert [c.spoiled_reason for c in letters.letter_copies(ctx, letter.serial)] == ["Toner out"]


def test_a_reason_is_required_and_the_marking_is_audited(
    ctx: AppContext, people: People, letter: LetterView, clock: Clock
) -> None:
    letters.output_letter(ctx, people.officer, letter.serial, "save", destination="/x/a.pdf")
    for empty in ("", "   "):
        with pytest.raises(InvalidInput, match="needs a reason"):
            letters.mark_copy_spoiled(ctx, people.officer, letter.serial, 0, empty)
    with pytest.raises(InvalidInput, match="at most"):
        letters.mark_copy_spoiled(ctx, people.officer, letter.serial, 0, "x" * 1001)
    assert not any(c.spoiled for c in letters.letter_copies(ctx, letter.serial))

    clock.advance(minutes=1)
    spoiled = letters.mark_copy_spoiled(
        ctx, people.officer, letter.serial, 0, "  No space left on device  "
    )
    assert spoiled.spoiled_at == clock.now
    assert spoiled.spoiled_reason == "No space left on device"
    action, changes = _events(ctx, letter.serial)[-1]
    assert action == "letter.copy_spoiled"
    assert changes == {
        "copy": 0,
        "output": "save",
        "destination": "/x/a.pdf",
        "reason": "No space left on device",
    }
    assert audit.verify(ctx).ok


# ----------------------------------------------------------------- renewal


def test_an_expired_letter_no_longer_blocks_a_new_one_for_its_purpose(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    old = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    clock.advance(days=180)  # its last valid day: still in force
    with pytest.raises(WorkflowError, match="already has letter"):
        letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)

    clock.advance(days=1)
    assert letters.get_letter(ctx, old.serial).status == "expired"
    with pytest.raises(WorkflowError, match="has expired"):
        letters.issue_letter(
            ctx,
            people.officer,
            case.id,
            "bank_account",
            "en",
            key,
            corrects=old.serial,
            reason="renewal",
        )
    new = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "uk+en", key)
    assert new.status == "valid" and new.supersedes is None
    assert new.valid_from == clock.now.date()
    old_now = letters.get_letter(ctx, old.serial)
    assert old_now.status == "expired" and old_now.superseded_by is None
    assert old.serial not in letters.trust_and_revocations(ctx)[1]
    assert _events(ctx, new.serial)[0][0] == "letter.issue"
    # The new letter is in force, so it blocks a third one.
    with pytest.raises(WorkflowError, match=f"already has letter {new.serial}"):
        letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    assert sorted(x.serial for x in letters.list_letters(ctx, case_id=case.id)) == sorted(
        [old.serial, new.serial]
    )


def test_the_expiry_follows_the_clock_of_the_desk(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    settings.update_settings(ctx, people.admin, {"letter_validity_days": 1})
    case = approved_case(ctx, people.officer, people.supervisor)
    first = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    assert first.valid_until == clock.now.date() + dt.timedelta(days=1)
    clock.advance(days=2)
    second = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    assert second.serial != first.serial
