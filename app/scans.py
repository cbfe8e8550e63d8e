"""Scans of documents: storing checked files on documents and reading them back.

What a file really is, and the clean copy that is stored, are decided in
`scan_cleaning` (every file is treated as hostile there); its names are
re-exported here, so callers see one module for scans.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from praverka.app import records
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, NotFound
from praverka.app.i18n import _
from praverka.app.scan_cleaning import (
    ACCEPTED_SUFFIXES,
    JPEG,
    MAX_BYTES,
    MAX_PIXELS,
    PDF,
    PNG,
    TIFF,
    PreparedScan,
    clean_filename,
    detect,
    kind_name,
    prepare_scan,
    read_scan_file,
)
from praverka.db.models import DocumentScan, Scan


@dataclass(frozen=True)
class ScanInfo:
    scan_id: int
    filename: str
    media_type: str
    size: int
    added_at: dt.datetime


def attach_prepared(
    ctx: AppContext,
    actor: Actor,
    document_id: int,
    expected_version: int,
    prepared: PreparedScan,
    filename: str,
) -> tuple[int, int]:
    """Store a prepared scan on a document; returns (scan id, the case's new version)."""
    if already_attached(ctx, document_id, prepared):
        raise InvalidInput(
            _("“{name}” is already attached to this document.").format(
                name=clean_filename(filename) or _("This scan")
            )
        )
    return records.attach_scan(
        ctx,
        actor,
        document_id,
        expected_version,
        prepared.data,
        prepared.media_type,
        clean_filename(filename),
    )


def import_scan(
    ctx: AppContext,
    actor: Actor,
    document_id: int,
    expected_version: int,
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> tuple[int, int]:
    """Check, clean and attach a file; returns (scan id, the case's new version)."""
    prepared = prepare_scan(data, filename, max_bytes=max_bytes, max_pixels=max_pixels)
    return attach_prepared(ctx, actor, document_id, expected_version, prepared, filename)


def already_attached(ctx: AppContext, document_id: int, prepared: PreparedScan) -> bool:
    digest = hashlib.sha256(prepared.data).hexdigest()
    with ctx.db.read() as session:
        found = session.scalars(
            select(DocumentScan.id)
            .join(Scan, Scan.id == DocumentScan.scan_id)
            .where(DocumentScan.document_id == document_id, Scan.sha256 == digest)
            .limit(1)
        ).first()
    return found is not None


def scan_bytes(ctx: AppContext, scan_id: int) -> tuple[bytes, str]:
    """A stored scan's bytes and media type, as cleaned on import."""
    with ctx.db.read() as session:
        row = session.execute(
            select(Scan.data, Scan.media_type).where(Scan.id == scan_id)
        ).one_or_none()
    if row is None:
        raise NotFound(_("There is no scan {id}.").format(id=scan_id))
    return bytes(row[0]), str(row[1])


def document_scans(ctx: AppContext, document_id: int) -> tuple[ScanInfo, ...]:
    """A document's scans in the order they were added, without their bytes."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(
                DocumentScan.scan_id,
                DocumentScan.filename,
                Scan.media_type,
                Scan.size,
                DocumentScan.added_at,
            )
            .join(Scan, Scan.id == DocumentScan.scan_id)
            .where(DocumentScan.document_id == document_id)
            .order_by(DocumentScan.position, DocumentScan.id)
        ).all()
    return tuple(ScanInfo(r[0], r[1], r[2], r[3], r[4]) for r in rows)


__all__ = [
    "ACCEPTED_SUFFIXES",
    "JPEG",
    "MAX_BYTES",
    "MAX_PIXELS",
    "PDF",
    "PNG",
    "TIFF",
    "PreparedScan",
    "ScanInfo",
    "already_attached",
    "attach_prepared",
    "clean_filename",
    "detect",
    "document_scans",
    "import_scan",
    "kind_name",
    "prepare_scan",
    "read_scan_file",
    "scan_bytes",
]
