"""A minimal COSE_Sign1 with ES256 (RFC 9052 and RFC 9053), as the EU Digital COVID Certificate uses.

The bytes, in CBOR diagnostic notation::

    18([                          / tag 18: COSE_Sign1 /
        << {1: -7, 4: h'<kid>'} >>, / protected header, a byte string holding
                                      the CBOR map: alg (1) = ES256 (-7) and
                                      kid (4) = the signer's 8-byte key id /
        {},                         / unprotected header: always empty /
        h'<payload>',               / the signed content, attached (never detached) /
        h'<r || s>'                 / the ECDSA P-256 signature: r then s, each
                                      32 bytes big-endian, 64 bytes in all /
    ])

The signature is ECDSA with SHA-256 over the CBOR encoding of the
``Sig_structure`` (RFC 9052 section 4.4)::

    ["Signature1", h'<protected header bytes>', h'', h'<payload>']

that is, the context string, the protected header exactly as transmitted, an
empty external AAD, and the payload.  Only ES256 is accepted: a message naming
any other algorithm, or none, is refused before any key is consulted, so an
attacker cannot choose a weaker one.

`decode` checks the structure only; `verify` checks the signature with a
public key the caller chose from the key id.  Both refuse bad input with
`CoseError` (a ValueError) and never with anything else.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_ES256 = -7
SIGNATURE_BYTES = 64
_COORDINATE_BYTES = 32
# Nested deeper than this is not something Praverka wrote; the limit keeps a
# hostile input from exhausting the decoder.
_MAX_DEPTH = 8


class CoseError(ValueError):
    """The bytes are not a well-formed COSE_Sign1 message signed with ES256."""


class UnsupportedAlgorithm(CoseError):
    """A well-formed message that names an algorithm other than ES256, or none."""


@dataclass(frozen=True)
class Sign1:
    """A decoded COSE_Sign1 message, its signature not yet checked."""

    protected: bytes
    payload: bytes
    signature: bytes
    kid: bytes


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """The bytes the signature covers."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


def protected_header(kid: bytes) -> bytes:
    return cbor2.dumps({HEADER_ALG: ALG_ES256, HEADER_KID: kid})


def sign(payload: bytes, kid: bytes, private_key: ec.EllipticCurvePrivateKey) -> bytes:
    if not isinstance(private_key.curve, ec.SECP256R1):
        raise CoseError("ES256 needs a P-256 key.")
    protected = protected_header(kid)
    der = private_key.sign(sig_structure(protected, payload), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(_COORDINATE_BYTES, "big") + s.to_bytes(_COORDINATE_BYTES, "big")
    return encode_message(Sign1(protected, payload, signature, kid))


def encode_message(message: Sign1) -> bytes:
    """The tagged COSE_Sign1 bytes of `message`, its parts taken as they are."""
    return cbor2.dumps(
        cbor2.CBORTag(COSE_SIGN1_TAG, [message.protected, {}, message.payload, message.signature])
    )


def loads_exact(data: bytes) -> Any:
    """One CBOR item that fills `data` exactly; anything else is a CoseError.

    The decoder's own errors are not the only ones a hostile input can raise
    (a tagged date out of range is an OverflowError, for one), so all of them
    become a CoseError here.
    """
    stream = io.BytesIO(data)
    try:
        item = cbor2.CBORDecoder(stream, max_depth=_MAX_DEPTH).decode()
    except Exception as error:
        raise CoseError(f"not CBOR ({error})") from None
    if stream.tell() != len(data):
        raise CoseError("extra bytes after the CBOR item")
    return item


def decode(data: bytes) -> Sign1:
    item = loads_exact(data)
    if not isinstance(item, cbor2.CBORTag) or item.tag != COSE_SIGN1_TAG:
        raise CoseError("not a tagged COSE_Sign1 message")
    parts = item.value
    if not isinstance(parts, Sequence) or isinstance(parts, str | bytes) or len(parts) != 4:
        raise CoseError("a COSE_Sign1 message has four parts")
    protected, unprotected, payload, signature = parts
    if not isinstance(protected, bytes) or not isinstance(payload, bytes):
        raise CoseError("the protected header and the payload must be byte strings")
    if not isinstance(unprotected, Mapping):
        raise CoseError("the unprotected header must be a map")
    if unprotected:
        # Nothing outside the signature may change how the message is read.
        raise CoseError("the unprotected header must be empty")
    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_BYTES:
        raise CoseError("an ES256 signature is 64 bytes")
    header = loads_exact(protected)
    if not isinstance(header, Mapping):
        raise CoseError("the protected header must be a map")
    if header.get(HEADER_ALG) != ALG_ES256:
        raise UnsupportedAlgorithm("the algorithm is not ES256")
    kid = header.get(HEADER_KID)
    if not isinstance(kid, bytes) or not kid:
        raise CoseError("the protected header names no key id")
    return Sign1(protected, payload, signature, kid)


def verify(message: Sign1, public_key: ec.EllipticCurvePublicKey) -> bool:
    """True when `message` was signed by the private half of `public_key`."""
    if not isinstance(public_key.curve, ec.SECP256R1):
        return False
    r = int.from_bytes(message.signature[:_COORDINATE_BYTES], "big")
    s = int.from_bytes(message.signature[_COORDINATE_BYTES:], "big")
    try:
        public_key.verify(
            encode_dss_signature(r, s),
            sig_structure(message.protected, message.payload),
            ec.ECDSA(hashes.SHA256()),
        )
    except (InvalidSignature, ValueError):  # ValueError: r or s out of range
        return False
    return True
