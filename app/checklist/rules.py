"""Evaluated checklist items: each rule reads the case's facts and says whether, and why not."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from praverka.app.i18n import _
from praverka.db.enums import DocumentKind, HitKind, HitStatus, SeenAs, Verification

IDENTITY_KINDS = frozenset(
    {DocumentKind.PASSPORT, DocumentKind.NATIONAL_ID, DocumentKind.RESIDENCE_PERMIT}
)


@dataclass(frozen=True)
class DocumentFact:
    kind: DocumentKind
    seen_as: SeenAs
    verification: Verification
    note: str


@dataclass(frozen=True)
class ReferenceFact:
    confirmed: bool


@dataclass(frozen=True)
class HitFact:
    kind: HitKind
    status: HitStatus


@dataclass(frozen=True)
class CaseFacts:
    documents: tuple[DocumentFact, ...]
    references: tuple[ReferenceFact, ...]
    hits: tuple[HitFact, ...]


@dataclass(frozen=True)
class RuleResult:
    met: bool
    reason: str = ""  # why it is not met, for the officer


Rule = Callable[[CaseFacts, Mapping[str, Any]], RuleResult]


def identity_document(facts: CaseFacts, params: Mapping[str, Any]) -> RuleResult:
    identity = [d for d in facts.documents if d.kind in IDENTITY_KINDS]
    if any(
        d.seen_as in (SeenAs.ORIGINAL, SeenAs.COPY) and d.verification == Verification.VERIFIED
        for d in identity
    ):
        return RuleResult(True)
    if any(d.seen_as in (SeenAs.LOST, SeenAs.STOLEN) and d.note.strip() for d in identity):
        return RuleResult(True)
    if any(d.verification == Verification.FALSE for d in identity):
        return RuleResult(False, _("An identity document was found to be false."))
    if not identity:
        return RuleResult(False, _("No passport, national ID card or residence permit recorded."))
    if any(d.seen_as in (SeenAs.LOST, SeenAs.STOLEN) for d in identity):
        return RuleResult(False, _("A lost or stolen identity document needs an explanation."))
    return RuleResult(False, _("No identity document has been verified yet."))


def references_confirmed(facts: CaseFacts, params: Mapping[str, Any]) -> RuleResult:
    wanted = int(params.get("min", 2))
    confirmed = sum(1 for r in facts.references if r.confirmed)
    if confirmed >= wanted:
        return RuleResult(True)
    return RuleResult(
        False,
        _("{have} of {want} references confirmed ({total} recorded).").format(
            have=confirmed, want=wanted, total=len(facts.references)
        ),
    )


def no_open_duplicate(facts: CaseFacts, params: Mapping[str, Any]) -> RuleResult:
    open_hits = sum(
        1 for h in facts.hits if h.kind == HitKind.DUPLICATE and h.status == HitStatus.OPEN
    )
    if open_hits:
        return RuleResult(
            False, _("{n} possible duplicate(s) not yet resolved.").format(n=open_hits)
        )
    return RuleResult(True)


def no_watchlist_hit(facts: CaseFacts, params: Mapping[str, Any]) -> RuleResult:
    hits = [h for h in facts.hits if h.kind == HitKind.WATCHLIST]
    if any(h.status == HitStatus.CONFIRMED for h in hits):
        return RuleResult(False, _("A watchlist hit was confirmed."))
    open_hits = sum(1 for h in hits if h.status == HitStatus.OPEN)
    if open_hits:
        return RuleResult(False, _("{n} watchlist hit(s) not yet resolved.").format(n=open_hits))
    return RuleResult(True)


RULES: dict[str, Rule] = {
    "identity_document": identity_document,
    "references_confirmed": references_confirmed,
    "no_open_duplicate": no_open_duplicate,
    "no_watchlist_hit": no_watchlist_hit,
}
