"""Synthetic cases for demo databases: each case with its applicant, history and audit events.

A `BatchBuilder` turns case numbers and creation times into rows for every
table a case touches (see `demo_records.COLUMNS`), in the states the services
would have left them, plus the audit events they would have written.
Everything is drawn from the `random.Random` it is given, so a seed and a
batch offset reproduce the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from praverka.app import demo_text as t
from praverka.app.audit import canonical_json
from praverka.app.cases import applicant_sort_key, purposes_sort_key
from praverka.app.demo_names import NamePool, Person
from praverka.app.demo_records import (
    HOSTS,
    HOUR,
    WORKDAY,
    RecordRows,
    Staff,
    at,
    table,
    unchanged,
)

STATUSES = table(
    ("draft", 35), ("on_hold", 5), ("in_review", 15), ("approved", 10), ("attested", 20),
    ("rejected", 5), ("withdrawn", 10),
)  # fmt: skip
# The workflow actions that lead to each status; some cases take the long way round.
PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "draft": table(((), 70), (("submit", "return"), 15), (("hold", "resume"), 15)),
    "on_hold": table((("hold",), 85), (("hold", "resume", "hold"), 15)),
    "in_review": table((("submit",), 80), (("submit", "return", "submit"), 20)),
    "approved": table((("submit", "approve"), 85), (("submit", "return", "submit", "approve"), 15)),
    "attested": table(
        (("submit", "approve", "attest"), 85),
        (("submit", "return", "submit", "approve", "attest"), 15),
    ),
    "rejected": table((("submit", "reject"), 100)),
    "withdrawn": table(
        (("withdraw",), 60), (("submit", "withdraw"), 25), (("hold", "resume", "withdraw"), 15)
    ),
}
TARGET = {
    "submit": "in_review", "approve": "approved", "return": "draft", "reject": "rejected",
    "withdraw": "withdrawn", "hold": "on_hold", "resume": "draft", "attest": "attested",
}  # fmt: skip
REVIEW_ACTIONS = frozenset({"approve", "return", "reject"})
EARLY_STATUSES = frozenset({"draft", "on_hold", "withdrawn"})
PURPOSES = table(("legalisation", 45), ("bank_account", 30), ("border_crossing", 20), ("other", 5))
PRIORITIES = table((1, 80), (2, 10), (0, 5), (3, 5))
CITIZENSHIP = table(("BLR", 96), ("UKR", 2), ("XXA", 1), ("RUS", 1))
# Indexes into demo_text.COMMENTS["reject"] whose reasons leave traces in the data.
REJECT_WATCHLIST, REJECT_FALSE_DOCUMENT = 0, 1


# The fields of audit.EventData, in order: the writer links them into the chain.
EventRow = tuple[dt.datetime, int | None, str, str, str, str, int | None, str]

_TRANSITION_CHANGES: dict[tuple[str, str, str], str] = {}


def _transition_changes(source: str, target: str, comment: str) -> str:
    """The audit changes of a transition, as workflow.transition records them (few distinct)."""
    key = (source, target, comment)
    if key not in _TRANSITION_CHANGES:
        _TRANSITION_CHANGES[key] = canonical_json({"status": [source, target], "comment": comment})
    return _TRANSITION_CHANGES[key]


@dataclass(frozen=True)
class TemplateRef:
    id: int
    label: str  # "default v1", as the case.create event names it
    manual_codes: tuple[str, ...]


class BatchBuilder(RecordRows):
    """Rows and audit events for one batch of cases; ids continue from `next_ids`."""

    def __init__(
        self,
        rnd: random.Random,
        names: NamePool,
        staff: Staff,
        template: TemplateRef,
        now: float,
        next_ids: dict[str, int],
        stamp: Callable[[dt.datetime], Any] = unchanged,
    ) -> None:
        super().__init__(rnd, staff, next_ids, stamp)
        self.names = names
        self.template = template
        self.now = now
        self.events: list[EventRow] = []
        self.statuses: Counter[str] = Counter()
        self._recent: list[tuple[Person, int, int, str]] = []  # person, id, birth year, case
        self._known: list[int] = []  # earlier applicants of the batch, who can vouch
        self._family = -1  # the current applicant's surname, for their relatives
        # Four eyes: whoever prepared a case never reviews it.
        self._reviewers = {
            uid: tuple(s for s in staff.supervisors if s[0] != uid) for uid, _ in staff.supervisors
        }

    def add_case(self, number: str, created: float) -> None:
        """One case created at `created` (office time), with everything done to it since."""
        status: str = self._pick(STATUSES)
        age = self.now - created
        if age < WORKDAY and status not in EARLY_STATUSES:
            status = "draft"  # nothing is reviewed on the day it is registered
        path: tuple[str, ...] = self._pick(PATHS[status])
        complete = "submit" in path
        self.statuses[status] += 1

        staff = self.staff
        preparer = self._pick(staff.officers)
        if len(staff.supervisors) > 1 and self._random() < 0.1:
            preparer = self._pick(staff.supervisors)
        officer = preparer
        if preparer in staff.supervisors or self._random() < 0.15:
            officer = self._pick(staff.officers)
        reviewer = self._pick(self._reviewers.get(preparer[0], staff.supervisors))

        # When each transition happens, squeezed into the case's age if need be;
        # the work before the first one (calls, ticks) happens in the `prep` seconds.
        marks = [self._random() * 5.7 * WORKDAY + 0.3 * WORKDAY]
        for action in path[1:]:
            if action in REVIEW_ACTIONS:
                gap = 2 * HOUR + self._random() * (4 * WORKDAY - 2 * HOUR)
            elif action == "attest":
                gap = HOUR + self._random() * 2 * WORKDAY
            else:
                gap = (0.5 + self._random() * 7.5) * WORKDAY
            marks.append(marks[-1] + gap)
        scale = min(1.0, age * 0.97 / marks[-1])
        marks = [mark * scale for mark in marks]
        prep = marks[0]

        case_id = self._id("cases")
        created_at = at(created)
        created_value = self._stamp(created_at)
        year = created_at.year
        applicant_id, age_years, duplicate_of, snapshot, host = self._applicant(
            created_at, created_value, number
        )
        sort_key = applicant_sort_key(snapshot["names"])
        purposes = sorted({self._pick(PURPOSES) for _ in range(1 if self._random() < 0.7 else 2)})
        priority: int = self._pick(PRIORITIES)
        if "border_crossing" in purposes and priority == 1 and self._random() < 0.3:
            priority = 2  # evacuation dates do not wait
        self.rows["case_purposes"].extend([case_id, purpose] for purpose in purposes)

        reason = -1
        if status == "rejected":
            reason = self._below(0, len(t.COMMENTS["reject"]))
        false_document = reason == REJECT_FALSE_DOCUMENT
        person = (snapshot["sex"], snapshot["birth"][0], host)
        work = self.documents(case_id, created, year, person, complete, false_document)
        work += self.references(
            case_id,
            created,
            prep,
            officer[0],
            complete,
            self._reference_name,
            age_years,
            self._known,
        )
        self._known.append(applicant_id)
        work += self.checklist(
            case_id, created, prep, officer[0], complete, self.template.manual_codes
        )
        self.hits(case_id, created, prep, complete, duplicate_of, reason == REJECT_WATCHLIST)
        if self._random() < 0.15:
            body = self._pick(t.COMMENTS["note"])
            self.comment(case_id, officer[0], "note", self._moment(created + prep * 0.5), body)

        # What cases.create_case records.
        changes = canonical_json(
            {
                "number": number, "purposes": purposes, "priority": priority,
                "assigned_officer_id": officer[0], "checklist": self.template.label,
                "applicant": snapshot,
            }
        )  # fmt: skip
        entity = str(case_id)
        self.events.append(
            (created_at, preparer[0], preparer[1], "case.create", "case", entity, case_id, changes)
        )
        current, changed_at, changed_by = "draft", created_value, preparer
        for action, mark in zip(path, marks, strict=False):
            actor = reviewer if action in REVIEW_ACTIONS else officer
            when = at(created + mark)
            stamped = self._stamp(when)
            comment = ""
            if action in t.COMMENTS:
                choices = t.COMMENTS[action]
                comment = choices[reason] if action == "reject" else self._pick(choices)
                self.comment(case_id, actor[0], action, stamped, comment)
            target = TARGET[action]
            transition_id = self._id("transitions")
            self.rows["transitions"].append(
                [transition_id, case_id, current, target, actor[0], stamped, comment]
            )
            changes = _transition_changes(current, target, comment)
            self.events.append(
                (when, actor[0], actor[1], f"case.{action}", "case", entity, case_id, changes)
            )
            current, changed_at, changed_by = target, stamped, actor
            work += 1
        updated_at, updated_by = changed_at, changed_by
        if not path and work:
            # A draft was last changed by the officer's latest piece of work on it.
            updated_at, updated_by = self._moment(created + prep), officer
        self.rows["cases"].append(
            [
                case_id, number, applicant_id, status, priority, officer[0], preparer[0],
                self.template.id, created_value, updated_at, updated_by[0], changed_at, 1 + work,
                sort_key, purposes_sort_key(purposes),
            ]
        )  # fmt: skip

    def _reference_name(self, sex: str, relative: bool) -> str:
        return self.names.reference_name(self.rnd, sex, self._family if relative else -1)

    def _applicant(
        self, created: dt.datetime, created_value: Any, number: str
    ) -> tuple[int, int, tuple[int, str] | None, dict[str, Any], str]:
        """The applicant's row and names.

        Returns the id, the age, a duplicate's (applicant id, case number), the
        snapshot the audit event records, and the country they live in now.
        """
        applicant_id = self._id("applicants")
        year_now = created.year
        age = int(self.rnd.triangular(18, 78, 34))
        duplicate_of = None
        if self._recent and self._random() < 0.02:
            # The same person registered twice: what the duplicate screening is for.
            person, other_id, year, other_case = self._pick(self._recent[-200:])
            age, duplicate_of = year_now - year, (other_id, other_case)
        else:
            person = self.names.person(self.rnd, "F" if self._random() < 0.52 else "M")
            year = year_now - age
        month: int | None = self._below(1, 13)
        day: int | None = self._below(1, 29)
        precision = self._random()
        if precision < 0.10:
            month = day = None
        elif precision < 0.15:
            day = None
        country = self._pick(HOSTS)
        email = ""
        if self._random() < 0.45:
            local = f"{person.latin_given}.{person.latin_surname}{self._below(1, 100)}".lower()
            local = local.encode("ascii", "ignore").decode().replace(" ", "").replace("'", "")
            email = f"{local}@{self._pick(t.EMAIL_DOMAINS)}"
        fields = {
            "sex": person.sex, "citizenship": self._pick(CITIZENSHIP),
            "phone": self.phone(country), "email": email, "address": self.address(country),
        }  # fmt: skip
        self.rows["applicants"].append(
            [applicant_id, year, month, day, *fields.values(), created_value]
        )
        names = self.rows["applicant_names"]
        for position, (script, surname, given, patronymic, key) in enumerate(person.names):
            names.append(
                [self._id("applicant_names"), applicant_id, position, script, surname, given,
                 patronymic, key]
            )  # fmt: skip
        self._recent.append((person, applicant_id, year, number))
        snapshot = {
            "names": [[script, sur, giv, pat] for script, sur, giv, pat, _ in person.names],
            "birth": [year, month, day],
            **fields,
        }
        self._family = person.family
        return applicant_id, age, duplicate_of, snapshot, country
