"""Verdicts on letter codes, and reading codes from PDFs, scans and photos."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from pathlib import Path

import cbor2
import pytest
import segno
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageFilter, ImageStat
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from praverka.app import verification
from praverka.app.errors import InvalidInput
from praverka.app.security import base45, cose, keys, qr_claims
from praverka.app.security.keys import PublicKey, SigningKey
from praverka.app.security.qr_claims import LetterClaims
from praverka.app.verification import (
    MAX_PDF_PAGES,
    Verdict,
    VerifyResult,
    read_qr_texts,
    verify_file,
    verify_qr_text,
)

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return keys.unlock(keys.generate_key_pair("correct-horse-battery"), "correct-horse-battery")


@pytest.fixture(scope="module")
def trusted(key: SigningKey) -> dict[str, PublicKey]:
    return {key.key_id: key.public_key()}


def make_claims(**changes: object) -> LetterClaims:
    values: dict[str, object] = {
        "serial": "PRV-2026-000123",
        "issued_on": dt.date(2026, 11, 2),
        "expires_on": dt.date(2027, 5, 2),
        "purpose": "border_crossing",
        "name_native": "Аляксандра Уладзіміраўна Кастрычніцкая-Барысевіч",
        "name_latin": "Aliaksandra Uladzimiraŭna Kastrychnitskaya-Barysevich",
        "birth_date": "1987-03",
        "document_number": "MP1234567",
        "issuer": "Praverka Kyiv",
    }
    values.update(changes)
    return LetterClaims(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def code(key: SigningKey) -> str:
    return qr_claims.encode_letter_qr(make_claims(), key)


def verify(
    text: str,
    trusted: dict[str, PublicKey],
    revoked: frozenset[str] = frozenset(),
    today: dt.date = TODAY,
) -> VerifyResult:
    return verify_qr_text(text, trusted, revoked, today)


def _reencode(text: str, payload: bytes) -> str:
    """`text` with its payload replaced and everything else, the signature too, kept."""
    message = cose.decode(zlib.decompress(base45.decode(text[len("PRV1:") :])))
    forged = cose.Sign1(message.protected, payload, message.signature, message.kid)
    return "PRV1:" + base45.encode(zlib.compress(cose.encode_message(forged)))


# ------------------------------------------------------------------ verdicts


def test_labels_and_exit_codes() -> None:
    assert [(v.label, v.exit_code) for v in Verdict] == [
        ("VALID", 0),
        ("INVALID signature", 3),
        ("UNKNOWN key", 4),
        ("EXPIRED", 5),
        ("REVOKED", 6),
        ("NOT FOUND", 7),
    ]


def test_valid(code: str, trusted: dict[str, PublicKey], key: SigningKey) -> None:
    result = verify(code, trusted)
    assert result.verdict is Verdict.VALID
    assert result.claims == make_claims()
    assert result.key_id == key.key_id
    assert "PRV-2026-000123" in result.detail
    assert "2027-05-02" in result.detail


def test_valid_through_the_last_day_expired_the_day_after(
    code: str, trusted: dict[str, PublicKey]
) -> None:
    assert verify(code, trusted, today=dt.date(2027, 5, 2)).verdict is Verdict.VALID
    result = verify(code, trusted, today=dt.date(2027, 5, 3))
    assert result.verdict is Verdict.EXPIRED
    assert result.detail == "Letter PRV-2026-000123 expired on 2027-05-02."
    assert result.claims == make_claims()


def test_revoked(code: str, trusted: dict[str, PublicKey]) -> None:
    result = verify(code, trusted, revoked=frozenset({"PRV-2026-000123"}))
    assert result.verdict is Verdict.REVOKED
    assert "PRV-2026-000123" in result.detail
    assert result.claims == make_claims()
    assert verify(code, trusted, revoked=frozenset({"PRV-2026-000124"})).verdict is Verdict.VALID


def test_revoked_wins_over_expired(code: str, trusted: dict[str, PublicKey]) -> None:
    result = verify(
        code, trusted, revoked=frozenset({"PRV-2026-000123"}), today=dt.date(2030, 1, 1)
    )
    assert result.verdict is Verdict.REVOKED


def test_unknown_key(code: str, key: SigningKey) -> None:
    stranger = SigningKey(ec.generate_private_key(ec.SECP256R1()))
    result = verify(code, {stranger.key_id: stranger.public_key()})
    assert result.verdict is Verdict.UNKNOWN_KEY
    assert result.key_id == key.key_id
    assert key.key_id in result.detail
    assert result.claims is None
    assert verify(code, {}).verdict is Verdict.UNKNOWN_KEY


def test_signed_by_another_untrusted_key(trusted: dict[str, PublicKey]) -> None:
    stranger = SigningKey(ec.generate_private_key(ec.SECP256R1()))
    text = qr_claims.encode_letter_qr(make_claims(), stranger)
    result = verify(text, trusted)
    assert result.verdict is Verdict.UNKNOWN_KEY
    assert result.key_id == stranger.key_id


def test_trusted_key_id_but_signed_by_another_key(
    key: SigningKey, trusted: dict[str, PublicKey]
) -> None:
    stranger = ec.generate_private_key(ec.SECP256R1())
    signed = cose.sign(qr_claims.claims_payload(make_claims()), bytes.fromhex(key.key_id), stranger)
    text = "PRV1:" + base45.encode(zlib.compress(signed))
    result = verify(text, trusted)
    assert result.verdict is Verdict.INVALID
    assert result.detail == (
        "The letter's signature does not match its contents: it was altered or forged."
    )
    assert result.claims is None


def test_unknown_key_wins_over_revoked_and_expired(code: str) -> None:
    result = verify(code, {}, revoked=frozenset({"PRV-2026-000123"}), today=dt.date(2030, 1, 1))
    assert result.verdict is Verdict.UNKNOWN_KEY


def _payload_changes() -> list[tuple[str, object, object]]:
    return [
        ("iss", 1, "Praverka Minsk"),
        ("exp", 4, 1_893_456_000),  # 2030-01-01
        ("iat", 6, 1_767_225_600),  # 2026-01-01
        ("serial", (-65537, 1), "PRV-2026-000124"),
        ("purpose", (-65537, 2), 2),
        ("name_native", (-65537, 3), "Аляксандра Кастрычніцкая".encode("cp1251")),
        ("name_latin", (-65537, 4), "Aliaksandra Kastrychnitskaya"),
        ("birth_date", (-65537, 5), 19870314),
        ("document_number", (-65537, 6), "MP7654321"),
    ]


@pytest.mark.parametrize(("field", "where", "value"), _payload_changes(), ids=lambda x: str(x))
def test_any_changed_field_invalidates(
    code: str, trusted: dict[str, PublicKey], field: str, where: object, value: object
) -> None:
    payload = cbor2.loads(qr_claims.claims_payload(make_claims()))
    payload = {k: (dict(v) if isinstance(v, dict) else v) for k, v in payload.items()}
    if isinstance(where, tuple):
        payload[where[0]][where[1]] = value
    else:
        payload[where] = value
    forged = _reencode(code, cbor2.dumps(payload))
    # The forged code is well formed: only the signature gives it away.
    assert qr_claims.decode_letter_qr(forged).claims != make_claims()
    result = verify(forged, trusted, revoked=frozenset({"PRV-2026-000123"}))
    assert result.verdict is Verdict.INVALID, field
    assert result.claims is None


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_bit_flip_in_the_signed_message_is_never_valid(
    key: SigningKey, trusted: dict[str, PublicKey], position: int, bit: int
) -> None:
    signed = bytearray(key.sign(qr_claims.claims_payload(make_claims())))
    signed[position % len(signed)] ^= 1 << bit
    text = "PRV1:" + base45.encode(zlib.compress(bytes(signed)))
    assert verify(text, trusted).verdict in (
        Verdict.NOT_FOUND,
        Verdict.INVALID,
        Verdict.UNKNOWN_KEY,
    )


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "does not begin with PRV1:"),
        ("HC1:NCFOXN%TS3DH", "does not begin with PRV1:"),
        ("PRV1:bb8", "characters that cannot be decoded"),
        ("PRV1:" + base45.encode(b"no zlib here"), "cannot be unpacked"),
        ("PRV1:" + base45.encode(zlib.compress(b"\xff\xfe")), "does not hold a signed message"),
        (
            "PRV1:" + base45.encode(zlib.compress(cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b""])))),
            "does not hold a signed message",
        ),
        (
            "PRV1:"
            + base45.encode(
                zlib.compress(
                    cbor2.dumps(
                        cbor2.CBORTag(
                            18, [cbor2.dumps({1: -8, 4: b"12345678"}), {}, b"", bytes(64)]
                        )
                    )
                )
            ),
            "algorithm Praverka uses (ES256)",
        ),
    ],
)
def test_malformed_texts_are_not_found(
    trusted: dict[str, PublicKey], text: str, detail: str
) -> None:
    result = verify(text, trusted)
    assert result.verdict is Verdict.NOT_FOUND
    assert detail in result.detail
    assert result.claims is None
    assert result.key_id is None


@given(st.text(max_size=300))
def test_any_text_gives_a_verdict_never_an_exception(text: str) -> None:
    result = verify_qr_text(text, {}, frozenset(), TODAY)
    assert result.verdict is Verdict.NOT_FOUND
    assert result.detail


# ------------------------------------------------------------------ files

SCAN_DPI = 150


def _qr_image(text: str, width_mm: float, dpi: int = SCAN_DPI) -> Image.Image:
    """The code as a printer puts it on paper and a scanner reads it back: `width_mm` wide at `dpi`.

    segno draws one pixel a module; resizing with BOX averaging gives the grey
    edges of a real scan, and a module is then a fraction of pixels wide.
    """
    qr = segno.make_qr(text, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=1, border=0)
    modules = Image.open(buffer).convert("L")
    side = round(width_mm / 25.4 * dpi)
    code = modules.resize((side, side), Image.Resampling.BOX)
    margin = round(8 / 25.4 * dpi)  # the paper around the code
    page = Image.new("L", (side + 2 * margin, side + 2 * margin), 255)
    page.paste(code, (margin, margin))
    return page


@pytest.mark.parametrize("width_mm", [35, 38, 40])
@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_scan_at_150_dpi(tmp_path: Path, code: str, width_mm: int, kind: str) -> None:
    image = _qr_image(code, width_mm)
    assert 200 <= image.width - 2 * round(8 / 25.4 * SCAN_DPI) <= 240
    path = tmp_path / f"scan.{kind.lower()}"
    image.save(path, kind, **({"quality": 85} if kind == "JPEG" else {}))
    assert read_qr_texts(path) == [code]


def test_photo_of_a_letter(tmp_path: Path, code: str) -> None:
    """Held by hand: a few degrees off, slightly out of focus, a cheap JPEG."""
    page = _qr_image(code, 35, dpi=SCAN_DPI).convert("RGB")
    photo = page.rotate(
        4, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(246, 244, 236)
    )
    photo = photo.filter(ImageFilter.GaussianBlur(0.8))
    path = tmp_path / "photo.jpg"
    photo.save(path, "JPEG", quality=70)
    assert read_qr_texts(path) == [code]


def test_photo_with_exif_orientation(tmp_path: Path, code: str) -> None:
    """A phone stores the picture sideways and says so in EXIF; it is turned upright first."""
    code_image = _qr_image(code, 40)
    upright_page = Image.new("L", (code_image.width + 300, code_image.height), 255)
    upright_page.paste(code_image, (0, 0))
    stored = upright_page.rotate(90, expand=True)  # as the sensor saw it
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to view"
    path = tmp_path / "phone.jpg"
    stored.convert("RGB").save(path, "JPEG", quality=80, exif=exif)
    assert read_qr_texts(path) == [code]
    upright = verification._picture(path.read_bytes(), "JPEG", path.name)
    assert upright.mode == "L"
    assert upright.size == upright_page.size
    difference = ImageChops.difference(upright, upright_page)
    assert ImageStat.Stat(difference).mean[0] < 5  # only JPEG noise, the same picture


def test_largest_accepted_code_reads_at_35_mm(tmp_path: Path, key: SigningKey) -> None:
    """A version 13 code, the largest `encode_letter_qr` writes, from a 150 dpi scan and a photo."""
    text = qr_claims.encode_letter_qr(
        make_claims(issuer="Belarusian Crisis Centre in Kyiv, Ukraine"), key
    )
    assert segno.make_qr(text, error="m", boost_error=False).version == 13
    scan = _qr_image(text, 35)
    scan.save(tmp_path / "scan.png")
    assert read_qr_texts(tmp_path / "scan.png") == [text]
    photo = scan.rotate(-3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=250)
    photo.filter(ImageFilter.GaussianBlur(0.6)).save(tmp_path / "photo.jpg", quality=70)
    assert read_qr_texts(tmp_path / "photo.jpg") == [text]


def test_transparent_png(tmp_path: Path, code: str) -> None:
    grey = _qr_image(code, 40)
    rgba = Image.new("RGBA", grey.size, (0, 0, 0, 0))
    rgba.putalpha(grey.point(lambda value: 255 - value))  # black where the code is dark
    path = tmp_path / "transparent.png"
    rgba.save(path)
    assert read_qr_texts(path) == [code]


def _letter_pdf(texts: list[str], pages: int = 1) -> bytes:
    """An A4 PDF drawing each code's modules as rectangles, 38 mm wide, as a letter does."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page_number in range(pages):
        pdf.drawString(20 * mm, 280 * mm, f"Attestation letter, page {page_number + 1}")
        if page_number == 0:
            for index, text in enumerate(texts):
                qr = segno.make_qr(text, error="m")
                size = len(qr.matrix)
                module = 38 * mm / size
                left, top = 20 * mm + index * 60 * mm, 250 * mm
                for row, line in enumerate(qr.matrix):
                    for column, dark in enumerate(line):
                        if dark:
                            pdf.rect(
                                left + column * module,
                                top - (row + 1) * module,
                                module,
                                module,
                                stroke=0,
                                fill=1,
                            )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_letter_pdf(tmp_path: Path, code: str, trusted: dict[str, PublicKey]) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(_letter_pdf([code]))
    assert read_qr_texts(path) == [code]
    result = verify_file(path, trusted, frozenset(), TODAY)
    assert result.verdict is Verdict.VALID
    assert result.claims == make_claims()


def test_letter_codes_come_first(tmp_path: Path, code: str) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(_letter_pdf(["https://example.org/", code]))
    assert read_qr_texts(path) == [code, "https://example.org/"]


def test_kind_is_read_from_the_bytes_not_the_name(tmp_path: Path, code: str) -> None:
    png_named_pdf = tmp_path / "scan.pdf"
    _qr_image(code, 38).save(png_named_pdf, "PNG")
    assert read_qr_texts(png_named_pdf) == [code]
    pdf_named_jpg = tmp_path / "letter.jpg"
    pdf_named_jpg.write_bytes(_letter_pdf([code]))
    assert read_qr_texts(pdf_named_jpg) == [code]


def test_file_without_a_code(tmp_path: Path, trusted: dict[str, PublicKey]) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(_letter_pdf([]))
    assert read_qr_texts(path) == []
    result = verify_file(path, trusted, frozenset(), TODAY)
    assert result.verdict is Verdict.NOT_FOUND
    assert result.detail == "No QR code was found in blank.pdf."


def test_file_with_someone_elses_code(tmp_path: Path, trusted: dict[str, PublicKey]) -> None:
    path = tmp_path / "other.png"
    _qr_image("https://example.org/", 38).save(path)
    result = verify_file(path, trusted, frozenset(), TODAY)
    assert result.verdict is Verdict.NOT_FOUND
    assert "not a Praverka letter code" in result.detail


def test_file_with_a_genuine_and_a_forged_code(
    tmp_path: Path, code: str, trusted: dict[str, PublicKey], key: SigningKey
) -> None:
    forged = _reencode(code, qr_claims.claims_payload(make_claims(serial="PRV-2026-000999")))
    path = tmp_path / "both.pdf"
    path.write_bytes(_letter_pdf([code, forged]))
    result = verify_file(path, trusted, frozenset(), TODAY)
    assert result.verdict is Verdict.INVALID
    assert "2 letter codes" in result.detail


def test_file_verdicts_follow_the_code(
    tmp_path: Path, code: str, trusted: dict[str, PublicKey]
) -> None:
    path = tmp_path / "letter.png"
    _qr_image(code, 38).save(path)
    assert verify_file(path, trusted, frozenset(), TODAY).verdict is Verdict.VALID
    assert verify_file(path, {}, frozenset(), TODAY).verdict is Verdict.UNKNOWN_KEY
    revoked = verify_file(path, trusted, frozenset({"PRV-2026-000123"}), TODAY)
    assert revoked.verdict is Verdict.REVOKED
    assert verify_file(path, trusted, frozenset(), dt.date(2027, 6, 1)).verdict is Verdict.EXPIRED


# --- hostile and broken files -------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, with almost no picture behind it."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (100_000, 100_000),  # beyond Pillow's own bomb limit
        (10_000, 10_000),  # between Pillow's warning and its error
        (8_000, 8_000),  # 64 million: above Praverka's 60
    ],
)
def test_huge_png_refused_before_decoding(tmp_path: Path, width: int, height: int) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header_only(width, height))
    with pytest.raises(InvalidInput, match="more than 60 million pixels"):
        read_qr_texts(path)


def test_too_large_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as stream:
        stream.write(b"%PDF-1.7\n")
        stream.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(InvalidInput, match="larger than 50 MB"):
        read_qr_texts(path)


def test_too_many_pages_refused(tmp_path: Path) -> None:
    path = tmp_path / "bundle.pdf"
    path.write_bytes(_letter_pdf([], pages=MAX_PDF_PAGES + 1))
    with pytest.raises(InvalidInput, match=f"has {MAX_PDF_PAGES + 1} pages"):
        read_qr_texts(path)


DAMAGED = "the file is damaged or incomplete."
PDF_DAMAGED = "the PDF is damaged, incomplete or protected by a password."
OTHER_KIND = "Praverka reads PDF, PNG and JPEG files."


def _broken_files(code: str) -> list[tuple[str, bytes, str]]:
    png = io.BytesIO()
    _qr_image(code, 38).save(png, "PNG")
    jpeg = io.BytesIO()
    _qr_image(code, 38).save(jpeg, "JPEG")
    pdf = _letter_pdf([code])
    return [
        ("truncated.png", png.getvalue()[: len(png.getvalue()) // 2], DAMAGED),
        ("header-only.png", png.getvalue()[:40], DAMAGED),
        ("bad-crc.png", png.getvalue()[:29] + b"\x00\x00\x00\x00" + png.getvalue()[33:], DAMAGED),
        ("truncated.jpg", jpeg.getvalue()[:300], DAMAGED),
        ("truncated.pdf", pdf[: len(pdf) // 3], PDF_DAMAGED),
        ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, PDF_DAMAGED),
        ("empty-header.pdf", b"%PDF-", PDF_DAMAGED),
        ("empty.png", b"", OTHER_KIND),
        ("text.png", b"This is not a picture.\n", OTHER_KIND),
        ("random.jpg", bytes(range(256)) * 4, OTHER_KIND),
        ("gif.png", b"GIF89a" + bytes(100), OTHER_KIND),
    ]


def test_broken_files_refused(tmp_path: Path, code: str) -> None:
    for name, data, reason in _broken_files(code):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InvalidInput) as raised:
            read_qr_texts(path)
        assert str(raised.value) == f"{name} is not a readable PDF or image: {reason}", name


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="could not be read"):
        read_qr_texts(tmp_path / "nowhere.pdf")
    with pytest.raises(InvalidInput, match="could not be read"):
        read_qr_texts(tmp_path)


def test_broken_file_in_verify_file(tmp_path: Path, trusted: dict[str, PublicKey]) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    with pytest.raises(InvalidInput, match="not a readable PDF or image"):
        verify_file(path, trusted, frozenset(), TODAY)
