"""Printing letters on a real CUPS printer, and the letter viewer that hands out each copy.

The printer is Debian's cups-pdf (see tests/cups.py): a job goes through Qt,
CUPS, its filters and Ghostscript, and comes back as a PDF whose pages are
compared with the original's as pictures, and whose QR code must still read
at its true size from a 150 dpi rendering.
"""

from __future__ import annotations

import io
import math
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import segno
import zxingcpp
from PIL import Image, ImageChops, ImageFilter, ImageStat
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QApplication, QPushButton
from reportlab.lib.pagesizes import A3, A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from praverka.app.errors import InvalidInput
from praverka.ui import letter_viewer, printing
from praverka.ui.letter_viewer import LetterHooks, LetterViewer
from tests import cups

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    *sorted(Path(__file__).resolve().parents[2].glob("reports/fonts/DejaVuSans*.ttf")),
)
QR_TEXT = "PRV1:" + "6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE" * 6
QR_SIDE_MM = 38.0
A4_POINTS = (595, 842)


# ----------------------------------------------------------------- documents


def _font() -> str:
    for path in FONT_PATHS:
        if path.exists():
            if "PraverkaTestSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("PraverkaTestSans", str(path)))
            return "PraverkaTestSans"
    pytest.fail("no DejaVu Sans font to embed: install Debian's fonts-dejavu-core")


def letter_pdf(pages: int = 2, *, marking: str = "", size: tuple[float, float] = A4) -> bytes:
    """A letter-like PDF: Cyrillic text in an embedded font, a 38 mm QR code on page 1."""
    font = _font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=size)
    width, height = size
    for number in range(1, pages + 1):
        page.setFont(font, 16)
        page.drawString(25 * mm, height - 30 * mm, f"Праверка: ліст {number} з {pages} {marking}")
        page.setFont(font, 11)
        for line in range(12):
            page.drawString(
                25 * mm,
                height - (45 + line * 7) * mm,
                f"Радок {line + 1}: Аляксандра Уладзіміраўна, Ўўіё ЄєЇї, Hanna Shvedava",
            )
        if number == 1:
            _draw_qr(page, QR_TEXT, 25 * mm, 40 * mm, QR_SIDE_MM * mm)
        else:
            # A different picture on page 2, so that swapped pages are noticed.
            page.rect(width - 95 * mm, 40 * mm, 70 * mm, 70 * mm, fill=1)
        page.showPage()
    page.save()
    return out.getvalue()


def _draw_qr(page: canvas.Canvas, text: str, x: float, y: float, side: float) -> None:
    matrix = segno.make(text, error="m", micro=False).matrix
    module = side / len(matrix)
    for row, bits in enumerate(matrix):
        for column, bit in enumerate(bits):
            if bit:
                top = y + side - (row + 1) * module
                page.rect(x + column * module, top, module, module, stroke=0, fill=1)


def _pdf_info(path: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    info = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def _pages_as_pictures(pdf: bytes | Path, dpi: int, tmp_path: Path) -> list[Image.Image]:
    if isinstance(pdf, bytes):
        source = tmp_path / f"source-{len(list(tmp_path.iterdir()))}.pdf"
        source.write_bytes(pdf)
    else:
        source = pdf
    prefix = tmp_path / f"page-{source.stem}-{dpi}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(prefix)],
        check=True,
        capture_output=True,
    )
    return [
        Image.open(path).convert("L")
        for path in sorted(
            tmp_path.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
        )
    ]


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean difference of two pages drawn at the same resolution, 0 (same) to 255.

    Slightly blurred first: a printed page is a picture and the original is
    vectors, so their letters' edges are smoothed differently; what matters
    is that the same things are in the same places.
    """
    if a.size != b.size:
        b = b.resize(a.size)
    blur = ImageFilter.GaussianBlur(2)
    return float(ImageStat.Stat(ImageChops.difference(a.filter(blur), b.filter(blur))).mean[0])


def _ink(picture: Image.Image) -> float:
    return 255.0 - float(ImageStat.Stat(picture).mean[0])


def _qr_on(picture: Image.Image, dpi: int) -> tuple[str, float]:
    """The QR code's text and its width in millimetres."""
    codes = zxingcpp.read_barcodes(
        picture, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert codes, "no QR code could be read from the printed page"
    position = codes[0].position
    width_px = math.dist(
        (position.top_left.x, position.top_left.y), (position.top_right.x, position.top_right.y)
    )
    return codes[0].text, width_px / dpi * 25.4


@pytest.fixture
def printed(cups_printer: cups.PdfPrinter) -> Iterator[list[Path]]:
    """Output files the test made; deleted afterwards."""
    made: list[Path] = []
    yield made
    for path in made:
        path.unlink(missing_ok=True)


def _collect(printer: cups.PdfPrinter, title: str, made: list[Path]) -> Path:
    path = printer.wait_for_output(title)
    made.append(path)
    return path


# ----------------------------------------------------------------- printing


def test_a_two_page_letter_prints_through_cups_at_true_size(qapp, cups_printer, printed, tmp_path):
    assert cups_printer.name in printing.printer_names()
    info = QPrinterInfo.printerInfo(cups_printer.name)
    assert not info.isNull() and "pdf" in info.makeAndModel().lower()
    pdf = letter_pdf()
    title = cups.unique_title("letter")

    result = printing.print_to(pdf, cups_printer.name, title=title)

    assert result == printing.PrintResult(printer_name=cups_printer.name, pages=2, copies=1)
    output = _collect(cups_printer, title, printed)
    info_out = _pdf_info(output)
    assert info_out["Pages"] == "2"
    assert info_out["Page size"].startswith(f"{A4_POINTS[0]} x {A4_POINTS[1]} pts")
    original = _pages_as_pictures(pdf, 50, tmp_path)
    on_paper = _pages_as_pictures(output, 50, tmp_path)
    # Each page came out as itself and in order: close to its own page, far from the other.
    for mine, other in ((0, 1), (1, 0)):
        assert _ink(on_paper[mine]) > 5
        assert _difference(on_paper[mine], original[mine]) < 4
        assert _difference(on_paper[mine], original[other]) > 15
    text, width_mm = _qr_on(_pages_as_pictures(output, 150, tmp_path)[0], 150)
    assert text == QR_TEXT
    assert width_mm == pytest.approx(QR_SIDE_MM, abs=1.0)


def test_only_the_pages_chosen_are_printed(qapp, cups_printer, printed, tmp_path):
    pdf = letter_pdf(3)
    printer = printing.new_printer(cups_printer.name)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    title = cups.unique_title("range")

    result = printing.print_pdf(pdf, printer, title=title)

    assert result.pages == 2
    output = _collect(cups_printer, title, printed)
    assert _pdf_info(output)["Pages"] == "2"
    original = _pages_as_pictures(pdf, 50, tmp_path)
    on_paper = _pages_as_pictures(output, 50, tmp_path)
    assert _difference(on_paper[0], original[1]) < 4
    assert _difference(on_paper[1], original[2]) < 4


def test_a_page_range_outside_the_document_is_refused(qapp, tmp_path):
    printer = _file_printer(tmp_path / "out.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(5, 6)
    with pytest.raises(printing.PrintError, match="not in this document"):
        printing.print_pdf(letter_pdf(2), printer, title="range")


def _file_printer(path: Path) -> QPrinter:
    """Qt's own PDF output: the same painting as for paper, without a print service."""
    printer = printing.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_a_page_larger_than_the_paper_is_shrunk_to_fit_and_centred(qapp, tmp_path):
    out = tmp_path / "a3-on-a4.pdf"
    a3 = letter_pdf(1, size=A3)

    result = printing.print_pdf(a3, _file_printer(out), title="a3")

    assert result.pages == 1
    assert _pdf_info(out)["Page size"].startswith(f"{A4_POINTS[0]} x {A4_POINTS[1]} pts")
    (page,) = _pages_as_pictures(out, 72, tmp_path)
    left, _top, right, bottom = page.point(lambda v: 255 if v < 160 else 0).getbbox() or (
        0,
        0,
        0,
        0,
    )
    # A3's text starts 25 mm from the left: shrunk by A4/A3 (0.707) it starts ~18 mm in.
    assert left == pytest.approx(25 * 0.707 * 72 / 25.4, abs=3)
    assert right < A4_POINTS[0] and bottom < A4_POINTS[1]
    text, width_mm = _qr_on(_pages_as_pictures(out, 300, tmp_path)[0], 300)
    assert text == QR_TEXT and width_mm == pytest.approx(QR_SIDE_MM * 0.707, abs=1.0)


def test_a_missing_printer_is_named_and_nothing_is_sent(qapp):
    with pytest.raises(printing.PrinterUnavailable, match="no printer called “Nowhere-7”"):
        printing.print_to(letter_pdf(1), "Nowhere-7", title="nothing")
    # Qt alone would quietly pick the default printer instead.
    with pytest.raises(printing.PrinterUnavailable, match="Nowhere-7"):
        printing.new_printer("Nowhere-7")


def test_a_stopped_printer_and_one_refusing_jobs_are_refused_before_printing(qapp, cups_printer):
    with cups.temporary_queue() as queue:
        assert queue.name in printing.printer_names()  # Qt sees a queue added just now
        printing.check_printer(queue.name)
        subprocess.run(["cupsdisable", queue.name], check=True)
        with pytest.raises(printing.PrinterUnavailable, match="is stopped"):
            printing.print_to(letter_pdf(1), queue.name, title="stopped")
        subprocess.run(["cupsenable", queue.name], check=True)
        subprocess.run(["cupsreject", queue.name], check=True)
        with pytest.raises(printing.PrinterUnavailable, match="not accepting jobs"):
            printing.print_to(letter_pdf(1), queue.name, title="rejected")
        # Nothing was handed over (Qt itself would have, and ignored CUPS's refusal).
        jobs = subprocess.run(["lpstat", "-o", queue.name], capture_output=True, text=True)
        assert jobs.stdout.strip() == ""


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n garbage", b"\x89PNG\r\n\x1a\n"])
def test_a_damaged_pdf_is_refused_in_one_sentence(qapp, tmp_path, data):
    with pytest.raises(printing.PrintError, match="cannot be read for printing"):
        printing.print_pdf(data, _file_printer(tmp_path / "out.pdf"), title="damaged")
    assert not (tmp_path / "out.pdf").exists()


def test_printing_refuses_to_run_off_the_gui_thread(qapp, tmp_path):
    printer = _file_printer(tmp_path / "out.pdf")
    raised: list[BaseException] = []

    def work() -> None:
        try:
            printing.print_pdf(letter_pdf(1), printer, title="thread")
        except BaseException as error:
            raised.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(30)
    assert len(raised) == 1 and isinstance(raised[0], RuntimeError)
    assert "GUI thread" in str(raised[0])


def test_the_system_print_dialog_gives_the_chosen_printer(qtbot, cups_printer):
    seen: list[str] = []

    def accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        seen.append(dialog.objectName())
        dialog.accept()  # type: ignore[attr-defined]

    QTimer.singleShot(0, accept)
    printer = printing.ask_printer(None, pages=2, title="Print PRV-1")
    assert seen == ["printDialog"]
    assert printer is not None and printer.printerName() in printing.printer_names()
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4


# ----------------------------------------------------------------- the viewer


@dataclass
class Ledger:
    """Stands in for the letters service: records each copy and returns its PDF."""

    pages: int = 2
    copies: list[tuple[str, str, str]] = field(default_factory=list)
    handed_out: list[bytes] = field(default_factory=list)
    spoiled: list[tuple[int, str]] = field(default_factory=list)  # (index in copies, why)
    refuse: str = ""
    refuse_spoiling: str = ""

    def next_copy(self) -> int | None:
        kept = len(self.copies) - len(self.spoiled)
        return kept + 1 if kept else None

    def _issue(self, kind: str, where: str, reason: str) -> bytes:
        if self.refuse:
            raise InvalidInput(self.refuse)
        number = self.next_copy()
        self.copies.append((kind, where, reason))
        self.handed_out.append(letter_pdf(self.pages, marking=f"Copy {number}" if number else ""))
        return self.handed_out[-1]

    def on_print(self, printer_name: str, reason: str) -> bytes:
        return self._issue("print", printer_name, reason)

    def on_save(self, path: Path, reason: str) -> bytes:
        return self._issue("save", str(path), reason)

    def on_failed(self, problem: str) -> None:
        if self.refuse_spoiling:
            raise InvalidInput(self.refuse_spoiling)
        self.spoiled.append((len(self.copies) - 1, problem))

    def hooks(self) -> LetterHooks:
        return LetterHooks(
            next_copy=self.next_copy,
            on_print=self.on_print,
            on_save=self.on_save,
            on_failed=self.on_failed,
        )


@pytest.fixture
def viewer(qtbot) -> Iterator[tuple[LetterViewer, Ledger]]:
    ledger = Ledger()
    window = LetterViewer(
        letter_pdf(2), ledger.hooks(), title="PRV-2026-000123", file_name="PRV-2026-000123.pdf"
    )
    qtbot.addWidget(window)
    window.show()
    yield window, ledger


def _choose_printer(monkeypatch, name: str) -> list[int]:
    asked: list[int] = []

    def ask(_parent, *, pages: int, title: str = "", allow_copies: bool = True) -> QPrinter:
        asked.append(pages)
        return printing.new_printer(name)

    monkeypatch.setattr(printing, "ask_printer", ask)
    return asked


def _click(qtbot, window: LetterViewer, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_viewer_shows_the_pages_and_prints_and_saves_each_copy_through_the_hooks(
    qtbot, viewer, cups_printer, printed, answers, monkeypatch, tmp_path
):
    window, ledger = viewer
    assert window.objectName() == "letterViewer"
    assert window.pages == 2 and window.page_label.text() == "Page 1 of 2"
    assert "Original" in window.copy_label.text()
    window.next_page()
    qtbot.waitUntil(lambda: window.page_label.text() == "Page 2 of 2", timeout=5_000)
    assert not window.next_page_button.isEnabled() and window.previous_page_button.isEnabled()
    window.previous_page()
    qtbot.waitUntil(lambda: window.page == 0, timeout=5_000)

    title = cups.unique_title("viewer")
    window.title = title  # the job's title, to find cups-pdf's file
    asked = _choose_printer(monkeypatch, cups_printer.name)
    _click(qtbot, window, "printLetter")

    assert asked == [2]
    assert ledger.copies == [("print", cups_printer.name, "")]  # the original needs no reason
    assert answers.asked == []
    assert window.bar.kind == "info" and cups_printer.name in window.bar.text.text()
    assert "Copy 2" in window.copy_label.text()
    output = _collect(cups_printer, title, printed)
    assert _pdf_info(output)["Pages"] == "2"

    target = tmp_path / "letters" / "PRV-2026-000123.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda _parent, suggested: target)
    answers.text = "the bank kept the first one"
    _click(qtbot, window, "saveLetter")

    assert ledger.copies[1] == ("save", str(target), "the bank kept the first one")
    assert len(answers.asked) == 1 and "copy 2" in answers.asked[0].lower()
    saved = target.read_bytes()
    assert saved == ledger.handed_out[1]
    assert (
        "Copy 2"
        in subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no scratch file left
    assert "Copy 3" in window.copy_label.text()
    assert window.bar.kind == "info" and str(target) in window.bar.text.text()


def test_a_hook_refusing_a_copy_is_shown_and_nothing_is_printed_or_written(
    qtbot, viewer, cups_printer, monkeypatch, tmp_path
):
    window, ledger = viewer
    ledger.refuse = "Only an issued letter can be printed."
    _choose_printer(monkeypatch, cups_printer.name)
    _click(qtbot, window, "printLetter")
    assert window.bar.kind == "error"
    assert window.bar.text.text() == "Only an issued letter can be printed."
    assert ledger.copies == []

    target = tmp_path / "refused.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda _parent, suggested: target)
    _click(qtbot, window, "saveLetter")
    assert window.bar.text.text() == "Only an issued letter can be printed."
    assert list(tmp_path.iterdir()) == []
    assert "Original" in window.copy_label.text()


def test_no_copy_is_recorded_when_the_printer_or_folder_cannot_take_it(
    qtbot, viewer, cups_printer, monkeypatch, tmp_path
):
    window, ledger = viewer
    with cups.temporary_queue() as queue:
        _choose_printer(monkeypatch, queue.name)
        subprocess.run(["cupsreject", queue.name], check=True)
        _click(qtbot, window, "printLetter")
    assert window.bar.kind == "error" and "not accepting jobs" in window.bar.text.text()

    missing_folder = tmp_path / "no-such-folder" / "letter.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda _parent, suggested: missing_folder)
    _click(qtbot, window, "saveLetter")
    assert window.bar.kind == "error" and "Nothing was saved" in window.bar.text.text()
    assert ledger.copies == []


def test_a_reprint_without_a_reason_is_not_made(qtbot, viewer, answers, monkeypatch, tmp_path):
    window, ledger = viewer
    ledger.copies.append(("print", "Office", ""))  # the original left earlier
    window.update_copy_status()
    assert "Copy 2" in window.copy_label.text()
    target = tmp_path / "again.pdf"
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda _parent, suggested: target)
    answers.text = None  # the person cancels the question
    _click(qtbot, window, "saveLetter")
    assert len(ledger.copies) == 1 and not target.exists()
    answers.text = "   "  # or gives none
    _click(qtbot, window, "saveLetter")
    assert window.bar.kind == "error" and "needs a reason" in window.bar.text.text()
    assert len(ledger.copies) == 1 and list(tmp_path.iterdir()) == []


def test_the_viewer_refuses_several_copies_in_one_go(qtbot, viewer, cups_printer, monkeypatch):
    window, ledger = viewer

    def three_copies(_parent, **_kwargs) -> QPrinter:
        printer = printing.new_printer(cups_printer.name)
        printer.setCopyCount(3)
        return printer

    monkeypatch.setattr(printing, "ask_printer", three_copies)
    _click(qtbot, window, "printLetter")
    assert window.bar.kind == "error" and "one copy at a time" in window.bar.text.text()
    assert ledger.copies == []


def test_a_failure_after_the_copy_was_recorded_marks_it_spoiled(
    qtbot, viewer, cups_printer, monkeypatch, tmp_path
):
    window, ledger = viewer
    real_print = ledger.on_print
    monkeypatch.setattr(
        ledger, "on_print", lambda printer, reason: (real_print(printer, reason), b"%PDF-1.4 x")[1]
    )
    window.hooks = ledger.hooks()
    _choose_printer(monkeypatch, cups_printer.name)
    _click(qtbot, window, "printLetter")
    assert window.bar.kind == "error"
    said = window.bar.text.text()
    assert said.startswith("The printer refused the job: This PDF cannot be read for printing")
    assert said.endswith("The copy was logged as spoiled; printing again makes the original again.")
    assert ledger.spoiled == [(0, "This PDF cannot be read for printing: it is damaged or locked.")]
    assert "Original" in window.copy_label.text()

    occupied = tmp_path / "letter.pdf"
    occupied.mkdir()  # a folder where the file should go: the final rename fails
    monkeypatch.setattr(letter_viewer, "ask_save_path", lambda _parent, suggested: occupied)
    _click(qtbot, window, "saveLetter")
    assert len(ledger.copies) == 2 and len(ledger.spoiled) == 2  # recorded, then spoiled
    said = window.bar.text.text()
    assert said.startswith(f"{occupied} could not be written: Is a directory.")
    assert said.endswith("saving again makes the original again.")
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]  # no scratch file left

    # When the copy cannot even be marked, the window says the log still counts it.
    ledger.refuse_spoiling = "The database is not reachable."
    _click(qtbot, window, "saveLetter")
    said = window.bar.text.text()
    assert "could not be logged as spoiled (The database is not reachable.)" in said
    assert "still counts it as handed out" in said
    assert "Copy 2" in window.copy_label.text()
