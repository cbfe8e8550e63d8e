"""Pictures of stored scans: thumbnails, and a viewer with zoom and rotation.

The functions that turn bytes into a `QImage` are safe on a worker thread (a
`QImage`, unlike a `QPixmap`, may live anywhere), so thumbnails are made off
the GUI thread.  PDF pages are drawn by QtPdf when it imports; without it a
PDF shows as an icon.  Rotation in the viewer is for looking only: the stored
scan was turned upright on import and is never changed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app import scans
from praverka.app.i18n import _

THUMBNAIL_SIDE = 128
# PDF pages are drawn for the viewer with their longer side this long: about 200 dpi for A4,
# sharp enough to read small print when zoomed in, and 16 MB of memory.
PDF_VIEW_SIDE = 2400
ZOOM_STEP = 1.25
MIN_ZOOM = 0.02
MAX_ZOOM = 16.0


# ----------------------------------------------------------------- bytes to pictures


def _buffer(data: bytes) -> QBuffer:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return buffer


def _pdf_document_class() -> Any:
    """QtPdf's document class, or None where the module is missing."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        return None
    return QPdfDocument


class PdfPages:
    """An open PDF whose pages can be drawn; `pages` is 0 when it cannot be read."""

    def __init__(self, data: bytes) -> None:
        self._buffer = _buffer(data)
        self._document: Any = None
        self.pages = 0
        document_class = _pdf_document_class()
        if document_class is None:
            return
        document = document_class(None)
        document.load(self._buffer)
        if document.status() == document_class.Status.Ready and document.pageCount() > 0:
            self._document = document
            self.pages = int(document.pageCount())

    def render(self, page: int, max_side: int) -> QImage:
        """The page on white, its longer side `max_side` pixels."""
        if self._document is None or not 0 <= page < self.pages:
            return QImage()
        points = self._document.pagePointSize(page)
        longest = max(points.width(), points.height())
        if longest <= 0:
            return QImage()
        scale = max_side / longest
        size = QSize(max(1, round(points.width() * scale)), max(1, round(points.height() * scale)))
        drawn: QImage = self._document.render(page, size)
        if drawn.isNull():
            return QImage()
        # Pages without a background come out transparent; paper is white.
        page_image = QImage(drawn.size(), QImage.Format.Format_RGB32)
        page_image.fill(QColor("white"))
        painter = QPainter(page_image)
        painter.drawImage(0, 0, drawn)
        painter.end()
        return page_image

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None
        self._buffer.close()


def decode_image(data: bytes, max_side: int | None = None) -> QImage:
    """A stored picture as a QImage, scaled down to `max_side`; null if it cannot be read."""
    buffer = _buffer(data)
    try:
        reader = QImageReader(buffer)
        # Stored scans were turned upright on import and carry no orientation of their own.
        reader.setAutoTransform(False)
        size = reader.size()
        if (
            max_side is not None
            and size.isValid()
            and (size.width() > max_side or size.height() > max_side)
        ):
            reader.setScaledSize(
                size.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio)
            )
        return reader.read()
    finally:
        buffer.close()


def thumbnail(data: bytes, media_type: str, side: int = THUMBNAIL_SIDE) -> QImage:
    """A small picture of a scan (a PDF's first page); null when there is nothing to show."""
    if media_type == scans.PDF:
        pdf = PdfPages(data)
        try:
            return pdf.render(0, side)
        finally:
            pdf.close()
    image = decode_image(data, side)
    if not image.isNull() and (image.width() > side or image.height() > side):
        image = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


def placeholder(media_type: str, side: int = THUMBNAIL_SIDE) -> QPixmap:
    """A sheet of paper with the file's kind on it, for a scan that cannot be drawn (yet)."""
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    width, height = side * 0.62, side * 0.82
    sheet = QRectF((side - width) / 2, (side - height) / 2, width, height)
    painter.setPen(QPen(QColor("#8a8f98"), 1.5))
    painter.setBrush(QColor("white"))
    painter.drawRect(sheet)
    is_pdf = media_type == scans.PDF
    label = scans.kind_name(media_type) if media_type else "…"
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(8, side // 7))
    painter.setFont(font)
    painter.setPen(QColor("#b3261e" if is_pdf else "#5f6670"))
    painter.drawText(sheet, Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    return pixmap


# ----------------------------------------------------------------- the viewer


class _View(QGraphicsView):
    """The picture area; Ctrl and the mouse wheel zoom, as in most viewers."""

    def __init__(self, viewer: ScanViewer) -> None:
        super().__init__(viewer)
        self._viewer = viewer

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self._viewer.zoom_in()
            elif event.angleDelta().y() < 0:
                self._viewer.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)


class ScanViewer(QDialog):
    """One scan, large: zoom in and out, fit to the window, turn left or right, PDF pages."""

    def __init__(
        self, data: bytes, media_type: str, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scanViewer")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.media_type = media_type
        self.zoom = 1.0
        self.rotation = 0
        self.fitting = True
        self.page = 0
        self._pdf: PdfPages | None = None

        layout = QVBoxLayout(self)
        tools = QHBoxLayout()
        layout.addLayout(tools)

        def button(name: str, text: str, tip: str, slot: Any, keys: tuple[str, ...]) -> QPushButton:
            widget = QPushButton(text, self)
            widget.setObjectName(name)
            sequences = [QKeySequence(k) for k in keys]
            shown = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
            widget.setToolTip(f"{tip} ({shown})" if shown else tip)
            widget.setAutoDefault(False)
            widget.clicked.connect(slot)
            tools.addWidget(widget)
            for sequence in sequences:
                shortcut = QShortcut(sequence, self)
                shortcut.activated.connect(slot)
            return widget

        self.zoom_out_button = button(
            "zoomOut", _("Zoom out"), _("Make it smaller"), self.zoom_out, ("Ctrl+-",)
        )
        self.zoom_in_button = button(
            "zoomIn", _("Zoom in"), _("Make it larger"), self.zoom_in, ("Ctrl++", "Ctrl+=")
        )
        self.fit_button = button(
            "zoomFit", _("Fit"), _("Show all of it in the window"), self.fit, ("Ctrl+0",)
        )
        self.actual_button = button(
            "zoomActual",
            _("100 %"),
            _("One pixel of the scan to one on screen"),
            self.actual_size,
            ("Ctrl+1",),
        )
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLevel")
        self.zoom_label.setMinimumWidth(56)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tools.addWidget(self.zoom_label)
        tools.addSpacing(16)
        self.rotate_left_button = button(
            "rotateLeft",
            _("Rotate left"),
            _("Turn a quarter to the left, for viewing only"),
            self.rotate_left,
            ("Ctrl+L",),
        )
        self.rotate_right_button = button(
            "rotateRight",
            _("Rotate right"),
            _("Turn a quarter to the right, for viewing only"),
            self.rotate_right,
            ("Ctrl+R",),
        )
        tools.addSpacing(16)
        self.previous_page_button = button(
            "previousPage",
            _("Previous page"),
            _("Previous page"),
            self.previous_page,
            ("PgUp",),
        )
        self.page_label = QLabel(self)
        self.page_label.setObjectName("pageNumber")
        tools.addWidget(self.page_label)
        self.next_page_button = button(
            "nextPage", _("Next page"), _("Next page"), self.next_page, ("PgDown",)
        )
        tools.addStretch(1)
        close = QPushButton(_("Close"), self)
        close.setObjectName("closeViewer")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        tools.addWidget(close)

        self.scene = QGraphicsScene(self)
        self.scene.setObjectName("scanScene")
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene.addItem(self.item)
        self.view = _View(self)
        self.view.setObjectName("scanView")
        self.view.setScene(self.scene)
        self.view.setBackgroundBrush(QColor("#3c3f44"))
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        layout.addWidget(self.view, 1)
        self.problem = QLabel(self)
        self.problem.setObjectName("viewerProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a01c12;")
        self.problem.hide()
        layout.addWidget(self.problem)

        self._load(data)
        self.resize(960, 720)

    # ------------------------------------------------------------- content

    def _load(self, data: bytes) -> None:
        paged = self.media_type == scans.PDF
        if paged:
            self._pdf = PdfPages(data)
            if self._pdf.pages == 0:
                self._show_problem(
                    _("This PDF cannot be shown here.")
                    if _pdf_document_class() is not None
                    else _("PDFs cannot be shown: this installation lacks QtPdf.")
                )
        for widget in (self.previous_page_button, self.page_label, self.next_page_button):
            widget.setVisible(paged and self.pages > 1)
        if paged:
            self._show_page(0)
            return
        image = decode_image(data)
        if image.isNull():
            self._show_problem(_("This scan cannot be shown here."))
        self._set_image(image)

    @property
    def pages(self) -> int:
        return self._pdf.pages if self._pdf is not None else 1

    def _show_page(self, page: int) -> None:
        if self._pdf is None:
            return
        self.page = max(0, min(page, self.pages - 1))
        self._set_image(self._pdf.render(self.page, PDF_VIEW_SIDE))
        self.page_label.setText(_("Page {n} of {total}").format(n=self.page + 1, total=self.pages))
        self.previous_page_button.setEnabled(self.page > 0)
        self.next_page_button.setEnabled(self.page < self.pages - 1)

    def _set_image(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        self.item.setPixmap(pixmap)
        self.scene.setSceneRect(self.item.sceneBoundingRect())
        self._apply()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def image_size(self) -> QSize:
        return self.item.pixmap().size()

    # ------------------------------------------------------------- looking

    def _fit_zoom(self) -> float:
        size = self.image_size()
        if size.isEmpty():
            return 1.0
        width, height = size.width(), size.height()
        if self.rotation in (90, 270):
            width, height = height, width
        viewport = self.view.viewport().size()
        margin = 8
        return max(
            MIN_ZOOM,
            min(
                MAX_ZOOM,
                (viewport.width() - margin) / width,
                (viewport.height() - margin) / height,
            ),
        )

    def _apply(self) -> None:
        if self.fitting:
            self.zoom = self._fit_zoom()
        self.view.setTransform(QTransform().rotate(self.rotation).scale(self.zoom, self.zoom))
        self.view.centerOn(self.item)
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")
        self.zoom_in_button.setEnabled(self.zoom < MAX_ZOOM)
        self.zoom_out_button.setEnabled(self.zoom > MIN_ZOOM)

    def _set_zoom(self, zoom: float) -> None:
        self.fitting = False
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self._apply()

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom / ZOOM_STEP)

    def actual_size(self) -> None:
        self._set_zoom(1.0)

    def fit(self) -> None:
        self.fitting = True
        self._apply()

    def rotate_left(self) -> None:
        self.rotation = (self.rotation - 90) % 360
        self._apply()

    def rotate_right(self) -> None:
        self.rotation = (self.rotation + 90) % 360
        self._apply()

    def next_page(self) -> None:
        self._show_page(self.page + 1)

    def previous_page(self) -> None:
        self._show_page(self.page - 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitting:
            self._apply()

    def done(self, result: int) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None
        super().done(result)
