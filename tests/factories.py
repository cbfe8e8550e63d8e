"""Building cases through the services, as an officer at a desk would."""

from __future__ import annotations

from dataclasses import dataclass

from praverka.app import cases, records
from praverka.app.checklist import state
from praverka.app.context import Actor, AppContext
from praverka.app.identity.translit import to_passport_latin

MANUAL_ITEMS = ("interview_held", "photo_matches", "consent_recorded", "security_check_answered")


@dataclass
class CaseRef:
    id: int
    number: str
    version: int


def applicant(
    surname: str = "Францкевіч", given: str = "Алесь", patronymic: str = "Міхайлавіч"
) -> cases.ApplicantInput:
    return cases.ApplicantInput(
        names=[
            cases.NameInput("be", surname, given, patronymic),
            cases.NameInput(
                "latin_passport", to_passport_latin(surname, "be"), to_passport_latin(given, "be")
            ),
        ],
        birth_date="1987",
        sex="M",
        citizenship="BLR",
        phone="+380501234567",
        address="Kyiv, Khreshchatyk 1",
    )


def new_case(ctx: AppContext, officer: Actor, **kwargs: object) -> CaseRef:
    made = cases.create_case(
        ctx,
        officer,
        cases.CaseInput(applicant(**kwargs), purposes=["bank_account"]),  # type: ignore[arg-type]
    )
    return CaseRef(made.id, made.number, made.version)


def ready_case(ctx: AppContext, officer: Actor, **kwargs: object) -> CaseRef:
    """A draft whose required checklist is complete, ready to submit."""
    case = new_case(ctx, officer, **kwargs)
    _, case.version = records.add_document(
        ctx,
        officer,
        case.id,
        case.version,
        records.DocumentInput(
            "passport", "lost", number="MP1234567", note="Confiscated at the border in 2024"
        ),
    )
    for name in ("Ihar Bahdanovich", "Sviatlana Kazlova"):
        ref_id, case.version = records.add_reference(
            ctx,
            officer,
            case.id,
            case.version,
            records.ReferenceInput(name, "neighbour", "+380671112233", 10),
        )
        case.version = records.log_contact(ctx, officer, ref_id, case.version, "confirmed")
    for code in MANUAL_ITEMS:
        case.version = state.tick(ctx, officer, case.id, case.version, code, "seen in person")
    return case


def approved_case(ctx: AppContext, officer: Actor, supervisor: Actor, **kwargs: object) -> CaseRef:
    """A case prepared by `officer` and approved by `supervisor`, ready for its letter."""
    from praverka.app import workflow

    case = ready_case(ctx, officer, **kwargs)
    case.version = workflow.transition(ctx, officer, case.id, case.version, "submit")
    case.version = workflow.transition(ctx, supervisor, case.id, case.version, "approve")
    return case
