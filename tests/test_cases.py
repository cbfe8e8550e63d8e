"""Cases: intake, validation, numbering, optimistic locking, listing and opening."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from praverka.app import cases, queries, records
from praverka.app.context import AppContext
from praverka.app.errors import ConflictError, InvalidInput, NotFound, WorkflowError
from praverka.db.models import Applicant, AuditEvent, Case
from tests.conftest import Clock, People
from tests.factories import applicant, new_case, ready_case


def _snapshot(ctx: AppContext) -> tuple[int, int, int, list[tuple[int, int]]]:
    with ctx.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Case)) or 0,
            session.scalar(select(func.count()).select_from(Applicant)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            [
                (r[0], r[1])
                for r in session.execute(select(Case.id, Case.version).order_by(Case.id))
            ],
        )


def test_case_numbers_are_gapless_per_year(ctx: AppContext, people: People, clock: Clock) -> None:
    first = new_case(ctx, people.officer)
    second = new_case(ctx, people.officer)
    # A failed intake takes no number.
    with pytest.raises(NotFound):
        cases.create_case(
            ctx,
            people.officer,
            cases.CaseInput(applicant(), purposes=["bank_account"], assigned_officer="ghost"),
        )
    third = new_case(ctx, people.officer)
    assert [first.number, second.number, third.number] == [
        "2026-000001",
        "2026-000002",
        "2026-000003",
    ]
    clock.now = dt.datetime(2027, 1, 1, 0, 5, tzinfo=dt.UTC)
    assert new_case(ctx, people.officer).number == "2027-000001"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"names": []}, "at least one name"),
        ({"names": [cases.NameInput("be", "", "Алесь")]}, "surname and a given name"),
        ({"names": [cases.NameInput("klingon", "A", "B")]}, "Name script"),
        ({"birth_date": "31.02.1990"}, "Date of birth"),
        ({"birth_date": "yesterday"}, "Date of birth"),
        ({"birth_date": "2999"}, "Date of birth"),
        ({"sex": "Q"}, "Sex"),
        ({"citizenship": "Belarus"}, "three-letter"),
    ],
)
def test_bad_applicant_input_changes_nothing(
    ctx: AppContext, people: People, change: dict[str, object], message: str
) -> None:
    base = applicant()
    data = cases.ApplicantInput(**{**base.__dict__, **change})
    before = _snapshot(ctx)
    with pytest.raises(InvalidInput, match=message):
        cases.create_case(ctx, people.officer, cases.CaseInput(data, purposes=["other"]))
    assert _snapshot(ctx) == before


def test_bad_purpose_and_priority(ctx: AppContext, people: People) -> None:
    before = _snapshot(ctx)
    with pytest.raises(InvalidInput, match="Purpose"):
        cases.create_case(ctx, people.officer, cases.CaseInput(applicant(), purposes=["fun"]))
    with pytest.raises(InvalidInput, match="at least one purpose"):
        cases.create_case(ctx, people.officer, cases.CaseInput(applicant(), purposes=[]))
    with pytest.raises(InvalidInput, match="Priority"):
        cases.create_case(ctx, people.officer, cases.CaseInput(applicant(), priority=9))
    assert _snapshot(ctx) == before


def test_partial_birth_dates(ctx: AppContext, people: People) -> None:
    for text, expected in (("1987", "1987"), ("03.1987", "1987-03"), ("14.03.1987", "1987-03-14")):
        data = cases.ApplicantInput(**{**applicant().__dict__, "birth_date": text})
        made = cases.create_case(ctx, people.officer, cases.CaseInput(data))
        assert queries.open_case(ctx, people.officer, made.id).applicant.birth_date == expected


def test_second_save_from_another_desk_is_refused(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    # Both desks opened version 1; the other officer saves first.
    cases.update_case(ctx, people.officer2, case.id, case.version, priority=3)
    before = _snapshot(ctx)
    with pytest.raises(ConflictError) as raised:
        cases.update_case(ctx, people.officer, case.id, case.version, priority=0)
    assert "Hanna Shved" in str(raised.value) and "reload" in str(raised.value)
    assert raised.value.changed_by == "Hanna Shved"
    assert _snapshot(ctx) == before
    detail = queries.open_case(ctx, people.officer, case.id)
    assert detail.summary.priority == 3


def test_update_applicant_is_audited_with_the_change(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    data = cases.ApplicantInput(**{**applicant().__dict__, "phone": "+48600100200"})
    version = cases.update_applicant(ctx, people.officer, case.id, case.version, data)
    assert version == case.version + 1
    with ctx.db.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "applicant.update")
        ).one()
    assert "+48600100200" in event.changes and event.case_id == case.id
    # Saving the same values again is no change: no new version, no event.
    assert cases.update_applicant(ctx, people.officer, case.id, version, data) == version


def test_cases_in_review_are_not_editable(ctx: AppContext, people: People) -> None:
    from praverka.app import workflow

    case = ready_case(ctx, people.officer)
    version = workflow.transition(ctx, people.officer, case.id, case.version, "submit")
    with pytest.raises(WorkflowError, match="only draft or on-hold"):
        cases.update_case(ctx, people.officer, case.id, version, priority=2)
    with pytest.raises(WorkflowError):
        records.add_reference(
            ctx, people.officer, case.id, version, records.ReferenceInput("A", "b", "c")
        )


def test_list_filter_sort_and_count(ctx: AppContext, people: People, clock: Clock) -> None:
    old = new_case(ctx, people.officer)
    clock.advance(days=5)
    newer = new_case(ctx, people.officer2)
    flt = queries.CaseFilter(statuses=("draft",))
    rows = queries.list_cases(ctx, flt)
    assert [r.number for r in rows] == [old.number, newer.number]  # oldest first
    assert rows[0].age_days == 5 and rows[0].applicant_latin == "Frantskevich Ales"
    assert rows[0].applicant_native == "Францкевіч Алесь Міхайлавіч"
    assert queries.count_cases(ctx, flt) == 2
    mine = queries.CaseFilter(officer_id=people.officer2.user_id)
    assert [r.number for r in queries.list_cases(ctx, mine)] == [newer.number]
    assert queries.list_cases(ctx, queries.CaseFilter(min_age_days=3))[0].number == old.number
    with pytest.raises(InvalidInput):
        queries.list_cases(ctx, queries.CaseFilter(statuses=("lost",)))


def test_search_by_any_spelling_number_or_document(ctx: AppContext, people: People) -> None:
    case = ready_case(ctx, people.officer)
    new_case(ctx, people.officer, surname="Шушкевіч", given="Станіслаў", patronymic="")
    with ctx.db.read() as session:
        for typed in ("Францкевич", "frantzkevych", "Frants", "Францк"):
            assert queries.search_ids(session, typed) == [case.id], typed
        assert queries.search_ids(session, "mp12345") == [case.id]
        assert queries.search_ids(session, "000001") == [case.id]
        assert queries.search_ids(session, case.number) == [case.id]


def test_open_case_gives_everything_and_is_audited(ctx: AppContext, people: People) -> None:
    case = ready_case(ctx, people.officer)
    detail = queries.open_case(ctx, people.supervisor, case.id)
    assert detail.summary.number == case.number
    assert len(detail.documents) == 1 and len(detail.references) == 2
    assert all(r.confirmed and len(r.attempts) == 1 for r in detail.references)
    assert all(item.done for item in detail.checklist)
    again = queries.open_case(ctx, people.supervisor, case.id)
    assert again.timeline[0].text == "Case opened"  # the first opening, recorded
    with pytest.raises(NotFound):
        cases.find_case_id(ctx, "2026-999999")


def test_queue_sorts_by_applicant_officer_and_purposes(
    ctx: AppContext, people: People, clock: Clock
) -> None:
    first = new_case(ctx, people.officer2, surname="Шушкевіч", given="Станіслаў")
    clock.advance(hours=1)
    second = new_case(ctx, people.officer, surname="Абрамовіч", given="Ганна")
    cases.update_case(ctx, people.officer, first.id, first.version, purposes=["legalisation"])

    def order(sort: str, descending: bool = False) -> list[str]:
        flt = queries.CaseFilter(sort=sort, descending=descending)
        return [c.number for c in queries.list_cases(ctx, flt)]

    assert order("applicant") == [second.number, first.number]  # Абрамовіч before Шушкевіч
    assert order("applicant", descending=True) == [first.number, second.number]
    assert order("officer") == [second.number, first.number]  # Ales K. before Hanna S.
    assert order("purposes") == [second.number, first.number]  # bank_account < legalisation
