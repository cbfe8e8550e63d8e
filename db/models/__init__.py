"""All tables; importing this package registers every model on `Base.metadata`."""

from praverka.db.base import Base
from praverka.db.models.applicants import Applicant, ApplicantName
from praverka.db.models.audit import AuditEvent, AuditHead
from praverka.db.models.cases import Case, CasePurpose, Comment, Counter, ScreeningHit, Transition
from praverka.db.models.checklist import CaseChecklistItem, ChecklistItem, ChecklistTemplate
from praverka.db.models.documents import Document, DocumentScan, Scan
from praverka.db.models.letters import Letter, LetterCopy, Setting, SigningKeyRecord
from praverka.db.models.references import ContactAttempt, Reference
from praverka.db.models.users import User, UserRole

__all__ = [
    "Applicant",
    "ApplicantName",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Case",
    "CaseChecklistItem",
    "CasePurpose",
    "ChecklistItem",
    "ChecklistTemplate",
    "Comment",
    "ContactAttempt",
    "Counter",
    "Document",
    "DocumentScan",
    "Letter",
    "LetterCopy",
    "Reference",
    "Scan",
    "ScreeningHit",
    "Setting",
    "SigningKeyRecord",
    "Transition",
    "User",
    "UserRole",
]
