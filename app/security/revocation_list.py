"""The signed list of revoked letters that an issuer hands to the people who check its letters.

The file is one COSE_Sign1 message (see `cose`: tag 18, ES256, protected
header ``{1: -7, 4: kid}``), written as raw CBOR bytes, not compressed and
not Base45.  Its payload is a CBOR map with integer keys:

====== ========== ==============================================================
key    name       value
====== ========== ==============================================================
1      iss        text: the issuing organisation
6      iat        unsigned int, epoch seconds (UTC): when the list was made
-65538 revoked    array of text: the serials of every revoked letter, sorted,
                  each once (a private-use claim key, RFC 8392 section 9.1)
====== ========== ==============================================================

No other key may be present.  A letter's QR payload has other keys
(-65537 and exp), so a letter's signed message can never pass for a list.

The list proves which letters were revoked as of ``iat``; a recipient who
wants fresh news compares ``issued_at`` with the date and asks for a newer list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import cbor2

from praverka.app.errors import InvalidInput
from praverka.app.i18n import _
from praverka.app.security import cose
from praverka.app.security.keys import PublicKey, SigningKey, key_id_text

CLAIM_ISS = 1
CLAIM_IAT = 6
CLAIM_REVOKED = -65538
# A list of a million 20-character serials is ~22 MB; anything beyond is not a list.
MAX_LIST_BYTES = 32 * 1024 * 1024
MAX_SERIAL_LENGTH = 64


@dataclass(frozen=True)
class RevocationList:
    serials: frozenset[str]
    issued_at: dt.datetime
    key_id: str
    issuer: str = ""


def sign_revocation_list(
    serials: Iterable[str], issued_at: dt.datetime, issuer: str, key: SigningKey
) -> bytes:
    if issued_at.tzinfo is None or issued_at.utcoffset() is None:
        raise ValueError("issued_at needs a time zone")
    seconds = int(issued_at.timestamp())
    if seconds < 0:
        raise InvalidInput(_("A revocation list cannot be dated before 1970."))
    cleaned = sorted({serial.strip() for serial in serials})
    if any(not serial or len(serial) > MAX_SERIAL_LENGTH for serial in cleaned):
        raise InvalidInput(
            _("A serial in the revocation list is empty or longer than {n} characters.").format(
                n=MAX_SERIAL_LENGTH
            )
        )
    payload = cbor2.dumps({CLAIM_ISS: issuer, CLAIM_IAT: seconds, CLAIM_REVOKED: cleaned})
    return key.sign(payload)


def read_revocation_list(data: bytes, trusted: Mapping[str, PublicKey]) -> RevocationList:
    """The list in `data` once its signature is checked against a trusted key; else InvalidInput."""
    not_a_list = InvalidInput(_("This file is not a signed Praverka revocation list."))
    if len(data) > MAX_LIST_BYTES:
        raise not_a_list
    try:
        message = cose.decode(data)
    except cose.CoseError:
        raise not_a_list from None
    key_id = key_id_text(message.kid)
    public_key = trusted.get(key_id)
    if public_key is None:
        raise InvalidInput(
            _(
                "The revocation list was signed with key {key_id}, which is not a trusted key; "
                "it was not loaded."
            ).format(key_id=key_id)
        )
    if not public_key.verifies(message):
        raise InvalidInput(
            _(
                "The revocation list's signature does not match its contents: "
                "it was altered, so it was not loaded."
            )
        )
    try:
        content = cose.loads_exact(message.payload)
    except cose.CoseError:
        raise not_a_list from None
    if not isinstance(content, Mapping) or set(content) != {
        CLAIM_ISS,
        CLAIM_IAT,
        CLAIM_REVOKED,
    }:
        raise not_a_list
    issuer, seconds, serials = content[CLAIM_ISS], content[CLAIM_IAT], content[CLAIM_REVOKED]
    if (
        not isinstance(issuer, str)
        or not isinstance(seconds, int)
        or isinstance(seconds, bool)
        or seconds < 0
        or isinstance(serials, str | bytes | Mapping)
        or not isinstance(serials, Iterable)
    ):
        raise not_a_list
    serial_list = list(serials)
    if not all(isinstance(serial, str) and serial for serial in serial_list):
        raise not_a_list
    try:
        issued_at = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, ValueError, OSError):
        raise not_a_list from None
    return RevocationList(frozenset(serial_list), issued_at, key_id, issuer)
