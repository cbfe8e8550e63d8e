"""The scans of one document: thumbnails, adding files (dialog, drop, camera), the viewer.

Adding is two steps.  Checking and cleaning a file (`scans.prepare_scan`:
decoding, re-encoding, perhaps a large PDF) runs on a worker thread; storing
it is a quick service call on the GUI thread through the editor's `change`,
which handles a conflict with another desk as every other tab does.  Files
refused by the checks are listed in the panel's own message bar, next to
where they were dropped; nothing of theirs is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from praverka.app import scans
from praverka.app.context import AppContext
from praverka.app.errors import InvalidInput
from praverka.app.i18n import _
from praverka.app.views import DocumentView
from praverka.ui import camera, messages
from praverka.ui.scan_list import ScanList
from praverka.ui.scan_viewer import THUMBNAIL_SIDE, ScanViewer, placeholder, thumbnail
from praverka.ui.tab_base import EditorApi
from praverka.ui.tasks import Task, TaskControl, run_task

SCAN_ID_ROLE = Qt.ItemDataRole.UserRole


def file_filters() -> str:
    return ";;".join(
        [
            _("Scans (*.jpg *.jpeg *.jpe *.png *.tif *.tiff *.pdf)"),
            _("JPEG images (*.jpg *.jpeg *.jpe)"),
            _("PNG images (*.png)"),
            _("TIFF images (*.tif *.tiff)"),
            _("PDF documents (*.pdf)"),
            _("All files (*)"),
        ]
    )


@dataclass(frozen=True)
class _Checked:
    """One file after the worker looked at it: cleaned bytes, or why it was refused."""

    name: str
    prepared: scans.PreparedScan | None
    refusal: str = ""


class ScansPanel(QGroupBox):
    """The scans of the document chosen in the Documents tab."""

    def __init__(self, editor: EditorApi, parent: QWidget | None = None) -> None:
        super().__init__(_("Scans"), parent)
        self.setObjectName("scansBox")
        self.editor = editor
        self.document: DocumentView | None = None
        self.editable = False
        self.why_not = ""
        self.infos: dict[int, scans.ScanInfo] = {}
        # Scan rows never change once stored, so a picture made once stays right.
        self._thumbnails: dict[int, QImage] = {}
        self._thumbnails_pending: set[int] = set()
        self.import_task: Task[list[_Checked]] | None = None
        self.thumbnail_task: Task[dict[int, QImage | bytes]] | None = None
        self.viewer: ScanViewer | None = None
        self._shown_ids: tuple[int, ...] | None = None

        layout = QVBoxLayout(self)
        self.bar = messages.MessageBar(self)
        layout.addWidget(self.bar)
        self.list = ScanList(self)
        self.list.setObjectName("docScans")
        self.list.files_dropped.connect(self.import_files)
        self.list.itemActivated.connect(lambda item: self.open_viewer(item.data(SCAN_ID_ROLE)))
        self.list.currentItemChanged.connect(lambda *_args: self._update_buttons())
        layout.addWidget(self.list, 1)

        buttons = QHBoxLayout()
        layout.addLayout(buttons)
        self.add_button = QPushButton(_("Add scan…"), self)
        self.add_button.setObjectName("addScan")
        self.add_button.clicked.connect(self.choose_files)
        buttons.addWidget(self.add_button)
        self.camera_button = QPushButton(_("From camera…"), self)
        self.camera_button.setObjectName("scanFromCamera")
        self.camera_button.clicked.connect(self.from_camera)
        self.camera_button.setVisible(camera.camera_available())
        buttons.addWidget(self.camera_button)
        self.view_button = QPushButton(_("View…"), self)
        self.view_button.setObjectName("viewScan")
        self.view_button.clicked.connect(lambda: self.open_viewer())
        buttons.addWidget(self.view_button)
        self.hint = QLabel(self)
        self.hint.setObjectName("scanHint")
        self.hint.setStyleSheet("color: palette(mid);")
        buttons.addWidget(self.hint, 1)
        self.show_document(None, editable=False, why_not="")

    # ------------------------------------------------------------- showing

    def show_document(self, document: DocumentView | None, *, editable: bool, why_not: str) -> None:
        """Show a document's scans; None for a document not saved yet."""
        changed = (document.id if document else None) != (
            self.document.id if self.document else None
        )
        self.document, self.editable, self.why_not = document, editable, why_not
        if changed:
            self.bar.clear()
        scan_ids = document.scan_ids if document else ()
        self._set_empty_text()
        self._update_buttons()
        if not changed and scan_ids == self._shown_ids:
            return  # every reload of the case comes here; keep the list as it is scrolled
        self._shown_ids = scan_ids
        if document is None:
            self.setTitle(_("Scans"))
        else:
            self.setTitle(
                _("Scans of {number}").format(number=document.number)
                if document.number
                else _("Scans of this document")
            )
        self.infos = self._read_infos(document) if document and scan_ids else {}
        current = self.selected_scan()
        self.list.clear()
        for position, scan_id in enumerate(scan_ids, start=1):
            info = self.infos.get(scan_id)
            caption = info.filename if info and info.filename else _("Scan {n}").format(n=position)
            item = QListWidgetItem(caption)
            item.setData(SCAN_ID_ROLE, scan_id)
            item.setToolTip(self._tooltip(position, info))
            self._set_icon(item, scan_id)
            self.list.addItem(item)
            if scan_id == current:
                self.list.setCurrentItem(item)
        if self.list.count() and self.list.currentItem() is None:
            self.list.setCurrentRow(0)
        self._update_buttons()
        self._fetch_thumbnails(scan_ids)

    def _set_empty_text(self) -> None:
        self.list.empty_text = (
            _("Save the document first; then add its scans here.")
            if self.document is None
            else _("No scans yet. Drop JPEG, PNG, TIFF or PDF files here.")
            if self.editable
            else _("No scans.")
        )
        self.list.viewport().update()

    def select_scan(self, scan_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(SCAN_ID_ROLE) == scan_id:
                self.list.setCurrentRow(row)
                self.list.scrollToItem(self.list.item(row))
                return

    def _read_infos(self, document: DocumentView) -> dict[int, scans.ScanInfo]:
        try:
            return {i.scan_id: i for i in scans.document_scans(self.editor.ctx, document.id)}
        except Exception:  # captions fall back to numbers; the pictures say the rest
            return {}

    @staticmethod
    def _tooltip(position: int, info: scans.ScanInfo | None) -> str:
        if info is None:
            return _("Scan {n}").format(n=position)
        added = info.added_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return _("{name}\n{kind}, {size} kB, added {added}").format(
            name=info.filename or _("Scan {n}").format(n=position),
            kind=scans.kind_name(info.media_type),
            size=max(1, round(info.size / 1024)),
            added=added,
        )

    def _set_icon(self, item: QListWidgetItem, scan_id: int) -> None:
        image = self._thumbnails.get(scan_id)
        if image is not None and not image.isNull():
            icon = QIcon(_framed(image))
        else:
            info = self.infos.get(scan_id)
            icon = QIcon(placeholder(info.media_type if info else ""))
        item.setIcon(icon)

    def _update_buttons(self) -> None:
        busy = self.import_task is not None and self.import_task.is_running()
        can_add = self.editable and self.document is not None and not busy
        for button in (self.add_button, self.camera_button):
            button.setEnabled(can_add)
            button.setToolTip(self._why_not_add(busy) if not can_add else "")
        self.view_button.setEnabled(self.selected_scan() is not None)
        self.hint.setText(_("or drop files on the list") if can_add else "")

    def _why_not_add(self, busy: bool) -> str:
        if busy:
            return _("Still adding the previous files.")
        if not self.editable:
            return self.why_not
        return _("Save the document first; then add its scans.")

    def selected_scan(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(SCAN_ID_ROLE) if item is not None else None
        return value if isinstance(value, int) else None

    def thumbnail_ready(self, scan_id: int) -> bool:
        return scan_id in self._thumbnails

    # ------------------------------------------------------------- thumbnails

    def _fetch_thumbnails(self, scan_ids: Sequence[int]) -> None:
        wanted = [
            i for i in scan_ids if i not in self._thumbnails and i not in self._thumbnails_pending
        ]
        if not wanted:
            return
        self._thumbnails_pending.update(wanted)
        ctx = self.editor.ctx

        def work(control: TaskControl) -> dict[int, QImage | bytes]:
            # PDFium (behind QtPdf) is not thread-safe, and the viewer renders on
            # the GUI thread: PDFs travel back as bytes and are drawn there.
            made: dict[int, QImage | bytes] = {}
            for scan_id in wanted:
                if control.cancelled.is_set():
                    break
                try:
                    data, media_type = scans.scan_bytes(ctx, scan_id)
                    made[scan_id] = data if media_type == scans.PDF else thumbnail(data, media_type)
                except Exception:  # a placeholder stands in; the viewer will say more
                    made[scan_id] = QImage()
            return made

        self.thumbnail_task = run_task(
            self,
            work,
            on_done=self._thumbnails_made,
            on_error=lambda _exc: self._thumbnails_pending.difference_update(wanted),
            show_progress=False,
        )

    def _thumbnails_made(self, made: dict[int, QImage | bytes]) -> None:
        if not shiboken6.isValid(self):
            return
        self._thumbnails_pending.difference_update(made)
        for scan_id, value in made.items():
            if isinstance(value, bytes):
                try:
                    value = thumbnail(value, scans.PDF)
                except Exception:  # a placeholder stands in; the viewer will say more
                    value = QImage()
            self._thumbnails[scan_id] = value
        for row in range(self.list.count()):
            item = self.list.item(row)
            scan_id = item.data(SCAN_ID_ROLE)
            if scan_id in made:
                self._set_icon(item, scan_id)

    # ------------------------------------------------------------- adding

    def choose_files(self) -> None:
        if not self._can_add():
            return
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Add scans"), "", file_filters())
        if paths:
            self.import_files(paths)

    def from_camera(self) -> None:
        if not self._can_add():
            return
        photo = camera.take_photo(self)
        if photo:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.import_data([(f"camera-{stamp}.jpg", photo)])

    def _can_add(self) -> bool:
        busy = self.import_task is not None and self.import_task.is_running()
        if self.document is not None and self.editable and not busy:
            return True
        self.bar.error(self._why_not_add(busy))
        return False

    def import_files(self, paths: Sequence[str]) -> Task[list[_Checked]] | None:
        """Check, clean and attach files to the document shown: the dialog and a drop use this."""
        return self._start([(Path(p).name, str(p)) for p in paths])

    def import_data(self, named: Sequence[tuple[str, bytes]]) -> Task[list[_Checked]] | None:
        """The same for bytes already in memory (a camera's photo)."""
        return self._start(list(named))

    def _start(self, sources: list[tuple[str, str | bytes]]) -> Task[list[_Checked]] | None:
        if not sources or not self._can_add():
            return None
        assert self.document is not None
        ctx, document_id = self.editor.ctx, self.document.id

        def work(control: TaskControl) -> list[_Checked]:
            checked: list[_Checked] = []
            for done, (name, source) in enumerate(sources):
                control.check()
                control.progress(done, len(sources))
                checked.append(_check(ctx, document_id, name, source))
            control.progress(len(sources), len(sources))
            return checked

        self.bar.clear()
        task = run_task(
            self,
            work,
            on_done=lambda checked: self._attach(document_id, checked),
            on_error=self._import_failed,
            on_cancelled=self._import_cancelled,
            label=_("Checking {n} file(s)…").format(n=len(sources)),
        )
        self.import_task = task
        task.finished.connect(self._update_buttons)
        self._update_buttons()
        return task

    def _attach(self, document_id: int, checked: list[_Checked]) -> None:
        if not shiboken6.isValid(self):
            return
        ctx, actor = self.editor.ctx, self.editor.actor
        refusals = [c.refusal for c in checked if c.prepared is None]
        notes: list[str] = []
        added = 0
        last: int | None = None
        ready = [c for c in checked if c.prepared is not None]
        for index, item in enumerate(ready):
            prepared = item.prepared
            assert prepared is not None

            def attach(version: int, p: scans.PreparedScan = prepared, n: str = item.name) -> Any:
                return scans.attach_prepared(ctx, actor, document_id, version, p, n)

            result = self.editor.change(attach)
            if result is None:
                # The editor's bar says why (another desk's change, a rule, the database).
                left = len(ready) - index
                refusals.append(
                    _("{n} file(s) were not added because of the problem shown above.").format(
                        n=left
                    )
                )
                break
            added += 1
            last = result[0]
            if prepared.note:
                notes.append(f"“{scans.clean_filename(item.name)}”: {prepared.note}")
        if refusals:
            self.bar.error("\n".join(refusals + notes))
        elif notes:
            self.bar.info("\n".join(notes))
        if last is not None:
            self.select_scan(last)
        if added:
            self.editor.note(_("{n} scan(s) added.").format(n=added))

    def _import_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.bar.error(_("The files could not be checked: {problem}").format(problem=exc))

    def _import_cancelled(self) -> None:
        if shiboken6.isValid(self):
            self.bar.info(_("Cancelled: no file was added."))

    # ------------------------------------------------------------- viewing

    def open_viewer(self, scan_id: int | None = None) -> ScanViewer | None:
        """Show a scan large (the selected one by default); the dialog is not modal."""
        wanted = scan_id if scan_id is not None else self.selected_scan()
        if wanted is None:
            return None
        try:
            data, media_type = scans.scan_bytes(self.editor.ctx, wanted)
        except Exception as exc:
            self.bar.error(_("The scan could not be read: {problem}").format(problem=exc))
            return None
        ids = list(self.document.scan_ids) if self.document else [wanted]
        position = ids.index(wanted) + 1 if wanted in ids else 1
        info = self.infos.get(wanted)
        title = _("Scan {n} of {total}").format(n=position, total=len(ids))
        if info and info.filename:
            title += f" \N{EM DASH} {info.filename}"
        if self.viewer is not None and shiboken6.isValid(self.viewer):
            self.viewer.close()
            self.viewer.deleteLater()
        self.viewer = ScanViewer(data, media_type, title, self.window())
        self.viewer.show()
        self.viewer.fit()
        return self.viewer


def _check(ctx: AppContext, document_id: int, name: str, source: str | bytes) -> _Checked:
    """Read and clean one file on the worker thread; a refusal is a result, not an error."""
    try:
        data = source if isinstance(source, bytes) else scans.read_scan_file(source)
        prepared = scans.prepare_scan(data, name)
        if scans.already_attached(ctx, document_id, prepared):
            return _Checked(
                name,
                None,
                _("“{name}” is already attached to this document.").format(
                    name=scans.clean_filename(name)
                ),
            )
        return _Checked(name, prepared)
    except InvalidInput as exc:
        return _Checked(name, None, str(exc))
    except Exception as exc:  # a file must never take the desk down
        return _Checked(
            name,
            None,
            _("“{name}” was not added: it could not be checked ({problem}).").format(
                name=scans.clean_filename(name), problem=type(exc).__name__
            ),
        )


def _framed(image: QImage) -> QPixmap:
    """The thumbnail centred on a square with a thin edge, so captions line up under any shape."""
    side = THUMBNAIL_SIDE
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    x = (side - image.width()) // 2
    y = (side - image.height()) // 2
    painter.drawImage(x, y, image)
    painter.setPen(QColor("#9aa0aa"))
    painter.drawRect(x, y, image.width() - 1, image.height() - 1)
    painter.end()
    return pixmap
