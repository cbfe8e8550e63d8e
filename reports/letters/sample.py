"""A realistic, invented letter for previews, tests and benchmarks (nobody real is named)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

from praverka.reports.letters.content import DocumentSeen, LetterContent, Organisation, Signatory

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

_ORGANISATIONS = {
    "uk": Organisation(
        name="Кризовий центр «Прихисток»",
        address="вул. Січових Стрільців, 12, офіс 4, Київ, 04053, Україна",
        contact="+380 44 123 45 67 · perevirka@prykhystok.org.ua",
    ),
    "be": Organisation(
        name="Крызісны цэнтр «Прытулак»",
        address="вул. Сечавых Стральцоў, 12, офіс 4, Кіеў, 04053, Украіна",
        contact="+380 44 123 45 67 · pravierka@prytulak.org",
    ),
    "en": Organisation(
        name="Prykhystok Crisis Centre",
        address="12 Sichovykh Striltsiv St, office 4, Kyiv 04053, Ukraine",
        contact="+380 44 123 45 67 · verify@prykhystok.org.ua",
    ),
}
_PLACES = {"uk": "Київ", "be": "Кіеў", "en": "Kyiv"}
_SIGNATORIES = {
    "uk": (Signatory("Ганна Шевчук", "head"), Signatory("Ольга Дубровська", "supervisor")),
    "be": (Signatory("Ганна Шаўчук", "head"), Signatory("Вольга Дуброўская", "supervisor")),
    "en": (Signatory("Hanna Shevchuk", "head"), Signatory("Volha Dubrouskaya", "supervisor")),
}


def random_qr_text(rng: random.Random, length: int = 240) -> str:
    """Text shaped like a signed letter code: the prefix, then Base45."""
    return "PRV1:" + "".join(rng.choice(BASE45) for _ in range(length - 5))


def sample_content(
    language: str = "uk", purpose: str = "legalisation", **changes: Any
) -> LetterContent:
    """An issued original in `language` for `purpose`; `changes` replace any field."""
    local = "uk" if language == "uk+en" else language
    content = LetterContent(
        serial="PRV-2026-000123",
        language=language,
        purpose=purpose,
        issued_on=dt.date(2026, 11, 23),
        valid_until=dt.date(2027, 5, 23),
        place=_PLACES[local],
        organisation=_ORGANISATIONS[local],
        name_native="Кавалёва Алена Сяргееўна",
        name_latin="KAVALIOVA ALENA",
        other_names=("Ковалёва Елена Сергеевна", "Kovaleva Elena"),
        birth_date="1987-03-14",
        sex="F",
        documents=(
            DocumentSeen("passport", "MP1234567", "BLR", "original", "verified"),
            DocumentSeen("national_id", "7140387A001PB1", "BLR", "copy", "verified"),
            DocumentSeen("birth_certificate", "I-ПП 0123456", "BLR", "copy", "pending"),
            DocumentSeen("driving_licence", "5AB 123456", "BLR", "lost", "doubtful"),
        ),
        references_confirmed=2,
        interviewed_on=dt.date(2026, 11, 12),
        checks_passed=("documents", "references", "interview", "screening"),
        signatories=_SIGNATORIES[local],
        qr_text=random_qr_text(random.Random(f"{language}/{purpose}")),
        key_id="3f9a2c7b1d04e8a6",
    )
    return dataclasses.replace(content, **changes)
