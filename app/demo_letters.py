"""The demo organisation: its settings, a signing key with a published passphrase, and letters."""

from __future__ import annotations

import random

from sqlalchemy import select

from praverka.app import letters, settings, signing, users
from praverka.app.context import AppContext
from praverka.app.demo import DEMO_SIGNING_PASSPHRASE
from praverka.app.errors import PraverkaError
from praverka.db.enums import CaseStatus, LetterLanguage
from praverka.db.models import Case, CasePurpose, Letter

# Letters are issued through the service (signed, logged) for this many attested cases; the
# rest of a large demo stays attested without a letter row, which costs nothing to generate.
DEMO_LETTERS = 60

DEMO_ORGANISATION = {
    "name": "Demo Verification Centre (synthetic data)",
    "address": "vul. Prykladna 1, 01001 Kyiv, Ukraine",
    "contact": "+380 44 000 00 00 · verify@example.org",
    "place": "Kyiv",
    "serial_prefix": "DEMO",
    "letter_validity_days": 180,
    "head_name": "Natallia Prykladnaja",
}


def ensure_organisation(ctx: AppContext) -> None:
    """Settings and a signing key for a demo database that has none yet."""
    # Only settings nobody has touched yet: a demo administrator's changes stay.
    if settings.get_settings(ctx) == settings.OrganisationSettings():
        settings.update_settings(ctx, None, DEMO_ORGANISATION)
    if signing.active_key(ctx) is None:
        signing.create_signing_key(ctx, None, DEMO_SIGNING_PASSPHRASE)


def issue_demo_letters(ctx: AppContext, seed: int, limit: int = DEMO_LETTERS) -> int:
    """Issue letters for up to `limit` attested cases that have none; returns how many."""
    with ctx.db.read() as session:
        with_letter = select(Letter.case_id)
        case_rows = session.execute(
            select(Case.id, Case.preparer_id)
            .where(Case.status == CaseStatus.ATTESTED, Case.id.not_in(with_letter))
            .order_by(Case.id.desc())
            .limit(limit)
        ).all()
    if not case_rows:
        return 0
    key = signing.unlock_signing_key(ctx, DEMO_SIGNING_PASSPHRASE)
    rng = random.Random(seed)
    languages = [language.value for language in LetterLanguage]
    issued = 0
    for case_id, preparer_id in case_rows:
        actor = users.actor_by_id(ctx, preparer_id)
        detail_purposes = _purposes(ctx, case_id)
        if not detail_purposes:
            continue
        try:
            view = letters.issue_letter(
                ctx, actor, case_id, detail_purposes[0], rng.choice(languages), key
            )
            letters.output_letter(ctx, actor, view.serial, "print", destination="Office printer")
        except PraverkaError:
            continue  # a synthetic case the rules refuse simply gets no letter
        issued += 1
    return issued


def _purposes(ctx: AppContext, case_id: int) -> list[str]:
    with ctx.db.read() as session:
        return [
            p.value
            for p in session.scalars(
                select(CasePurpose.purpose).where(CasePurpose.case_id == case_id)
            )
        ]
