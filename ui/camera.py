"""Photographing a document with a camera attached to the desk.

QtMultimedia needs system sound libraries (libpulse on Debian) that a desk
may lack, so it is imported here only, inside functions, and a failed import
just means "no camera": the rest of the workstation never depends on it.
The photo stays in memory (`QImageCapture.capture`, not `captureToFile`) and
goes through the same checks as any imported file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from praverka.app.i18n import _

JPEG_QUALITY = 95

_available: bool | None = None


def camera_available() -> bool:
    """Whether QtMultimedia loads and sees at least one camera; asked once per run."""
    global _available  # one probe per process: enumerating devices is slow on some systems
    if _available is None:
        _available = _probe()
    return _available


def _probe() -> bool:
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except Exception:  # ImportError, or a missing shared library reported as one
        return False
    try:
        return bool(QMediaDevices.videoInputs())
    except Exception:
        return False


def take_photo(parent: QWidget | None) -> bytes | None:
    """Show the camera and return the photo taken, as JPEG bytes; None if none was kept."""
    if not camera_available():
        return None
    dialog = CameraDialog(parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.photo_jpeg()
    finally:
        dialog.stop()
        dialog.deleteLater()


class CameraDialog(QDialog):
    """A live picture, Take photo, then Use photo or Retake."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtMultimedia import (
            QCamera,
            QImageCapture,
            QMediaCaptureSession,
            QMediaDevices,
        )
        from PySide6.QtMultimediaWidgets import QVideoWidget

        super().__init__(parent)
        self.setObjectName("cameraDialog")
        self.setWindowTitle(_("Photograph a document"))
        self._photo = QImage()
        self._devices = list(QMediaDevices.videoInputs())
        self._camera: Any = None

        layout = QVBoxLayout(self)
        self.devices = QComboBox(self)
        self.devices.setObjectName("cameraDevices")
        for device in self._devices:
            self.devices.addItem(device.description())
        self.devices.setVisible(len(self._devices) > 1)
        self.devices.currentIndexChanged.connect(self._use_device)
        layout.addWidget(self.devices)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("cameraStack")
        self.preview = QVideoWidget(self.stack)
        self.preview.setObjectName("cameraPreview")
        self.preview.setMinimumSize(640, 480)
        self.still = QLabel(self.stack)
        self.still.setObjectName("cameraStill")
        self.still.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.still.setMinimumSize(640, 480)
        self.stack.addWidget(self.preview)
        self.stack.addWidget(self.still)
        layout.addWidget(self.stack, 1)

        self.problem = QLabel(self)
        self.problem.setObjectName("cameraProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a01c12;")
        self.problem.hide()
        layout.addWidget(self.problem)

        buttons = QHBoxLayout()
        layout.addLayout(buttons)
        buttons.addStretch(1)
        self.take_button = QPushButton(_("Take photo"), self)
        self.take_button.setObjectName("takePhoto")
        self.take_button.setDefault(True)
        self.take_button.clicked.connect(self._take)
        self.retake_button = QPushButton(_("Retake"), self)
        self.retake_button.setObjectName("retakePhoto")
        self.retake_button.clicked.connect(self._retake)
        self.use_button = QPushButton(_("Use photo"), self)
        self.use_button.setObjectName("usePhoto")
        self.use_button.clicked.connect(self.accept)
        cancel = QPushButton(_("Cancel"), self)
        cancel.setObjectName("cancelCamera")
        cancel.clicked.connect(self.reject)
        for widget in (self.take_button, self.retake_button, self.use_button, cancel):
            buttons.addWidget(widget)

        self.session = QMediaCaptureSession(self)
        self.capture = QImageCapture(self)
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(self.preview)
        self.capture.imageCaptured.connect(self._captured)
        self.capture.errorOccurred.connect(self._capture_failed)
        self.capture.readyForCaptureChanged.connect(self._update_buttons)
        self._camera_class = QCamera
        self._use_device(0)
        self._retake()

    def _use_device(self, index: int) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._camera.deleteLater()
            self._camera = None
        if not 0 <= index < len(self._devices):
            self._show_problem(_("No camera was found."))
            return
        camera = self._camera_class(self._devices[index], self)
        camera.errorOccurred.connect(lambda _error, text: self._show_problem(text))
        self.session.setCamera(camera)
        self._camera = camera
        camera.start()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(_("The camera reports: {problem}").format(problem=text))
        self.problem.show()

    def _capture_failed(self, _id: int, _error: object, text: str) -> None:
        self._show_problem(text)
        self._update_buttons()

    def _take(self) -> None:
        if self.capture.isReadyForCapture():
            self.capture.capture()
            self.take_button.setEnabled(False)

    def _captured(self, _id: int, image: QImage) -> None:
        self._photo = image
        self.still.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.still.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.stack.setCurrentWidget(self.still)
        self._update_buttons()

    def _retake(self) -> None:
        self._photo = QImage()
        self.stack.setCurrentWidget(self.preview)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        have = not self._photo.isNull()
        self.take_button.setVisible(not have)
        self.take_button.setEnabled(self.capture.isReadyForCapture())
        self.retake_button.setVisible(have)
        self.use_button.setVisible(have)
        self.use_button.setDefault(have)

    def photo_jpeg(self) -> bytes | None:
        if self._photo.isNull():
            return None
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        ok = self._photo.save(buffer, b"JPEG", JPEG_QUALITY)
        buffer.close()
        return bytes(data.data()) if ok else None

    def stop(self) -> None:
        if self._camera is not None:
            self._camera.stop()
