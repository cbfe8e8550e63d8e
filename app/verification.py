"""Checking a letter's QR code offline: from its text, or from a PDF, a scan or a photo.

The checks run in a fixed order and the first that fails decides the verdict:

1. NOT FOUND: no code, or not a well-formed Praverka letter code;
2. UNKNOWN key: signed with a key that is not among the trusted ones;
3. INVALID signature: the signature does not match the content;
4. REVOKED: the issuer revoked the letter;
5. EXPIRED: today is after the last day of validity;
6. VALID.

Only a code whose signature checked out gives its claims back (REVOKED,
EXPIRED, VALID): what an unverified code says is never shown as if it were
the letter's content.

Files are hostile: `read_qr_texts` tells a PDF, PNG or JPEG from its first
bytes, not its name, and refuses (`InvalidInput`) what is too large, damaged
or something else, before decoding any pixel it cannot afford.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import math
import warnings
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
import zxingcpp
from PIL import Image, ImageOps

from praverka.app.errors import InvalidInput
from praverka.app.i18n import N_, _
from praverka.app.security.keys import PublicKey
from praverka.app.security.qr_claims import (
    QR_PREFIX,
    LetterClaims,
    MalformedCode,
    decode_letter_qr,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 60_000_000
RENDER_DPI = 200
# A letter is a page or two; a longer PDF is a bundle to split first, and
# rendering hundreds of pages would keep the desk busy for minutes.
MAX_PDF_PAGES = 50

_PDF_MAGIC = b"%PDF-"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
# PDF readers accept a header anywhere in the first kilobyte.
_PDF_HEADER_WINDOW = 1024


class Verdict(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN_KEY = "unknown_key"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_FOUND = "not_found"

    @property
    def label(self) -> str:
        return _(_LABELS[self])

    @property
    def exit_code(self) -> int:
        return _EXIT_CODES[self]


_LABELS = {
    Verdict.VALID: N_("VALID"),
    Verdict.INVALID: N_("INVALID signature"),
    Verdict.UNKNOWN_KEY: N_("UNKNOWN key"),
    Verdict.EXPIRED: N_("EXPIRED"),
    Verdict.REVOKED: N_("REVOKED"),
    Verdict.NOT_FOUND: N_("NOT FOUND"),
}
_EXIT_CODES = {
    Verdict.VALID: 0,
    Verdict.INVALID: 3,
    Verdict.UNKNOWN_KEY: 4,
    Verdict.EXPIRED: 5,
    Verdict.REVOKED: 6,
    Verdict.NOT_FOUND: 7,
}


@dataclass(frozen=True)
class VerifyResult:
    verdict: Verdict
    claims: LetterClaims | None
    key_id: str | None
    detail: str


# ------------------------------------------------------------------ codes


def verify_qr_text(
    text: str, trusted: Mapping[str, PublicKey], revoked: Collection[str], today: dt.date
) -> VerifyResult:
    try:
        letter = decode_letter_qr(text)
    except MalformedCode as error:
        return VerifyResult(Verdict.NOT_FOUND, None, None, str(error))
    key = trusted.get(letter.key_id)
    if key is None:
        return VerifyResult(
            Verdict.UNKNOWN_KEY,
            None,
            letter.key_id,
            _(
                "The letter was signed with key {key_id}, which is not a trusted key: "
                "import the issuer's public key, or treat the letter as forged."
            ).format(key_id=letter.key_id),
        )
    if not letter.signed_by(key):
        return VerifyResult(
            Verdict.INVALID,
            None,
            letter.key_id,
            _("The letter's signature does not match its contents: it was altered or forged."),
        )
    claims = letter.claims
    if claims.serial in revoked:
        return VerifyResult(
            Verdict.REVOKED,
            claims,
            letter.key_id,
            _("Letter {serial} was revoked by its issuer and must not be relied on.").format(
                serial=claims.serial
            ),
        )
    if today > claims.expires_on:
        return VerifyResult(
            Verdict.EXPIRED,
            claims,
            letter.key_id,
            _("Letter {serial} expired on {date}.").format(
                serial=claims.serial, date=claims.expires_on.isoformat()
            ),
        )
    return VerifyResult(
        Verdict.VALID,
        claims,
        letter.key_id,
        _("Letter {serial} is genuine, signed by {issuer}, and valid until {date}.").format(
            serial=claims.serial, issuer=claims.issuer, date=claims.expires_on.isoformat()
        ),
    )


def verify_file(
    path: Path, trusted: Mapping[str, PublicKey], revoked: Collection[str], today: dt.date
) -> VerifyResult:
    """The verdict on the letter code in a PDF or picture; InvalidInput when the file is unreadable."""
    texts = read_qr_texts(path)
    if not texts:
        return VerifyResult(
            Verdict.NOT_FOUND,
            None,
            None,
            _("No QR code was found in {name}.").format(name=path.name),
        )
    letter_texts = [text for text in texts if text.startswith(QR_PREFIX)]
    if not letter_texts:
        return VerifyResult(
            Verdict.NOT_FOUND,
            None,
            None,
            _("{name} holds a QR code, but not a Praverka letter code.").format(name=path.name),
        )
    results = [verify_qr_text(text, trusted, revoked, today) for text in letter_texts]
    # A file with several letter codes passes only if all of them do: a genuine
    # code next to a forged one must not make the file look genuine.
    failed = [result for result in results if result.verdict is not Verdict.VALID]
    if len(results) > 1 and failed:
        first = failed[0]
        return VerifyResult(
            first.verdict,
            first.claims,
            first.key_id,
            first.detail
            + " "
            + _("The file holds {n} letter codes; this is the first that failed.").format(
                n=len(results)
            ),
        )
    return results[0]


# ------------------------------------------------------------------ files


def read_qr_texts(path: Path) -> list[str]:
    """The texts of the QR codes in a PDF, PNG or JPEG file, Praverka letter codes first."""
    data = _read_file(path)
    name = path.name
    if _PDF_MAGIC in data[:_PDF_HEADER_WINDOW]:
        pictures = _pdf_pages(data, name)
    elif data.startswith(_PNG_MAGIC):
        pictures = iter([_picture(data, "PNG", name)])
    elif data.startswith(_JPEG_MAGIC):
        pictures = iter([_picture(data, "JPEG", name)])
    else:
        raise InvalidInput(
            _(
                "{name} is not a readable PDF or image: Praverka reads PDF, PNG and JPEG files."
            ).format(name=name)
        )
    texts: list[str] = []
    # Made per call: a module-level BarcodeFormats outlives the extension at exit and
    # makes nanobind report a leak.
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    for picture in pictures:
        for barcode in zxingcpp.read_barcodes(picture, formats=qr_only):
            if barcode.text and barcode.text not in texts:
                texts.append(barcode.text)
    # Stable: letter codes first, each group in the order found.
    return sorted(texts, key=lambda text: not text.startswith(QR_PREFIX))


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(path.name)
        with path.open("rb") as stream:
            # The size read again: the file may have grown since stat().
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InvalidInput(
            _("{name} could not be read: {reason}.").format(
                name=path.name, reason=error.strerror or type(error).__name__
            )
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path.name)
    return data


def _too_large(name: str) -> InvalidInput:
    return InvalidInput(
        _("{name} is larger than {limit} MB, far more than a letter or a scan of one.").format(
            name=name, limit=MAX_FILE_BYTES // (1024 * 1024)
        )
    )


def _damaged(name: str) -> InvalidInput:
    return InvalidInput(
        _("{name} is not a readable PDF or image: the file is damaged or incomplete.").format(
            name=name
        )
    )


def _too_many_pixels(name: str) -> InvalidInput:
    return InvalidInput(
        _(
            "{name} is not a readable PDF or image: the picture has more than {mp} million pixels."
        ).format(name=name, mp=MAX_PIXELS // 1_000_000)
    )


def _picture(data: bytes, pillow_format: str, name: str) -> Image.Image:
    """The picture, upright and grey, decoded only once its size is known to be affordable."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; refuse there too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except Exception:
        raise _damaged(name) from None
    with image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise _damaged(name)
        if width * height > MAX_PIXELS:
            raise _too_many_pixels(name)
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return _grey_on_white(upright)
        except Exception:
            raise _damaged(name) from None


def _grey_on_white(image: Image.Image) -> Image.Image:
    # A code drawn on a transparent background would turn black on black.
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L")


def _pdf_pages(data: bytes, name: str) -> Iterator[Image.Image]:
    """Each page rendered at about RENDER_DPI, fewer dots on a page too large for MAX_PIXELS."""
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception:
        raise InvalidInput(
            _(
                "{name} is not a readable PDF or image: the PDF is damaged, incomplete "
                "or protected by a password."
            ).format(name=name)
        ) from None
    try:
        pages = len(document)
        if pages > MAX_PDF_PAGES:
            raise InvalidInput(
                _(
                    "{name} has {n} pages, more than a letter ever has; "
                    "save the letter's own pages as a PDF and check that."
                ).format(name=name, n=pages)
            )
        for index in range(pages):
            yield _render_page(document, index, name)
    finally:
        document.close()


def _render_page(document: pypdfium2.PdfDocument, index: int, name: str) -> Image.Image:
    try:
        page = document[index]
        try:
            width, height = page.get_size()
            if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
                raise _damaged(name)
            scale = RENDER_DPI / 72
            if width * height * scale * scale > MAX_PIXELS:
                scale = math.sqrt(MAX_PIXELS / (width * height))
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                # The PIL view shares the bitmap's memory, which close() frees: copy first.
                image: Image.Image = bitmap.to_pil().convert("L").copy()
            finally:
                bitmap.close()
        finally:
            page.close()
    except InvalidInput:
        raise
    except Exception:
        raise _damaged(name) from None
    return image
