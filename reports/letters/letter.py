"""The attestation letter: `LetterContent` in, an A4 PDF out."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from praverka.reports.letters import fonts, texts_be, texts_en, texts_uk
from praverka.reports.letters.content import LetterContent, check_content
from praverka.reports.letters.fonts import REGULAR
from praverka.reports.letters.layout import A4, MM, Align, Cell, Flow, Line, Op, Style, Text
from praverka.reports.letters.layout import baseline as baseline_of
from praverka.reports.letters.layout import render as render_pages
from praverka.reports.letters.letterhead import (
    NAVY,
    emblem,
    footer,
    logo,
    logo_image,
    mark,
    watermark,
)
from praverka.reports.letters.qr_drawing import check_qr_text, qr_code, qr_placeholder
from praverka.reports.letters.styles import (
    BODY,
    BODY_2,
    CELL_INSET,
    DATE,
    DATE_2,
    DOCUMENT_COLUMNS,
    GUTTER,
    HEADER_COLUMN,
    HEADING,
    HEADING_2,
    INK,
    LABEL,
    LABEL_2,
    LABEL_COLUMN,
    LABEL_GAP,
    LATER_HEADER,
    LOGO_SIDE,
    MARGINS,
    MARK,
    NAME,
    NOTICE,
    NOTICE_2,
    ORG,
    ORG_DETAIL,
    ORG_RUNNING,
    PARAGRAPH_GAP,
    QR_COLUMN,
    QR_SIDE,
    RULE,
    SECTION_GAP,
    SERIAL,
    SHADE,
    SIGNATURE_LINE,
    SIGNER,
    SIGNER_GAP,
    SMALL,
    STAMP_GAP,
    SUBTITLE,
    SUBTITLE_2,
    TD,
    TD_2,
    TH,
    TH_2,
    TITLE,
    TITLE_2,
    VALUE,
    VALUE_2,
)
from praverka.reports.letters.texts import Texts

TABLES = {"uk": texts_uk.TEXTS, "be": texts_be.TEXTS, "en": texts_en.TEXTS}
PDF_LANGUAGES = {"uk": "uk", "be": "be", "en": "en", "uk+en": "uk"}


def render_letter(content: LetterContent) -> bytes:
    """The letter as A4 PDF bytes; ValueError (one clear sentence) when it cannot be made."""
    check_content(content)
    organisation = content.organisation
    if organisation.logo_png is not None:
        logo_image(organisation.logo_png)  # a bad logo is refused before anything is drawn
    if not content.draft:
        check_qr_text(content.qr_text)
    fonts.register()
    letter = _Letter(content)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=A4,
        initialFontName=REGULAR,  # not ReportLab's default, an unembedded Helvetica
        initialFontSize=9,
        invariant=1,  # the same content gives the same bytes: a reprint is reproducible
        pageCompression=1,
        lang=PDF_LANGUAGES[content.language],
    )
    # Metadata travels with every copy of the file: the serial, and nothing personal.
    canvas.setTitle(f"Attestation letter {content.serial}")
    canvas.setAuthor(organisation.name)
    canvas.setSubject("Attestation letter")
    canvas.setCreator("Praverka")
    issued = content.issued_on.strftime("D:%Y%m%d000000Z")
    canvas.setDateFormatter(lambda *_: issued)
    fonts.seed(canvas)
    render_pages(canvas, letter.flow.pages, letter.decorate, letter.overlay)
    canvas.save()
    return buffer.getvalue()


class _Letter:
    def __init__(self, content: LetterContent) -> None:
        self.content = content
        self.main: Texts = TABLES["uk" if content.language == "uk+en" else content.language]
        self.second: Texts | None = TABLES["en"] if content.language == "uk+en" else None
        # Marks that decide whether the paper is valid are also given in English when the
        # letter is not: a recipient abroad must be able to read them.
        self.english: Texts | None = None if self.main.code == "en" else TABLES["en"]
        self.first_header, top = self._first_header()
        self.later_header = self._later_header()
        self.flow = Flow(
            MARGINS.left, MARGINS.right, top, MARGINS.top - LATER_HEADER, MARGINS.bottom
        )
        self._body()

    # Page furniture.

    def _marks(self, pick: Callable[[Texts], str]) -> str:
        text = pick(self.main)
        return text if self.english is None else f"{text} · {pick(self.english)}"

    def _copy_text(self) -> str:
        number = self.content.copy_number
        return self._marks(lambda t: t.copy.format(number=number))

    def _first_header(self) -> tuple[list[Op], float]:
        content, top = self.content, MARGINS.top
        organisation = content.organisation
        box_y = top - LOGO_SIDE
        ops: list[Op] = [
            logo(organisation.logo_png, MARGINS.left, box_y, LOGO_SIDE)
            if organisation.logo_png is not None
            else emblem(MARGINS.left, box_y, LOGO_SIDE)
        ]
        x = MARGINS.left + LOGO_SIDE + 5 * MM
        width = MARGINS.right - HEADER_COLUMN - 4 * MM - x
        y = top
        for line in ORG.wrap(organisation.name, width):
            ops.append(Text(x, baseline_of(ORG, y), line, ORG))
            y -= ORG.leading
        y -= 1.5
        for piece in (*organisation.address.splitlines(), organisation.contact):
            for line in ORG_DETAIL.wrap(piece, width) if piece.strip() else ():
                ops.append(Text(x, baseline_of(ORG_DETAIL, y), line, ORG_DETAIL))
                y -= ORG_DETAIL.leading
        # The serial, date and place, right-aligned in a column the letterhead keeps clear.
        right_y = top
        place = f"{content.place}, " if content.place.strip() else ""
        lines = [(f"{self.main.number_sign} {content.serial}", SERIAL)]
        lines.append((place + self.main.date(content.issued_on), DATE))
        if self.second is not None:  # the place is written once, in the main language
            lines.append((self.second.date(content.issued_on), DATE_2))
        for text, style in lines:
            for line in style.wrap(text, HEADER_COLUMN):
                line_x = MARGINS.right - style.width(line)
                ops.append(Text(line_x, baseline_of(style, right_y), line, style))
                right_y -= style.leading
        right_y -= 2 * MM
        if content.copy_number is not None:
            ops.extend(mark(self._copy_text(), MARGINS.right, right_y, MARK))
            right_y -= MARK.leading + 2 * MM
        bottom = min(y, box_y, right_y) - 2.5 * MM
        ops.append(Line(MARGINS.left, bottom, MARGINS.right, bottom, 1.2, NAVY))
        return ops, bottom - 3 * MM

    def _later_header(self) -> list[Op]:
        """The organisation, the serial and any copy mark, on every page after the first."""
        content, top = self.content, MARGINS.top
        serial = f"{self.main.number_sign} {content.serial}"
        serial_x = MARGINS.right - SERIAL.width(serial)
        ops: list[Op] = [Text(serial_x, baseline_of(SERIAL, top), serial, SERIAL)]
        name_right = serial_x - 6 * MM
        if content.copy_number is not None:
            copy = self._copy_text()
            ops.extend(mark(copy, serial_x - 4 * MM, top + 1 * MM, MARK))
            name_right -= MARK.width(copy) + 8 * MM
        room = name_right - MARGINS.left - ORG_RUNNING.width(" …")
        if room > 25 * MM:  # else the serial alone says which letter the page belongs to
            lines = ORG_RUNNING.wrap(content.organisation.name, room)
            name = lines[0] if len(lines) == 1 else f"{lines[0]} …"
            ops.append(Text(MARGINS.left, baseline_of(ORG_RUNNING, top), name, ORG_RUNNING))
        rule = top - LATER_HEADER + 6 * MM
        ops.append(Line(MARGINS.left, rule, MARGINS.right, rule, 0.8, NAVY))
        return ops

    def decorate(self, page: int, pages: int) -> list[Op]:
        header = self.first_header if page == 1 else self.later_header
        page_text = self.main.page.format(page=page, pages=pages)
        if self.second is not None:
            page_text += " · " + self.second.page.format(page=page, pages=pages)
        serial = f"{self.main.number_sign} {self.content.serial}"
        return [*header, *footer(serial, page_text, SMALL, MARGINS)]

    def overlay(self, page: int, pages: int) -> list[Op]:
        if not self.content.draft:
            return []
        texts = (self.main,) if self.english is None else (self.main, self.english)
        lines = tuple(t.screen_view if self.content.screen_view else t.draft for t in texts)
        return [watermark(lines)]

    # The text.

    def _both(
        self,
        make: Callable[[Texts], str],
        style: Style,
        second_style: Style,
        *,
        align: Align = "left",
        after: float = PARAGRAPH_GAP,
    ) -> None:
        flow = self.flow
        flow.paragraph(make(self.main), style, align=align)
        if self.second is not None:
            flow.space(1.0)
            flow.paragraph(make(self.second), second_style, align=align)
        flow.space(after)

    def _body(self) -> None:
        content, flow = self.content, self.flow
        self._both(lambda t: t.title, TITLE, TITLE_2, align="centre", after=1 * MM)
        self._both(
            lambda t: t.subtitles[content.purpose],
            SUBTITLE,
            SUBTITLE_2,
            align="centre",
            after=3 * MM,
        )
        if content.supersedes is not None:
            serial = content.supersedes
            flow.paragraph(self.main.supersedes.format(serial=serial), NOTICE)
            if self.english is not None:
                flow.paragraph(self.english.supersedes.format(serial=serial), NOTICE_2)
            flow.space(2.5 * MM)
        name = content.organisation.name
        self._both(lambda t: t.opening.format(organisation=name), BODY, BODY_2)
        self._both(lambda t: t.purpose_texts[content.purpose], BODY, BODY_2, after=SECTION_GAP)
        self._applicant()
        self._documents()
        self._verification()
        self._closing()

    def _heading(self, pick: Callable[[Texts], str], keep: float) -> None:
        flow = self.flow
        height = HEADING.leading + (HEADING_2.leading if self.second else 0) + 1.5 * MM
        flow.ensure(height + keep)
        flow.paragraph(pick(self.main), HEADING)
        if self.second is not None:
            flow.paragraph(pick(self.second), HEADING_2)
        flow.space(1.5 * MM)

    def _pair(
        self, pick: Callable[[Texts], str], style: Style, second_style: Style
    ) -> list[tuple[str, Style]]:
        """The cell pieces of a translated text: the main language, then the second if any."""
        text = pick(self.main)
        pieces = [(text, style)]
        if self.second is not None:
            other = pick(self.second)
            if other != text:
                pieces.append((other, second_style))
        return pieces

    def _term(
        self,
        table: Callable[[Texts], Mapping[str, str]],
        code: str,
        style: Style,
        second_style: Style,
    ) -> list[tuple[str, Style]]:
        """A code (a document kind, a role) in words, as `_pair` gives them."""
        return self._pair(lambda t: table(t)[code], style, second_style)

    def _column_name(self, index: int) -> list[tuple[str, Style]]:
        return self._pair(lambda t: t.document_columns[index], TH, TH_2)

    def _field(
        self, label: Callable[[Texts], str], value: Callable[[Texts], str], style: Style = VALUE
    ) -> None:
        flow = self.flow
        widths = (LABEL_COLUMN - LABEL_GAP, LABEL_GAP, flow.width - LABEL_COLUMN)
        cells = (self._pair(label, LABEL, LABEL_2), (), self._pair(value, style, VALUE_2))
        flow.row(widths, cells, rule=RULE)

    def _applicant(self) -> None:
        content = self.content
        self._heading(lambda t: t.section_applicant, 40.0)
        self.flow.ops.append(self._top_rule())
        if content.name_native.strip():
            self._field(lambda t: t.name_native, lambda t: content.name_native, NAME)
        if content.name_latin.strip():
            self._field(lambda t: t.name_latin, lambda t: content.name_latin, NAME)
        if content.other_names:
            self._field(lambda t: t.other_names, lambda t: "; ".join(content.other_names))
        self._field(lambda t: t.birth_date, lambda t: t.partial_date(content.birth_date) or "—")
        self._field(lambda t: t.sex, lambda t: t.sexes[content.sex])
        self.flow.space(SECTION_GAP)

    def _top_rule(self) -> Line:
        flow = self.flow
        return Line(flow.left, flow.y, flow.right, flow.y, 0.4, RULE)

    def _documents(self) -> None:
        content, flow = self.content, self.flow
        widths = (*DOCUMENT_COLUMNS, flow.width - sum(DOCUMENT_COLUMNS))
        header: list[Cell] = [self._column_name(index) for index in range(5)]
        rows: list[list[Cell]] = []
        for document in content.documents:
            rows.append(
                [
                    self._term(lambda t: t.document_kinds, document.kind, TD, TD_2),
                    [(document.number or "—", TD)],
                    [(document.issuing_country or "—", TD)],
                    self._term(lambda t: t.seen_as, document.seen_as, TD, TD_2),
                    self._term(lambda t: t.verifications, document.verification, TD, TD_2),
                ]
            )
        header_height = flow.measure(widths, header, inset=CELL_INSET)[2]
        first = flow.measure(widths, rows[0], inset=CELL_INSET)[2] if rows else BODY.leading
        self._heading(lambda t: t.section_documents, header_height + first)
        if not rows:
            self._both(lambda t: t.no_documents, BODY, BODY_2, after=SECTION_GAP)
            return
        flow.row(widths, header, inset=CELL_INSET, fill=SHADE)
        for cells in rows:
            if flow.y - flow.measure(widths, cells, inset=CELL_INSET)[2] < flow.bottom:
                flow.new_page()
                # The columns are named again at the top of the new page.
                flow.row(widths, header, inset=CELL_INSET, fill=SHADE)
            flow.row(widths, cells, inset=CELL_INSET, rule=RULE)
        flow.space(SECTION_GAP)

    def _verification(self) -> None:
        content = self.content
        verified = sum(1 for d in content.documents if d.verification == "verified")
        interviewed = content.interviewed_on
        self._heading(lambda t: t.section_verification, 40.0)
        self.flow.ops.append(self._top_rule())
        self._field(
            lambda t: t.documents_examined,
            lambda t: t.documents_examined_value.format(
                count=len(content.documents), verified=verified
            ),
        )
        self._field(lambda t: t.references, lambda t: str(content.references_confirmed))
        self._field(
            lambda t: t.interview,
            lambda t: (
                t.interview_not_held
                if interviewed is None
                else t.interview_held.format(date=t.date(interviewed))
            ),
        )
        self._field(
            lambda t: t.checks,
            lambda t: "; ".join(t.check_names[c] for c in content.checks_passed) or t.no_checks,
        )
        self.flow.space(SECTION_GAP)

    def _closing(self) -> None:
        """Validity, limitation and signatures in a column beside the QR code, kept on one
        page; when that does not fit, the two paragraphs run on at full width and only the
        signatures stay beside the code."""
        content, flow = self.content, self.flow
        width = flow.width - QR_COLUMN - GUTTER
        start, end = content.issued_on, content.valid_until
        paragraphs: list[tuple[str, Style, float]] = []
        makers: tuple[Callable[[Texts], str], ...] = (
            lambda t: t.validity.format(start=t.date(start), end=t.date(end)),
            lambda t: t.limitation,
        )
        for make in makers:
            if self.second is None:
                paragraphs.append((make(self.main), BODY, PARAGRAPH_GAP))
            else:
                paragraphs.append((make(self.main), BODY, 1.0))
                paragraphs.append((make(self.second), BODY_2, PARAGRAPH_GAP))
        wrapped = [(style.wrap(text, width), style, after) for text, style, after in paragraphs]
        text_height = sum(len(lines) * style.leading + after for lines, style, after in wrapped)
        caption = self._caption()
        mark_height = MARK.leading + 4 * MM if content.copy_number is not None else 0.0
        code_height = mark_height + QR_SIDE + 2 * MM + len(caption) * SMALL.leading
        signatures_height = 2 * MM + self._signatures_height()
        if flow.y - max(text_height + signatures_height, code_height) < flow.bottom:
            for text, style, after in paragraphs:
                flow.paragraph(text, style)
                flow.space(after)
            wrapped, text_height = [], 0.0

        def draw(flow: Flow, top: float) -> None:
            y = top
            for lines, style, after in wrapped:
                for line in lines:
                    flow.ops.append(Text(flow.left, baseline_of(style, y), line, style))
                    y -= style.leading
                y -= after
            self._signatures(flow, y - 2 * MM, width)
            self._code(flow, top, caption)

        flow.block(max(text_height + signatures_height, code_height), draw)

    def _signatures_height(self) -> float:
        role_height = LABEL.leading + (LABEL_2.leading if self.second else 0.0)
        return (
            HEADING.leading
            + (HEADING_2.leading if self.second else 0.0)
            + 2 * MM
            + sum(
                role_height + len(self._signer_lines(s.name)) * SIGNER.leading + SIGNER_GAP
                for s in self.content.signatories
            )
            + STAMP_GAP
            + SMALL.leading
        )

    def _signer_lines(self, name: str) -> tuple[str, ...]:
        """A signatory's name, wrapped clear of the line to sign on."""
        width = self.flow.width - QR_COLUMN - GUTTER - SIGNATURE_LINE - 4 * MM
        return SIGNER.wrap(name, width)

    def _signatures(self, flow: Flow, top: float, width: float) -> None:
        ops, y = flow.ops, top
        for text, style in self._pair(lambda t: t.section_signatures, HEADING, HEADING_2):
            ops.append(Text(flow.left, baseline_of(style, y), text, style))
            y -= style.leading
        y -= 2 * MM
        line_x = flow.left + width - SIGNATURE_LINE
        for signatory in self.content.signatories:
            for text, style in self._term(lambda t: t.roles, signatory.role, LABEL, LABEL_2):
                ops.append(Text(flow.left, baseline_of(style, y), text, style))
                y -= style.leading
            name_baseline = baseline_of(SIGNER, y)
            for line in self._signer_lines(signatory.name):
                ops.append(Text(flow.left, baseline_of(SIGNER, y), line, SIGNER))
                y -= SIGNER.leading
            y -= SIGNER_GAP
            # The line to sign on, level with the name, and what goes on it.
            ops.append(
                Line(line_x, name_baseline, line_x + SIGNATURE_LINE, name_baseline, 0.6, INK)
            )
            hint = self.main.signature
            if self.second is not None:
                hint = f"{hint} · {self.second.signature}"
            hint_x = line_x + (SIGNATURE_LINE - SMALL.width(hint)) / 2
            ops.append(Text(hint_x, name_baseline - SMALL.leading + 1, hint, SMALL))
        ops.append(Text(flow.left, baseline_of(SMALL, y - STAMP_GAP), self.main.stamp, SMALL))

    def _caption(self) -> list[str]:
        """The line under the code: serial, key id, and how to check the letter."""
        content, main, width = self.content, self.main, QR_COLUMN
        lines = list(
            SMALL.wrap(
                main.qr_serial.format(number_sign=main.number_sign, serial=content.serial), width
            )
        )
        if content.draft:  # nothing to verify yet
            return lines
        lines.extend(SMALL.wrap(main.qr_key.format(key_id=content.key_id), width))
        lines.extend(SMALL.wrap(main.qr_verify, width))
        if self.english is not None:
            lines.extend(SMALL.wrap(self.english.qr_verify, width))
        return lines

    def _code(self, flow: Flow, top: float, caption: list[str]) -> None:
        content, ops = self.content, flow.ops
        centre = flow.right - QR_COLUMN / 2
        y = top
        if content.copy_number is not None:
            copy = self._copy_text()
            width = MARK.width(copy) + 4 * MM
            ops.extend(mark(copy, centre + width / 2, y, MARK))
            y -= MARK.leading + 4 * MM
        qr_x = centre - QR_SIDE / 2
        y -= QR_SIDE
        if content.draft:
            texts = (self.main,) if self.english is None else (self.main, self.english)
            lines: tuple[str, ...] = tuple(
                t.screen_view_no_qr if content.screen_view else t.draft_no_qr for t in texts
            )
            ops.extend(qr_placeholder(lines, qr_x, y, QR_SIDE, SMALL))
        else:
            ops.append(qr_code(content.qr_text, qr_x, y, QR_SIDE))
        y -= 2 * MM
        for line in caption:
            ops.append(Text(centre - SMALL.width(line) / 2, baseline_of(SMALL, y), line, SMALL))
            y -= SMALL.leading
