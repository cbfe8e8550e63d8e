"""Importing scans: real types from content, limits, metadata stripped, refusals change nothing."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageFile, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select

from praverka.app import records, scans
from praverka.app.errors import InvalidInput
from praverka.db.models import AuditEvent, DocumentScan, Scan
from tests.factories import new_case

SECRET = "Secret Person"


def _two_colour(size: tuple[int, int] = (60, 30)) -> Image.Image:
    """Red on the left half, blue on the right: which way up it is shows in the pixels."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def _noise(size: tuple[int, int]) -> Image.Image:
    return Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))


def jpeg_with_gps_and_orientation() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.ImageDescription] = SECRET
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 54.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (27.0, 33.0, 0.0),
    }
    buffer = io.BytesIO()
    _two_colour().save(
        buffer,
        "JPEG",
        exif=exif,
        comment=SECRET.encode(),
        xmp=f"<x:xmpmeta>{SECRET}</x:xmpmeta>".encode(),
        icc_profile=b"not really a profile",
    )
    return buffer.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)
    info.add_text("Comment", SECRET, zip=True)
    info.add_itxt("Description", SECRET, lang="be", tkey="Апісанне")
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = SECRET
    _two_colour().save(buffer, "PNG", pnginfo=info, exif=exif, dpi=(300, 300))
    return buffer.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    found, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        found.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return found


def tiff(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    first = _two_colour()
    extra = [_two_colour((30, 30)) for _ in range(pages - 1)]
    first.save(
        buffer,
        "TIFF",
        tiffinfo={270: SECRET, 315: SECRET},
        save_all=pages > 1,
        append_images=extra,
    )
    return buffer.getvalue()


def pdf_with_metadata() -> bytes:
    picture = io.BytesIO()
    _two_colour((200, 100)).save(picture, "PDF", title=SECRET, author=SECRET)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(picture.getvalue())))
    writer.add_metadata({"/Author": SECRET, "/Title": SECRET, "/Creator": "SpyScanner"})
    writer.xmp_metadata = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:creator>" + SECRET.encode() + b"</dc:creator></rdf:Description></rdf:RDF>"
        b'</x:xmpmeta><?xpacket end="w"?>'
    )
    writer.add_attachment("secret.txt", SECRET.encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of the given size, a few kilobytes on disk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    idat = b"".join(parts) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


# ----------------------------------------------------------------- preparing


def test_jpeg_is_turned_upright_and_loses_every_piece_of_metadata():
    prepared = scans.prepare_scan(jpeg_with_gps_and_orientation(), "IMG_0001.JPG")
    assert prepared.media_type == "image/jpeg"
    assert (prepared.width, prepared.height) == (30, 60)
    assert SECRET.encode() not in prepared.data
    assert b"Exif" not in prepared.data and b"SpyCam" not in prepared.data
    assert b"ICC_PROFILE" not in prepared.data and b"http://ns.adobe.com/xap" not in prepared.data
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.format == "JPEG" and image.size == (30, 60)
        assert not image.getexif()
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(image.info)
        # Orientation 6 turns the picture clockwise: its left (red) half ends up on top.
        rgb = image.convert("RGB")
        top, bottom = rgb.getpixel((15, 5)), rgb.getpixel((15, 55))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60
    assert "upright" in prepared.note and "location" in prepared.note


def test_png_loses_its_text_chunks_and_exif():
    prepared = scans.prepare_scan(png_with_text(), "scan.png")
    assert prepared.media_type == "image/png" and prepared.note == ""
    assert SECRET.encode() not in prepared.data
    chunks = png_chunks(prepared.data)
    assert not {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"pHYs"} & set(chunks)
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (60, 30) and image.getpixel((5, 5)) == (255, 0, 0)


def test_png_keeps_its_transparency():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    image.paste((10, 20, 30, 255), (0, 0, 5, 10))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    prepared = scans.prepare_scan(buffer.getvalue(), "alpha.png")
    with Image.open(io.BytesIO(prepared.data)) as stored:
        assert stored.mode == "RGBA"
        assert stored.getpixel((8, 8)) == (0, 0, 0, 0)
        assert stored.getpixel((1, 1)) == (10, 20, 30, 255)


def test_tiff_becomes_png_without_its_tags():
    prepared = scans.prepare_scan(tiff(), "scan.tiff")
    assert prepared.media_type == "image/png"
    assert prepared.data.startswith(b"\x89PNG")
    assert SECRET.encode() not in prepared.data
    assert "PNG" in prepared.note
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (60, 30)


def test_multi_page_tiff_keeps_the_first_page_and_says_so():
    prepared = scans.prepare_scan(tiff(pages=3), "pages.tif")
    assert (prepared.width, prepared.height, prepared.pages) == (60, 30, 1)
    assert "3 pictures" in prepared.note and "first" in prepared.note


def test_pdf_is_rewritten_without_metadata_attachments_or_xmp():
    original = pdf_with_metadata()
    assert SECRET.encode() in original or b"/EmbeddedFiles" in original
    prepared = scans.prepare_scan(original, "passport.pdf")
    assert prepared.media_type == "application/pdf"
    assert (prepared.width, prepared.height, prepared.pages) == (200, 100, 1)
    assert SECRET.encode() not in prepared.data
    assert b"SpyScanner" not in prepared.data
    reader = PdfReader(io.BytesIO(prepared.data))
    assert len(reader.pages) == 1
    assert reader.xmp_metadata is None
    assert reader.attachments == {}
    info = reader.metadata
    assert info is None or not {"/Author", "/Title", "/Creator"} & set(info)


def test_the_content_decides_the_type_not_the_name():
    prepared = scans.prepare_scan(png_with_text(), "photo.jpg")
    assert prepared.media_type == "image/png"
    assert "name says JPEG" in prepared.note


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        pytest.param(b"", "empty.jpg", "empty", id="empty"),
        pytest.param(b"Dear officer,\nplease accept.\n" * 10, "passport.jpg", "text", id="text"),
        pytest.param(os.urandom(4096), "scan.png", "not a picture", id="random"),
        pytest.param(
            b"<!DOCTYPE html><html><body>not a pdf</body></html>",
            "letter.pdf",
            "web page",
            id="html-as-pdf",
        ),
        pytest.param(b"GIF89a" + b"\x00" * 40, "anim.gif", "GIF", id="gif"),
        pytest.param(b"%PDF-1.7\n" + b"\x00garbage" * 50, "broken.pdf", "damaged", id="bad-pdf"),
    ],
)
def test_files_that_are_not_scans_are_refused_with_a_reason(data, filename, expected):
    with pytest.raises(InvalidInput) as refused:
        scans.prepare_scan(data, filename)
    message = str(refused.value)
    assert filename in message and expected in message


def test_truncated_jpeg_and_png_are_refused():
    buffer = io.BytesIO()
    _noise((300, 200)).save(buffer, "JPEG", quality=95)
    jpeg = buffer.getvalue()
    with pytest.raises(InvalidInput, match="damaged or incomplete"):
        scans.prepare_scan(jpeg[: len(jpeg) // 2], "cut.jpg")
    buffer = io.BytesIO()
    _noise((300, 200)).save(buffer, "PNG")
    png = buffer.getvalue()
    with pytest.raises(InvalidInput, match="damaged or incomplete"):
        scans.prepare_scan(png[: len(png) // 2], "cut.png")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(InvalidInput, match=r"at most 1 MB"):
        scans.prepare_scan(b"\xff\xd8\xff" + b"\x00" * (1024 * 1024), "big.jpg", max_bytes=1 << 20)
    too_big = b"\xff\xd8\xff" + bytes(scans.MAX_BYTES)
    with pytest.raises(InvalidInput, match=r"at most 25 MB"):
        scans.prepare_scan(too_big, "big.jpg")


def test_a_huge_picture_is_refused_by_its_header_alone(monkeypatch):
    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    data = huge_png(20_000, 20_000)
    assert len(data) < 200_000
    with pytest.raises(InvalidInput, match="million pixels"):
        scans.prepare_scan(data, "huge.png")
    # Below Pillow's own guard but above ours.
    with pytest.raises(InvalidInput, match="9000 × 9000"):
        scans.prepare_scan(huge_png(9_000, 9_000), "large.png")
    with pytest.raises(InvalidInput, match="million pixels"):
        scans.prepare_scan(png_with_text(), "small.png", max_pixels=1_000)


# ----------------------------------------------------------------- storing


def _document(ctx, officer):
    case = new_case(ctx, officer)
    document_id, version = records.add_document(
        ctx, officer, case.id, case.version, records.DocumentInput("passport", "original")
    )
    return case, document_id, version


def _counts(ctx) -> tuple[int, int, int]:
    with ctx.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Scan)) or 0,
            session.scalar(select(func.count()).select_from(DocumentScan)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def test_an_imported_scan_is_stored_clean_and_can_be_read_back(ctx, people):
    _case, document_id, version = _document(ctx, people.officer)
    scan_id, new_version = scans.import_scan(
        ctx, people.officer, document_id, version, jpeg_with_gps_and_orientation(), "IMG_1.jpg"
    )
    assert new_version > version
    data, media_type = scans.scan_bytes(ctx, scan_id)
    assert media_type == "image/jpeg" and SECRET.encode() not in data and b"Exif" not in data
    (info,) = scans.document_scans(ctx, document_id)
    assert info.scan_id == scan_id and info.filename == "IMG_1.jpg" and info.size == len(data)

    pdf_id, _ = scans.import_scan(
        ctx, people.officer, document_id, new_version, pdf_with_metadata(), "C:\\Users\\x\\p.pdf"
    )
    stored, media_type = scans.scan_bytes(ctx, pdf_id)
    assert media_type == "application/pdf" and SECRET.encode() not in stored
    assert [i.filename for i in scans.document_scans(ctx, document_id)] == ["IMG_1.jpg", "p.pdf"]


@pytest.mark.parametrize(
    ("make", "filename"),
    [
        pytest.param(lambda: jpeg_with_gps_and_orientation()[:300], "cut.jpg", id="truncated-jpeg"),
        pytest.param(lambda: os.urandom(2048), "noise.png", id="random-png"),
        pytest.param(lambda: b"<html><body>hello</body></html>", "doc.pdf", id="html-pdf"),
        pytest.param(lambda: huge_png(20_000, 20_000), "huge.png", id="pixels"),
    ],
)
def test_a_refused_file_leaves_the_database_as_it_was(ctx, people, make, filename):
    _case, document_id, version = _document(ctx, people.officer)
    before = _counts(ctx)
    with pytest.raises(InvalidInput) as refused:
        scans.import_scan(ctx, people.officer, document_id, version, make(), filename)
    assert filename in str(refused.value)
    assert _counts(ctx) == before
    # The case's version did not move: the next change with the old version goes through.
    scans.import_scan(ctx, people.officer, document_id, version, png_with_text(), "ok.png")


def test_the_same_file_is_stored_once(ctx, people):
    case, first_doc, version = _document(ctx, people.officer)
    second_doc, version = records.add_document(
        ctx, people.officer, case.id, version, records.DocumentInput("national_id", "copy")
    )
    data = jpeg_with_gps_and_orientation()
    scan_a, version = scans.import_scan(ctx, people.officer, first_doc, version, data, "a.jpg")
    scan_b, version = scans.import_scan(ctx, people.officer, second_doc, version, data, "b.jpg")
    assert scan_a == scan_b
    before = _counts(ctx)
    assert before[:2] == (1, 2)
    with pytest.raises(InvalidInput, match="already attached"):
        scans.import_scan(ctx, people.officer, first_doc, version, data, "again.jpg")
    assert _counts(ctx) == before
