"""Cases and applicants: intake, editing with optimistic locking, listing and showing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from praverka.app import audit
from praverka.app.case_access import get_case, lock_case, require_editable, touch
from praverka.app.checklist import templates
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound
from praverka.app.i18n import _
from praverka.app.identity.dates import PartialDate
from praverka.app.identity.dates import parse as parse_partial_date
from praverka.app.identity.search import search_key
from praverka.app.numbering import case_number
from praverka.app.users import require_role
from praverka.app.validation import choice
from praverka.db.collation import sort_key
from praverka.db.enums import CaseStatus, NameScript, Priority, Purpose, Role, Sex
from praverka.db.models import Applicant, ApplicantName, Case, CasePurpose, User

MAX_NAME = 200
COUNTRY_LEN = 3
SORT_KEY_LEN = 600
NATIVE_SCRIPTS = (NameScript.BELARUSIAN, NameScript.RUSSIAN)


@dataclass(frozen=True)
class NameInput:
    script: str
    surname: str
    given_names: str
    patronymic: str = ""


@dataclass(frozen=True)
class ApplicantInput:
    names: Sequence[NameInput]
    birth_date: str = ""  # "1987", "03.1987", "14.03.1987", ISO forms too
    sex: str = "X"
    citizenship: str = "BLR"
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class CaseInput:
    applicant: ApplicantInput
    purposes: Sequence[str] = field(default_factory=lambda: ["other"])
    priority: int = Priority.NORMAL
    assigned_officer: str | None = None  # user name; None assigns the creator


@dataclass(frozen=True)
class CreatedCase:
    id: int
    number: str
    version: int


# ----------------------------------------------------------------- validation


def _clean_names(names: Sequence[NameInput]) -> list[tuple[NameScript, str, str, str]]:
    if not names:
        raise InvalidInput(_("An applicant needs at least one name."))
    cleaned = []
    for name in names:
        script = choice(NameScript, name.script, _("Name script"))
        surname, given = name.surname.strip(), name.given_names.strip()
        patronymic = name.patronymic.strip()
        if not surname or not given:
            raise InvalidInput(_("Each name needs a surname and a given name."))
        if max(len(surname), len(given), len(patronymic)) > MAX_NAME:
            raise InvalidInput(_("A name part is longer than {n} characters.").format(n=MAX_NAME))
        cleaned.append((script, surname, given, patronymic))
    return cleaned


def _birth_date(text: str) -> PartialDate | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_partial_date(text)
    except ValueError as exc:
        raise InvalidInput(_("Date of birth: {problem}").format(problem=exc)) from None


def _applicant_fields(data: ApplicantInput) -> dict[str, object]:
    birth = _birth_date(data.birth_date)
    sex = choice(Sex, data.sex or "X", _("Sex"))
    citizenship = data.citizenship.strip().upper()
    if len(citizenship) != COUNTRY_LEN or not citizenship.isalpha() or not citizenship.isascii():
        raise InvalidInput(_("Citizenship is a three-letter country code such as BLR or UKR."))
    return {
        "birth_year": birth.year if birth else None,
        "birth_month": birth.month if birth else None,
        "birth_day": birth.day if birth else None,
        "sex": sex,
        "citizenship": citizenship,
        "phone": data.phone.strip()[:64],
        "email": data.email.strip()[:200],
        "address": data.address.strip(),
    }


def _purposes(values: Sequence[str]) -> list[Purpose]:
    purposes = sorted({choice(Purpose, v, _("Purpose")) for v in values})
    if not purposes:
        raise InvalidInput(_("A case needs at least one purpose."))
    return purposes


def _priority(value: int) -> int:
    try:
        return int(Priority(value))
    except ValueError:
        raise InvalidInput(_("Priority is 0 (low) to 3 (urgent).")) from None


def _user_id(session: Session, username: str) -> int:
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active:
        raise NotFound(_("There is no active user {name!r}.").format(name=username))
    return user.id


def _name_rows(names: list[tuple[NameScript, str, str, str]]) -> list[ApplicantName]:
    return [
        ApplicantName(
            position=position,
            script=script,
            surname=surname,
            given_names=given,
            patronymic=patronymic,
            search_key=search_key(f"{surname} {given} {patronymic}")[:600],
        )
        for position, (script, surname, given, patronymic) in enumerate(names)
    ]


def applicant_sort_key(names: Sequence[tuple[str, str, str, str]]) -> str:
    """What the queue sorts the applicant column by: the name it shows first, as a
    collation key (see praverka.db.collation) so plain order is alphabetical.

    `names` are (script, surname, given names, patronymic) in their order: the
    first Cyrillic name as the queue reads it, or else the passport's Latin one.
    """
    for script, surname, given, patronymic in names:
        if script in NATIVE_SCRIPTS:
            return sort_key(f"{surname} {given} {patronymic}".strip(" "))[:SORT_KEY_LEN]
    for script, surname, given, _patronymic in names:
        if script == NameScript.LATIN_PASSPORT:
            return sort_key(f"{surname} {given}")[:SORT_KEY_LEN]
    return ""


def purposes_sort_key(purposes: Sequence[str]) -> str:
    """What the queue sorts the purposes column by: the purpose codes in order."""
    return ",".join(sorted({str(p) for p in purposes}))


def _applicant_snapshot(applicant: Applicant) -> dict[str, object]:
    return {
        "names": [
            [n.script.value, n.surname, n.given_names, n.patronymic] for n in applicant.names
        ],
        "birth": [applicant.birth_year, applicant.birth_month, applicant.birth_day],
        "sex": applicant.sex.value,
        "citizenship": applicant.citizenship,
        "phone": applicant.phone,
        "email": applicant.email,
        "address": applicant.address,
    }


# ----------------------------------------------------------------- services


def create_case(ctx: AppContext, actor: Actor, data: CaseInput) -> CreatedCase:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    names = _clean_names(data.applicant.names)
    fields = _applicant_fields(data.applicant)
    purposes = _purposes(data.purposes)
    priority = _priority(data.priority)
    now = ctx.now()
    with ctx.db.write() as session:
        officer_id = (
            _user_id(session, data.assigned_officer) if data.assigned_officer else actor.user_id
        )
        applicant = Applicant(created_at=now, names=_name_rows(names), **fields)
        session.add(applicant)
        template = templates.current_template(session)
        case = Case(
            number=case_number(session, now.year),
            applicant=applicant,
            status=CaseStatus.DRAFT,
            priority=priority,
            assigned_officer_id=officer_id,
            preparer_id=actor.user_id,
            checklist_template_id=template.id,
            created_at=now,
            updated_at=now,
            updated_by_id=actor.user_id,
            status_changed_at=now,
            purposes=[CasePurpose(purpose=p) for p in purposes],
            applicant_sort_key=applicant_sort_key(names),
            purposes_sort_key=purposes_sort_key(purposes),
        )
        session.add(case)
        session.flush()
        audit.record(
            session,
            now,
            actor,
            "case.create",
            "case",
            case.id,
            case_id=case.id,
            changes={
                "number": case.number,
                "purposes": [p.value for p in purposes],
                "priority": priority,
                "assigned_officer_id": officer_id,
                "checklist": f"{template.code} v{template.version}",
                "applicant": _applicant_snapshot(applicant),
            },
        )
        return CreatedCase(case.id, case.number, case.version)


def _apply_applicant(
    session: Session,
    case: Case,
    actor: Actor,
    now: dt.datetime,
    names: list[tuple[NameScript, str, str, str]],
    fields: dict[str, object],
) -> None:
    applicant = case.applicant
    before = _applicant_snapshot(applicant)
    for key, value in fields.items():
        setattr(applicant, key, value)
    current = [(n.script, n.surname, n.given_names, n.patronymic) for n in applicant.names]
    if current != names:
        applicant.names.clear()
        session.flush()
        applicant.names.extend(_name_rows(names))
        # Every case of this applicant, so none sorts under the old name.
        session.execute(
            update(Case)
            .where(Case.applicant_id == applicant.id)
            .values(applicant_sort_key=applicant_sort_key(names))
        )
    changes = audit.diff(before, _applicant_snapshot(applicant))
    if changes:
        touch(case, actor, now)
        audit.record(
            session,
            now,
            actor,
            "applicant.update",
            "applicant",
            applicant.id,
            case_id=case.id,
            changes=changes,
        )


def _apply_case_fields(
    session: Session,
    case: Case,
    actor: Actor,
    now: dt.datetime,
    purposes: list[Purpose] | None,
    priority: int | None,
) -> None:
    before = {"purposes": [p.purpose.value for p in case.purposes], "priority": case.priority}
    if purposes is not None and [p.purpose for p in case.purposes] != purposes:
        case.purposes.clear()
        session.flush()
        case.purposes.extend(CasePurpose(purpose=p) for p in purposes)
        case.purposes_sort_key = purposes_sort_key(purposes)
    if priority is not None:
        case.priority = priority
    after = {
        "purposes": [p.value for p in purposes] if purposes is not None else before["purposes"],
        "priority": case.priority,
    }
    changes = audit.diff(before, after)
    if changes:
        touch(case, actor, now)
        audit.record(
            session, now, actor, "case.update", "case", case.id, case_id=case.id, changes=changes
        )


def update_applicant(
    ctx: AppContext, actor: Actor, case_id: int, expected_version: int, data: ApplicantInput
) -> int:
    """Replace the applicant's details; returns the case's new version."""
    return save_case(ctx, actor, case_id, expected_version, applicant=data)


def update_case(
    ctx: AppContext,
    actor: Actor,
    case_id: int,
    expected_version: int,
    *,
    purposes: Sequence[str] | None = None,
    priority: int | None = None,
) -> int:
    return save_case(ctx, actor, case_id, expected_version, purposes=purposes, priority=priority)


def save_case(
    ctx: AppContext,
    actor: Actor,
    case_id: int,
    expected_version: int,
    *,
    applicant: ApplicantInput | None = None,
    purposes: Sequence[str] | None = None,
    priority: int | None = None,
) -> int:
    """Save the applicant's details and the case's purposes and priority in one transaction.

    Everything is checked before anything is written, so a refusal leaves the
    case as it was.  Returns the case's new version (unchanged if nothing changed).
    """
    names = _clean_names(applicant.names) if applicant is not None else None
    fields = _applicant_fields(applicant) if applicant is not None else None
    new_purposes = _purposes(purposes) if purposes is not None else None
    new_priority = _priority(priority) if priority is not None else None
    now = ctx.now()
    with ctx.db.write() as session:
        case = lock_case(session, case_id, expected_version)
        require_editable(case, actor)
        if names is not None and fields is not None:
            _apply_applicant(session, case, actor, now, names, fields)
        _apply_case_fields(session, case, actor, now, new_purposes, new_priority)
        session.flush()
        return case.version


def assign(ctx: AppContext, actor: Actor, case_ids: Sequence[int], officer: str) -> int:
    """Assign cases to an officer (supervisor only); returns how many changed."""
    require_role(actor, Role.SUPERVISOR)
    now = ctx.now()
    changed = 0
    with ctx.db.write() as session:
        officer_id = _user_id(session, officer)
        # Lock every case before the first audit event takes the audit head, and in one
        # order: locking them one by one while holding the head deadlocks with desks
        # that hold one of these cases and wait for the head.
        for case_id in sorted(set(case_ids)):
            get_case(session, case_id, for_update=True)
        for case_id in case_ids:
            case = get_case(session, case_id, for_update=True)
            if case.assigned_officer_id == officer_id:
                continue
            before = case.assigned_officer_id
            case.assigned_officer_id = officer_id
            touch(case, actor, now)
            audit.record(
                session,
                now,
                actor,
                "case.assign",
                "case",
                case.id,
                case_id=case.id,
                changes={"assigned_officer_id": [before, officer_id]},
            )
            changed += 1
    return changed


def find_case_id(ctx: AppContext, number_or_id: str) -> int:
    text = number_or_id.strip()
    with ctx.db.read() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == text))
        if case_id is None and text.isdigit():
            case_id = session.scalar(select(Case.id).where(Case.id == int(text)))
    if case_id is None:
        raise NotFound(_("There is no case {number}.").format(number=text))
    return case_id


def require_case_editable(ctx: AppContext, actor: Actor, case_id: int) -> None:
    with ctx.db.read() as session:
        require_editable(get_case(session, case_id), actor)
