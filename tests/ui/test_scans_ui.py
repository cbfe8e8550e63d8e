"""Scans in the Documents tab: add by the dialog's path or a drop, thumbnails, the viewer."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from praverka.app import queries, records, scans
from praverka.db.models import AuditEvent, DocumentScan, Scan
from praverka.ui import camera, scan_viewer
from praverka.ui.case_editor import CaseEditor
from praverka.ui.scan_import import ScansPanel
from tests.factories import new_case
from tests.test_scans import SECRET, jpeg_with_gps_and_orientation, pdf_with_metadata


@pytest.fixture
def desk(qtbot, desk_ctx, people, answers):
    """A case with one passport, open in an editor with that document selected."""
    case = new_case(desk_ctx, people.officer)
    records.add_document(
        desk_ctx,
        people.officer,
        case.id,
        case.version,
        records.DocumentInput("passport", "original", number="MP1234567"),
    )
    editor = CaseEditor(desk_ctx, people.officer, case.id)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentWidget(editor.documents)
    editor.documents.table.selectRow(0)
    assert editor.documents.current_id is not None
    return editor


def _panel(editor: CaseEditor) -> ScansPanel:
    return editor.documents.scan_panel


def _stored_scans(editor: CaseEditor) -> tuple[int, ...]:
    detail = queries.case_detail(editor.ctx, editor.case_id)
    return detail.documents[0].scan_ids


def _counts(ctx) -> tuple[int, int, int]:
    with ctx.db.read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Scan, DocumentScan, AuditEvent)
        )


def _import(qtbot, panel: ScansPanel, paths: list[str]) -> None:
    task = panel.import_files(paths)
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass


def _write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _multi_page_pdf() -> bytes:
    writer = PdfWriter()
    for size in ((200, 100), (100, 200), (150, 150)):
        page = io.BytesIO()
        Image.new("RGB", size, (0, 120, 0)).save(page, "PDF")
        writer.append(PdfReader(io.BytesIO(page.getvalue())))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_scan_added_by_path_shows_a_thumbnail_and_opens_in_the_viewer(qtbot, desk, tmp_path):
    panel = _panel(desk)
    assert panel.add_button.isEnabled() and panel.list.count() == 0
    path = _write(tmp_path, "IMG_0001.JPG", jpeg_with_gps_and_orientation())
    _import(qtbot, panel, [path])

    (scan_id,) = _stored_scans(desk)
    data, media_type = scans.scan_bytes(desk.ctx, scan_id)
    assert media_type == "image/jpeg" and SECRET.encode() not in data
    assert panel.list.count() == 1
    item = panel.list.item(0)
    assert item.text() == "IMG_0001.JPG"
    qtbot.waitUntil(lambda: panel.thumbnail_ready(scan_id), timeout=10_000)
    icon = panel.list.item(0).icon()
    assert not icon.isNull()
    assert desk.documents.table.item(0, 4).text() == "1"  # the Scans column
    assert "upright" in panel.bar.text.text() and panel.bar.kind == "info"

    viewer = panel.open_viewer()
    assert viewer is not None
    qtbot.addWidget(viewer)
    assert viewer.objectName() == "scanViewer" and viewer.isVisible()
    assert (viewer.image_size().width(), viewer.image_size().height()) == (30, 60)
    assert viewer.fitting
    fitted = viewer.zoom
    viewer.zoom_in()
    assert not viewer.fitting and viewer.zoom == pytest.approx(fitted * 1.25)
    viewer.zoom_out()
    viewer.zoom_out()
    assert viewer.zoom == pytest.approx(fitted / 1.25)
    assert viewer.zoom_label.text() == f"{round(viewer.zoom * 100)} %"
    viewer.actual_size()
    assert viewer.zoom == 1.0
    viewer.rotate_right()
    assert viewer.rotation == 90
    transform = viewer.view.transform()
    assert transform.m11() == pytest.approx(0, abs=1e-9)
    assert transform.m12() == pytest.approx(1.0)
    viewer.rotate_left()
    viewer.rotate_left()
    assert viewer.rotation == 270
    viewer.fit()
    assert viewer.fitting
    # The rotation is for looking only: the stored scan is what it was.
    assert scans.scan_bytes(desk.ctx, scan_id) == (data, media_type)
    viewer.close()


def test_a_pdf_shows_its_first_page_and_the_viewer_turns_pages(qtbot, desk, tmp_path):
    panel = _panel(desk)
    _import(qtbot, panel, [_write(tmp_path, "pages.pdf", _multi_page_pdf())])
    (scan_id,) = _stored_scans(desk)
    qtbot.waitUntil(lambda: panel.thumbnail_ready(scan_id), timeout=10_000)
    assert not panel._thumbnails[scan_id].isNull()  # drawn by QtPdf, not the placeholder
    picture = panel._thumbnails[scan_id]
    assert picture.width() > picture.height()  # the first page is landscape

    viewer = panel.open_viewer(scan_id)
    assert viewer is not None
    qtbot.addWidget(viewer)
    assert viewer.pages == 3 and viewer.page_label.text() == "Page 1 of 3"
    assert viewer.next_page_button.isVisible() and not viewer.previous_page_button.isEnabled()
    first = viewer.image_size()
    viewer.next_page()
    assert viewer.page == 1 and viewer.image_size().height() > viewer.image_size().width()
    assert viewer.image_size() != first
    viewer.next_page()
    viewer.next_page()
    assert viewer.page == 2 and not viewer.next_page_button.isEnabled()
    viewer.close()


def test_a_corrupt_image_shows_a_message_and_adds_nothing(qtbot, desk, tmp_path):
    panel = _panel(desk)
    before = _counts(desk.ctx)
    version = desk.version
    cut = jpeg_with_gps_and_orientation()[:200]
    _import(
        qtbot,
        panel,
        [
            _write(tmp_path, "broken.jpg", cut),
            _write(tmp_path, "letter.pdf", b"<html><body>not a pdf</body></html>"),
        ],
    )
    assert panel.bar.isVisible() and panel.bar.kind == "error"
    message = panel.bar.text.text()
    assert "broken.jpg" in message and "damaged" in message
    assert "letter.pdf" in message and "web page" in message
    assert panel.list.count() == 0
    assert _stored_scans(desk) == ()
    assert _counts(desk.ctx) == before and desk.version == version
    assert desk.bar.kind == ""  # the editor itself has nothing to complain about


def test_a_good_file_is_added_even_when_another_is_refused(qtbot, desk, tmp_path):
    panel = _panel(desk)
    good = _write(tmp_path, "passport.pdf", pdf_with_metadata())
    bad = _write(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    _import(qtbot, panel, [bad, good])
    assert len(_stored_scans(desk)) == 1 and panel.list.count() == 1
    assert "photo.png" in panel.bar.text.text()
    # The same file again is refused, and still stored once.
    _import(qtbot, panel, [good])
    assert "already attached" in panel.bar.text.text()
    assert len(_stored_scans(desk)) == 1


def test_files_dropped_on_the_list_are_added(qtbot, desk, tmp_path):
    panel = _panel(desk)
    path = _write(tmp_path, "dropped.jpg", jpeg_with_gps_and_orientation())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(path), QUrl("https://example.org/not-a-file.jpg")])
    where = QPointF(10, 10)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(panel.list.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(panel.list.viewport(), drop)
    assert drop.isAccepted()
    task = panel.import_task
    assert task is not None
    if task.is_running():
        with qtbot.waitSignal(task.finished, timeout=20_000):
            pass
    assert len(_stored_scans(desk)) == 1 and panel.list.count() == 1


def test_a_conflicting_change_is_handled_like_any_other_tab(qtbot, desk, people, tmp_path):
    panel = _panel(desk)
    records.add_reference(
        desk.ctx,
        people.officer2,
        desk.case_id,
        desk.version,
        records.ReferenceInput("Ihar Bahdanovich", "neighbour", "+380671112233", 10),
    )
    _import(qtbot, panel, [_write(tmp_path, "late.jpg", jpeg_with_gps_and_orientation())])
    assert desk.bar.kind == "conflict" and people.officer2.full_name in desk.bar.text.text()
    assert _stored_scans(desk) == ()
    assert "not added" in panel.bar.text.text()
    desk.reload()
    desk.documents.table.selectRow(0)
    _import(qtbot, panel, [_write(tmp_path, "late.jpg", jpeg_with_gps_and_orientation())])
    assert len(_stored_scans(desk)) == 1


def test_no_scans_before_the_document_is_saved(qtbot, desk, tmp_path):
    documents = desk.documents
    documents.start_new()
    panel = _panel(desk)
    assert panel.document is None and not panel.add_button.isEnabled()
    assert panel.import_files([_write(tmp_path, "early.jpg", b"\xff\xd8\xff")]) is None
    assert panel.bar.kind == "error" and "Save the document first" in panel.bar.text.text()


def test_the_camera_button_shows_only_where_a_camera_is(qtbot, desk, monkeypatch):
    # This machine has no camera (and perhaps no QtMultimedia): the button is hidden.
    assert _panel(desk).camera_button.isHidden() == (not camera.camera_available())
    monkeypatch.setattr(camera, "_available", True)
    panel = ScansPanel(desk)
    qtbot.addWidget(panel)
    assert not panel.camera_button.isHidden()
    monkeypatch.setattr(camera, "_available", False)
    panel = ScansPanel(desk)
    qtbot.addWidget(panel)
    assert panel.camera_button.isHidden()


def test_files_are_checked_off_the_gui_thread(qtbot, desk, tmp_path, monkeypatch):
    panel = _panel(desk)
    threads: list[threading.Thread] = []
    prepare = scans.prepare_scan

    def watched(*args, **kwargs):
        threads.append(threading.current_thread())
        return prepare(*args, **kwargs)

    monkeypatch.setattr(scans, "prepare_scan", watched)
    first = _write(tmp_path, "one.jpg", jpeg_with_gps_and_orientation())
    second = _write(tmp_path, "two.pdf", pdf_with_metadata())
    _import(qtbot, panel, [first, second])
    assert len(threads) == 2 and threading.main_thread() not in threads
    ids = _stored_scans(desk)
    assert len(ids) == 2
    # The last one added is the one selected, ready for the viewer.
    assert panel.selected_scan() == ids[-1]
    assert desk.statusBar().currentMessage() == "2 scan(s) added."


def test_without_qtpdf_a_pdf_shows_an_icon_and_the_viewer_says_why(
    qtbot, desk, tmp_path, monkeypatch
):
    monkeypatch.setattr(scan_viewer, "_pdf_document_class", lambda: None)
    panel = _panel(desk)
    _import(qtbot, panel, [_write(tmp_path, "form.pdf", pdf_with_metadata())])
    (scan_id,) = _stored_scans(desk)
    qtbot.waitUntil(lambda: panel.thumbnail_ready(scan_id), timeout=10_000)
    assert panel._thumbnails[scan_id].isNull()
    assert not panel.list.item(0).icon().isNull()  # the drawn "PDF" sheet
    viewer = panel.open_viewer(scan_id)
    assert viewer is not None
    qtbot.addWidget(viewer)
    assert "QtPdf" in viewer.problem.text() and not viewer.problem.isHidden()
    viewer.zoom_in()
    viewer.rotate_left()  # nothing to show, and nothing breaks
    viewer.close()
