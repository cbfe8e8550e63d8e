"""Scans of documents: checking and cleaning files that come from outside.

Every file is treated as hostile.  `prepare_scan` decides what a file really
is from its bytes (never from its name), refuses what is too big, broken or
not a scan, and re-encodes what it keeps so that nothing but the picture
reaches the database:

- JPEG stays JPEG (quality 90) and PNG stays PNG; TIFF becomes PNG.  The
  camera's orientation is applied to the pixels, then every piece of
  metadata is left behind: EXIF (with GPS), XMP, IPTC, ICC profiles (colours
  are converted to sRGB first), comments and text chunks.
- A multi-page TIFF (or an animated PNG, or a JPEG with extra pictures) keeps
  its first page only, and the returned note says so: one scan is one picture,
  and a multi-page document belongs in a PDF.
- A PDF must parse; its pages are copied into a new file, which leaves behind
  the document information, XMP, JavaScript, attachments, forms and
  annotations, and stops encryption.

Files are refused with `InvalidInput`, whose message a person can act on.
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, PdfObject

from praverka.app import records
from praverka.app.errors import InvalidInput
from praverka.app.i18n import N_, _

MAX_BYTES = records.MAX_SCAN_BYTES
MAX_PIXELS = 60_000_000
# Longer PDFs are not scans of one person's documents, and copying them takes long.
MAX_PDF_PAGES = 500
JPEG_QUALITY = 90

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
TIFF = "image/tiff"

ACCEPTED_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".pdf")
_KIND_NAMES = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF", PDF: "PDF"}
_SUFFIX_KINDS = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".png": PNG,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".pdf": PDF,
}
# What a refused file most likely is, so the message can name it.
_OTHER_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"GIF87a", N_("a GIF image")),
    (0, b"GIF89a", N_("a GIF image")),
    (0, b"BM", N_("a BMP image")),
    (8, b"WEBP", N_("a WebP image")),
    (4, b"ftypheic", N_("a HEIC photo")),
    (4, b"ftypheix", N_("a HEIC photo")),
    (4, b"ftypmif1", N_("a HEIF photo")),
    (4, b"ftypavif", N_("an AVIF image")),
    (0, b"PK\x03\x04", N_("a ZIP archive or an office document")),
    (0, b"\xd0\xcf\x11\xe0", N_("an old office document")),
    (0, b"{\\rtf", N_("an RTF document")),
)
_PNG_MODES = frozenset({"1", "L", "LA", "I", "I;16", "I;16B", "P", "RGB", "RGBA"})
_JPEG_MODES = frozenset({"L", "RGB"})
# Page entries that can carry metadata, scripts, attachments or pictures of their own.
_PAGE_KEYS_TO_DROP = ("/Annots", "/AA", "/Metadata", "/PieceInfo", "/Thumb", "/B")


@dataclass(frozen=True)
class PreparedScan:
    """A checked and cleaned file, ready to store.

    For images `width` and `height` are pixels of the upright picture; for a
    PDF they are the first page's size in points (1/72 inch).
    """

    data: bytes
    media_type: str
    width: int
    height: int
    pages: int
    note: str  # what was changed on the way in, for the person importing it; "" if nothing


def kind_name(media_type: str) -> str:
    """JPEG, PNG, TIFF or PDF, as people call them."""
    return _KIND_NAMES.get(media_type, media_type)


def clean_filename(filename: str) -> str:
    """The file's own name without folders or control characters, as it is recorded."""
    base = re.split(r"[\\/]", filename)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:255]


def detect(data: bytes) -> str | None:
    """The media type the content shows, or None when it is not one Praverka keeps."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    # Readers accept the header anywhere in the first kilobyte, and some scanners put junk first.
    if b"%PDF-" in data[:1024]:
        return PDF
    return None


def _describe_other(data: bytes) -> str:
    for offset, signature, name in _OTHER_SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return _(name)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return _("a web page")
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        return _("an XML or SVG file")
    sample = data[:4096]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > 0.95 * len(text):
        return _("text")
    return _("not a picture or a PDF")


def _refuse(filename: str, reason: str) -> InvalidInput:
    name = clean_filename(filename) or _("The file")
    return InvalidInput(_("“{name}” was not added: {reason}").format(name=name, reason=reason))


def prepare_scan(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> PreparedScan:
    """Check a file and return a clean copy to store; `InvalidInput` says why one is refused.

    Safe to call off the GUI thread: it touches neither the database nor Qt.
    """
    if not data:
        raise _refuse(filename, _("the file is empty."))
    if len(data) > max_bytes:
        raise _refuse(filename, _too_big(len(data), max_bytes))
    media_type = detect(data)
    suffix = "." + clean_filename(filename).rsplit(".", 1)[-1].lower() if "." in filename else ""
    named_as = _SUFFIX_KINDS.get(suffix)
    if media_type is None:
        what = _describe_other(data)
        if named_as is not None:
            reason = _("its name says {kind}, but the file is {what}.").format(
                kind=kind_name(named_as), what=what
            )
        else:
            reason = _("the file is {what}.").format(what=what)
        raise _refuse(filename, reason + " " + _("Scans must be JPEG, PNG, TIFF or PDF files."))
    if media_type == PDF:
        prepared = _prepare_pdf(data, filename, max_bytes)
    else:
        prepared = _prepare_image(data, media_type, filename, max_bytes, max_pixels)
    if named_as is not None and named_as != media_type:
        mismatch = _("Its name says {named}, but it is a {kind} file.").format(
            named=kind_name(named_as), kind=kind_name(media_type)
        )
        prepared = PreparedScan(
            prepared.data,
            prepared.media_type,
            prepared.width,
            prepared.height,
            prepared.pages,
            _join(mismatch, prepared.note),
        )
    return prepared


def read_scan_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes for `prepare_scan`, refusing before reading what is too big or not a file.

    A dropped FIFO or device would otherwise block or never end.
    """
    name = os.path.basename(os.fspath(path))
    # Without O_NONBLOCK, opening a FIFO would wait for a writer before fstat could refuse it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        with open(os.open(path, flags), "rb", closefd=True) as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                raise _refuse(name, _("it is not an ordinary file."))
            if info.st_size > max_bytes:
                raise _refuse(name, _too_big(info.st_size, max_bytes))
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise _refuse(name, _("it is a folder; choose the files inside it.")) from None
    except OSError as exc:
        raise _refuse(
            name, _("it could not be read ({reason}).").format(reason=exc.strerror or exc)
        ) from None
    if len(data) > max_bytes:  # it grew while being read
        raise _refuse(name, _too_big(len(data), max_bytes))
    return data


def _too_big(size: int, max_bytes: int) -> str:
    return _("it is {size} MB, and scans may be at most {limit} MB.").format(
        size=_megabytes(size), limit=_megabytes(max_bytes)
    )


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


# ----------------------------------------------------------------- images


def _prepare_image(
    data: bytes, media_type: str, filename: str, max_bytes: int, max_pixels: int
) -> PreparedScan:
    pillow_format = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}[media_type]
    kind = kind_name(media_type)
    damaged = _refuse(filename, _("the {kind} file is damaged or incomplete.").format(kind=kind))
    too_large = _("the picture has more than {mp} million pixels.").format(
        mp=max_pixels // 1_000_000
    )
    try:
        # Opening reads the header only: the size is known before any pixel is decoded.
        image = Image.open(io.BytesIO(data), formats=[pillow_format])
    except Image.DecompressionBombError:
        raise _refuse(filename, too_large) from None
    except Exception:
        raise damaged from None
    with image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise damaged
        if width * height > max_pixels:
            raise _refuse(
                filename,
                too_large
                + " "
                + _("This one is {w} × {h}; scan at a lower resolution.").format(w=width, h=height),
            )
        try:
            frames = int(getattr(image, "n_frames", 1))
        except Exception:
            raise damaged from None
        notes: list[str] = []
        try:
            image.load()
            had_location = _has_location(image)
            upright = ImageOps.exif_transpose(image)
        except Image.DecompressionBombError:
            raise _refuse(filename, too_large) from None
        except Exception:
            raise damaged from None
        if upright.size != (width, height) or _orientation(image) not in (None, 1):
            notes.append(_("Turned upright as the camera recorded it."))
        if had_location:
            notes.append(_("The location where it was taken was removed."))
        if frames > 1:
            notes.append(
                _("The file holds {n} pictures; only the first was kept.").format(n=frames)
                + " "
                + _("Add several pages as a PDF, or as one file per page.")
            )
        try:
            out_type, encoded = _encode_clean(upright, media_type)
        except Exception:
            raise damaged from None
    if media_type == TIFF:
        notes.append(_("Converted from TIFF to PNG."))
    if len(encoded) > max_bytes:
        raise _refuse(
            filename,
            _("once cleaned it is {size} MB, and scans may be at most {limit} MB.").format(
                size=_megabytes(len(encoded)), limit=_megabytes(max_bytes)
            ),
        )
    return PreparedScan(encoded, out_type, upright.width, upright.height, 1, _join(*notes))


def _orientation(image: Image.Image) -> int | None:
    try:
        value = image.getexif().get(0x0112)
    except Exception:
        return None
    return value if isinstance(value, int) else None


def _has_location(image: Image.Image) -> bool:
    try:
        return bool(image.getexif().get_ifd(0x8825))
    except Exception:
        return False


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours as the embedded profile meant them, so dropping the profile changes nothing."""
    icc = image.info.get("icc_profile")
    target_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=target_mode
            )
        except Exception:  # a broken or odd profile: keep the numbers as they are
            converted = None
        if converted is not None:
            return converted
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


def _encode_clean(image: Image.Image, media_type: str) -> tuple[str, bytes]:
    """The pixels alone, in a new file: no EXIF, XMP, ICC, comments or text chunks.

    `image` is a copy of the import's own and is changed here.
    """
    transparency = image.info.get("transparency")
    image = _to_srgb(image)
    buffer = io.BytesIO()
    if media_type == JPEG:
        if image.mode not in _JPEG_MODES:
            image = image.convert("RGB")
        image.info = {}
        image.save(buffer, "JPEG", quality=JPEG_QUALITY)
        return JPEG, buffer.getvalue()
    if image.mode not in _PNG_MODES:
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    # Transparency is part of the picture, not metadata.
    image.info = {"transparency": transparency} if transparency is not None else {}
    image.save(buffer, "PNG")
    return PNG, buffer.getvalue()


# ----------------------------------------------------------------- PDF


def _prepare_pdf(data: bytes, filename: str, max_bytes: int) -> PreparedScan:
    damaged = _refuse(filename, _("the PDF is damaged, incomplete, or not really a PDF."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise _refuse(
                    filename,
                    _("the PDF is protected by a password. Save an unprotected copy first."),
                )
        count = len(reader.pages)
        if count == 0:
            raise _refuse(filename, _("the PDF has no pages."))
        if count > MAX_PDF_PAGES:
            raise _refuse(
                filename,
                _("the PDF has {n} pages, and a scan may have at most {limit}.").format(
                    n=count, limit=MAX_PDF_PAGES
                ),
            )
        first = reader.pages[0]
        width = round(float(first.mediabox.width))
        height = round(float(first.mediabox.height))
        writer = PdfWriter()
        for page in reader.pages:
            copied = writer.add_page(page)
            _strip_page(copied)
        writer.metadata = None
        buffer = io.BytesIO()
        writer.write(buffer)
        cleaned = buffer.getvalue()
        # What was written must read back the same, or the copy is not to be trusted.
        if len(PdfReader(io.BytesIO(cleaned), strict=False).pages) != count:
            raise damaged
    except InvalidInput:
        raise
    except Exception:
        raise damaged from None
    if width <= 0 or height <= 0:
        raise damaged
    if len(cleaned) > max_bytes:
        raise _refuse(
            filename,
            _("once cleaned it is {size} MB, and scans may be at most {limit} MB.").format(
                size=_megabytes(len(cleaned)), limit=_megabytes(max_bytes)
            ),
        )
    return PreparedScan(cleaned, PDF, width, height, count, "")


def _strip_page(page: DictionaryObject) -> None:
    for key in _PAGE_KEYS_TO_DROP:
        if key in page:
            del page[NameObject(key)]
    for obj in _resource_objects(page):
        if "/Metadata" in obj:
            del obj[NameObject("/Metadata")]


def _resource_objects(page: DictionaryObject) -> Iterator[DictionaryObject]:
    """The page's pictures and forms, nested ones too, each once."""
    seen: set[int] = set()
    pending: list[PdfObject] = [page]
    while pending:
        holder = pending.pop().get_object()
        if not isinstance(holder, DictionaryObject) or id(holder) in seen:
            continue
        seen.add(id(holder))
        resources = holder.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            continue
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject):
            continue
        for value in xobjects.values():
            obj = value.get_object()
            if isinstance(obj, DictionaryObject):
                yield obj
                pending.append(obj)
