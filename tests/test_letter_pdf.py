"""The attestation letter PDF, read back with poppler, pypdf and zxing-cpp (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest
import segno
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]

from praverka.reports.letters import (
    CHECKS,
    DOCUMENT_KINDS,
    LANGUAGES,
    PURPOSES,
    ROLES,
    SEEN_AS,
    SEXES,
    VERIFICATIONS,
    DocumentSeen,
    LetterContent,
    Organisation,
    Signatory,
    check_content,
    content_from_dict,
    content_to_dict,
    fonts,
    qr_matrix,
    render_letter,
    texts_be,
    texts_en,
    texts_uk,
)
from praverka.reports.letters.placed_texts import placed_texts
from praverka.reports.letters.sample import BASE45, random_qr_text, sample_content
from praverka.reports.letters.styles import MARGINS
from praverka.reports.letters.texts import Texts

MM = 72 / 25.4
SUBTITLE_WORDS = {"uk": texts_uk.TEXTS, "be": texts_be.TEXTS, "en": texts_en.TEXTS}


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())  # lines as wrapped on the page, joined


def _fonts(pdf: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(name, embedded) for each font pdffonts lists."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def _pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _scans(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[Image.Image]:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(tmp_path / "page")],
        check=True,
    )
    return [Image.open(page) for page in sorted(tmp_path.glob("page*.png"))]


def _codes(pdf: bytes, tmp_path: Path) -> list[zxingcpp.Barcode]:
    return [code for image in _scans(pdf, tmp_path) for code in zxingcpp.read_barcodes(image)]


def _png(width: int = 240, height: int = 120, mode: str = "RGBA") -> bytes:
    image = Image.new(mode, (width, height), (20, 60, 120, 255) if mode == "RGBA" else 90)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# Every language and purpose: the words, the fonts, the pages.


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("purpose", PURPOSES)
def test_each_language_and_purpose_reads_back(language: str, purpose: str, tmp_path: Path) -> None:
    content = sample_content(language, purpose)
    pdf = render_letter(content)
    text = _text(pdf, tmp_path)
    assert content.name_native in text
    assert content.name_latin in text
    assert content.serial in text
    main = SUBTITLE_WORDS[language.split("+")[0]]
    assert main.subtitles[purpose] in text
    assert " ".join(main.purpose_texts[purpose].split()[:6]) in text
    if language == "uk+en":
        assert texts_en.TEXTS.subtitles[purpose] in text
        assert " ".join(texts_en.TEXTS.purpose_texts[purpose].split()[:6]) in text
    listed = _fonts(pdf, tmp_path)
    assert listed, "no fonts listed"
    for name, embedded in listed:
        assert embedded == "yes", f"{name} is not embedded"
        assert re.fullmatch(r"[A-Z]{6}\+DejaVuSans(-Bold)?", name), name
    assert _pages(pdf) == (2 if language == "uk+en" else 1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_qr_code_reads_from_a_150_dpi_scan_at_its_printed_size(
    language: str, tmp_path: Path
) -> None:
    rng = random.Random(language)
    qr_text = "PRV1:" + "".join(rng.choice(BASE45) for _ in range(255))
    pdf = render_letter(sample_content(language, "bank_account", qr_text=qr_text))
    codes = _codes(pdf, tmp_path)
    assert [code.text for code in codes] == [qr_text]
    corners = codes[0].position
    side_px = math.dist(
        (corners.top_left.x, corners.top_left.y), (corners.top_right.x, corners.top_right.y)
    )
    modules = qr_matrix.qr_rows(qr_text).size
    # The symbol without its quiet zone, scaled back up to the printed width with it.
    printed_mm = side_px / 150 * 25.4 * (modules + 2 * qr_matrix.QUIET_ZONE) / (modules - 1)
    assert 36 <= printed_mm <= 38


def test_a_reprint_is_marked_copy_n_in_the_header_and_by_the_code(tmp_path: Path) -> None:
    pdf = render_letter(sample_content("uk", "legalisation", copy_number=2))
    text = _text(pdf, tmp_path)
    assert text.count("Copy 2") == 2
    assert text.count("Копія 2") == 2
    lines = placed_texts(sample_content("uk", "legalisation", copy_number=2))
    marks = [line for line in lines if "Copy 2" in line.text]
    header, near_code = sorted(marks, key=lambda line: -line.y)
    assert header.y > 297 * MM - 40 * MM  # in the letterhead
    assert near_code.x > MARGINS.right - 50 * MM  # in the code's column
    original = _text(render_letter(sample_content("en", "other")), tmp_path)
    assert "Copy" not in original


def test_a_correction_names_the_letter_it_supersedes(tmp_path: Path) -> None:
    for language in ("be", "en", "uk+en"):
        content = sample_content(language, "other", supersedes="PRV-2026-000099")
        text = _text(render_letter(content), tmp_path)
        assert "Supersedes letter No. PRV-2026-000099" in text
    be_text = _text(render_letter(sample_content("be", "other", supersedes="X-1")), tmp_path)
    assert "Замяняе ліст № X-1, які страціў сілу." in be_text
    assert "Supersedes" not in _text(render_letter(sample_content("be", "other")), tmp_path)


def test_a_draft_is_watermarked_and_has_no_code(tmp_path: Path) -> None:
    content = sample_content("uk", "border_crossing", draft=True, qr_text="", key_id="")
    pdf = render_letter(content)
    # pdftotext leaves out diagonal text; pypdf reads the page's text as drawn.
    drawn = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "DRAFT — NOT VALID" in drawn
    assert "ЧЕРНЕТКА — НЕДІЙСНА" in drawn
    assert "без QR-коду" in _text(pdf, tmp_path)
    assert _codes(pdf, tmp_path) == []
    issued = render_letter(sample_content("uk", "border_crossing"))
    assert "DRAFT" not in pypdf.PdfReader(io.BytesIO(issued)).pages[0].extract_text()


# The organisation's logo.


def test_a_logo_is_drawn_scaled_into_its_box() -> None:
    organisation = dataclasses.replace(sample_content().organisation, logo_png=_png(600, 200))
    pdf = render_letter(sample_content(organisation=organisation))
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    images = list(page.images)
    assert len(images) == 1
    # Without one, the emblem is drawn in vectors: no image at all.
    plain = pypdf.PdfReader(io.BytesIO(render_letter(sample_content()))).pages[0]
    assert list(plain.images) == []


def test_a_palette_or_grey_logo_is_accepted() -> None:
    for mode in ("L", "P", "LA"):
        organisation = dataclasses.replace(
            sample_content().organisation, logo_png=_png(64, 64, mode)
        )
        assert render_letter(sample_content(organisation=organisation)).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100), "not a PNG image"),
        (b"GIF89a" + bytes(50), "not a PNG image"),
        (b"", "not a PNG image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(30), "damaged PNG"),
        (_png(5000, 10), "at most 4096"),
    ],
)
def test_a_bad_logo_is_refused_clearly(logo: bytes, message: str) -> None:
    organisation = dataclasses.replace(sample_content().organisation, logo_png=logo)
    with pytest.raises(ValueError, match=message):
        render_letter(sample_content(organisation=organisation))


# Long content wraps, or goes on to another page, cleanly.


def _long_content() -> LetterContent:
    documents = tuple(
        DocumentSeen(DOCUMENT_KINDS[i % 8], f"NUM-{i:04d}-XYZ", "BLR", SEEN_AS[i % 4], "verified")
        for i in range(40)
    )
    return sample_content(
        "uk+en",
        "legalisation",
        name_native="Кавалёва-Шаўчук-Дуброўская " * 10,
        name_latin="KAVALIOVA-SHAUCHUK-DUBROUSKAYA " * 9,
        other_names=tuple(f"Інше написання імені номер {i} з довгим хвостом" for i in range(12)),
        documents=documents,
        organisation=Organisation(
            name="Громадська організація «Кризовий центр допомоги переселенцям з Білорусі»",
            address="вул. Січових Стрільців, 12, офіс 4\nКиїв, 04053, Україна",
            contact="+380 44 123 45 67 · perevirka@prykhystok.org.ua",
        ),
        signatories=(
            Signatory("Олександра-Вікторія Кавалёва-Шаўчук-Дуброўська-Лісовська", "head"),
            Signatory("Ольга Дубровська", "supervisor"),
            Signatory("Алесь Коваленко", "officer"),
        ),
    )


def test_long_names_and_many_documents_spill_to_more_pages(tmp_path: Path) -> None:
    content = _long_content()
    pdf = render_letter(content)
    assert _pages(pdf) >= 2
    text = _text(pdf, tmp_path)
    for document in content.documents:
        assert document.number in text
    assert "NUM-0039-XYZ" in text
    assert text.count("Результат перевірки") >= 2  # the column names repeat on a new page
    assert "KAVALIOVA-SHAUCHUK-DUBROUSKAYA" in text
    assert [code.text for code in _codes(pdf, tmp_path)] == [content.qr_text]


def _sparse_content() -> LetterContent:
    """The least a letter may say: no documents, interview, checks, other names or signers."""
    return sample_content(
        "be",
        "other",
        place="",
        name_native="",
        other_names=(),
        birth_date="1987",
        sex="X",
        documents=(),
        references_confirmed=0,
        interviewed_on=None,
        checks_passed=(),
        signatories=(),
    )


def test_a_sparse_letter_says_what_was_not_done(tmp_path: Path) -> None:
    text = _text(render_letter(_sparse_content()), tmp_path)
    for words in (
        "Дакументы не прад’яўляліся.",
        "не праводзілася",
        "няма",
        "1987 г.",
        "не пазначаны",
    ):
        assert words in text
    assert "KAVALIOVA ALENA" in text


@pytest.mark.parametrize(
    "content",
    [
        *(sample_content(language, purpose) for language in LANGUAGES for purpose in PURPOSES),
        _sparse_content(),
        sample_content("be", "legalisation", copy_number=3, supersedes="PRV-2026-000001"),
        dataclasses.replace(_long_content(), serial="LONGPREFIX-2026-" + "9" * 24, copy_number=12),
        sample_content("uk", "other", draft=True, qr_text=""),
        _long_content(),
    ],
    ids=lambda content: f"{content.language}-{content.purpose}",
)
def test_text_stays_on_the_page_and_lines_never_overlap(content: LetterContent) -> None:
    lines = placed_texts(content)
    width, height = 210 * MM, 297 * MM
    for line in lines:
        assert MARGINS.left - 0.01 <= line.x, line
        assert line.x + line.width <= MARGINS.right + 0.01, line
        assert 8 * MM < line.y < height - 8 * MM, line
        assert line.x < width
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for line in lines:
        box = (line.x, line.y - line.size * 0.22, line.x + line.width, line.y + line.size * 0.72)
        for other in boxes.setdefault(line.page, []):
            overlap = (
                box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
            )
            assert not overlap, f"{line.text!r} overlaps another line on page {line.page}"
        boxes[line.page].append(box)


def test_characters_beyond_the_usual_alphabet_still_print(tmp_path: Path) -> None:
    content = sample_content("en", "other", other_names=("Ødegård Straße", "Ṣǎnchez ǅ"))
    text = _text(render_letter(content), tmp_path)
    assert "Ødegård Straße" in text
    assert "Ṣǎnchez" in text


# The file itself.


def test_metadata_names_the_serial_and_nobody(tmp_path: Path) -> None:
    content = sample_content("be", "bank_account")
    reader = pypdf.PdfReader(io.BytesIO(render_letter(content)))
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == f"Attestation letter {content.serial}"
    assert metadata.subject == "Attestation letter"
    assert metadata.author == content.organisation.name
    values = " ".join(str(value) for value in metadata.values())
    for private in (content.name_native, content.name_latin, "KAVALIOVA", "1987", "MP1234567"):
        assert private not in values
    assert str(reader.root_object["/Lang"]) == "be"


def test_no_standard_font_is_referenced_anywhere(tmp_path: Path) -> None:
    pdf = render_letter(sample_content("uk", "other", copy_number=1, draft=True, qr_text=""))
    streams = [page.get_contents() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    raw = b"".join(stream.get_data() for stream in streams if stream is not None)
    for name in (b"Helvetica", b"Times", b"Courier", b"Symbol", b"ZapfDingbats"):
        assert name not in pdf
        assert name not in raw


def test_the_same_content_gives_the_same_bytes() -> None:
    content = sample_content("uk+en", "bank_account", copy_number=4)
    assert render_letter(content) == render_letter(content)


def test_fonts_are_registered_once() -> None:
    fonts.register()
    first = fonts.font(fonts.REGULAR)
    fonts.register()
    assert fonts.font(fonts.REGULAR) is first
    assert pdfmetrics.getFont(fonts.REGULAR) is first
    assert (fonts.FONT_DIR / "LICENSE-DejaVu.txt").read_text().count("Bitstream") > 0


def test_another_dejavu_registered_first_changes_nothing(tmp_path: Path) -> None:
    """ReportLab hands a face name's first font to later registrations of the same face; the
    letter must not end up drawing with someone else's font object (a fresh process)."""
    script = (
        "import sys\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from reportlab.pdfbase.ttfonts import TTFont\n"
        "from praverka.reports.letters import fonts, render_letter\n"
        "from praverka.reports.letters.sample import sample_content\n"
        "path = fonts.FONT_DIR / 'DejaVuSans.ttf'\n"
        "pdfmetrics.registerFont(TTFont('DejaVuSans', str(path)))\n"
        "pdf = render_letter(sample_content('en', 'other'))\n"
        "assert type(fonts.font(fonts.REGULAR)).__name__ == '_EmbeddedFont'\n"
        "sys.stdout.buffer.write(pdf)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    assert out.stdout == render_letter(sample_content("en", "other"))


# Dates in words.


@pytest.mark.parametrize(
    ("texts", "full", "month", "year"),
    [
        (texts_uk.TEXTS, "14 березня 1987 р.", "березень 1987 р.", "1987 р."),
        (texts_be.TEXTS, "14 сакавіка 1987 г.", "сакавік 1987 г.", "1987 г."),
        (texts_en.TEXTS, "14 March 1987", "March 1987", "1987"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(
    texts: Texts, full: str, month: str, year: str
) -> None:
    assert texts.partial_date("1987-03-14") == full
    assert texts.partial_date("1987-03") == month
    assert texts.partial_date("1987") == year
    assert texts.date(dt.date(2026, 11, 23)).startswith("23 ")
    for odd in ("14.03.1987", "1987-02-30", "1987-13", "unknown"):
        assert texts.partial_date(odd) == odd  # shown as recorded, not guessed at


def test_every_code_has_words_in_every_language() -> None:
    for texts in (texts_uk.TEXTS, texts_be.TEXTS, texts_en.TEXTS):
        assert set(texts.subtitles) == set(texts.purpose_texts) == set(PURPOSES)
        assert set(texts.sexes) == set(SEXES)
        assert set(texts.document_kinds) == set(DOCUMENT_KINDS)
        assert set(texts.seen_as) == set(SEEN_AS)
        assert set(texts.verifications) == set(VERIFICATIONS)
        assert set(texts.check_names) == set(CHECKS)
        assert set(texts.roles) == set(ROLES)
        assert len(texts.months_genitive) == len(texts.months_nominative) == 12


def test_checks_are_translated_not_printed_as_codes(tmp_path: Path) -> None:
    text = _text(render_letter(sample_content("be", "other")), tmp_path)
    assert "праверка на дублікаты і па спісах назірання" in text
    assert "screening" not in text.replace("Verify", "")


# The QR symbol is the one segno makes.


def test_the_qr_symbol_is_module_for_module_the_one_segno_makes() -> None:
    rng = random.Random(7)
    masks = set()
    for length in [*range(20, 320, 9), *[240] * 25]:
        text = random_qr_text(rng, length)
        expected = segno.make(text, error="m", micro=False, boost_error=False)
        masks.add(expected.mask)
        rows = tuple(int(bytes(row).hex()[1::2], 2) for row in expected.matrix)
        assert qr_matrix.qr_rows(text).rows == rows, (length, expected.mask)
    assert masks == set(range(8))  # every mask was chosen at least once
    assert qr_matrix._plain("PRV1:ABC").rows == qr_matrix.qr_rows("PRV1:ABC").rows


def test_a_qr_text_too_long_to_print_readably_is_refused() -> None:
    with pytest.raises(ValueError, match="too long to print readably"):
        render_letter(sample_content(qr_text="PRV1:" + "A" * 900))
    with pytest.raises(ValueError, match="too long for a QR code"):
        render_letter(sample_content(qr_text="PRV1:" + "A" * 9000))


# Content checks and the stored form.


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"language": "ru"}, "Unknown language 'ru'"),
        ({"purpose": "tourism"}, "Unknown purpose"),
        ({"sex": "female"}, "Unknown sex"),
        ({"checks_passed": ("documents", "luck")}, "Unknown check 'luck'"),
        ({"signatories": (Signatory("A B", "director"),)}, "Unknown signatory role"),
        ({"documents": (DocumentSeen("visa", "1", "BLR", "original", "verified"),)}, "kind"),
        ({"documents": (DocumentSeen("passport", "1", "BLR", "burnt", "verified"),)}, "state"),
        ({"documents": (DocumentSeen("passport", "1", "BLR", "copy", "maybe"),)}, "verification"),
        ({"valid_until": dt.date(2026, 1, 1)}, "expire before it is issued"),
        ({"serial": " "}, "no serial number"),
        ({"qr_text": ""}, "needs its signed QR text"),
        ({"name_native": "", "name_latin": " "}, "names nobody"),
        ({"references_confirmed": -1}, "cannot be negative"),
        ({"copy_number": 0}, "starts at 1"),
        ({"name_latin": "A" * 301}, "Latin name is longer than 300"),
        ({"other_names": ("x",) * 21}, "at most 20 other names"),
        ({"signatories": (Signatory("A", "head"),) * 5}, "at most 4 signatories"),
    ],
)
def test_content_that_cannot_make_a_letter_is_refused(
    changes: dict[str, Any], message: str
) -> None:
    content = dataclasses.replace(sample_content("en", "other"), **changes)
    with pytest.raises(ValueError, match=message):
        check_content(content)
    with pytest.raises(ValueError, match=message):
        render_letter(content)


_texts = st.text(max_size=40)
_dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
_contents = st.builds(
    LetterContent,
    serial=_texts,
    language=st.sampled_from(LANGUAGES),
    purpose=st.sampled_from(PURPOSES),
    issued_on=_dates,
    valid_until=_dates,
    place=_texts,
    organisation=st.builds(
        Organisation,
        name=_texts,
        address=_texts,
        contact=_texts,
        logo_png=st.none() | st.binary(max_size=64),
    ),
    name_native=_texts,
    name_latin=_texts,
    other_names=st.lists(_texts, max_size=3).map(tuple),
    birth_date=_texts,
    sex=st.sampled_from(SEXES),
    documents=st.lists(
        st.builds(
            DocumentSeen,
            kind=_texts,
            number=_texts,
            issuing_country=_texts,
            seen_as=_texts,
            verification=_texts,
        ),
        max_size=3,
    ).map(tuple),
    references_confirmed=st.integers(0, 10**6),
    interviewed_on=st.none() | _dates,
    checks_passed=st.lists(st.sampled_from(CHECKS), max_size=4).map(tuple),
    signatories=st.lists(st.builds(Signatory, name=_texts, role=_texts), max_size=3).map(tuple),
    qr_text=_texts,
    key_id=_texts,
    copy_number=st.none() | st.integers(1, 10**6),
    supersedes=st.none() | _texts,
    draft=st.booleans(),
)


@given(_contents)
@settings(max_examples=200)
def test_content_survives_json_exactly(content: LetterContent) -> None:
    stored = json.loads(json.dumps(content_to_dict(content)))
    assert content_from_dict(stored) == content


def test_a_stored_letter_renders_the_same_letter() -> None:
    organisation = dataclasses.replace(sample_content().organisation, logo_png=_png(80, 80))
    content = sample_content("uk+en", "border_crossing", organisation=organisation, copy_number=2)
    stored = json.loads(json.dumps(content_to_dict(content)))
    assert render_letter(content_from_dict(stored)) == render_letter(content)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("serial"), "lacks 'serial'"),
        (lambda d: d.update(format=2), "unknown format 2"),
        (lambda d: d.update(issued_on="23.11.2026"), "bad date"),
        (lambda d: d.update(references_confirmed="2"), "str for 'references_confirmed'"),
        (lambda d: d.update(references_confirmed=True), "bool for 'references_confirmed'"),
        (lambda d: d.update(draft=1), "int for 'draft'"),
        (lambda d: d.update(other_names=["a", 2]), "non-text item in 'other_names'"),
        (lambda d: d.update(documents=["passport"]), "non-dictionary item in 'documents'"),
        (lambda d: d.update(organisation=None), "lacks the 'organisation' dictionary"),
        (lambda d: d["organisation"].update(logo_png="not base64!"), "not base64"),
        (lambda d: d["documents"][0].pop("kind"), "lacks 'kind'"),
    ],
)
def test_a_damaged_stored_letter_is_refused(change: object, message: str) -> None:
    stored = json.loads(json.dumps(content_to_dict(sample_content())))
    change(stored)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        content_from_dict(stored)
    with pytest.raises(ValueError, match="not a dictionary"):
        content_from_dict([])  # type: ignore[arg-type]
