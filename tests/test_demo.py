"""Demo data: realistic, consistent with the services' rules, gapless, audited, and fenced off.

One database of a few hundred generated cases is shared by the read-only
checks of this module; tests that write make their own.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from praverka.app import audit, cases, demo, setup, users, workflow
from praverka.app.checklist.state import evaluate, unmet_required
from praverka.app.context import AppContext
from praverka.app.errors import InvalidInput
from praverka.app.identity.search import search_key
from praverka.db.enums import CaseStatus
from praverka.db.models import (
    Applicant,
    ApplicantName,
    AuditEvent,
    Case,
    Document,
    Reference,
    Transition,
    User,
)

CASES = 300
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
REVIEWED = (CaseStatus.IN_REVIEW, CaseStatus.APPROVED, CaseStatus.ATTESTED)
OPENS, CLOSES = dt.time(6), dt.time(17)  # office hours in UTC


def _context(url: str) -> AppContext:
    return AppContext(setup.open_database(url), clock=lambda: NOW)


@pytest.fixture
def demo_ctx(db_url: str) -> Iterator[AppContext]:
    """A new, empty database (no schema yet), on each backend the suite runs."""
    context = _context(db_url)
    yield context
    context.db.dispose()


@pytest.fixture(scope="module")
def populated(module_db_url: str) -> Iterator[tuple[AppContext, demo.DemoReport]]:
    context = _context(module_db_url)
    report = demo.populate(context, cases=CASES, seed=7)
    yield context, report
    context.db.dispose()


def _numbers(ctx: AppContext) -> list[str]:
    with ctx.db.read() as session:
        return list(session.scalars(select(Case.number).order_by(Case.id)))


def _assert_gapless(numbers: list[str]) -> None:
    by_year: dict[str, list[int]] = defaultdict(list)
    for number in numbers:
        year, serial = number.split("-")
        by_year[year].append(int(serial))
    for serials in by_year.values():
        assert serials == list(range(1, len(serials) + 1))


def test_every_status_appears_in_plausible_shares(
    populated: tuple[AppContext, demo.DemoReport],
) -> None:
    ctx, report = populated
    with ctx.db.read() as session:
        query = select(Case.status, func.count()).group_by(Case.status)
        counts = Counter({status: n for status, n in session.execute(query)})
    assert set(counts) == set(CaseStatus)
    assert sum(counts.values()) == CASES == report.cases
    assert 0.2 < counts[CaseStatus.DRAFT] / CASES < 0.5
    assert report.statuses == {status.value: n for status, n in counts.items()}
    assert "300 cases" in report.summary()


def test_numbers_are_gapless_in_created_order(
    populated: tuple[AppContext, demo.DemoReport],
) -> None:
    ctx, _ = populated
    _assert_gapless(_numbers(ctx))
    with ctx.db.read() as session:
        rows = session.execute(select(Case.number, Case.created_at).order_by(Case.id)).all()
    assert [r.created_at for r in rows] == sorted(r.created_at for r in rows)
    assert all(NOW - dt.timedelta(days=91) < r.created_at < NOW for r in rows)


def test_rows_satisfy_every_constraint(populated: tuple[AppContext, demo.DemoReport]) -> None:
    """The generator skips SQLite's CHECKs for speed; the rows must still pass all of them."""
    ctx, _ = populated
    with ctx.db.read() as session:
        if ctx.db.dialect == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert session.execute(text("PRAGMA ignore_check_constraints")).scalar() == 0
        # Every stored enum value reads back as a member (an unknown one raises).
        for model in (Case, Document, Transition, ApplicantName, Applicant):
            session.scalars(select(model)).all()
    if ctx.db.dialect == "sqlite":
        # The connection the generator used is back in the pool with its checks on.
        with ctx.db.engine.connect() as connection, pytest.raises(IntegrityError):
            connection.execute(text("UPDATE cases SET status = 'lost' WHERE id = 1"))


def test_audit_chain_verifies(populated: tuple[AppContext, demo.DemoReport]) -> None:
    ctx, report = populated
    result = audit.verify(ctx)
    assert result.ok, result.message()
    with ctx.db.read() as session:
        creates = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "case.create")
        )
        transitions = session.scalar(select(func.count()).select_from(Transition))
    assert creates == CASES
    assert report.audit_events == CASES + (transitions or 0)


def test_reviewed_cases_meet_their_checklist(populated: tuple[AppContext, demo.DemoReport]) -> None:
    ctx, _ = populated
    with ctx.db.read() as session:
        reviewed = session.scalars(select(Case).where(Case.status.in_(REVIEWED))).all()
        assert reviewed
        for case in reviewed:
            missing = unmet_required(evaluate(session, case))
            assert not missing, (case.number, case.status, [m.code for m in missing])


def test_histories_are_consistent(populated: tuple[AppContext, demo.DemoReport]) -> None:
    ctx, _ = populated
    with ctx.db.read() as session:
        supervisors = set(session.scalars(select(User.id).where(User.username.like("supervisor%"))))
        history: dict[int, list[Transition]] = defaultdict(list)
        for transition in session.scalars(select(Transition).order_by(Transition.id)):
            history[transition.case_id].append(transition)
        for case in session.scalars(select(Case)):
            steps = history[case.id]
            assert case.version >= 1 + len(steps)
            assert case.updated_at >= case.status_changed_at >= case.created_at
            assert case.updated_at <= NOW
            if not steps:
                assert case.status in (CaseStatus.DRAFT,)
                assert case.status_changed_at == case.created_at
                continue
            assert steps[0].from_status == CaseStatus.DRAFT
            assert steps[-1].to_status == case.status
            assert case.status_changed_at == steps[-1].at
            times = [case.created_at, *(step.at for step in steps)]
            assert all(OPENS <= moment.time() <= CLOSES for moment in times)
            assert times == sorted(times) and len(set(times)) == len(times)
            for before, after in itertools.pairwise(steps):
                assert before.to_status == after.from_status
            preparers = {case.preparer_id} | {
                s.actor_id for s in steps if s.to_status == CaseStatus.IN_REVIEW
            }
            for step in steps:
                if step.from_status == CaseStatus.IN_REVIEW and step.to_status in (
                    CaseStatus.APPROVED,
                    CaseStatus.DRAFT,
                    CaseStatus.REJECTED,
                ):
                    assert step.actor_id in supervisors and step.actor_id not in preparers
                    assert step.comment or step.to_status == CaseStatus.APPROVED


def test_applicants_have_every_spelling_with_search_keys(
    populated: tuple[AppContext, demo.DemoReport],
) -> None:
    ctx, _ = populated
    with ctx.db.read() as session:
        scripts: dict[int, set[str]] = defaultdict(set)
        for name in session.scalars(select(ApplicantName)):
            scripts[name.applicant_id].add(name.script.value)
            full = f"{name.surname} {name.given_names} {name.patronymic}"
            assert name.search_key and name.search_key == search_key(full)
        applicants = session.scalars(select(Applicant)).all()
        partial = sum(1 for a in applicants if a.birth_day is None)
        lost = session.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.kind == "passport", Document.seen_as.in_(("lost", "stolen")))
        )
        unexplained_loss = session.scalar(
            select(func.count())
            .select_from(Document)
            .join(Case, Case.id == Document.case_id)
            .where(
                Case.status.in_(REVIEWED),
                Document.seen_as.in_(("lost", "stolen")),
                Document.note == "",
            )
        )
        references = session.scalar(select(func.count()).select_from(Reference))
    assert len(applicants) == CASES
    assert all({"be", "ru", "latin_passport"} <= found for found in scripts.values())
    assert any("other" in found for found in scripts.values())
    assert 0.05 < partial / CASES < 0.3
    assert lost and unexplained_loss == 0
    assert references and references >= CASES
    assert {a.sex.value for a in applicants} == {"F", "M"}


def test_services_carry_on_after_demo_data(demo_ctx: AppContext) -> None:
    """Ids, versions and four eyes as the services expect: new cases and reviews just work."""
    ctx = demo_ctx
    demo.populate(ctx, cases=100)
    officer = users.actor_by_username(ctx, "officer1")
    created = cases.create_case(
        ctx,
        officer,
        cases.CaseInput(
            applicant=cases.ApplicantInput(names=[cases.NameInput("be", "Жук", "Ганна")]),
        ),
    )
    assert created.number.startswith(f"{NOW.year}-")
    with ctx.db.read() as session:
        waiting = session.scalars(
            select(Case).where(Case.status == CaseStatus.IN_REVIEW).order_by(Case.id)
        ).first()
        assert waiting is not None
        submitters = set(
            session.scalars(select(Transition.actor_id).where(Transition.case_id == waiting.id))
        )
    reviewer = next(
        users.actor_by_username(ctx, name)
        for name in ("supervisor1", "supervisor2")
        if users.actor_by_username(ctx, name).user_id not in submitters | {waiting.preparer_id}
    )
    workflow.transition(ctx, reviewer, waiting.id, waiting.version, "approve")
    assert audit.verify(ctx).ok


def test_second_run_adds_cases_and_stays_gapless(demo_ctx: AppContext) -> None:
    first = demo.populate(demo_ctx, cases=120, seed=3)
    second = demo.populate(demo_ctx, cases=80, seed=3)
    assert first.accounts_created == len(demo.DEMO_ACCOUNTS)
    assert second.accounts_created == 0
    numbers = _numbers(demo_ctx)
    assert len(numbers) == len(set(numbers)) == 200
    _assert_gapless(numbers)
    assert audit.verify(demo_ctx).ok
    with demo_ctx.db.read() as session:
        keys = list(
            session.scalars(select(ApplicantName.search_key).where(ApplicantName.applicant_id <= 3))
        )
        later = list(
            session.scalars(
                select(ApplicantName.search_key).where(ApplicantName.applicant_id.between(121, 123))
            )
        )
    assert keys != later  # a second run brings new people, not the first run's twins


def test_refuses_a_real_database(demo_ctx: AppContext) -> None:
    setup.initialise(
        demo_ctx, "chief", "Chief Administrator", "correct-horse-1", "signing-passphrase-1"
    )
    with pytest.raises(InvalidInput, match="not a demo database"):
        demo.populate(demo_ctx, cases=10)
    assert not setup.is_demo(demo_ctx)
    with demo_ctx.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(User)) == 1


def test_progress_can_cancel_between_batches(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "BATCH_SIZE", 50)  # batches of 10, then 50 each
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 60

    report = demo.populate(demo_ctx, cases=200, progress=progress)
    assert seen == [(10, 200), (60, 200)]
    assert report.cancelled and report.cases == 60
    _assert_gapless(_numbers(demo_ctx))
    assert len(_numbers(demo_ctx)) == 60
    assert audit.verify(demo_ctx).ok


def _fingerprint(ctx: AppContext) -> list[tuple[object, ...]]:
    with ctx.db.read() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(Case.number, Case.status, Case.created_at, ApplicantName.search_key)
                .join(ApplicantName, ApplicantName.applicant_id == Case.applicant_id)
                .order_by(ApplicantName.id)
            )
        ]


def test_same_seed_same_data_in_a_helper_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper process that big runs use prepares exactly what this process would."""
    here, there = (
        _context(f"sqlite:///{tmp_path / 'here.sqlite3'}"),
        _context(f"sqlite:///{tmp_path / 'there.sqlite3'}"),
    )
    monkeypatch.setattr(demo, "BATCH_SIZE", 60)
    demo.populate(here, cases=150, seed=11)
    monkeypatch.setattr(demo, "HELPER_MIN_CASES", 1)
    demo.populate(there, cases=150, seed=11)
    assert _fingerprint(here) == _fingerprint(there)
    assert audit.verify(there).ok
    for context in (here, there):
        context.db.dispose()


def test_helper_process_on_each_backend(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "BATCH_SIZE", 50)
    monkeypatch.setattr(demo, "HELPER_MIN_CASES", 1)
    report = demo.populate(demo_ctx, cases=120, seed=4)
    assert report.cases == len(_numbers(demo_ctx)) == 120
    _assert_gapless(_numbers(demo_ctx))
    assert audit.verify(demo_ctx).ok
    with demo_ctx.db.read() as session:
        for case in session.scalars(select(Case).where(Case.status.in_(REVIEWED))):
            assert not unmet_required(evaluate(session, case))


def test_numbers_restart_in_a_new_year(tmp_path: Path) -> None:
    ctx = AppContext(
        setup.open_database(f"sqlite:///{tmp_path / 'new-year.sqlite3'}"),
        clock=lambda: dt.datetime(2027, 1, 20, 12, 0, tzinfo=dt.UTC),
    )
    demo.populate(ctx, cases=150)
    with ctx.db.read() as session:
        rows = session.execute(select(Case.number, Case.created_at).order_by(Case.id)).all()
    assert {number[:4] for number, _ in rows} == {"2026", "2027"}
    assert all(number[:4] == str(created.year) for number, created in rows)
    _assert_gapless([number for number, _ in rows])
    ctx.db.dispose()
