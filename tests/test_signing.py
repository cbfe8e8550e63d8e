"""Base45, COSE_Sign1, signing keys, the letter code's claims and the revocation list."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import string
import zlib

import cbor2
import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from praverka.app.errors import AuthenticationFailed, InvalidInput
from praverka.app.security import base45, cose, keys, qr_claims, revocation_list
from praverka.app.security.keys import SigningKey
from praverka.app.security.qr_claims import LetterClaims, MalformedCode

PASSPHRASE = "correct-horse-battery"
LONG_NATIVE = "Аляксандра Уладзіміраўна Кастрычніцкая-Барысевіч"
LONG_LATIN = "Aliaksandra Uladzimiraŭna Kastrychnitskaya-Barysevich"


@pytest.fixture(scope="module")
def stored() -> keys.StoredKeyPair:
    return keys.generate_key_pair(PASSPHRASE)


@pytest.fixture(scope="module")
def key(stored: keys.StoredKeyPair) -> SigningKey:
    return keys.unlock(stored, PASSPHRASE)


def make_claims(**changes: object) -> LetterClaims:
    values: dict[str, object] = {
        "serial": "PRV-2026-000123",
        "issued_on": dt.date(2026, 11, 2),
        "expires_on": dt.date(2027, 5, 2),
        "purpose": "bank_account",
        "name_native": LONG_NATIVE,
        "name_latin": LONG_LATIN,
        "birth_date": "1987-03-14",
        "document_number": "MP1234567",
        "issuer": "Praverka Kyiv",
    }
    values.update(changes)
    return LetterClaims(**values)  # type: ignore[arg-type]


# ------------------------------------------------------------------ base45

RFC_9285_VECTORS = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("raw", "text"), RFC_9285_VECTORS)
def test_base45_rfc_vectors(raw: bytes, text: str) -> None:
    assert base45.encode(raw) == text
    assert base45.decode(text) == raw


@given(st.binary(max_size=300))
def test_base45_round_trip(data: bytes) -> None:
    text = base45.encode(data)
    assert set(text) <= set(base45.ALPHABET)
    assert base45.decode(text) == data


@pytest.mark.parametrize(
    "text",
    [
        "A",  # one character over (length % 3 == 1)
        "BB8B",
        "bb8",  # lower case is outside the alphabet
        "BB=",
        "GGW",  # 65536 + ...: three characters above 0xFFFF (RFC 9285 section 6)
        ":::",
        "::",  # two characters above 0xFF
        "BBÄ",
    ],
)
def test_base45_refuses_bad_text(text: str) -> None:
    with pytest.raises(ValueError):
        base45.decode(text)


@given(st.text(max_size=40))
def test_base45_decode_raises_only_value_error(text: str) -> None:
    try:
        data = base45.decode(text)
    except ValueError:
        return
    assert base45.encode(data) == text


# ------------------------------------------------------------------ COSE


def test_cose_layout_is_the_documented_one(key: SigningKey) -> None:
    signed = key.sign(b"payload")
    item = cbor2.loads(signed)
    assert isinstance(item, cbor2.CBORTag)
    assert item.tag == 18
    protected, unprotected, payload, signature = item.value
    assert cbor2.loads(protected) == {1: -7, 4: bytes.fromhex(key.key_id)}
    assert dict(unprotected) == {}
    assert payload == b"payload"
    assert len(signature) == 64
    # An independent check of the raw r||s signature over the Sig_structure.
    public = serialization.load_pem_public_key(key.public_pem.encode())
    assert isinstance(public, ec.EllipticCurvePublicKey)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public.verify(
        der,
        cbor2.dumps(["Signature1", protected, b"", b"payload"]),
        ec.ECDSA(hashes.SHA256()),
    )


def test_cose_verify_accepts_own_and_refuses_other_key(key: SigningKey) -> None:
    message = cose.decode(key.sign(b"x"))
    assert key.public_key().verifies(message)
    other = SigningKey(ec.generate_private_key(ec.SECP256R1()))
    assert not other.public_key().verifies(message)
    # Out-of-range r or s is a failed check, not an error.
    zero = cose.Sign1(message.protected, message.payload, bytes(64), message.kid)
    assert not key.public_key().verifies(zero)
    top = cose.Sign1(message.protected, message.payload, b"\xff" * 64, message.kid)
    assert not key.public_key().verifies(top)


def _tagged(parts: object, tag: int = 18) -> bytes:
    return cbor2.dumps(cbor2.CBORTag(tag, parts))


GOOD_PROTECTED = cbor2.dumps({1: -7, 4: b"12345678"})


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", cose.CoseError),
        (b"\xff\xfe", cose.CoseError),
        (cbor2.dumps([GOOD_PROTECTED, {}, b"p", bytes(64)]), cose.CoseError),  # untagged
        (_tagged([GOOD_PROTECTED, {}, b"p", bytes(64)], tag=17), cose.CoseError),
        (_tagged([GOOD_PROTECTED, {}, b"p"]), cose.CoseError),
        (_tagged("text"), cose.CoseError),
        (_tagged([GOOD_PROTECTED, {}, "p", bytes(64)]), cose.CoseError),
        (_tagged([GOOD_PROTECTED, {4: b"k"}, b"p", bytes(64)]), cose.CoseError),
        (_tagged([GOOD_PROTECTED, [], b"p", bytes(64)]), cose.CoseError),
        (_tagged([GOOD_PROTECTED, {}, b"p", bytes(63)]), cose.CoseError),
        (_tagged([b"\xff", {}, b"p", bytes(64)]), cose.CoseError),
        (_tagged([cbor2.dumps([1, -7]), {}, b"p", bytes(64)]), cose.CoseError),
        (_tagged([cbor2.dumps({1: -7}), {}, b"p", bytes(64)]), cose.CoseError),  # no kid
        (_tagged([GOOD_PROTECTED, {}, b"p", bytes(64)]) + b"\x00", cose.CoseError),
        (_tagged([cbor2.dumps({1: -35, 4: b"k"}), {}, b"p", bytes(64)]), cose.UnsupportedAlgorithm),
        (_tagged([cbor2.dumps({4: b"k"}), {}, b"p", bytes(64)]), cose.UnsupportedAlgorithm),
        (
            _tagged([cbor2.dumps({1: "ES256", 4: b"k"}), {}, b"p", bytes(64)]),
            cose.UnsupportedAlgorithm,
        ),
        (b"\xc1\x1b\x7f\xff\xff\xff\xff\xff\xff\xff", cose.CoseError),  # a date out of range
        (b"\x81" * 50 + b"\x00", cose.CoseError),  # nested too deep
    ],
)
def test_cose_decode_refuses_malformed(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        cose.decode(data)


@given(st.binary(max_size=200))
def test_cose_decode_raises_only_cose_error(data: bytes) -> None:
    with contextlib.suppress(cose.CoseError):
        cose.decode(data)


# ------------------------------------------------------------------ keys


def test_generated_key_is_encrypted_and_named(stored: keys.StoredKeyPair) -> None:
    header, pem = stored.private_pem_encrypted.split("\n", 1)
    assert header.startswith("Praverka-KDF: argon2id t=")
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert "BEGIN PRIVATE KEY" not in stored.private_pem_encrypted
    with pytest.raises(TypeError):  # the PEM asks for a password: it is not in clear
        serialization.load_pem_private_key(pem.encode(), None)
    # The PKCS#8 password is the stretched passphrase, not the passphrase itself.
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(pem.encode(), PASSPHRASE.encode())
    assert len(stored.key_id) == 16
    assert stored.key_id == stored.key_id.lower()
    int(stored.key_id, 16)
    assert keys.load_public_key(stored.public_pem).key_id == stored.key_id


def test_key_id_is_sha256_of_spki(stored: keys.StoredKeyPair) -> None:
    import hashlib

    public = serialization.load_pem_public_key(stored.public_pem.encode())
    spki = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert stored.key_id == hashlib.sha256(spki).hexdigest()[: 2 * keys.KEY_ID_BYTES]


def test_unlock_gives_the_stored_key(stored: keys.StoredKeyPair, key: SigningKey) -> None:
    assert key.key_id == stored.key_id
    assert key.public_pem == stored.public_pem
    assert stored.key_id in repr(key)
    assert "PRIVATE" not in repr(key)


def test_short_passphrase_refused() -> None:
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        keys.generate_key_pair("short")


def test_wrong_passphrase(stored: keys.StoredKeyPair) -> None:
    with pytest.raises(AuthenticationFailed, match=r"^The signing passphrase is wrong\.$"):
        keys.unlock(stored, "wrong-horse-battery")


@pytest.mark.parametrize(
    "damage",
    [
        lambda pem: pem[:60] + "!!!!" + pem[64:],
        lambda pem: pem[: len(pem) // 2],
        lambda pem: "",
        lambda pem: "not a key at all",
        lambda pem: pem.replace("ENCRYPTED PRIVATE KEY", "CERTIFICATE"),
        lambda pem: pem + "é",
        lambda pem: pem.split("\n", 1)[1],  # the argon2id line lost
        lambda pem: pem.replace("salt=", "salt=!"),
        lambda pem: pem.replace(" t=", " t=99"),
    ],
)
def test_damaged_stored_key(stored: keys.StoredKeyPair, damage) -> None:
    broken = keys.StoredKeyPair(
        stored.key_id, stored.public_pem, damage(stored.private_pem_encrypted)
    )
    with pytest.raises(InvalidInput, match="damaged"):
        keys.unlock(broken, PASSPHRASE)


def test_stored_key_in_clear_refused(stored: keys.StoredKeyPair) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    clear = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(InvalidInput, match="not encrypted"):
        keys.unlock(keys.StoredKeyPair(stored.key_id, stored.public_pem, clear), PASSPHRASE)


def test_stored_key_not_matching_its_public_key(stored: keys.StoredKeyPair) -> None:
    other = keys.generate_key_pair(PASSPHRASE)
    mixed = keys.StoredKeyPair(stored.key_id, stored.public_pem, other.private_pem_encrypted)
    with pytest.raises(InvalidInput, match="does not match its public key"):
        keys.unlock(mixed, PASSPHRASE)


def test_rsa_stored_key_refused(stored: keys.StoredKeyPair) -> None:
    rsa_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=1024)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
        .decode()
    )
    with pytest.raises(InvalidInput):
        keys.unlock(keys.StoredKeyPair(stored.key_id, stored.public_pem, rsa_pem), PASSPHRASE)


def test_public_key_file_round_trip(key: SigningKey) -> None:
    text = keys.public_key_file_text(key.public_key())
    assert f"Key id: {key.key_id}" in text
    loaded = keys.load_public_key(text)
    assert loaded == key.public_key()


def _public_pem(private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.mark.parametrize(
    "pem",
    [
        "",
        "hello",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        _public_pem(ec.generate_private_key(ec.SECP384R1())),
        _public_pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
        "x" * 30_000,
    ],
)
def test_load_public_key_refuses_anything_else(pem: str) -> None:
    with pytest.raises(InvalidInput, match="not a P-256 public key"):
        keys.load_public_key(pem)


# ------------------------------------------------------------------ letter claims


def test_letter_round_trip(key: SigningKey) -> None:
    claims = make_claims()
    text = qr_claims.encode_letter_qr(claims, key)
    assert text.startswith("PRV1:")
    letter = qr_claims.decode_letter_qr(text)
    assert letter.claims == claims
    assert letter.key_id == key.key_id
    assert letter.signed_by(key.public_key())


def test_payload_layout_is_the_documented_one() -> None:
    payload = cbor2.loads(qr_claims.claims_payload(make_claims()))
    assert payload == {
        1: "Praverka Kyiv",
        4: 1_809_302_400,  # 2027-05-03T00:00Z: the day after the last valid day
        6: 1_793_577_600,  # 2026-11-02T00:00Z
        -65537: {
            1: "PRV-2026-000123",
            2: 2,
            3: LONG_NATIVE.encode("cp1251"),
            4: LONG_LATIN,
            5: 19870314,
            6: "MP1234567",
        },
    }
    assert dt.datetime.fromtimestamp(1_809_302_400, dt.UTC).date() == dt.date(2027, 5, 3)
    assert dt.datetime.fromtimestamp(1_793_577_600, dt.UTC).date() == dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("birth_date", "stored_as"),
    [
        ("1987-03-14", 19870314),
        ("1987-03", 198703),
        ("1987", 1987),
        ("", ""),
        ("14.03.1987", "14.03.1987"),
        ("0987", "0987"),  # would lose its leading zero as a number
        ("1987-3-14", "1987-3-14"),
        ("１９８７", "１９８７"),  # full-width digits stay text
    ],
)
def test_birth_date_forms(key: SigningKey, birth_date: str, stored_as: object) -> None:
    claims = make_claims(birth_date=birth_date)
    payload = cbor2.loads(qr_claims.claims_payload(claims))
    assert payload[-65537][5] == stored_as
    assert qr_claims.decode_letter_qr(qr_claims.encode_letter_qr(claims, key)).claims == claims


@pytest.mark.parametrize(
    ("native", "stored_type"),
    [
        (LONG_NATIVE, bytes),  # Belarusian: Windows-1251
        ("Ґалина Їжакевич", bytes),  # Ukrainian letters are in Windows-1251 too
        ("Hanna Shved", str),  # plain ASCII stays text
        ("Ганна Ŭ", str),  # Ŭ is not in Windows-1251: UTF-8
        ("", str),
    ],
)
def test_native_name_encoding(key: SigningKey, native: str, stored_type: type) -> None:
    claims = make_claims(name_native=native)
    assert isinstance(cbor2.loads(qr_claims.claims_payload(claims))[-65537][3], stored_type)
    assert qr_claims.decode_letter_qr(qr_claims.encode_letter_qr(claims, key)).claims == claims


def test_empty_document_number_is_left_out(key: SigningKey) -> None:
    claims = make_claims(document_number="")
    assert 6 not in cbor2.loads(qr_claims.claims_payload(claims))[-65537]
    assert qr_claims.decode_letter_qr(qr_claims.encode_letter_qr(claims, key)).claims == claims


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"serial": " "}, "serial"),
        ({"issuer": ""}, "issuer"),
        ({"purpose": "holiday"}, "Unknown letter purpose"),
        ({"expires_on": dt.date(2026, 11, 1)}, "cannot expire before"),
        ({"issued_on": dt.date(1969, 12, 31)}, "between 1970 and the year 9999"),
        ({"expires_on": dt.date.max}, "between 1970 and the year 9999"),
        (
            {"name_latin": "".join(random.Random(1).choices(string.ascii_letters, k=120))},
            "too long",
        ),
    ],
)
def test_encode_refuses_bad_claims(
    key: SigningKey, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        qr_claims.encode_letter_qr(make_claims(**changes), key)


def test_one_day_letter(key: SigningKey) -> None:
    claims = make_claims(expires_on=dt.date(2026, 11, 2))
    assert qr_claims.decode_letter_qr(qr_claims.encode_letter_qr(claims, key)).claims == claims


# Latin and Cyrillic (at most two bytes a character in UTF-8), at lengths that
# keep the worst case under MAX_QR_TEXT_LENGTH; the limit has its own test.
_short_text = st.characters(min_codepoint=0x20, max_codepoint=0x52F)
names = st.text(
    alphabet=st.characters(
        min_codepoint=0x20, max_codepoint=0x52F, categories=["L", "M", "Zs", "Pd"]
    ),
    max_size=24,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    serial=st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789-/", min_size=1, max_size=20),
    issued=st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2200, 1, 1)),
    days=st.integers(min_value=0, max_value=3650),
    purpose=st.sampled_from(sorted(qr_claims.PURPOSE_CODES)),
    native=names,
    latin=names,
    birth=st.one_of(
        st.tuples(st.dates(), st.sampled_from([4, 7, 10])).map(lambda d: d[0].isoformat()[: d[1]]),
        st.from_regex(r"[12]\d{3}(-\d\d){0,2}", fullmatch=True),
        st.text(alphabet=_short_text, max_size=10),
    ),
    number=st.text(alphabet=_short_text, max_size=10),
    issuer=st.text(alphabet=_short_text, min_size=1, max_size=16).filter(str.strip),
)
def test_letter_round_trip_any_claims(
    key: SigningKey, serial, issued, days, purpose, native, latin, birth, number, issuer
) -> None:
    claims = make_claims(
        serial=serial,
        issued_on=issued,
        expires_on=issued + dt.timedelta(days=days),
        purpose=purpose,
        name_native=native,
        name_latin=latin,
        birth_date=birth,
        document_number=number,
        issuer=issuer,
    )
    letter = qr_claims.decode_letter_qr(qr_claims.encode_letter_qr(claims, key))
    assert letter.claims == claims
    assert letter.signed_by(key.public_key())


def _version_at_m(text: str) -> int:
    version = segno.make_qr(text, error="m", boost_error=False).version
    assert isinstance(version, int)
    return version


def test_long_belarusian_name_fits_a_small_code(key: SigningKey) -> None:
    """The size stated in qr_claims' description: a version 12 code at error correction M."""
    text = qr_claims.encode_letter_qr(make_claims(), key)
    assert len(text) <= 420
    version = _version_at_m(text)
    assert version <= 12
    assert segno.make_qr(text, error="m").mode == "alphanumeric"
    pixels_a_module = 35 / 25.4 * 150 / (17 + 4 * version)
    assert pixels_a_module > 3.1


def test_longest_accepted_text_still_reads_at_35_mm() -> None:
    assert _version_at_m("PRV1:" + "A" * (qr_claims.MAX_QR_TEXT_LENGTH - 5)) == 13
    assert _version_at_m("PRV1:" + "A" * (qr_claims.MAX_QR_TEXT_LENGTH - 4)) == 14


def test_common_name_fits_version_10(key: SigningKey) -> None:
    text = qr_claims.encode_letter_qr(
        make_claims(name_native="Ганна Шведава", name_latin="Hanna Shvedava"), key
    )
    assert _version_at_m(text) <= 10


# --- decoding what is not a letter code ------------------------------------


def _code(signed: bytes) -> str:
    return "PRV1:" + base45.encode(zlib.compress(signed))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "does not begin with PRV1:"),
        ("HC1:6BFOXN", "does not begin with PRV1:"),
        ("https://example.org/letter", "does not begin with PRV1:"),
        ("prv1:BB8", "does not begin with PRV1:"),
        ("PRV2:BB8", "newer version of Praverka"),
        ("PRV1:A", "cannot be decoded"),
        ("PRV1:bb8", "cannot be decoded"),
        ("PRV1:GGW", "cannot be decoded"),
        ("PRV1:" + base45.encode(b"not zlib at all"), "cannot be unpacked"),
        ("PRV1:" + base45.encode(zlib.compress(b"x")[:-3]), "cannot be unpacked"),
        ("PRV1:" + base45.encode(zlib.compress(b"x") + b"junk"), "cannot be unpacked"),
        ("PRV1:" + base45.encode(zlib.compress(bytes(200_000))), "cannot be unpacked"),
        (_code(b"\xff\xff\xff"), "does not hold a signed message"),
        (_code(cbor2.dumps({"hello": "world"})), "does not hold a signed message"),
        (_code(_tagged([GOOD_PROTECTED, {}, b"p"])), "does not hold a signed message"),
        (
            _code(_tagged([cbor2.dumps({1: -35, 4: b"12345678"}), {}, b"p", bytes(64)])),
            "algorithm Praverka uses",
        ),
        (
            _code(_tagged([cbor2.dumps({1: -7, 4: b"1234"}), {}, b"p", bytes(64)])),
            "names its signing key",
        ),
        (_code(_tagged([GOOD_PROTECTED, {}, b"\xff", bytes(64)])), "not in the form"),
        (_code(_tagged([GOOD_PROTECTED, {}, cbor2.dumps([1, 2]), bytes(64)])), "not in the form"),
    ],
)
def test_decode_refuses_malformed_text(text: str, message: str) -> None:
    with pytest.raises(MalformedCode, match=message) as raised:
        qr_claims.decode_letter_qr(text)
    assert str(raised.value).endswith(".")
    assert "\n" not in str(raised.value)


def _signed_payload(key: SigningKey, payload: dict[int, object]) -> str:
    return _code(key.sign(cbor2.dumps(payload)))


def _good_payload() -> dict[int, object]:
    return dict(cbor2.loads(qr_claims.claims_payload(make_claims())))


def _with_letter(**fields: object) -> dict[int, object]:
    payload = _good_payload()
    letter = dict(payload[-65537])  # type: ignore[call-overload]
    for name, value in fields.items():
        number = int(name[1:])
        if value is None:
            del letter[number]
        else:
            letter[number] = value
    payload[-65537] = letter
    return payload


@pytest.mark.parametrize(
    "payload",
    [
        {**_good_payload(), 7: b"cti"},  # an unknown claim
        {k: v for k, v in _good_payload().items() if k != 1},  # no issuer
        {**_good_payload(), 4: 1_809_302_401},  # not a whole day
        {**_good_payload(), 4: 1_793_577_600 - 86_400 * 2},  # expires before issue
        {**_good_payload(), 6: -86_400},
        {**_good_payload(), 6: 86_400 * 10**9},  # beyond year 9999
        {**_good_payload(), 6: 1.5},
        {**_good_payload(), 1: 42},
        {**_good_payload(), -65537: [1, 2]},
        _with_letter(f2=9),  # unknown purpose code
        _with_letter(f2=True),
        _with_letter(f2="bank_account"),
        _with_letter(f1=None),  # no serial
        _with_letter(f1=123),
        _with_letter(f3=b"\x98"),  # undefined in Windows-1251
        _with_letter(f3=5),
        _with_letter(f4=b"latin"),
        _with_letter(f5=123),  # neither YYYY nor YYYYMM nor YYYYMMDD
        _with_letter(f5=-1987),
        _with_letter(f5=1.5),
        _with_letter(f6=7),
        _with_letter(f7="extra"),
    ],
)
def test_decode_refuses_claims_praverka_never_writes(key: SigningKey, payload) -> None:
    with pytest.raises(MalformedCode, match="not in the form Praverka writes"):
        qr_claims.decode_letter_qr(_signed_payload(key, payload))


def test_decode_tolerates_line_ends_but_keeps_spaces(key: SigningKey) -> None:
    text = qr_claims.encode_letter_qr(make_claims(), key)
    assert qr_claims.decode_letter_qr(f"  {text}\r\n").claims == make_claims()


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_decode_of_any_bytes_raises_only_malformed(data: bytes) -> None:
    for text in ("PRV1:" + base45.encode(data), _code(data)):
        with contextlib.suppress(MalformedCode):
            qr_claims.decode_letter_qr(text)


@given(st.text(max_size=200))
def test_decode_of_any_text_raises_only_malformed(text: str) -> None:
    with contextlib.suppress(MalformedCode):
        qr_claims.decode_letter_qr(text)


# ------------------------------------------------------------------ revocation list

ISSUED_AT = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)


def test_revocation_list_round_trip(key: SigningKey) -> None:
    data = revocation_list.sign_revocation_list(
        ["PRV-2026-000002", "PRV-2026-000001", "PRV-2026-000002 "], ISSUED_AT, "Praverka Kyiv", key
    )
    read = revocation_list.read_revocation_list(data, {key.key_id: key.public_key()})
    assert read.serials == frozenset({"PRV-2026-000001", "PRV-2026-000002"})
    assert read.issued_at == ISSUED_AT
    assert read.key_id == key.key_id
    assert read.issuer == "Praverka Kyiv"
    payload = cbor2.loads(cose.decode(data).payload)
    assert payload == {
        1: "Praverka Kyiv",
        6: 1_795_170_600,
        -65538: ["PRV-2026-000001", "PRV-2026-000002"],
    }


def test_empty_revocation_list(key: SigningKey) -> None:
    data = revocation_list.sign_revocation_list([], ISSUED_AT, "Praverka Kyiv", key)
    assert (
        revocation_list.read_revocation_list(data, {key.key_id: key.public_key()}).serials
        == frozenset()
    )


def test_revocation_list_time_zone_kept_as_instant(key: SigningKey) -> None:
    kyiv = dt.timezone(dt.timedelta(hours=2))
    data = revocation_list.sign_revocation_list(
        ["A"], dt.datetime(2026, 11, 20, 12, 30, tzinfo=kyiv), "x", key
    )
    read = revocation_list.read_revocation_list(data, {key.key_id: key.public_key()})
    assert read.issued_at == ISSUED_AT


def test_revocation_list_naive_time_is_a_programming_error(key: SigningKey) -> None:
    with pytest.raises(ValueError):
        revocation_list.sign_revocation_list(["A"], dt.datetime(2026, 11, 20), "x", key)


@pytest.mark.parametrize("serial", ["", "   ", "X" * 65])
def test_revocation_list_refuses_bad_serials(key: SigningKey, serial: str) -> None:
    with pytest.raises(InvalidInput, match="empty or longer"):
        revocation_list.sign_revocation_list(["A", serial], ISSUED_AT, "x", key)


def test_tampered_revocation_list_rejected(key: SigningKey) -> None:
    data = revocation_list.sign_revocation_list(["PRV-2026-000001"], ISSUED_AT, "x", key)
    message = cose.decode(data)
    # A serial taken off the list, the signature kept.
    emptied = cbor2.dumps({1: "x", 6: int(ISSUED_AT.timestamp()), -65538: []})
    forged = cose.encode_message(
        cose.Sign1(message.protected, emptied, message.signature, message.kid)
    )
    with pytest.raises(InvalidInput, match="altered"):
        revocation_list.read_revocation_list(forged, {key.key_id: key.public_key()})
    # One byte of the serial changed.
    flipped = data.replace(b"PRV-2026-000001", b"PRV-2026-000007")
    with pytest.raises(InvalidInput, match="altered"):
        revocation_list.read_revocation_list(flipped, {key.key_id: key.public_key()})


@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bit_flip_in_a_list_is_refused(key: SigningKey, position: int, bit: int) -> None:
    data = bytearray(revocation_list.sign_revocation_list(["PRV-1", "PRV-2"], ISSUED_AT, "x", key))
    data[position % len(data)] ^= 1 << bit
    with pytest.raises(InvalidInput):
        revocation_list.read_revocation_list(bytes(data), {key.key_id: key.public_key()})


def test_revocation_list_from_untrusted_signer_rejected(key: SigningKey) -> None:
    stranger = SigningKey(ec.generate_private_key(ec.SECP256R1()))
    data = revocation_list.sign_revocation_list(["PRV-2026-000001"], ISSUED_AT, "x", stranger)
    with pytest.raises(
        InvalidInput, match=f"signed with key {stranger.key_id}, which is not a trusted"
    ):
        revocation_list.read_revocation_list(data, {key.key_id: key.public_key()})


def test_revocation_list_signed_by_another_key_under_a_trusted_key_id(key: SigningKey) -> None:
    stranger = ec.generate_private_key(ec.SECP256R1())
    payload = cbor2.dumps({1: "x", 6: 0, -65538: []})
    data = cose.sign(payload, bytes.fromhex(key.key_id), stranger)
    with pytest.raises(InvalidInput, match="altered"):
        revocation_list.read_revocation_list(data, {key.key_id: key.public_key()})


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PRV-2026-000001\nPRV-2026-000002\n",
        cbor2.dumps(["PRV-2026-000001"]),  # a list, but unsigned
        b"\x00" * (revocation_list.MAX_LIST_BYTES + 1),
    ],
)
def test_unsigned_revocation_list_rejected(key: SigningKey, data: bytes) -> None:
    with pytest.raises(InvalidInput, match="not a signed Praverka revocation list"):
        revocation_list.read_revocation_list(data, {key.key_id: key.public_key()})


@pytest.mark.parametrize(
    "payload",
    [
        qr_claims.claims_payload(make_claims()),  # a letter's signed content is not a list
        cbor2.dumps({1: "x", 6: 0, -65538: "PRV-1"}),
        cbor2.dumps({1: "x", 6: 0, -65538: [1]}),
        cbor2.dumps({1: "x", 6: 0, -65538: [""]}),
        cbor2.dumps({1: "x", 6: -1, -65538: []}),
        cbor2.dumps({1: "x", 6: True, -65538: []}),
        cbor2.dumps({1: "x", 6: 10**15, -65538: []}),
        cbor2.dumps({1: b"x", 6: 0, -65538: []}),
        cbor2.dumps({1: "x", 6: 0, -65538: [], 4: 0}),
        b"\xff",
    ],
)
def test_signed_content_that_is_not_a_list_rejected(key: SigningKey, payload: bytes) -> None:
    with pytest.raises(InvalidInput, match="not a signed Praverka revocation list"):
        revocation_list.read_revocation_list(key.sign(payload), {key.key_id: key.public_key()})
