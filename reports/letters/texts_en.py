"""The letter in English."""

from __future__ import annotations

from praverka.reports.letters.texts import Texts

TEXTS = Texts(
    code="en",
    months_genitive=tuple(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    ),
    months_nominative=tuple(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    ),
    year_suffix="",
    number_sign="No.",
    title="ATTESTATION LETTER",
    subtitles={
        "legalisation": "for the legalisation of stay and residence",
        "bank_account": "for opening a bank account",
        "border_crossing": "for crossing the state border and evacuation",
        "other": "general purpose",
    },
    opening=(
        "{organisation} hereby attests that the identity of the person named below has been "
        "established in accordance with the organisation’s verification procedure. The "
        "documents presented, the checks carried out and their results are set out in this letter."
    ),
    purpose_texts={
        "legalisation": (
            "This letter is issued at the applicant’s request for submission to the migration "
            "authorities together with an application to legalise the applicant’s stay or "
            "residence, including an application for temporary protection or a residence permit. "
            "It is intended for cases where the applicant’s national documents are missing or "
            "expired, or cannot be renewed at a consular office of the Republic of Belarus."
        ),
        "bank_account": (
            "This letter is issued at the applicant’s request for submission to a bank or another "
            "payment service provider in connection with opening and maintaining an account. It "
            "may be used as supporting information in customer due diligence, together with the "
            "identity document that the applicant presents in person."
        ),
        "border_crossing": (
            "This letter is issued at the applicant’s request for presentation to border guard "
            "and migration control officers when crossing a state border, including during an "
            "evacuation. It is intended for cases where the applicant’s travel documents are "
            "missing or expired, or have been lost or stolen."
        ),
        "other": (
            "This letter is issued at the applicant’s request for presentation to any authority, "
            "institution or organisation that needs to confirm the applicant’s identity."
        ),
    },
    limitation=(
        "This letter is not an identity or travel document and does not replace one. It confirms "
        "only the facts established by the organisation as of the date of issue."
    ),
    validity=(
        "The letter is valid from {start} to {end} inclusive, unless revoked earlier. Any "
        "recipient can check offline, by scanning the QR code, that the letter is genuine, "
        "unaltered and not revoked."
    ),
    supersedes="Supersedes letter No. {serial}, which is no longer valid.",
    copy="Copy {number}",
    draft="DRAFT — NOT VALID",
    draft_no_qr="Draft: no QR code",
    screen_view="SCREEN VIEW — NOT A COPY",
    screen_view_no_qr="Screen view: the QR code is only on printed copies",
    section_applicant="1. The applicant",
    section_documents="2. Documents presented",
    section_verification="3. Verification carried out",
    section_signatures="On behalf of the organisation",
    name_native="Name (Cyrillic)",
    name_latin="Name (Latin script)",
    other_names="Other names and spellings",
    birth_date="Date of birth",
    sex="Sex",
    sexes={"F": "female", "M": "male", "X": "not specified"},
    document_columns=("Document", "Number", "Country of issue", "Presented as", "Result of check"),
    document_kinds={
        "passport": "passport",
        "national_id": "national identity card",
        "residence_permit": "residence permit",
        "birth_certificate": "birth certificate",
        "military_id": "military ID",
        "driving_licence": "driving licence",
        "bank_statement": "bank statement",
        "other": "other document",
    },
    seen_as={
        "original": "original",
        "copy": "copy",
        "lost": "reported lost",
        "stolen": "reported stolen",
    },
    verifications={
        "pending": "check in progress",
        "verified": "verified",
        "doubtful": "doubtful",
        "false": "found false",
    },
    no_documents="No documents were presented.",
    documents_examined="Documents examined",
    documents_examined_value="{count}, of which verified: {verified}",
    references="References confirmed (people who know the applicant)",
    interview="Personal interview",
    interview_held="held on {date}",
    interview_not_held="not held",
    checks="Checks passed",
    check_names={
        "documents": "document check",
        "references": "confirmation by references",
        "interview": "personal interview",
        "screening": "duplicate and watch-list screening",
    },
    no_checks="none",
    roles={
        "head": "Head of the organisation",
        "supervisor": "Verification supervisor",
        "officer": "Verification officer",
    },
    signature="(signature)",
    stamp="Seal",
    qr_serial="{number_sign} {serial}",
    qr_key="key {key_id}",
    qr_verify="Verify: praverka verify, or scan with any Praverka desk",
    page="page {page} of {pages}",
)
