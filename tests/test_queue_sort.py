"""The queue's stored sort keys: kept by the services, filled in by the migration, indexed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import MetaData, select, text, update

from praverka.app import cases, demo, queries, queue_pages
from praverka.app.context import AppContext
from praverka.db import migrate
from praverka.db.collation import sort_key
from praverka.db.engine import make_engine
from praverka.db.models import Case
from tests.conftest import People
from tests.factories import new_case

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def _keys(ctx: AppContext, case_id: int) -> tuple[str, str]:
    with ctx.db.read() as session:
        row = session.execute(
            select(Case.applicant_sort_key, Case.purposes_sort_key).where(Case.id == case_id)
        ).one()
    return row[0], row[1]


def _order(ctx: AppContext, sort: str, descending: bool = False) -> list[int]:
    return [
        c.id for c in queries.list_cases(ctx, queries.CaseFilter(sort=sort, descending=descending))
    ]


def test_the_keys_follow_the_names_and_purposes(ctx: AppContext, people: People) -> None:
    case = new_case(ctx, people.officer)
    assert _keys(ctx, case.id) == (sort_key("Францкевіч Алесь Міхайлавіч"), "bank_account")
    version = cases.save_case(
        ctx,
        people.officer,
        case.id,
        case.version,
        applicant=cases.ApplicantInput(
            names=[
                cases.NameInput("latin_passport", "Zhuk", "Volha"),
                cases.NameInput("ru", "Жук", "Ольга"),
                cases.NameInput("be", "Жук", "Вольга", "Іванаўна"),
            ]
        ),
        purposes=["other", "border_crossing"],
    )
    # The first Cyrillic name, as the queue shows it; the purposes' codes in order.
    assert _keys(ctx, case.id) == (sort_key("Жук Ольга"), "border_crossing,other")
    shown = queries.list_cases(ctx, queries.CaseFilter())[0]
    assert shown.applicant_native == "Жук Ольга"

    # No Cyrillic name: the passport's Latin one, which the queue shows instead.
    cases.update_applicant(
        ctx,
        people.officer,
        case.id,
        version,
        cases.ApplicantInput(names=[cases.NameInput("latin_passport", "Zhuk", "Volha")]),
    )
    assert _keys(ctx, case.id) == (sort_key("Zhuk Volha"), "border_crossing,other")


def test_sorting_by_applicant_and_purposes_with_ties_both_ways(
    ctx: AppContext, people: People
) -> None:
    shushkevich = new_case(ctx, people.officer, surname="Шушкевіч", given="Станіслаў")
    zhuk = new_case(ctx, people.officer, surname="Жук", given="Вольга", patronymic="")
    twin = new_case(ctx, people.officer, surname="Жук", given="Вольга", patronymic="")
    latin_only = cases.create_case(
        ctx,
        people.officer,
        cases.CaseInput(
            cases.ApplicantInput(names=[cases.NameInput("latin_passport", "Bahdanovich", "Ales")]),
            purposes=["other", "legalisation"],
        ),
    )
    ascending = [latin_only.id, zhuk.id, twin.id, shushkevich.id]
    assert _order(ctx, "applicant") == ascending
    # Descending is the exact reverse, ties included.
    assert _order(ctx, "applicant", descending=True) == ascending[::-1]
    # Three with "bank_account" in the order they came, then "legalisation,other".
    by_purposes = [shushkevich.id, zhuk.id, twin.id, latin_only.id]
    assert _order(ctx, "purposes") == by_purposes
    assert _order(ctx, "purposes", descending=True) == by_purposes[::-1]


def test_applicants_sort_in_alphabetical_order_on_either_database(
    ctx: AppContext, people: People
) -> None:
    # The Belarusian alphabet: а б в г д е ё ж з і й к л м н о п р с т у ў ф х ц ч ш ы ь э ю я.
    # Compared by code point, І, Ў and Ё would come before А; small letters after capitals.
    alphabetical = [
        ("Lis", "Yauhen"),  # Latin only: before every Cyrillic name
        ("Абрамовіч", "Алесь"),
        ("Ельскі", "Мікола"),
        ("Ёрш", "Андрэй"),
        ("Жук", "Вольга"),
        ("Жукоўская", "Вера"),  # a shorter name first
        ("Іваноў", "Пятро"),
        ("Уладзімірава", "Ніна"),
        ("Ўсціновіч", "Ян"),
        ("Шчур", "Вера"),
        ("Эйдзіновіч", "Аляксей"),
        ("Янкоўская", "Дар'я"),
    ]
    made: dict[str, int] = {}
    for surname, given in reversed(alphabetical):
        if surname == "Lis":
            made[surname] = cases.create_case(
                ctx,
                people.officer,
                cases.CaseInput(
                    cases.ApplicantInput(names=[cases.NameInput("latin_passport", surname, given)])
                ),
            ).id
        else:
            made[surname] = new_case(ctx, people.officer, surname=surname, given=given).id
    expected = [made[surname] for surname, _given in alphabetical]
    assert _order(ctx, "applicant") == expected
    assert _order(ctx, "applicant", descending=True) == expected[::-1]


def test_the_collation_key_ignores_case_accents_and_apostrophes() -> None:
    assert sort_key("ЖУК") == sort_key("жук")
    assert sort_key("Žuk") == sort_key("Zuk") and sort_key("Łukašenka") == sort_key("lukasenka")
    assert sort_key("Дар'я") == sort_key("Дар’я") == sort_key("Даря")
    assert sort_key("Ї") > sort_key("І") > sort_key("И")  # Ukrainian order, merged
    assert sort_key("Zzz") < sort_key("Аа")  # Latin before Cyrillic, as in Unicode


def test_demo_cases_carry_the_keys_the_services_would_store(ctx: AppContext) -> None:
    demo.populate(ctx, cases=60, seed=11)
    with ctx.db.read() as session:
        for case in session.scalars(select(Case)):
            names = [
                (n.script, n.surname, n.given_names, n.patronymic) for n in case.applicant.names
            ]
            assert case.applicant_sort_key == cases.applicant_sort_key(names)
            assert case.purposes_sort_key == cases.purposes_sort_key(
                [p.purpose for p in case.purposes]
            )
            assert case.applicant_sort_key and case.purposes_sort_key


def test_the_first_page_and_the_count_agree_with_all_the_ids(
    ctx: AppContext, people: People
) -> None:
    made = [new_case(ctx, people.officer, surname=f"Жук{i}", given="Вольга") for i in range(5)]
    cases.update_case(ctx, people.officer, made[1].id, made[1].version, purposes=["other"])
    cases.update_case(
        ctx, people.officer, made[3].id, made[3].version, purposes=["other", "bank_account"]
    )
    new_case(ctx, people.officer2)
    new_case(ctx, people.supervisor)
    unassigned = new_case(ctx, people.officer)
    with ctx.db.write() as session:
        session.execute(
            update(Case).where(Case.id == unassigned.id).values(assigned_officer_id=None)
        )
    filters = [
        queries.CaseFilter(),
        queries.CaseFilter(sort="officer"),
        queries.CaseFilter(sort="officer", descending=True),
        queries.CaseFilter(sort="officer", statuses=("draft",), purpose="other"),
        queries.CaseFilter(purpose="bank_account", sort="applicant"),
        queries.CaseFilter(purpose="other", officer_id=people.officer.user_id),
        queries.CaseFilter(purpose="other", officer_id=people.officer2.user_id),
        queries.CaseFilter(statuses=("draft",), min_age_days=0, sort="number"),
    ]
    for flt in filters:
        every = queue_pages.fetch_ids(ctx, flt)
        for limit in (1, 2, 6):
            head = queue_pages.fetch_head(ctx, flt, limit)
            assert head.ids == every[:limit], (flt, limit)
            assert head.total == len(every) == queries.count_cases(ctx, flt), flt
    assert queue_pages.fetch_head(ctx, queries.CaseFilter(), 10).total == 8
    # Unassigned cases first, then by the officer's name, oldest first within.
    by_officer = queue_pages.fetch_ids(ctx, queries.CaseFilter(sort="officer"))
    assert by_officer[0] == unassigned.id
    assert by_officer[1:6] == [c.id for c in made]  # Ales Kavalenka
    assert (
        queue_pages.fetch_ids(ctx, queries.CaseFilter(sort="officer", descending=True))[-1]
        == unassigned.id
    )

    def stop() -> None:
        raise RuntimeError("nobody wants them")

    with pytest.raises(RuntimeError):
        queue_pages.fetch_ids(ctx, queries.CaseFilter(), check=stop)


def test_the_queue_sorts_come_from_indexes(ctx: AppContext, db_url: str) -> None:
    """No sort of the whole table for the columns with a key of their own, either way."""
    if not db_url.startswith("sqlite"):
        pytest.skip("reads SQLite's query plans")
    filters = [
        queries.CaseFilter(sort=sort, descending=descending)
        for sort in ("age", "number", "updated", "applicant", "purposes")
        for descending in (False, True)
    ]
    # The default queues: one status, oldest first; an officer's own cases.
    filters += [queries.CaseFilter(statuses=("in_review",)), queries.CaseFilter(officer_id=1)]
    with ctx.db.read() as session:
        connection = session.connection()
        for flt in filters:
            compiled = queries.filtered_ids(flt, ctx.now()).compile(
                dialect=connection.dialect, compile_kwargs={"literal_binds": True}
            )
            plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
            assert not any("TEMP B-TREE" in step for step in plan), (flt, plan)


def _rows_before_the_keys() -> list[tuple[str, list[dict[str, Any]]]]:
    """Three cases as revision 0001 stores them."""
    return [
        (
            "users",
            [
                {
                    "id": 1,
                    "username": "officer",
                    "full_name": "O",
                    "password_hash": "x",
                    "active": True,
                    "failed_logins": 0,
                    "created_at": NOW,
                    "password_changed_at": NOW,
                }
            ],
        ),
        (
            "checklist_templates",
            [
                {
                    "id": 1,
                    "code": "default",
                    "version": 1,
                    "title": "T",
                    "content_sha256": "0" * 64,
                    "imported_at": NOW,
                }
            ],
        ),
        (
            "applicants",
            [
                {
                    "id": i,
                    "sex": "F",
                    "citizenship": "BLR",
                    "phone": "",
                    "email": "",
                    "address": "",
                    "created_at": NOW,
                }
                for i in (1, 2, 3)
            ],
        ),
        (
            "applicant_names",
            [
                _name(1, 1, 0, "latin_passport", "Frantskevich", "Ales", ""),
                _name(2, 1, 1, "be", "Францкевіч", "Алесь", "Міхайлавіч"),
                _name(3, 1, 2, "ru", "Францкевич", "Алесь", "Михайлович"),
                _name(4, 2, 0, "other", "Jouk", "Volga", ""),
                _name(5, 2, 1, "latin_passport", "Zhuk", "Volha", ""),
                _name(6, 3, 0, "ru", "Жук", "Ольга", ""),
            ],
        ),
        (
            "cases",
            [
                {
                    "id": i,
                    "number": f"2026-00000{i}",
                    "applicant_id": i,
                    "status": "draft",
                    "priority": 1,
                    "assigned_officer_id": 1,
                    "preparer_id": 1,
                    "checklist_template_id": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "updated_by_id": 1,
                    "status_changed_at": NOW,
                    "version": 1,
                }
                for i in (1, 2, 3)
            ],
        ),
        (
            "case_purposes",
            [
                {"case_id": 1, "purpose": "border_crossing"},
                {"case_id": 1, "purpose": "bank_account"},
                {"case_id": 2, "purpose": "other"},
            ],
        ),
    ]


def _name(
    id_: int, applicant_id: int, position: int, script: str, surname: str, given: str, pat: str
) -> dict[str, Any]:
    return {
        "id": id_,
        "applicant_id": applicant_id,
        "position": position,
        "script": script,
        "surname": surname,
        "given_names": given,
        "patronymic": pat,
        "search_key": surname.lower(),
    }


def test_the_migration_fills_in_the_keys(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0001")
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as connection:
        for table, rows in _rows_before_the_keys():
            connection.execute(meta.tables[table].insert(), rows)
    migrate.upgrade(engine, "0002")
    keys = "SELECT id, applicant_sort_key, purposes_sort_key FROM cases ORDER BY id"
    with engine.connect() as connection:
        assert [tuple(row) for row in connection.execute(text(keys))] == [
            (1, "Францкевіч Алесь Міхайлавіч", "bank_account,border_crossing"),
            (2, "Zhuk Volha", "other"),
            (3, "Жук Ольга", ""),
        ]
    assert cases.purposes_sort_key(["border_crossing", "bank_account"]) == (
        "bank_account,border_crossing"
    )
    # 0007 turns the names into collation keys: the same as the services store now.
    migrate.upgrade(engine, "0007")
    with engine.connect() as connection:
        assert [tuple(row) for row in connection.execute(text(keys))] == [
            (
                1,
                cases.applicant_sort_key(
                    [
                        ("latin_passport", "Frantskevich", "Ales", ""),
                        ("be", "Францкевіч", "Алесь", "Міхайлавіч"),
                    ]
                ),
                "bank_account,border_crossing",
            ),
            (2, sort_key("Zhuk Volha"), "other"),
            (3, sort_key("Жук Ольга"), ""),
        ]
    assert sort_key("Жук Ольга") != "Жук Ольга"
    # ...and going back down gives the plain names of 0002 again.
    migrate.downgrade(engine, "0006")
    with engine.connect() as connection:
        assert [row[1] for row in connection.execute(text(keys))] == [
            "Францкевіч Алесь Міхайлавіч",
            "Zhuk Volha",
            "Жук Ольга",
        ]
    migrate.downgrade(engine, "0001")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar() == 3
    engine.dispose()
