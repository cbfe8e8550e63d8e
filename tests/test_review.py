"""The supervisor's services: review queue, decisions, four eyes, workload, returned cases."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from praverka.app import queries, review, settings, users, workflow
from praverka.app.checklist import state
from praverka.app.context import AppContext
from praverka.app.errors import (
    AuthenticationFailed,
    InvalidInput,
    PermissionDenied,
)
from tests.conftest import PASSWORD, Clock, People
from tests.factories import new_case, ready_case


def _submitted(ctx: AppContext, people: People, **kwargs: object) -> tuple[int, int]:
    case = ready_case(ctx, people.officer, **kwargs)
    version = workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    return case.id, version


def _status(ctx: AppContext, case_id: int) -> str:
    return queries.case_detail(ctx, case_id).summary.status


def test_review_queue_lists_cases_in_review_oldest_first(
    ctx: AppContext, people: People, clock: Clock
) -> None:
    first, _v = _submitted(ctx, people)
    clock.advance(days=1)
    new_case(ctx, people.officer, surname="Лукашевіч")  # a draft: not in the queue
    clock.advance(days=1)
    second, _v = _submitted(ctx, people, surname="Шушкевіч")
    flt = review.review_queue_filter()
    listed = queries.list_cases(ctx, flt)
    assert [c.id for c in listed] == [first, second]
    assert {c.status for c in listed} == {"in_review"}
    assert queries.count_cases(ctx, flt) == 2


def test_age_thresholds_default_to_three_and_seven_days(ctx: AppContext, people: People) -> None:
    thresholds = review.age_thresholds(ctx)
    assert (thresholds.amber_days, thresholds.red_days) == (3, 7)
    assert [thresholds.level(d) for d in (0, 2, 3, 6, 7, 30)] == [
        "normal",
        "normal",
        "amber",
        "amber",
        "red",
        "red",
    ]


def test_age_thresholds_follow_the_office_settings(ctx: AppContext, people: People) -> None:
    settings.update_settings(ctx, people.admin, {"age_amber_days": 2, "age_red_days": 5})
    thresholds = review.age_thresholds(ctx)
    assert (thresholds.amber_days, thresholds.red_days) == (2, 5)
    assert [thresholds.level(d) for d in (1, 2, 5)] == ["normal", "amber", "red"]


def test_approve_after_the_password_and_never_with_a_wrong_one(
    ctx: AppContext, people: People
) -> None:
    case_id, version = _submitted(ctx, people)
    with pytest.raises(AuthenticationFailed):
        users.confirm_password(ctx, people.supervisor, "not-the-password", "approving")
    # The refused confirmation changed nothing about the case.
    assert _status(ctx, case_id) == "in_review"
    assert queries.case_detail(ctx, case_id).summary.version == version
    users.confirm_password(ctx, people.supervisor, PASSWORD, "approving")
    workflow.transition(ctx, people.supervisor, case_id, version, "approve")
    assert _status(ctx, case_id) == "approved"


def test_a_returned_case_reaches_its_officer_with_the_comment(
    ctx: AppContext, people: People, clock: Clock
) -> None:
    case_id, version = _submitted(ctx, people)
    other_id, other_version = _submitted(ctx, people, surname="Шушкевіч")
    assert review.returned_to(ctx, people.officer) == []
    clock.advance(hours=2)
    version = workflow.transition(
        ctx, people.supervisor, case_id, version, "return", "Call the second reference again."
    )
    workflow.transition(ctx, people.supervisor, other_id, other_version, "approve")

    returned = review.returned_to(ctx, people.officer)
    number = queries.case_detail(ctx, case_id).summary.number
    assert [(r.number, r.comment, r.by, r.case_id) for r in returned] == [
        (number, "Call the second reference again.", people.supervisor.full_name, case_id)
    ]
    assert returned[0].returned_at == clock.now
    assert not returned[0].seen
    # Nobody else's notification.
    assert review.returned_to(ctx, people.officer2) == []

    # Once the officer opens the case it is no longer new, but still listed.
    clock.advance(minutes=5)
    queries.open_case(ctx, people.officer, case_id)
    assert review.returned_to(ctx, people.officer, unseen_only=True) == []
    assert [r.seen for r in review.returned_to(ctx, people.officer)] == [True]

    # Submitted again, it leaves the list.
    workflow.transition(ctx, people.officer, case_id, version, "submit")
    assert review.returned_to(ctx, people.officer) == []


def test_a_return_and_a_rejection_need_a_reason(ctx: AppContext, people: People) -> None:
    case_id, version = _submitted(ctx, people)
    for action in ("return", "reject"):
        with pytest.raises(InvalidInput):
            workflow.transition(ctx, people.supervisor, case_id, version, action, "   ")
    assert _status(ctx, case_id) == "in_review"
    workflow.transition(ctx, people.supervisor, case_id, version, "reject", "Documents forged.")
    assert _status(ctx, case_id) == "rejected"


def test_waive_an_item_with_a_reason(ctx: AppContext, people: People) -> None:
    case_id, version = _submitted(ctx, people)
    with pytest.raises(InvalidInput):
        state.waive(ctx, people.supervisor, case_id, version, "photo_matches", "  ")
    state.waive(ctx, people.supervisor, case_id, version, "photo_matches", "Photo is old.")
    item = {i.code: i for i in queries.case_detail(ctx, case_id).checklist}["photo_matches"]
    assert item.waived and item.waive_reason == "Photo is old."
    assert item.waived_by_id == people.supervisor.user_id


def test_the_preparer_may_not_decide_on_their_own_case(ctx: AppContext, people: People) -> None:
    case = ready_case(ctx, people.supervisor)
    version = workflow.transition(ctx, people.supervisor, case.id, case.version, "submit")
    assert review.prepared_by(ctx, people.supervisor, case.id)
    assert not review.prepared_by(ctx, people.supervisor2, case.id)
    for action, comment in (("approve", ""), ("return", "fix it"), ("reject", "no")):
        with pytest.raises(PermissionDenied):
            workflow.transition(ctx, people.supervisor, case.id, version, action, comment)
    assert _status(ctx, case.id) == "in_review"
    workflow.transition(ctx, people.supervisor2, case.id, version, "approve")
    assert _status(ctx, case.id) == "approved"


def sql_workload(ctx: AppContext) -> dict[str, tuple[int, int]]:
    """Each active officer's open and in-review cases, counted with plain SQL."""
    with ctx.db.read() as session:
        rows = session.execute(
            text(
                "SELECT u.username,"
                " (SELECT count(*) FROM cases c WHERE c.assigned_officer_id = u.id"
                "   AND c.status IN ('draft', 'on_hold', 'in_review', 'approved')),"
                " (SELECT count(*) FROM cases c WHERE c.assigned_officer_id = u.id"
                "   AND c.status = 'in_review')"
                " FROM users u WHERE u.active"
                " AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id"
                "   AND r.role = 'officer')"
            )
        )
        return {name: (int(o), int(r)) for name, o, r in rows}


def test_assign_many_and_the_workload_matches_sql(ctx: AppContext, people: People) -> None:
    drafts = [new_case(ctx, people.officer, surname=s).id for s in ("Быкаў", "Танк", "Купала")]
    in_review, _v = _submitted(ctx, people, surname="Колас")
    rejected, version = _submitted(ctx, people, surname="Багдановіч")
    workflow.transition(ctx, people.supervisor, rejected, version, "reject", "Not eligible.")

    before = {load.username: load for load in review.workload(ctx)}
    assert set(before) == {"officer", "officer2"}
    assert (before["officer"].open_cases, before["officer"].in_review) == (4, 1)
    assert before["officer2"].open_cases == 0

    report = review.assign_many(
        ctx, people.supervisor, [*drafts, in_review, rejected, 999_999], "officer2"
    )
    assert report.assigned == 4
    refused = {o.case_id: o.refusal for o in report.refused}
    assert set(refused) == {rejected, 999_999}
    assert "closed case keeps its officer" in refused[rejected]

    # Again: nothing changes, nothing refused but the same two.
    again = review.assign_many(ctx, people.supervisor, drafts, "officer2")
    assert (again.assigned, again.unchanged, len(again.refused)) == (0, 3, 0)

    loads = review.workload(ctx)
    assert {load.username: (load.open_cases, load.in_review) for load in loads} == sql_workload(ctx)
    assert {load.username: load.open_cases for load in loads} == {"officer": 0, "officer2": 4}
    # Least loaded first.
    assert [load.username for load in loads] == ["officer", "officer2"]


def test_only_a_supervisor_assigns(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    with pytest.raises(PermissionDenied):
        review.assign_many(ctx, people.officer, [case.id], "officer2")
    report = review.assign_many(ctx, people.supervisor, [case.id], "nobody")
    assert report.assigned == 0 and len(report.refused) == 1
