"""The letter's look: type styles, colours and measures, in one place to adjust."""

from __future__ import annotations

from praverka.reports.letters.fonts import BOLD, REGULAR
from praverka.reports.letters.layout import MM, Color, Style
from praverka.reports.letters.letterhead import NAVY, RED, Margins

INK: Color = (0.1, 0.1, 0.12)
GREY: Color = (0.36, 0.38, 0.42)
PALE: Color = (0.5, 0.52, 0.56)
RULE: Color = (0.8, 0.82, 0.86)
SHADE: Color = (0.93, 0.95, 0.97)

ORG = Style(BOLD, 12.5, 15.0, NAVY)
ORG_DETAIL = Style(REGULAR, 8.0, 10.2, GREY)
ORG_RUNNING = Style(BOLD, 9.0, 11.0, NAVY)  # in the header of later pages
SERIAL = Style(BOLD, 10.5, 13.0, INK)
DATE = Style(REGULAR, 9.0, 12.0, INK)
DATE_2 = Style(REGULAR, 8.0, 10.5, GREY)
TITLE = Style(BOLD, 14.0, 17.5, NAVY)
TITLE_2 = Style(BOLD, 10.0, 13.0, PALE)
SUBTITLE = Style(REGULAR, 10.0, 13.0, INK)
SUBTITLE_2 = Style(REGULAR, 8.5, 11.0, PALE)
BODY = Style(REGULAR, 9.0, 12.0, INK)
BODY_2 = Style(REGULAR, 8.0, 10.6, GREY)
NOTICE = Style(BOLD, 9.5, 12.5, RED)
NOTICE_2 = Style(BOLD, 8.0, 10.5, RED)
HEADING = Style(BOLD, 10.5, 13.0, NAVY)
HEADING_2 = Style(REGULAR, 8.5, 11.0, PALE)
LABEL = Style(REGULAR, 8.5, 11.0, GREY)
LABEL_2 = Style(REGULAR, 7.5, 9.5, PALE)
VALUE = Style(REGULAR, 9.5, 12.5, INK)
NAME = Style(BOLD, 10.5, 13.5, INK)
VALUE_2 = Style(REGULAR, 8.0, 10.5, GREY)
TH = Style(BOLD, 7.8, 10.0, INK)
TH_2 = Style(REGULAR, 7.0, 9.0, GREY)
TD = Style(REGULAR, 7.8, 10.3, INK)
TD_2 = Style(REGULAR, 7.2, 9.2, GREY)
SIGNER = Style(BOLD, 10.0, 13.0, INK)
SMALL = Style(REGULAR, 7.0, 9.0, GREY)
MARK = Style(BOLD, 9.0, 11.0, RED)

MARGINS = Margins()
LOGO_SIDE = 17 * MM
HEADER_COLUMN = 54 * MM  # serial, date and place, at the letterhead's right
QR_SIDE = 37 * MM  # quiet zone included; readable from a 150 dpi scan (see qr_matrix)
QR_COLUMN = 46 * MM  # the code and its caption, beside the closing text and signatures
GUTTER = 5 * MM
SIGNATURE_LINE = 44 * MM
SIGNER_GAP = 2 * MM
STAMP_GAP = 2 * MM
PARAGRAPH_GAP = 2 * MM
SECTION_GAP = 2.5 * MM
LABEL_COLUMN = 61 * MM
LABEL_GAP = 3 * MM  # kept clear between a label and its value
DOCUMENT_COLUMNS = (44 * MM, 27.5 * MM, 17 * MM, 40.5 * MM)  # the result column takes the rest
CELL_INSET = 3.5  # points of space at each side of a document table cell
LATER_HEADER = 16 * MM  # from the top margin to where the flow starts on later pages
