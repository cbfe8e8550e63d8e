"""Issuing, handing out, correcting and revoking letters through the services, on both databases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from praverka.app import audit, letters, queries, settings, signing
from praverka.app.context import AppContext
from praverka.app.errors import (
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PraverkaError,
    WorkflowError,
)
from praverka.app.security.keys import SigningKey
from praverka.app.security.qr_claims import decode_letter_qr
from praverka.app.verification import Verdict, verify_qr_text
from praverka.db.models import AuditEvent, Letter, LetterCopy, SigningKeyRecord
from tests.conftest import Clock, People
from tests.factories import approved_case, new_case, ready_case

PASSPHRASE = "letters-passphrase-1"


@pytest.fixture
def key(ctx: AppContext, people: People) -> SigningKey:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    settings.update_settings(
        ctx,
        people.admin,
        {
            "name": "Crisis Centre",
            "address": "Kyiv",
            "place": "Kyiv",
            "serial_prefix": "KYV",
            "head_name": "Natallia Head",
        },
    )
    return signing.unlock_signing_key(ctx, PASSPHRASE)


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _actions(ctx: AppContext, entity_id: str) -> list[str]:
    with ctx.db.read() as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_id == entity_id)
                .order_by(AuditEvent.seq)
            )
        )


def test_issuing_attests_the_case_with_a_gapless_serial_and_a_valid_qr(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    first = approved_case(ctx, people.officer, people.supervisor)
    second = approved_case(ctx, people.officer, people.supervisor, given="Янка")
    a = letters.issue_letter(ctx, people.officer, first.id, "bank_account", "uk+en", key)
    b = letters.issue_letter(ctx, people.officer2, second.id, "bank_account", "be", key)
    year = clock.now.year
    assert (a.serial, b.serial) == (f"KYV-{year}-000001", f"KYV-{year}-000002")
    assert a.status == "valid" and a.copies == 0 and a.key_id == key.key_id
    assert a.valid_until == clock.now.date() + dt.timedelta(days=180)
    assert queries.case_detail(ctx, first.id).summary.status == "attested"
    assert _actions(ctx, a.serial) == ["letter.issue"]
    assert audit.verify(ctx).ok

    with ctx.db.read() as session:
        qr_text = session.scalars(select(Letter.qr_text).where(Letter.serial == a.serial)).one()
    trusted, revoked = letters.trust_and_revocations(ctx)
    result = verify_qr_text(qr_text, trusted, revoked, clock.now.date())
    assert result.verdict is Verdict.VALID, result.detail
    claims = decode_letter_qr(qr_text).claims
    assert claims.serial == a.serial and claims.name_native == "Францкевіч Алесь Міхайлавіч"
    assert claims.name_latin == "FRANTSKEVICH ALES" or claims.name_latin.upper() == (
        "FRANTSKEVICH ALES"
    )
    assert claims.document_number == "MP1234567" and claims.birth_date == "1987"


@pytest.mark.parametrize("state", ["draft", "in_review"])
def test_a_case_that_is_not_approved_gets_no_letter(
    ctx: AppContext, people: People, key: SigningKey, state: str
) -> None:
    from praverka.app import workflow

    case = ready_case(ctx, people.officer)
    if state == "in_review":
        workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    with pytest.raises(WorkflowError, match="only for an approved case"):
        letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    assert letters.list_letters(ctx) == []
    assert queries.case_detail(ctx, case.id).summary.status == state


def test_refusals_say_why_and_change_nothing(
    ctx: AppContext, people: People, key: SigningKey
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    with pytest.raises(InvalidInput, match="not verified for the purpose"):
        letters.issue_letter(ctx, people.officer, case.id, "border_crossing", "en", key)
    with pytest.raises(InvalidInput, match="Language"):
        letters.issue_letter(ctx, people.officer, case.id, "bank_account", "fr", key)
    with pytest.raises(PermissionDenied):
        letters.issue_letter(ctx, people.admin, case.id, "bank_account", "en", key)
    assert queries.case_detail(ctx, case.id).summary.status == "approved"
    letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    with pytest.raises(WorkflowError, match="already has letter"):
        letters.issue_letter(ctx, people.officer, case.id, "bank_account", "uk", key)
    assert len(letters.list_letters(ctx)) == 1


def test_a_retired_key_signs_nothing_new_but_its_letters_still_verify(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    old = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    signing.create_signing_key(ctx, people.admin, "another-passphrase")
    case2 = approved_case(ctx, people.officer, people.supervisor, given="Янка")
    with pytest.raises(InvalidInput, match="retired"):
        letters.issue_letter(ctx, people.officer, case2.id, "bank_account", "en", key)
    new_key = signing.unlock_signing_key(ctx, "another-passphrase")
    # The refused attempt gave its serial back: the next letter takes number 2.
    view2 = letters.issue_letter(ctx, people.officer, case2.id, "bank_account", "en", new_key)
    assert view2.serial.endswith("-000002") and view2.key_id != old.key_id
    trusted, revoked = letters.trust_and_revocations(ctx)
    with ctx.db.read() as session:
        old_qr = session.scalars(select(Letter.qr_text).where(Letter.serial == old.serial)).one()
    assert verify_qr_text(old_qr, trusted, revoked, clock.now.date()).verdict is Verdict.VALID


def test_original_then_logged_reprints_marked_copy_n(
    ctx: AppContext, people: People, key: SigningKey, tmp_path: Path
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    original = letters.output_letter(ctx, people.officer, view.serial, "print", destination="PDF")
    assert original.copy_number == 0
    text = _text(original.pdf, tmp_path)
    assert view.serial in text and "Copy" not in text
    with pytest.raises(WorkflowError, match="already been handed out"):
        letters.output_letter(ctx, people.officer, view.serial, "save")
    with pytest.raises(InvalidInput, match="needs a reason"):
        letters.output_letter(ctx, people.officer, view.serial, "save", reprint=True)
    first = letters.output_letter(
        ctx, people.officer2, view.serial, "save", reprint=True, reason="Lost in the post"
    )
    second = letters.output_letter(
        ctx, people.officer, view.serial, "print", reprint=True, reason="Bank wants two"
    )
    assert (first.copy_number, second.copy_number) == (1, 2)
    assert "Copy 2" in _text(second.pdf, tmp_path)
    copies = letters.letter_copies(ctx, view.serial)
    assert [(c.number, c.output, c.by, c.reason) for c in copies] == [
        (0, "print", "Ales Kavalenka", ""),
        (1, "save", "Hanna Shved", "Lost in the post"),
        (2, "print", "Ales Kavalenka", "Bank wants two"),
    ]
    assert letters.get_letter(ctx, view.serial).copies == 3
    assert _actions(ctx, view.serial) == [
        "letter.issue",
        "letter.print",
        "letter.reprint",
        "letter.reprint",
    ]


def test_screen_view_is_no_copy(
    ctx: AppContext, people: People, key: SigningKey, tmp_path: Path
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "uk", key)
    pdf = letters.view_letter(ctx, people.officer, view.serial)
    shown = _text(pdf, tmp_path)
    assert view.serial in shown and "Перегляд на екрані" in shown
    assert "PRV1:" not in shown and "Чернетка" not in shown
    assert letters.letter_copies(ctx, view.serial) == []
    draft = letters.preview_letter(ctx, people.officer, case.id, "bank_account", "en")
    assert "Францкевіч" in _text(draft, tmp_path)


def test_correction_supersedes_and_the_old_letter_is_listed_as_revoked(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock, tmp_path: Path
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    old = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    with pytest.raises(InvalidInput, match="needs a reason"):
        letters.issue_letter(
            ctx, people.officer, case.id, "bank_account", "en", key, corrects=old.serial
        )
    new = letters.issue_letter(
        ctx,
        people.officer,
        case.id,
        "bank_account",
        "uk+en",
        key,
        corrects=old.serial,
        reason="Date of birth was wrong",
    )
    assert new.supersedes == old.serial
    assert letters.get_letter(ctx, old.serial).status == "superseded"
    assert letters.get_letter(ctx, old.serial).superseded_by == new.serial
    with pytest.raises(WorkflowError, match="already corrected"):
        letters.issue_letter(
            ctx,
            people.officer,
            case.id,
            "bank_account",
            "en",
            key,
            corrects=old.serial,
            reason="again",
        )
    with pytest.raises(WorkflowError, match="replaced by"):
        letters.output_letter(ctx, people.officer, old.serial, "print")
    pdf = letters.output_letter(ctx, people.officer, new.serial, "print").pdf
    assert old.serial in _text(pdf, tmp_path)
    trusted, revoked = letters.trust_and_revocations(ctx)
    assert old.serial in revoked and new.serial not in revoked
    with ctx.db.read() as session:
        old_qr = session.scalars(select(Letter.qr_text).where(Letter.serial == old.serial)).one()
    result = verify_qr_text(old_qr, trusted, revoked, clock.now.date())
    assert result.verdict is Verdict.REVOKED


def test_revoking_needs_a_supervisor_and_a_reason(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    with pytest.raises(PermissionDenied):
        letters.revoke_letter(ctx, people.officer, view.serial, "fraud")
    with pytest.raises(InvalidInput, match="needs a reason"):
        letters.revoke_letter(ctx, people.supervisor, view.serial, "  ")
    with pytest.raises(NotFound):
        letters.revoke_letter(ctx, people.supervisor, "KYV-2026-999999", "fraud")
    clock.advance(hours=1)
    revoked = letters.revoke_letter(ctx, people.supervisor2, view.serial, "Documents were forged")
    assert revoked.status == "revoked" and revoked.revoked_by == "Yauhen Lis"
    with pytest.raises(WorkflowError, match="already revoked"):
        letters.revoke_letter(ctx, people.supervisor, view.serial, "again")
    with pytest.raises(WorkflowError, match="revoked"):
        letters.output_letter(ctx, people.officer, view.serial, "print")
    assert view.serial in letters.trust_and_revocations(ctx)[1]
    assert _actions(ctx, view.serial)[-1] == "letter.revoke"


def test_expired_letters_are_listed_as_expired(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    clock.advance(days=181)
    assert letters.get_letter(ctx, view.serial).status == "expired"


def test_signing_key_passphrase_and_export(ctx: AppContext, people: People) -> None:
    with pytest.raises(NotFound, match="no signing key"):
        signing.unlock_signing_key(ctx, PASSPHRASE)
    with pytest.raises(InvalidInput, match="at least 10"):
        signing.create_signing_key(ctx, people.admin, "short")
    with pytest.raises(PermissionDenied):
        signing.create_signing_key(ctx, people.officer, PASSPHRASE)
    info = signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    with pytest.raises(AuthenticationFailed):
        signing.unlock_signing_key(ctx, "wrong-passphrase")
    assert signing.unlock_signing_key(ctx, PASSPHRASE).key_id == info.key_id
    exported = signing.export_public_key(ctx)
    assert "PUBLIC KEY" in exported and "PRIVATE" not in exported
    with ctx.db.read() as session:
        stored = session.scalars(select(SigningKeyRecord.private_pem_encrypted)).one()
    assert "ENCRYPTED PRIVATE KEY" in stored


def test_settings_are_typed_validated_and_audited(ctx: AppContext, people: People) -> None:
    assert settings.get_settings(ctx) == settings.OrganisationSettings()
    with pytest.raises(PermissionDenied):
        settings.update_settings(ctx, people.officer, {"name": "X"})
    for bad in ({"serial_prefix": "ab"}, {"letter_validity_days": 0}, {"logo_png": b"GIF89a"}):
        with pytest.raises(InvalidInput):
            settings.update_settings(ctx, people.admin, bad)
    with pytest.raises(InvalidInput, match="Unknown settings"):
        settings.update_settings(ctx, people.admin, {"colour": "red"})
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    after = settings.update_settings(
        ctx, people.admin, {"serial_prefix": "MIN", "letter_validity_days": 90, "logo_png": png}
    )
    assert settings.get_settings(ctx) == after
    assert after.logo_png == png and after.letter_validity_days == 90
    with ctx.db.read() as session:
        changes = session.scalars(
            select(AuditEvent.changes).where(AuditEvent.action == "settings.update")
        ).one()
    assert "108 bytes" in changes and "MIN" in changes


def test_settings_stored_in_an_older_shape_are_read_and_rewritten(
    ctx: AppContext, people: People
) -> None:
    from praverka.db.models import Setting

    with ctx.db.write() as session:
        session.add(Setting(name="name", value="Old Centre", updated_at=dt.datetime.now(dt.UTC)))
        session.add(
            Setting(name="letter_validity_days", value="ninety", updated_at=dt.datetime.now(dt.UTC))
        )
    loaded = settings.get_settings(ctx)
    assert loaded.name == "Old Centre"
    assert loaded.letter_validity_days == 180  # a value of the wrong type falls back
    settings.update_settings(ctx, people.admin, {"place": "Lviv"})
    with ctx.db.read() as session:
        rows = {s.name: s.value for s in session.scalars(select(Setting))}
    assert rows["settings_version"] == settings.SETTINGS_VERSION
    assert rows["letter_validity_days"] == 180 and rows["place"] == "Lviv"


def _issue_concurrently(ctx: AppContext, people: People, key: SigningKey, count: int) -> list[str]:
    made = [
        approved_case(ctx, people.officer, people.supervisor, given=f"Desk {i}")
        for i in range(count)
    ]
    serials: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)
    lock = threading.Lock()
    desks = [people.officer, people.officer2, people.supervisor2]

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            view = letters.issue_letter(
                ctx, desks[index % 3], made[index].id, "bank_account", "en", key
            )
            with lock:
                serials.append(view.serial)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not [t for t in threads if t.is_alive()], "issuing threads stuck (deadlock?)"
    assert not errors, errors
    return serials


@pytest.mark.pg_only
def test_serials_stay_gapless_under_concurrent_issuing(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    serials = _issue_concurrently(ctx, people, key, 12)
    year = clock.now.year
    assert sorted(serials) == [f"KYV-{year}-{n:06d}" for n in range(1, 13)]
    assert audit.verify(ctx).ok


def test_concurrent_issuing_on_any_backend(
    ctx: AppContext, people: People, key: SigningKey, clock: Clock
) -> None:
    serials = _issue_concurrently(ctx, people, key, 4)
    assert sorted(serials) == [f"KYV-{clock.now.year}-{n:06d}" for n in range(1, 5)]


def test_no_copy_row_without_its_audit_event(
    ctx: AppContext, people: People, key: SigningKey
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    letters.output_letter(ctx, people.officer, view.serial, "save", destination="a.pdf")
    with ctx.db.read() as session:
        copies = session.scalars(select(LetterCopy)).all()
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("letter.%"))).all()
    assert len(copies) == 1 and len(events) == 2


def test_a_draft_case_is_refused_before_any_serial_is_taken(
    ctx: AppContext, people: People, key: SigningKey
) -> None:
    draft = new_case(ctx, people.officer)
    with pytest.raises(PraverkaError):
        letters.issue_letter(ctx, people.officer, draft.id, "bank_account", "en", key)
    case = approved_case(ctx, people.officer, people.supervisor, given="Янка")
    view = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    assert view.serial.endswith("-000001")
    assert dataclasses.asdict(view)["case_number"] == case.number
