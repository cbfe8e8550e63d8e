"""Reading cases: the filtered, sorted queue and one case in full (its opening is audited)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from praverka.app import audit
from praverka.app.case_access import get_case
from praverka.app.checklist.state import evaluate
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput
from praverka.app.i18n import _
from praverka.app.identity.search import search_prefix
from praverka.app.timeline import case_timeline, describe_document
from praverka.app.views import (
    ApplicantView,
    CaseDetail,
    CaseSummary,
    ContactAttemptView,
    DocumentView,
    NameView,
    ReferenceView,
)
from praverka.db.enums import CaseStatus, NameScript, Purpose
from praverka.db.models import (
    Applicant,
    ApplicantName,
    Case,
    CasePurpose,
    ChecklistTemplate,
    ContactAttempt,
    Document,
    DocumentScan,
    Reference,
    User,
)

SORTS = ("age", "number", "status", "priority", "updated", "applicant", "officer", "purposes")


@dataclass(frozen=True)
class CaseFilter:
    statuses: Sequence[str] = ()
    purpose: str | None = None
    officer_id: int | None = None
    min_age_days: int | None = None
    sort: str = "age"  # oldest first
    descending: bool = False


def native_name_column() -> ColumnElement[str]:
    """The first Cyrillic name of the case's applicant, as the queue shows it (a subquery)."""
    n = aliased(ApplicantName)
    return (
        select(func.trim(n.surname + " " + n.given_names + " " + n.patronymic))
        .where(
            n.applicant_id == Case.applicant_id,
            n.script.in_([NameScript.BELARUSIAN, NameScript.RUSSIAN]),
        )
        .order_by(n.position)
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )


def latin_name_column() -> ColumnElement[str]:
    """The first Latin (passport) name of the case's applicant, as the queue shows it."""
    n = aliased(ApplicantName)
    return (
        select(n.surname + " " + n.given_names)
        .where(n.applicant_id == Case.applicant_id, n.script == NameScript.LATIN_PASSPORT)
        .order_by(n.position)
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )


def _conditions(flt: CaseFilter, now: dt.datetime) -> list[ColumnElement[bool]]:
    """The filter's conditions on cases, all but the purpose (see `_purpose`)."""
    conditions: list[ColumnElement[bool]] = []
    if flt.statuses:
        try:
            statuses = [CaseStatus(s) for s in flt.statuses]
        except ValueError:
            raise InvalidInput(
                _("Unknown status; statuses are {valid}.").format(
                    valid=", ".join(s.value for s in CaseStatus)
                )
            ) from None
        conditions.append(Case.status.in_(statuses))
    if flt.officer_id is not None:
        conditions.append(Case.assigned_officer_id == flt.officer_id)
    if flt.min_age_days is not None:
        conditions.append(Case.created_at <= now - dt.timedelta(days=flt.min_age_days))
    return conditions


def _purpose(flt: CaseFilter) -> Purpose | None:
    if not flt.purpose:
        return None
    try:
        return Purpose(flt.purpose)
    except ValueError:
        raise InvalidInput(_("Unknown purpose {p!r}.").format(p=flt.purpose)) from None


def filtered_ids(flt: CaseFilter, now: dt.datetime) -> Select[int]:
    """The ids of matching cases in display order: what a lazy table model pages over."""
    stmt = select(Case.id)
    conditions = _conditions(flt, now)
    purpose = _purpose(flt)
    if purpose is not None:
        # EXISTS rather than IN: under a LIMIT the database walks the index the
        # order comes from and looks each case's purpose up, stopping early,
        # instead of sorting every case that has the purpose.
        conditions.append(
            exists().where(CasePurpose.case_id == Case.id, CasePurpose.purpose == purpose)
        )
    if conditions:
        stmt = stmt.where(and_(*conditions))
    if flt.sort not in SORTS:
        raise InvalidInput(_("Sort by one of {valid}.").format(valid=", ".join(SORTS)))
    column: Any
    if flt.sort == "officer":
        # By the officer's name, an officer's cases together, oldest first:
        # the order `officer_sorted_head` reads from an index an officer at a
        # time.  Unassigned cases come first (last when descending) on
        # SQLite and PostgreSQL alike.
        officer = aliased(User)
        stmt = stmt.outerjoin(officer, officer.id == Case.assigned_officer_id)
        if flt.descending:
            return stmt.order_by(
                officer.full_name.desc().nulls_last(),
                officer.id.desc(),
                Case.created_at.desc(),
                Case.id.desc(),
            )
        return stmt.order_by(
            officer.full_name.asc().nulls_first(),
            officer.id.asc(),
            Case.created_at.asc(),
            Case.id.asc(),
        )
    else:
        # The applicant and purposes keys are stored copies of what the queue
        # shows (see app/cases.py), indexed like the other columns.
        column = {
            "age": Case.created_at,
            "number": Case.number,
            "status": Case.status,
            "priority": Case.priority,
            "updated": Case.updated_at,
            "applicant": Case.applicant_sort_key,
            "purposes": Case.purposes_sort_key,
        }[flt.sort]
    # "age" ascending means oldest first, i.e. created_at ascending.  Ties go
    # by id in the same direction, so an index on (key, id) serves either way.
    if flt.descending:
        return stmt.order_by(column.desc(), Case.id.desc())
    return stmt.order_by(column.asc(), Case.id.asc())


def officer_sorted_head(
    session: Session, flt: CaseFilter, now: dt.datetime, limit: int
) -> list[int]:
    """The first `limit` ids of `filtered_ids` for a sort by officer, read an officer at a time.

    Sorting every case by its officer's name is a join and a sort of the
    whole table, too slow for a click at 100,000 cases; the first page
    belongs to the first officer or two, whose cases an index gives in order.
    """
    by_age = filtered_ids(replace(flt, sort="age"), now)
    order = (User.full_name.desc(), User.id.desc()) if flt.descending else (User.full_name, User.id)
    officers: list[int | None] = list(session.scalars(select(User.id).order_by(*order)))
    officers = [*officers, None] if flt.descending else [None, *officers]
    ids: list[int] = []
    for officer_id in officers:
        if officer_id is None:
            theirs = by_age.where(Case.assigned_officer_id.is_(None))
        else:
            theirs = by_age.where(Case.assigned_officer_id == officer_id)
        ids += session.scalars(theirs.limit(limit - len(ids)))
        if len(ids) >= limit:
            break
    return ids


def filtered_count(flt: CaseFilter, now: dt.datetime) -> Select[int]:
    """How many cases `filtered_ids` lists, counted without its order or joins."""
    conditions = _conditions(flt, now)
    purpose = _purpose(flt)
    if purpose is None:
        return select(func.count()).select_from(Case).where(*conditions)
    # Counted along the purposes' own index, joined to the cases only when
    # other conditions need them.
    stmt = select(func.count()).select_from(CasePurpose).where(CasePurpose.purpose == purpose)
    if conditions:
        stmt = stmt.join(Case, Case.id == CasePurpose.case_id).where(*conditions)
    return stmt


@functools.cache
def _summary_statements() -> tuple[Select[*tuple[Any, ...]], Select[int, Purpose]]:
    """The two SELECTs behind `summaries`, built once.

    The queue reads a page of rows as it scrolls: building these statements
    (aliases, correlated subqueries) and working out their cache keys anew
    for every page cost several times what the database takes to answer them.
    """
    officer = aliased(User)
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    rows = (
        select(
            Case.id,
            Case.number,
            Case.status,
            Case.priority,
            Case.created_at,
            Case.status_changed_at,
            Case.version,
            native_name_column(),
            latin_name_column(),
            officer.full_name,
        )
        .outerjoin(officer, officer.id == Case.assigned_officer_id)
        .where(Case.id.in_(ids))
    )
    purposes = select(CasePurpose.case_id, CasePurpose.purpose).where(CasePurpose.case_id.in_(ids))
    return rows, purposes


def summaries(session: Session, ids: Sequence[int], now: dt.datetime) -> list[CaseSummary]:
    """Rows for the given ids, in the order given."""
    if not ids:
        return []
    select_rows, select_purposes = _summary_statements()
    connection = session.connection()
    wanted = {"ids": list(ids)}
    rows = connection.execute(select_rows, wanted).all()
    purposes: dict[int, list[str]] = {}
    for case_id, purpose in connection.execute(select_purposes, wanted):
        purposes.setdefault(case_id, []).append(purpose.value)
    by_id = {
        row[0]: CaseSummary(
            id=row[0],
            number=row[1],
            status=row[2].value,
            priority=row[3],
            purposes=tuple(sorted(purposes.get(row[0], []))),
            applicant_native=row[7] or "",
            applicant_latin=row[8] or "",
            assigned_officer=row[9] or "",
            created_at=row[4],
            status_changed_at=row[5],
            age_days=max(0, (now - row[4]).days),
            version=row[6],
        )
        for row in rows
    }
    return [by_id[i] for i in ids if i in by_id]


def list_cases(
    ctx: AppContext, flt: CaseFilter, *, limit: int = 100, offset: int = 0
) -> list[CaseSummary]:
    now = ctx.now()
    with ctx.db.read() as session:
        ids = list(session.scalars(filtered_ids(flt, now).limit(limit).offset(offset)))
        return summaries(session, ids, now)


def count_cases(ctx: AppContext, flt: CaseFilter) -> int:
    with ctx.db.read() as session:
        return session.scalar(filtered_count(flt, ctx.now())) or 0


def count_by_status(ctx: AppContext) -> dict[str, int]:
    with ctx.db.read() as session:
        return {
            status.value: count
            for status, count in session.execute(
                select(Case.status, func.count()).group_by(Case.status)
            )
        }


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` starts with `prefix`, as a range test an ordinary index can answer.

    (SQLite's LIKE is case-insensitive and PostgreSQL's depends on the
    collation, so neither uses a plain index for LIKE 'x%'.)  Keys are
    lower-case ASCII, so the character after the prefix's last one bounds it.
    """
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def search_ids(session: Session, typed: str, limit: int = 200) -> list[int]:
    """Cases whose number, a document number, or any spelling of a name starts with `typed`.

    Names are compared by their spelling-insensitive key, so "Францкевич",
    "Frantzkevych" and "Frants" (typed so far) all find Францкевіч.
    """
    typed = typed.strip()
    if not typed:
        return []
    name_key = search_prefix(typed)
    by_name = (
        select(Case.id)
        .join(ApplicantName, ApplicantName.applicant_id == Case.applicant_id)
        .where(_prefix_range(ApplicantName.search_key, name_key) if name_key else false())
    )
    number = typed.upper().replace(" ", "")
    by_number = select(Case.id).where(
        or_(
            _prefix_range(Case.number, number),
            Case.number.like("%-" + _like_prefix(number), escape="\\"),
        )
    )
    by_document = select(Document.case_id).where(_prefix_range(Document.number, number))
    union = by_name.union(by_number, by_document).limit(limit)
    return list(session.scalars(union))


def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(wanted))).all())


def _applicant_view(applicant: Applicant) -> ApplicantView:
    if applicant.birth_year is None:
        birth = ""
    elif applicant.birth_month is None:
        birth = f"{applicant.birth_year:04d}"
    elif applicant.birth_day is None:
        birth = f"{applicant.birth_year:04d}-{applicant.birth_month:02d}"
    else:
        birth = f"{applicant.birth_year:04d}-{applicant.birth_month:02d}-{applicant.birth_day:02d}"
    return ApplicantView(
        id=applicant.id,
        names=tuple(
            NameView(n.script.value, n.surname, n.given_names, n.patronymic)
            for n in applicant.names
        ),
        birth_date=birth,
        sex=applicant.sex.value,
        citizenship=applicant.citizenship,
        phone=applicant.phone,
        email=applicant.email,
        address=applicant.address,
    )


def _detail(session: Session, case: Case, now: dt.datetime) -> CaseDetail:
    documents = list(
        session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id))
    )
    scans: dict[int, list[int]] = {}
    if documents:
        for doc_id, scan_id in session.execute(
            select(DocumentScan.document_id, DocumentScan.scan_id)
            .where(DocumentScan.document_id.in_([d.id for d in documents]))
            .order_by(DocumentScan.position, DocumentScan.id)
        ):
            scans.setdefault(doc_id, []).append(scan_id)
    references = list(
        session.scalars(
            select(Reference).where(Reference.case_id == case.id).order_by(Reference.id)
        )
    )
    attempts: dict[int, list[ContactAttempt]] = {}
    if references:
        for attempt in session.scalars(
            select(ContactAttempt)
            .where(ContactAttempt.reference_id.in_([r.id for r in references]))
            .order_by(ContactAttempt.at, ContactAttempt.id)
        ):
            attempts.setdefault(attempt.reference_id, []).append(attempt)
    names = _user_names(
        session,
        {case.preparer_id, case.updated_by_id, case.assigned_officer_id}
        | {a.by_user_id for atts in attempts.values() for a in atts},
    )
    checklist = tuple(evaluate(session, case))
    timeline = case_timeline(
        session,
        case.id,
        documents={d.id: describe_document(d.kind.value, d.number) for d in documents},
        references={r.id: r.name for r in references},
        checklist_items={item.code: item.text for item in checklist},
    )
    template = session.get(ChecklistTemplate, case.checklist_template_id)
    summary = summaries(session, [case.id], now)[0]
    return CaseDetail(
        summary=summary,
        applicant=_applicant_view(case.applicant),
        preparer=names.get(case.preparer_id, "?"),
        updated_by=names.get(case.updated_by_id, "?"),
        updated_at=case.updated_at,
        checklist_template=f"{template.code} v{template.version}" if template else "",
        documents=tuple(
            DocumentView(
                d.id,
                d.kind.value,
                d.number,
                d.issuing_country,
                d.issuing_authority,
                d.issue_date,
                d.expiry_date,
                d.seen_as.value,
                d.verification.value,
                d.note,
                tuple(scans.get(d.id, [])),
            )
            for d in documents
        ),
        references=tuple(
            ReferenceView(
                r.id,
                r.name,
                r.relationship,
                r.contact,
                r.years_known,
                r.confirmed,
                r.linked_applicant_id,
                r.note,
                tuple(
                    ContactAttemptView(
                        a.id,
                        a.at,
                        names.get(a.by_user_id, "?"),
                        a.channel,
                        a.outcome.value,
                        a.note,
                    )
                    for a in attempts.get(r.id, [])
                ),
            )
            for r in references
        ),
        checklist=checklist,
        timeline=timeline,
    )


def case_detail(ctx: AppContext, case_id: int) -> CaseDetail:
    """Everything about one case, re-read by a desk that already has it open (not audited again)."""
    now = ctx.now()
    with ctx.db.read() as session:
        return _detail(session, get_case(session, case_id), now)


def open_case(ctx: AppContext, actor: Actor, case_id: int) -> CaseDetail:
    """Everything about one case; the opening itself is an audit event."""
    now = ctx.now()
    with ctx.db.write() as session:
        case = get_case(session, case_id)
        detail = _detail(session, case, now)
        # Recorded after the reading, so the chain's lock is held only for the write.
        audit.record(session, now, actor, "case.open", "case", case.id, case_id=case.id)
        return detail
