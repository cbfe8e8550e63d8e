"""Printing a PDF (a letter) on paper, the way an office printer gets it.

    result = print_to(pdf_bytes, "Office-HP", title="PRV-2026-000123")
    result = print_with_dialog(parent, pdf_bytes, title="PRV-2026-000123")  # None: cancelled

Qt cannot hand a PDF to a printer as it is: a `QPrinter` is a paint device.
So each page is drawn by QtPdf into pictures at the printer's resolution (at
most `MAX_PRINT_DPI`), a band of the page at a time (a whole A4 page at 600
dpi would take 140 MB), and the bands are painted onto the printer with a
`QPainter`, losslessly.  Qt sends the job to the system's print service
(CUPS on Linux) when the painter ends.  The paper gets pixels, as from any
printer; a "print to PDF" queue therefore writes pictures without a text
layer, which is one more reason to save a PDF with Save as PDF instead.

A page that fits on the paper is printed at its true size, centred: a
letter's QR code must come out 35-40 mm wide to be read from a scan, and
its own margins are wider than any printer's unprintable border.  A page
larger than the paper is scaled down into the printable area.

Printing paints, so it happens on the GUI thread; the functions refuse to
run anywhere else.  Problems the person can act on (no such printer, a
stopped printer, a queue that refuses jobs, a damaged PDF) raise `PrintError`
with one sentence.  The printer is asked again just before the job is painted,
because a letter's copy is logged between choosing the printer and printing:
a queue stopped meanwhile must fail the job (the copy is then marked spoiled)
rather than swallow it.  The system dialog is shown by `ask_printer`, which a
test replaces, like the questions in `messages`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    QThread,
)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

from praverka.app.errors import PraverkaError
from praverka.app.i18n import _

# Office lasers print 600 dpi; more makes the job several times larger and
# the paper no sharper, so a printer reporting 1200 dpi is sent 600.
MAX_PRINT_DPI = 600
# Memory for one band of a page while it is drawn (a whole A4 page at 600 dpi is 140 MB).
BAND_BYTES = 16 * 1024 * 1024
# A page within this much of the paper's size counts as the paper's size (PDF
# generators round A4 differently).
FIT_TOLERANCE_POINTS = 2.0
POINTS_PER_INCH = 72.0


class PrintError(PraverkaError):
    """The document was not printed (or not completely); the message says why."""


class PrinterUnavailable(PrintError):
    """The printer is missing, stopped, or not taking jobs; nothing was sent."""


@dataclass(frozen=True)
class PrintResult:
    """What was handed to the print service."""

    printer_name: str
    pages: int  # pages of the document sent, per copy
    copies: int


# ----------------------------------------------------------------- printers


def printer_names() -> list[str]:
    """The printers this computer knows, as Qt sees them now."""
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


def check_printer(name: str) -> None:
    """Raise `PrinterUnavailable` unless `name` is a printer that takes jobs now."""
    if not name:
        raise PrinterUnavailable(_("No printer was chosen."))
    # A fresh QPrinterInfo asks the print service again, so a printer added
    # or stopped since the program started is seen as it is now.
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrinterUnavailable(
            _("There is no printer called “{name}” on this computer.").format(name=name)
        )
    if info.state() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrinterUnavailable(
            _(
                "The printer “{name}” is stopped or reports an error; start it and try again."
            ).format(name=name)
        )
    if _cups_accepting_jobs(name) is False:
        raise PrinterUnavailable(
            _(
                "The printer “{name}” is not accepting jobs; ask whoever looks after it "
                "to let it accept jobs again."
            ).format(name=name)
        )


def new_printer(name: str | None = None) -> QPrinter:
    """A printer set up for a letter: A4 portrait, the printer's own resolution, one copy.

    Without a name, the system's default printer; `PrinterUnavailable` for an unknown name.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        printer.setPrinterName(name)
        # Qt quietly falls back to the default printer for a name it does not know.
        if printer.printerName() != name:
            raise PrinterUnavailable(
                _("There is no printer called “{name}” on this computer.").format(name=name)
            )
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setCopyCount(1)
    return printer


def ask_printer(
    parent: QWidget | None, *, pages: int, title: str = "", allow_copies: bool = True
) -> QPrinter | None:
    """The system print dialog; the chosen printer, or None when the person cancels.

    Printing to a file is left out: a PDF is saved with Save as PDF, which keeps
    the document as it is instead of a picture of it.
    """
    if not printer_names():
        raise PrinterUnavailable(_("No printer is set up on this computer."))
    printer = new_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("printDialog")
    dialog.setWindowTitle(title or _("Print"))
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOption(option.PrintToFile, False)
    dialog.setOption(option.PrintSelection, False)
    dialog.setOption(option.PrintCurrentPage, False)
    dialog.setOption(option.PrintPageRange, pages > 1)
    dialog.setOption(option.PrintCollateCopies, allow_copies)
    dialog.setMinMax(1, max(1, pages))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


# ----------------------------------------------------------------- printing


def print_to(pdf: bytes, printer_name: str, *, title: str, copies: int = 1) -> PrintResult:
    """Print every page of `pdf` on the named printer, without asking anything (batch work)."""
    check_printer(printer_name)
    printer = new_printer(printer_name)
    printer.setCopyCount(max(1, copies))
    return print_pdf(pdf, printer, title=title)


def print_with_dialog(parent: QWidget | None, pdf: bytes, *, title: str) -> PrintResult | None:
    """Ask for the printer, pages and copies with the system dialog, then print; None if cancelled."""
    pages = pdf_page_count(pdf)
    printer = ask_printer(parent, pages=pages, title=title)
    if printer is None:
        return None
    check_printer(printer.printerName())
    return print_pdf(pdf, printer, title=title)


def print_pdf(pdf: bytes, printer: QPrinter, *, title: str) -> PrintResult:
    """Paint the pages of `pdf` chosen on `printer` (all, or its page range) and send the job."""
    _require_gui_thread()
    name = printer.printerName()
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
        # Asked again: the queue may have stopped or begun refusing jobs since it was chosen,
        # and Qt would hand the job over regardless and report nothing.
        check_printer(name)
    with _OpenPdf(pdf) as document:
        pages = _pages_to_print(printer, document.pageCount())
        if not pages:
            raise PrintError(_("The chosen pages are not in this document."))
        printer.setDocName(title)
        printer.setFullPage(True)  # the painter's origin is the paper's corner
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(_("The printer “{name}” refused the job.").format(name=name))
        # Qt would otherwise send pictures as JPEG, blurring small print and the QR code.
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
        # CUPS makes the copies itself; where the system cannot, each is painted again.
        repeats = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        try:
            for position, page in enumerate(pages * repeats):
                if position and not printer.newPage():
                    raise PrintError(
                        _("The printer “{name}” stopped taking the job after {n} pages.").format(
                            name=name, n=position
                        )
                    )
                _paint_page(painter, printer, document, page)
        except BaseException:
            printer.abort()
            painter.end()
            raise
        if not painter.end() or printer.printerState() in (
            QPrinter.PrinterState.Error,
            QPrinter.PrinterState.Aborted,
        ):
            raise PrintError(_("The printer “{name}” could not take the job.").format(name=name))
    return PrintResult(printer_name=name, pages=len(pages), copies=max(1, printer.copyCount()))


def pdf_page_count(pdf: bytes) -> int:
    """The number of pages; `PrintError` when the PDF cannot be read."""
    with _OpenPdf(pdf) as document:
        return int(document.pageCount())


class _OpenPdf:
    """A `QPdfDocument` over the bytes, closed with its buffer on leaving the block."""

    def __init__(self, pdf: bytes) -> None:
        self._buffer = QBuffer()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document = QPdfDocument()

    def __enter__(self) -> QPdfDocument:
        # A QBuffer is read at once, so the document is ready (or failed) when load returns.
        self._document.load(self._buffer)
        if self._document.status() != QPdfDocument.Status.Ready or self._document.pageCount() < 1:
            self.__exit__()
            raise PrintError(_("This PDF cannot be read for printing: it is damaged or locked."))
        return self._document

    def __exit__(self, *_exc: object) -> None:
        self._document.close()
        self._buffer.close()


def _pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """Zero-based pages: the range chosen in the print dialog, else all of them."""
    ranges = printer.pageRanges()
    if printer.printRange() != QPrinter.PrintRange.PageRange or ranges.isEmpty():
        return list(range(count))
    return [page for page in range(count) if ranges.contains(page + 1)]


def _paint_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int) -> None:
    points = document.pagePointSize(page)
    if points.width() <= 0 or points.height() <= 0:
        raise PrintError(_("Page {n} of this PDF has no size.").format(n=page + 1))
    target = _target_rect(printer, points)
    # Drawn at the size it has on paper, at the printer's resolution (up to MAX_PRINT_DPI).
    pixels_per_device_pixel = min(1.0, MAX_PRINT_DPI / printer.resolution())
    width = max(1, round(target.width() * pixels_per_device_pixel))
    height = max(1, round(target.height() * pixels_per_device_pixel))
    scale_x = target.width() / width
    scale_y = target.height() / height
    band_rows = max(1, BAND_BYTES // (width * 4))
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(QSize(width, height))
    for top in range(0, height, band_rows):
        rows = min(band_rows, height - top)
        options.setScaledClipRect(QRect(0, top, width, rows))
        band = document.render(page, QSize(width, rows), options)
        if band.isNull():
            raise PrintError(
                _("Page {n} of this PDF could not be drawn for printing.").format(n=page + 1)
            )
        painter.drawImage(
            QRectF(target.x(), target.y() + top * scale_y, width * scale_x, rows * scale_y),
            _on_white(band),
        )


def _target_rect(printer: QPrinter, points: QSizeF) -> QRectF:
    """Where the page goes on the paper, in device pixels: true size if it fits, else shrunk."""
    layout = QPageLayout(printer.pageLayout())
    layout.setUnits(QPageLayout.Unit.Point)
    paper = layout.fullRect()
    to_device = printer.resolution() / POINTS_PER_INCH
    fits = (
        points.width() <= paper.width() + FIT_TOLERANCE_POINTS
        and points.height() <= paper.height() + FIT_TOLERANCE_POINTS
    )
    if fits:
        area = QRectF(0, 0, paper.width(), paper.height())
        scale = 1.0
    else:
        margins = layout.minimumMargins()
        area = QRectF(
            margins.left(),
            margins.top(),
            paper.width() - margins.left() - margins.right(),
            paper.height() - margins.top() - margins.bottom(),
        )
        scale = min(area.width() / points.width(), area.height() / points.height())
    width, height = points.width() * scale, points.height() * scale
    left = area.x() + (area.width() - width) / 2
    top = area.y() + (area.height() - height) / 2
    return QRectF(left * to_device, top * to_device, width * to_device, height * to_device)


def _on_white(image: QImage) -> QImage:
    """A page drawn without a background is transparent; paper is white, and opaque is smaller."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper


def _require_gui_thread() -> None:
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("printing paints, so it must run on the GUI thread")


# ----------------------------------------------------------------- CUPS


class _CupsOption(ctypes.Structure):
    _fields_ = (("name", ctypes.c_char_p), ("value", ctypes.c_char_p))


class _CupsDest(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("instance", ctypes.c_char_p),
        ("is_default", ctypes.c_int),
        ("num_options", ctypes.c_int),
        ("options", ctypes.POINTER(_CupsOption)),
    )


@functools.cache
def _libcups() -> ctypes.CDLL | None:
    found = ctypes.util.find_library("cups")
    if found is None:
        return None
    try:
        library = ctypes.CDLL(found)
    except OSError:
        return None
    library.cupsGetNamedDest.restype = ctypes.POINTER(_CupsDest)
    library.cupsGetNamedDest.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p)
    library.cupsFreeDests.restype = None
    library.cupsFreeDests.argtypes = (ctypes.c_int, ctypes.POINTER(_CupsDest))
    return library


def _cups_accepting_jobs(name: str) -> bool | None:
    """Whether CUPS takes jobs for this queue; None where CUPS cannot be asked.

    Qt hands the finished job to CUPS and ignores the answer, so a queue set
    to reject jobs would swallow a letter that the log then calls printed.
    """
    library = _libcups()
    if library is None:
        return None
    dest = library.cupsGetNamedDest(None, name.encode(), None)
    if not dest:
        return None
    try:
        options = dest.contents
        for index in range(options.num_options):
            option = options.options[index]
            if option.name == b"printer-is-accepting-jobs":
                return bool(option.value != b"false")
        return None
    finally:
        library.cupsFreeDests(1, dest)
