"""A case's timeline as sentences: built from a real history through the services."""

from __future__ import annotations

import dataclasses

import pytest

from praverka.app import audit, cases, letters, queries, records, settings, signing, workflow
from praverka.app.checklist import state
from praverka.app.context import AppContext
from praverka.app.security.keys import SigningKey
from praverka.app.timeline import CaseFacts, event_sentence, transition_sentence
from praverka.app.views import TimelineEntry
from praverka.db.enums import HitKind
from tests.conftest import People
from tests.factories import MANUAL_ITEMS, applicant, approved_case, ready_case

FULL_NAMES = {"Ales Kavalenka", "Hanna Shved", "Volha Dubrouskaya", "Yauhen Lis", "Alena Admin"}
OLD_ADDRESS = "Kyiv, Khreshchatyk 1"
NEW_ADDRESS = "Vilnius, Žirmūnų g. 15-47"
NEW_PHONE = "+37060012345"
RETURN_REASON = "The photo page is not legible; scan it again."
WAIVE_REASON = "Interview held by video, recorded on file"


def _texts(timeline: tuple[TimelineEntry, ...]) -> list[str]:
    return [entry.text for entry in timeline]


def _assert_readable(timeline: tuple[TimelineEntry, ...]) -> None:
    for entry in timeline:
        assert "{" not in entry.text and "}" not in entry.text, entry
        assert '":' not in entry.text, entry  # no JSON keys
        assert entry.actor in FULL_NAMES, entry


def _reviewed_case(ctx: AppContext, people: People) -> int:
    """A case that was edited, assigned, commented, waived, submitted, returned and submitted."""
    case = ready_case(ctx, people.officer)
    moved = dataclasses.replace(applicant(), address=NEW_ADDRESS, phone=NEW_PHONE)
    case.version = cases.update_applicant(ctx, people.officer, case.id, case.version, moved)
    cases.assign(ctx, people.supervisor, [case.id], "officer2")
    records.add_comment(ctx, people.officer2, case.id, "Applicant will bring the original.")
    version = queries.case_detail(ctx, case.id).summary.version
    version = state.waive(ctx, people.supervisor, case.id, version, MANUAL_ITEMS[0], WAIVE_REASON)
    version = workflow.transition(ctx, people.officer2, case.id, version, "submit")
    version = workflow.transition(ctx, people.supervisor, case.id, version, "return", RETURN_REASON)
    workflow.transition(ctx, people.officer2, case.id, version, "submit")
    queries.open_case(ctx, people.supervisor2, case.id)
    return case.id


def test_a_case_history_reads_as_sentences_by_full_names(ctx: AppContext, people: People) -> None:
    case_id = _reviewed_case(ctx, people)
    timeline = queries.case_detail(ctx, case_id).timeline
    texts = _texts(timeline)
    _assert_readable(timeline)
    assert [e.at for e in timeline] == sorted((e.at for e in timeline), reverse=True)

    assert texts[0] == "Case opened" and timeline[0].actor == "Yauhen Lis"
    assert texts[-1] == "Case created: Bank account"
    assert "Document added: Passport MP1234567" in texts
    assert "Reference added: Ihar Bahdanovich (neighbour)" in texts
    assert "Reference Sviatlana Kazlova contacted by phone: Confirmed the applicant" in texts
    assert (
        "Checklist item ticked: "
        + _item_text(ctx, case_id, "photo_matches")
        + (" \N{EM DASH} seen in person")
        in texts
    )
    waived = _item_text(ctx, case_id, MANUAL_ITEMS[0])
    assert f"Checklist item waived: {waived} \N{EM DASH} {WAIVE_REASON}" in texts
    assert "Assigned to Hanna Shved" in texts
    # Personal data is named by field; its values stay in the case.
    assert "Applicant changed: address, phone" in texts
    for value in (OLD_ADDRESS, NEW_ADDRESS, NEW_PHONE, "+380501234567", "+380671112233"):
        assert not any(value in text for text in texts), value

    # Each workflow step is one line: the status change, not its event or comment again.
    assert texts.count("Draft \N{RIGHTWARDS ARROW} In review") == 2
    assert f"In review \N{RIGHTWARDS ARROW} Draft: {RETURN_REASON}" in texts
    assert sum(RETURN_REASON in text for text in texts) == 1
    assert not any(text.startswith(("Submitted for review", "Returned")) for text in texts)
    kinds = {e.text: e.kind for e in timeline}
    assert kinds[f"In review \N{RIGHTWARDS ARROW} Draft: {RETURN_REASON}"] == "transition"
    return_line = next(e for e in timeline if RETURN_REASON in e.text)
    assert return_line.actor == "Volha Dubrouskaya"
    # A note is shown once, as the comment itself.
    assert texts.count("Applicant will bring the original.") == 1
    assert kinds["Applicant will bring the original."] == "comment"
    assert kinds["Document added: Passport MP1234567"] == "document"


def test_records_edits_read_by_what_changed(ctx: AppContext, people: People) -> None:
    case = ready_case(ctx, people.officer)
    detail = queries.case_detail(ctx, case.id)
    version = detail.summary.version
    passport, reference = detail.documents[0], detail.references[0]
    version = records.update_document(
        ctx,
        people.officer,
        passport.id,
        version,
        records.DocumentInput(
            "passport", "lost", number="MP7654321", verification="verified", note="Seen."
        ),
    )
    _, version = records.attach_scan(
        ctx, people.officer, passport.id, version, b"scan bytes", "image/png", "Frantskevich.png"
    )
    version = records.set_reference_confirmed(ctx, people.officer, reference.id, version, False)
    version = state.untick(ctx, people.officer, case.id, version, MANUAL_ITEMS[1])
    version = cases.update_case(ctx, people.officer, case.id, version, priority=3)
    with ctx.db.write() as session:
        hit_id = records.add_screening_hit(
            session, ctx.now(), None, case.id, HitKind.WATCHLIST, "Frantskevich A. on list"
        )
    version = queries.case_detail(ctx, case.id).summary.version
    records.resolve_screening_hit(
        ctx, people.officer, hit_id, version, "cleared", "Different birth year"
    )

    timeline = queries.case_detail(ctx, case.id).timeline
    texts = _texts(timeline)
    assert {e.actor for e in timeline} == {"Ales Kavalenka", "system"}
    for entry in timeline:
        assert "{" not in entry.text and '":' not in entry.text, entry
    untick = _item_text(ctx, case.id, MANUAL_ITEMS[1])
    assert texts[:6] == [
        "Screening match resolved: cleared \N{EM DASH} Different birth year",
        "Screening match found: watchlist",
        "Case details changed: priority",
        f"Checklist item unticked: {untick}",
        "Reference Ihar Bahdanovich marked as not confirmed",
        "Scan added to Passport MP7654321",
    ]
    assert "Document changed: Passport MP7654321 \N{EM DASH} note, number, verification" in texts
    # Neither the scan's file name nor the hit's description names anyone on the timeline.
    assert not any("Frantskevich" in text for text in texts)


def _item_text(ctx: AppContext, case_id: int, code: str) -> str:
    detail = queries.case_detail(ctx, case_id)
    return next(item.text for item in detail.checklist if item.code == code)


PASSPHRASE = "timeline-passphrase-1"


@pytest.fixture
def key(ctx: AppContext, people: People) -> SigningKey:
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    settings.update_settings(ctx, people.admin, {"serial_prefix": "KYV", "place": "Kyiv"})
    return signing.unlock_signing_key(ctx, PASSPHRASE)


def test_a_letter_life_reads_with_its_serial(
    ctx: AppContext, people: People, key: SigningKey
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    letter = letters.issue_letter(ctx, people.officer, case.id, "bank_account", "en", key)
    serial = letter.serial
    letters.output_letter(ctx, people.officer, serial, "print", destination="Office printer")
    letters.mark_copy_spoiled(ctx, people.officer, serial, 0, "Paper jam")
    letters.output_letter(
        ctx, people.officer, serial, "save", destination="/home/desk/letters/out.pdf"
    )
    letters.output_letter(
        ctx,
        people.officer,
        serial,
        "print",
        destination="Office printer",
        reprint=True,
        reason="Lost in post",
    )
    letters.revoke_letter(ctx, people.supervisor, serial, "Issued on the wrong purpose")
    timeline = queries.case_detail(ctx, case.id).timeline
    texts = _texts(timeline)
    _assert_readable(timeline)
    assert texts[:6] == [
        f"Letter {serial} revoked: Issued on the wrong purpose",
        f"Letter {serial} reprinted (copy 1) on Office printer: Lost in post",
        f"Letter {serial} saved as PDF (original) to out.pdf",
        f"Letter {serial}, original, marked spoiled: Paper jam",
        f"Letter {serial} printed (original) on Office printer",
        f"Letter {serial} issued: Bank account",
    ]
    assert "Approved \N{RIGHTWARDS ARROW} Attested" in texts
    assert "In review \N{RIGHTWARDS ARROW} Approved" in texts
    assert {e.kind for e in timeline[:6]} == {"letter"}


def test_an_unknown_action_falls_back_to_its_name_and_fields(
    ctx: AppContext, people: People
) -> None:
    case = ready_case(ctx, people.officer)
    with ctx.db.write() as session:
        audit.record(
            session,
            ctx.now(),
            None,
            "passport_check.redo",
            "case",
            case.id,
            case_id=case.id,
            changes={"address": [OLD_ADDRESS, NEW_ADDRESS], "score": {"a": 1}},
        )
    newest = queries.case_detail(ctx, case.id).timeline[0]
    assert newest.text == "Passport check redo: address, score"
    assert (newest.kind, newest.actor) == ("record", "system")

    facts = CaseFacts({}, {}, {}, {})
    assert event_sentence("thing.happened", "1", {}, facts) == "Thing happened"
    # A known action with changes of an unexpected shape still reads plainly.
    assert event_sentence("case.assign", "1", {"assigned_officer_id": 99}, facts) == (
        "Assigned to ?"
    )
    assert event_sentence("case.frobnicate", "1", {"status": ["draft", "approved"]}, facts) == (
        "Status changed: Draft \N{RIGHTWARDS ARROW} Approved"
    )
    assert transition_sentence("on_hold", "draft", "") == "On hold \N{RIGHTWARDS ARROW} Draft"
