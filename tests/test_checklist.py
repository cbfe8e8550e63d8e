"""Checklist: evaluated rules say why, manual ticks need evidence, waivers need a supervisor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from praverka.app import records, workflow
from praverka.app.checklist import state, templates
from praverka.app.context import AppContext
from praverka.app.errors import InvalidInput, NotFound, PermissionDenied, WorkflowError
from tests.conftest import People
from tests.factories import new_case, ready_case


def _items(ctx: AppContext, case_id: int) -> dict[str, state.ItemState]:
    return {item.code: item for item in state.case_checklist(ctx, case_id)}


def test_default_template_is_installed_once(ctx: AppContext) -> None:
    found = templates.list_templates(ctx)
    assert [(t.code, t.version, t.items) for t in found] == [("default", 1, 8)]


def test_evaluated_items_say_why_not_met(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    items = _items(ctx, case.id)
    assert "No passport" in items["identity_document"].reason
    assert items["references_confirmed"].reason == "0 of 2 references confirmed (0 recorded)."
    assert items["no_open_duplicate"].met and items["no_open_watchlist_hit"].met
    assert not items["interview_held"].met

    _, version = records.add_document(
        ctx, people.officer, case.id, case.version, records.DocumentInput("passport", "stolen")
    )
    assert "needs an explanation" in _items(ctx, case.id)["identity_document"].reason
    doc_id, version = records.add_document(
        ctx,
        people.officer,
        case.id,
        version,
        records.DocumentInput("national_id", "original", number="1234567A001PB1"),
    )
    # The stolen passport still lacks its explanation; that is said first.
    assert "needs an explanation" in _items(ctx, case.id)["identity_document"].reason
    version = records.update_document(
        ctx,
        people.officer,
        doc_id,
        version,
        records.DocumentInput(
            "national_id", "original", number="1234567A001PB1", verification="verified"
        ),
    )
    assert _items(ctx, case.id)["identity_document"].met

    ref_id, version = records.add_reference(
        ctx,
        people.officer,
        case.id,
        version,
        records.ReferenceInput("Ihar", "brother", "+380501112233", 30),
    )
    version = records.log_contact(ctx, people.officer, ref_id, version, "no_answer")
    assert "0 of 2" in _items(ctx, case.id)["references_confirmed"].reason
    version = records.log_contact(ctx, people.officer, ref_id, version, "confirmed")
    assert "1 of 2" in _items(ctx, case.id)["references_confirmed"].reason


def test_screening_hits_block_until_resolved(ctx: AppContext, people: People) -> None:
    from praverka.db.enums import HitKind

    case = ready_case(ctx, people.officer)
    with ctx.db.write() as session:
        hit_id = records.add_screening_hit(
            session, ctx.now(), None, case.id, HitKind.WATCHLIST, "Name on list", score=90
        )
    assert "not yet resolved" in _items(ctx, case.id)["no_open_watchlist_hit"].reason
    with pytest.raises(WorkflowError, match="Not ready for review"):
        workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    version = records.resolve_screening_hit(
        ctx, people.officer, hit_id, case.version, "cleared", "Different birth year and parents"
    )
    assert _items(ctx, case.id)["no_open_watchlist_hit"].met
    workflow.transition(ctx, people.officer, case.id, version, "submit")


def test_ticks_need_evidence_and_manual_items(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    with pytest.raises(InvalidInput, match="evidence"):
        state.tick(ctx, people.officer, case.id, case.version, "interview_held", "  ")
    with pytest.raises(InvalidInput, match="computed"):
        state.tick(ctx, people.officer, case.id, case.version, "identity_document", "trust me")
    with pytest.raises(NotFound):
        state.tick(ctx, people.officer, case.id, case.version, "no_such_item", "x")
    version = state.tick(ctx, people.officer, case.id, case.version, "interview_held", "45 min")
    item = _items(ctx, case.id)["interview_held"]
    assert item.met and item.evidence == "45 min"
    assert item.satisfied_by_id == people.officer.user_id
    version = state.untick(ctx, people.officer, case.id, version, "interview_held")
    assert not _items(ctx, case.id)["interview_held"].met


def test_waiver_needs_supervisor_and_reason(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    with pytest.raises(PermissionDenied):
        state.waive(ctx, people.officer, case.id, case.version, "consent_recorded", "because")
    with pytest.raises(InvalidInput, match="reason"):
        state.waive(ctx, people.supervisor, case.id, case.version, "consent_recorded", "")
    state.waive(
        ctx,
        people.supervisor,
        case.id,
        case.version,
        "references_confirmed",
        "Applicant arrived alone from occupied territory; no references reachable",
    )
    item = _items(ctx, case.id)["references_confirmed"]
    assert item.waived and item.done and not item.met and "occupied" in item.waive_reason


def _template(tmp_path: Path, data: object, name: str = "t.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_template_import_versions(ctx: AppContext, people: People, tmp_path: Path) -> None:
    old_case = new_case(ctx, people.officer)
    spec = json.loads(
        (Path(templates.__file__).parent / "templates" / "default-v1.json").read_text("utf-8")
    )
    spec["version"] = 2
    spec["items"].append(
        {
            "code": "second_interview",
            "kind": "manual",
            "required": True,
            "text": "A second interview by another officer",
        }
    )
    with pytest.raises(PermissionDenied):
        templates.import_file(ctx, people.supervisor, _template(tmp_path, spec))
    info = templates.import_file(ctx, people.admin, _template(tmp_path, spec))
    assert (info.version, info.items) == (2, 9)
    new = new_case(ctx, people.officer)
    assert "second_interview" in _items(ctx, new.id)
    assert "second_interview" not in _items(ctx, old_case.id)  # keeps the version it started with
    counts = {(t.version): t.cases for t in templates.list_templates(ctx)}
    assert counts == {1: 1, 2: 1}
    with pytest.raises(InvalidInput, match="higher version"):
        templates.import_file(ctx, people.admin, _template(tmp_path, spec))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not json", "not a JSON file"),
        (b"[1, 2]", "JSON object"),
        (b'{"code": "Default!", "version": 1, "title": "t", "items": [1]}', "'code'"),
        (b'{"code": "x", "version": 0, "title": "t", "items": [1]}', "'version'"),
        (b'{"code": "x", "version": 3, "title": "t", "items": []}', "'items'"),
        (
            b'{"code": "x", "version": 3, "title": "t", "items": '
            b'[{"code": "a", "kind": "evaluated", "text": "A", "rule": "magic"}]}',
            "unknown rule",
        ),
        (
            b'{"code": "x", "version": 3, "title": "t", "items": '
            b'[{"code": "a", "kind": "manual", "text": "A"},'
            b' {"code": "a", "kind": "manual", "text": "B"}]}',
            "used twice",
        ),
    ],
)
def test_bad_template_files_are_refused(
    ctx: AppContext, people: People, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = templates.list_templates(ctx)
    with pytest.raises(InvalidInput, match=message):
        templates.import_file(ctx, people.admin, path)
    assert templates.list_templates(ctx) == before
    with pytest.raises(InvalidInput, match="Cannot read"):
        templates.import_file(ctx, people.admin, tmp_path / "missing.json")
