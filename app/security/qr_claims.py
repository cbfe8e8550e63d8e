"""The signed content of a letter's QR code, and its exact byte layout.

The code is built like the EU Digital COVID Certificate's, so anyone can write
an independent verifier from this description and the issuer's public key:

    QR text = "PRV1:" + Base45( zlib( COSE_Sign1( CWT claims ) ) )

1. ``"PRV1:"``: the prefix; the digit is the format version.
2. Base45, RFC 9285 (see `base45`): the QR code stores it in alphanumeric mode.
3. zlib, RFC 1950 (a zlib stream, not raw deflate and not gzip), at most
   64 KiB once inflated; nothing may follow the stream.
4. COSE_Sign1, RFC 9052, tag 18, ES256 (see `cose`): protected header
   ``{1: -7, 4: kid}`` where kid is the 8-byte key id of the signing key (see
   `keys`), empty unprotected header, the payload attached, signature r||s.
5. The payload is a CBOR map of CWT claims (RFC 8392), integer keys:

   ====== ================ ==========================================================
   key    name             value
   ====== ================ ==========================================================
   1      iss              text: the issuing organisation
   4      exp              unsigned int, epoch seconds: 00:00 UTC of the day AFTER
                           the last day of validity (the letter is valid through
                           ``expires_on``, and refused once ``today > expires_on``)
   6      iat              unsigned int, epoch seconds: 00:00 UTC of the issue date
   -65537 letter           map (a private-use claim key, RFC 8392 section 9.1):
   ====== ================ ==========================================================

   and the letter map, also with integer keys:

   ====== ================ ==========================================================
   1      serial           text: the letter's serial number
   2      purpose          unsigned int: 0 other, 1 legalisation, 2 bank_account,
                           3 border_crossing
   3      name_native      the name in its own script: text (UTF-8), or a byte string
                           holding Windows-1251 text, which Praverka writes when the
                           name fits that code page (Belarusian, Russian and
                           Ukrainian Cyrillic), because it takes half the room of
                           UTF-8 and keeps the QR code small enough to scan
   4      name_latin       text: the name in Latin letters, as in the passport
   5      birth_date       unsigned int for a date of the form YYYY, YYYY-MM or
                           YYYY-MM-DD, written as the digits YYYY, YYYYMM or
                           YYYYMMDD (19870314 is "1987-03-14", 198703 is "1987-03");
                           text for anything else
   6      document_number  text; left out when there is none
   ====== ================ ==========================================================

Every key above must be present (except 6) and no other key may be; exp and
iat are whole days.  Anything else is refused as `MalformedCode`.

Size: 64 bytes of signature, 8 of key id and about 25 of structure are fixed,
and zlib adds about 11 to data this short and this random; the rest is the
text of the names, serial and issuer.  Measured (each text length below is
"PRV1:" included; versions at error correction M; module size for a 35 mm
code from a 150 dpi scan):

- a long Belarusian name, "Аляксандра Уладзіміраўна Кастрычніцкая-Барысевіч"
  / "Aliaksandra Uladzimiraŭna Kastrychnitskaya-Barysevich", serial
  "PRV-2026-000123", issuer "Praverka Kyiv", birth date and document number:
  416 characters, version 12 (65 modules, 3.2 px a module);
- the same with a 41-character issuer: 460 characters, version 13 (69
  modules, 3.0 px);
- a common name ("Ганна Шведава" / "Hanna Shvedava"), same serial and
  issuer: 301 characters, version 10 (57 modules, 3.6 px).

Each character of the issuer, serial or a Latin name adds 1.5 characters to
the text, and so does each Cyrillic character of the native name (one byte in
Windows-1251).  `encode_letter_qr` refuses a letter whose text would need more
than a version 13 code at M (`MAX_QR_TEXT_LENGTH`): beyond that the code no
longer reads reliably at 35 mm from a 150 dpi scan.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from praverka.app.errors import InvalidInput
from praverka.app.i18n import _
from praverka.app.security import base45, cose
from praverka.app.security.keys import KEY_ID_BYTES, PublicKey, SigningKey, key_id_text
from praverka.db.enums import Purpose

QR_PREFIX = "PRV1:"
# Alphanumeric capacity of a version 13 QR code at error correction M.
MAX_QR_TEXT_LENGTH = 483
MAX_INFLATED_BYTES = 64 * 1024

CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_IAT = 6
CLAIM_LETTER = -65537

FIELD_SERIAL = 1
FIELD_PURPOSE = 2
FIELD_NAME_NATIVE = 3
FIELD_NAME_LATIN = 4
FIELD_BIRTH_DATE = 5
FIELD_DOCUMENT_NUMBER = 6

PURPOSE_CODES: Mapping[str, int] = {
    Purpose.OTHER.value: 0,
    Purpose.LEGALISATION.value: 1,
    Purpose.BANK_ACCOUNT.value: 2,
    Purpose.BORDER_CROSSING.value: 3,
}
_PURPOSES_BY_CODE = {code: purpose for purpose, code in PURPOSE_CODES.items()}
_NATIVE_CODEPAGE = "cp1251"
_DAY_SECONDS = 86_400
_EPOCH = dt.date(1970, 1, 1)
_DIGIT_DATE = re.compile(r"([1-9]\d{3})(?:-(\d\d)(?:-(\d\d))?)?", re.ASCII)
_CWT_KEYS = frozenset({CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_LETTER})
_REQUIRED_FIELDS = frozenset(
    {FIELD_SERIAL, FIELD_PURPOSE, FIELD_NAME_NATIVE, FIELD_NAME_LATIN, FIELD_BIRTH_DATE}
)
_ALL_FIELDS = _REQUIRED_FIELDS | {FIELD_DOCUMENT_NUMBER}


class MalformedCode(InvalidInput):
    """The text is not a well-formed Praverka letter code; its message says what is wrong."""


@dataclass(frozen=True)
class LetterClaims:
    serial: str
    issued_on: dt.date
    expires_on: dt.date
    purpose: str
    name_native: str
    name_latin: str
    birth_date: str
    document_number: str
    issuer: str


@dataclass(frozen=True)
class SignedLetter:
    """A decoded letter code: what it claims, and the signed message to check it against a key."""

    claims: LetterClaims
    key_id: str
    message: cose.Sign1

    def signed_by(self, public_key: PublicKey) -> bool:
        return public_key.verifies(self.message)


# ------------------------------------------------------------------ encoding


def encode_letter_qr(claims: LetterClaims, key: SigningKey) -> str:
    payload = claims_payload(claims)
    text = QR_PREFIX + base45.encode(zlib.compress(key.sign(payload), 9))
    if len(text) > MAX_QR_TEXT_LENGTH:
        raise InvalidInput(
            _(
                "The letter's details are too long for a QR code that can be read from paper; "
                "shorten the issuer's name or the applicant's names."
            )
        )
    return text


def claims_payload(claims: LetterClaims) -> bytes:
    """The CBOR payload (CWT claims) for `claims`; see the module's description."""
    if not claims.serial.strip():
        raise InvalidInput(_("A letter needs a serial number."))
    if not claims.issuer.strip():
        raise InvalidInput(_("A letter needs the name of its issuer."))
    if claims.purpose not in PURPOSE_CODES:
        raise InvalidInput(_("Unknown letter purpose: {purpose}.").format(purpose=claims.purpose))
    if claims.expires_on < claims.issued_on:
        raise InvalidInput(_("A letter cannot expire before it is issued."))
    if claims.issued_on < _EPOCH or claims.expires_on >= dt.date.max:
        # The code counts days from 1970 and names the day after the last valid one.
        raise InvalidInput(_("A letter's dates must lie between 1970 and the year 9999."))
    letter: dict[int, Any] = {
        FIELD_SERIAL: claims.serial,
        FIELD_PURPOSE: PURPOSE_CODES[claims.purpose],
        FIELD_NAME_NATIVE: _compact_native(claims.name_native),
        FIELD_NAME_LATIN: claims.name_latin,
        FIELD_BIRTH_DATE: _compact_birth_date(claims.birth_date),
    }
    if claims.document_number:
        letter[FIELD_DOCUMENT_NUMBER] = claims.document_number
    return cbor2.dumps(
        {
            CLAIM_ISS: claims.issuer,
            CLAIM_EXP: _epoch_seconds(claims.expires_on + dt.timedelta(days=1)),
            CLAIM_IAT: _epoch_seconds(claims.issued_on),
            CLAIM_LETTER: letter,
        }
    )


def _compact_native(name: str) -> str | bytes:
    if name.isascii():
        return name
    try:
        encoded = name.encode(_NATIVE_CODEPAGE)
    except UnicodeEncodeError:
        return name
    return encoded if encoded.decode(_NATIVE_CODEPAGE) == name else name


def _compact_birth_date(text: str) -> int | str:
    match = _DIGIT_DATE.fullmatch(text)
    return int("".join(part for part in match.groups() if part)) if match else text


def _epoch_seconds(day: dt.date) -> int:
    return (day - _EPOCH).days * _DAY_SECONDS


# ------------------------------------------------------------------ decoding


def decode_letter_qr(text: str) -> SignedLetter:
    """The claims and signed message of a letter code; `MalformedCode` when it is not one.

    The signature is not checked here: `SignedLetter.signed_by` does that
    with the key the caller trusts for `key_id`.
    """
    # Scanners and copy-paste add line ends; a space can be part of Base45.
    text = text.strip("\r\n\t").lstrip(" ")
    if not text.startswith(QR_PREFIX):
        if re.match(r"PRV\d+:", text):
            raise MalformedCode(
                _(
                    "This code is from a newer version of Praverka ({prefix}); "
                    "update Praverka to check it."
                ).format(prefix=text.split(":", 1)[0] + ":")
            )
        raise MalformedCode(
            _("This is not a Praverka letter code: it does not begin with {prefix}.").format(
                prefix=QR_PREFIX
            )
        )
    if len(text) > 4 * MAX_QR_TEXT_LENGTH:
        raise MalformedCode(_("The letter code is far longer than any Praverka writes."))
    try:
        compressed = base45.decode(text[len(QR_PREFIX) :])
    except ValueError:
        raise MalformedCode(
            _("The letter code is damaged: it holds characters that cannot be decoded.")
        ) from None
    signed = _inflate(compressed)
    try:
        message = cose.decode(signed)
    except cose.UnsupportedAlgorithm:
        raise MalformedCode(
            _("The letter code is not signed with the algorithm Praverka uses (ES256).")
        ) from None
    except cose.CoseError:
        raise MalformedCode(
            _("The letter code is damaged: it does not hold a signed message.")
        ) from None
    if len(message.kid) != KEY_ID_BYTES:
        raise MalformedCode(
            _("The letter code names its signing key in a form Praverka never uses.")
        )
    claims = _claims_from_payload(message.payload)
    return SignedLetter(claims, key_id_text(message.kid), message)


def _inflate(data: bytes) -> bytes:
    damaged = MalformedCode(
        _("The letter code is damaged: its compressed content cannot be unpacked.")
    )
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED_BYTES)
    except zlib.error:
        raise damaged from None
    if not inflater.eof or inflater.unconsumed_tail or inflater.unused_data:
        raise damaged
    return out


def _claims_from_payload(payload: bytes) -> LetterClaims:
    not_ours = MalformedCode(
        _("The letter code's signed content is not in the form Praverka writes.")
    )
    try:
        cwt = cose.loads_exact(payload)
    except cose.CoseError:
        raise not_ours from None
    if not isinstance(cwt, Mapping) or set(cwt) != _CWT_KEYS:
        raise not_ours
    letter = cwt[CLAIM_LETTER]
    if not isinstance(letter, Mapping) or not _REQUIRED_FIELDS <= set(letter) <= _ALL_FIELDS:
        raise not_ours
    issuer = cwt[CLAIM_ISS]
    serial = letter[FIELD_SERIAL]
    name_latin = letter[FIELD_NAME_LATIN]
    document_number = letter.get(FIELD_DOCUMENT_NUMBER, "")
    texts = (issuer, serial, name_latin, document_number)
    if not all(isinstance(value, str) for value in texts):
        raise not_ours
    purpose = _PURPOSES_BY_CODE.get(_plain_int(letter[FIELD_PURPOSE], not_ours))
    name_native = _native_name(letter[FIELD_NAME_NATIVE], not_ours)
    birth_date = _birth_date_text(letter[FIELD_BIRTH_DATE], not_ours)
    issued_on = _day(cwt[CLAIM_IAT], not_ours)
    expires_on = _day(cwt[CLAIM_EXP], not_ours) - dt.timedelta(days=1)
    if purpose is None or expires_on < issued_on:
        raise not_ours
    return LetterClaims(
        serial=serial,
        issued_on=issued_on,
        expires_on=expires_on,
        purpose=purpose,
        name_native=name_native,
        name_latin=name_latin,
        birth_date=birth_date,
        document_number=document_number,
        issuer=issuer,
    )


def _plain_int(value: object, error: MalformedCode) -> int:
    # bool is an int to Python, but CBOR true is not a number.
    if not isinstance(value, int) or isinstance(value, bool):
        raise error
    return value


def _native_name(value: object, error: MalformedCode) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode(_NATIVE_CODEPAGE)
        except UnicodeDecodeError:
            raise error from None
    raise error


def _birth_date_text(value: object, error: MalformedCode) -> str:
    if isinstance(value, str):
        return value
    number = _plain_int(value, error)
    digits = str(number)
    if number < 0 or len(digits) not in (4, 6, 8) or digits[0] == "0":
        raise error
    return "-".join(part for part in (digits[:4], digits[4:6], digits[6:8]) if part)


def _day(value: object, error: MalformedCode) -> dt.date:
    seconds = _plain_int(value, error)
    days, remainder = divmod(seconds, _DAY_SECONDS)
    if seconds < 0 or remainder:
        raise error
    try:
        return _EPOCH + dt.timedelta(days=days)
    except OverflowError:
        raise error from None
