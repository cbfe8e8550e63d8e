"""Made-up scans for screenshots and demonstrations: a specimen passport page and a form.

Everything on them is invented (ICAO's specimen state Utopia, "UTO"); nothing
describes a real person.  Drawn with Pillow so that they pass through the same
import checks as a real file.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

PAGE = (1250, 880)
INK = (38, 44, 66)
MUTED = (96, 104, 128)


def _font(size: int, *, mono: bool = False, bold: bool = False) -> Font:
    name = "DejaVuSansMono.ttf" if mono else "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size)


def _background(size: tuple[int, int]) -> Image.Image:
    """A pale page with wavy security lines, like the print of a real data page."""
    image = Image.new("RGB", size, (236, 240, 232))
    draw = ImageDraw.Draw(image)
    width, height = size
    for line in range(0, height + 40, 14):
        points = [
            (x, line + 6 * math.sin(x / 37 + line / 50) + 3 * math.sin(x / 11))
            for x in range(0, width, 6)
        ]
        draw.line(points, fill=(214, 224, 214), width=1)
    return image


def specimen_passport_page() -> Image.Image:
    image = _background(PAGE)
    draw = ImageDraw.Draw(image)
    width, height = PAGE
    draw.rectangle((0, 0, width, 88), fill=(120, 28, 36))
    draw.text((40, 20), "UTOPIA · ЎТОПІЯ", font=_font(40, bold=True), fill=(245, 235, 225))
    draw.text((width - 380, 32), "PASSPORT · ПАШПАРТ", font=_font(26), fill=(245, 235, 225))

    # The photograph: a neutral silhouette, not a face.
    photo = Image.new("RGB", (300, 400), (206, 212, 220))
    figure = ImageDraw.Draw(photo)
    figure.ellipse((85, 60, 215, 200), fill=(150, 158, 172))
    figure.ellipse((25, 225, 275, 560), fill=(150, 158, 172))
    image.paste(photo, (50, 130))
    draw.rectangle((50, 130, 350, 530), outline=MUTED, width=2)

    label, value = _font(19), _font(30, bold=True)
    fields = [
        ("Type / Тып", "P"),
        ("Surname / Прозвішча", "ЎЗОР / UZOR"),
        ("Given names / Імя", "СПЕЦЫМЕН / SPECIMEN"),
        ("Nationality / Грамадзянства", "UTOPIAN"),
        ("Date of birth / Дата нараджэння", "01 01 1970"),
        ("Date of expiry / Тэрмін дзеяння", "01 01 2030"),
        ("Document No. / Нумар", "XX0000000"),
    ]
    top = 120
    for caption, text in fields:
        draw.text((400, top), caption, font=label, fill=MUTED)
        draw.text((400, top + 22), text, font=value, fill=INK)
        top += 62

    stamp = Image.new("RGBA", (640, 130), (0, 0, 0, 0))
    ImageDraw.Draw(stamp).text(
        (10, 10), "SPECIMEN", font=_font(100, bold=True), fill=(170, 30, 40, 90)
    )
    tilted = stamp.rotate(16, expand=True, resample=Image.Resampling.BICUBIC)
    image.paste(tilted, (610, 300), tilted)

    mrz = _font(40, mono=True)
    draw.rectangle((0, height - 170, width, height), fill=(246, 247, 242))
    draw.text(
        (40, height - 150), "P<UTOUZOR<<SPECIMEN<<<<<<<<<<<<<<<<<<<<<<<<<", font=mrz, fill=INK
    )
    draw.text((40, height - 85), "XX00000000UTO7001014M3001014<<<<<<<<<<<<<<02", font=mrz, fill=INK)
    return image


def specimen_passport_jpeg() -> bytes:
    buffer = io.BytesIO()
    specimen_passport_page().save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def specimen_form_pdf() -> bytes:
    """A one-page PDF: a signed registration form, A4 at 100 dpi."""
    page = _background((827, 1169))
    draw = ImageDraw.Draw(page)
    draw.text((60, 60), "Registration certificate", font=_font(40, bold=True), fill=INK)
    draw.text((60, 115), "Utopia migration office · specimen", font=_font(22), fill=MUTED)
    top = 200
    for caption in ("Name", "Address", "Registered on", "Valid until", "Officer"):
        draw.text((60, top), caption, font=_font(22), fill=MUTED)
        draw.line((260, top + 26, 760, top + 26), fill=MUTED, width=2)
        top += 70
    draw.rectangle((60, top + 30, 760, top + 330), outline=MUTED, width=2)
    draw.text((80, top + 50), "SPECIMEN", font=_font(110, bold=True), fill=(200, 205, 215))
    draw.line((520, 1040, 760, 1010), fill=INK, width=3)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=100.0)
    return buffer.getvalue()
