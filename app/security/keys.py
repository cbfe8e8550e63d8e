"""The key pair that signs letters: ECDSA on the NIST P-256 curve (ES256).

- The private key exists in clear only in memory, inside a `SigningKey`
  obtained from `unlock`.  Stored, it is always PKCS#8 PEM encrypted
  (cryptography's `BestAvailableEncryption`: PBES2, AES-256-CBC); a stored key
  in clear is refused.  PBES2's own PBKDF2 runs only 2,048 rounds there, too
  few against guessing a passphrase from a stolen database, so the PKCS#8
  password is not the passphrase itself but argon2id(passphrase, random salt),
  with the parameters and salt in one line above the PEM:
  `Praverka-KDF: argon2id t=3 m=65536 p=2 salt=<base64>`.
- The public key is a SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
- A key's id is the first 8 bytes of the SHA-256 of its DER
  SubjectPublicKeyInfo, the same rule as the EU Digital COVID Certificate's
  "kid".  The signed code carries these 8 bytes; people and files see them as
  16 lower-case hexadecimal characters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from praverka.app.errors import AuthenticationFailed, InvalidInput
from praverka.app.i18n import _
from praverka.app.security import cose

KEY_ID_BYTES = 8
MIN_PASSPHRASE_LENGTH = 10
# A P-256 public key PEM is under 200 characters; anything far longer is not one.
_MAX_PEM_CHARS = 20_000
_KDF_LINE = re.compile(
    r"Praverka-KDF: argon2id t=(\d{1,2}) m=(\d{1,7}) p=(\d{1,2}) salt=([A-Za-z0-9+/=]{8,64})\n"
)


@dataclass(frozen=True)
class KdfParameters:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2


_kdf = KdfParameters()


def use_cheap_kdf_for_tests() -> None:
    """The cheapest argon2id parameters: the suite makes many keys. The program never calls this."""
    global _kdf  # a process-wide switch, like the password hasher's
    _kdf = KdfParameters(time_cost=1, memory_kib=8, parallelism=1)


def _stretch(passphrase: str, salt: bytes, params: KdfParameters) -> bytes:
    raw = hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    return base64.b64encode(raw)


@dataclass(frozen=True)
class StoredKeyPair:
    key_id: str
    public_pem: str
    private_pem_encrypted: str


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    pem: str

    def verifies(self, message: cose.Sign1) -> bool:
        """True when this key made the signature of `message`."""
        try:
            key = serialization.load_pem_public_key(self.pem.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            return False
        return isinstance(key, ec.EllipticCurvePublicKey) and cose.verify(message, key)


def key_id_bytes(public_key: ec.EllipticCurvePublicKey) -> bytes:
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()[:KEY_ID_BYTES]


def key_id_text(kid: bytes) -> str:
    return kid.hex()


def _public_pem(public_key: ec.EllipticCurvePublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


class SigningKey:
    """An unlocked private key; it lives in memory only and is never written out in clear."""

    __slots__ = ("_kid", "_private_key", "key_id", "public_pem")

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise InvalidInput(_("A signing key must be on the P-256 curve."))
        self._private_key = private_key
        self._kid = key_id_bytes(private_key.public_key())
        self.key_id = key_id_text(self._kid)
        self.public_pem = _public_pem(private_key.public_key())

    def __repr__(self) -> str:
        return f"SigningKey(key_id={self.key_id!r})"

    def sign(self, payload: bytes) -> bytes:
        """`payload` as a COSE_Sign1 message (see `cose`) signed with this key."""
        return cose.sign(payload, self._kid, self._private_key)

    def public_key(self) -> PublicKey:
        return PublicKey(self.key_id, self.public_pem)


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(
            _("A signing passphrase needs at least {n} characters.").format(n=MIN_PASSPHRASE_LENGTH)
        )


def generate_key_pair(passphrase: str) -> StoredKeyPair:
    check_passphrase_strength(passphrase)
    private_key = ec.generate_private_key(ec.SECP256R1())
    salt = os.urandom(16)
    params = _kdf
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_stretch(passphrase, salt, params)),
    ).decode("ascii")
    header = (
        f"Praverka-KDF: argon2id t={params.time_cost} m={params.memory_kib} "
        f"p={params.parallelism} salt={base64.b64encode(salt).decode('ascii')}\n"
    )
    encrypted = header + pem
    public_key = private_key.public_key()
    return StoredKeyPair(
        key_id=key_id_text(key_id_bytes(public_key)),
        public_pem=_public_pem(public_key),
        private_pem_encrypted=encrypted,
    )


def unlock(stored: StoredKeyPair, passphrase: str) -> SigningKey:
    damaged = InvalidInput(
        _("The stored signing key {key_id} is damaged and cannot be used.").format(
            key_id=stored.key_id
        )
    )
    kdf = _KDF_LINE.match(stored.private_pem_encrypted)
    body = stored.private_pem_encrypted[kdf.end() :] if kdf else stored.private_pem_encrypted
    try:
        pem = body.encode("ascii")
    except UnicodeEncodeError:
        raise damaged from None
    # cryptography answers both a wrong passphrase and a damaged file with
    # ValueError.  Loading without a passphrase first tells them apart: an
    # intact encrypted key asks for one (TypeError), a damaged one does not parse.
    try:
        serialization.load_pem_private_key(pem, password=None)
    except TypeError:
        pass
    except ValueError:
        raise damaged from None
    else:
        raise InvalidInput(
            _("The stored signing key {key_id} is not encrypted, so it is refused.").format(
                key_id=stored.key_id
            )
        )
    if kdf is None:
        raise damaged
    try:
        params = KdfParameters(int(kdf[1]), int(kdf[2]), int(kdf[3]))
        salt = base64.b64decode(kdf[4], validate=True)
    except (binascii.Error, ValueError):
        raise damaged from None
    if not (1 <= params.time_cost <= 20 and 8 <= params.memory_kib <= 4 * 1024 * 1024):
        raise damaged  # parameters no program of ours writes, and a way to stall this desk
    try:
        private_key = serialization.load_pem_private_key(
            pem, password=_stretch(passphrase, salt, params)
        )
    except ValueError:
        raise AuthenticationFailed(_("The signing passphrase is wrong.")) from None
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        private_key.curve, ec.SECP256R1
    ):
        raise damaged
    key = SigningKey(private_key)
    if key.key_id != stored.key_id or key.public_pem.strip() != stored.public_pem.strip():
        raise InvalidInput(
            _(
                "The stored signing key {key_id} does not match its public key; it cannot be used."
            ).format(key_id=stored.key_id)
        )
    return key


def load_public_key(pem: str) -> PublicKey:
    """A P-256 public key from PEM text; text around the PEM block (a key file's header) is ignored."""
    not_a_key = InvalidInput(_("This is not a P-256 public key in PEM form."))
    if len(pem) > _MAX_PEM_CHARS:
        raise not_a_key
    try:
        key = serialization.load_pem_public_key(pem.encode("utf-8"))
    except ValueError:
        raise not_a_key from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise not_a_key
    return PublicKey(key_id_text(key_id_bytes(key)), _public_pem(key))


def public_key_file_text(public_key: PublicKey) -> str:
    """The text of an exported public key: a header naming the key, then the PEM.

    Text outside the BEGIN/END lines is ignored by PEM readers (RFC 7468), so
    the file loads with `load_public_key` and with OpenSSL alike.
    """
    return (
        "Praverka public key for checking the QR codes of attestation letters.\n"
        f"Key id: {public_key.key_id}\n"
        "Algorithm: ECDSA P-256 with SHA-256 (COSE ES256).\n"
        "\n" + public_key.pem.strip() + "\n"
    )
