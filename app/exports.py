"""Exports of the case list (CSV, XLSX) and of the weekly report (PDF), audited.

Exports carry applicants' personal data, so each one asks for the password again, is
recorded in the audit trail (the filter and the row count, never the data), and is
written to a temporary file beside the target that is renamed only when complete: a
full disk, a cancel or an error leaves nothing half-written.

Who may export: supervisors and administrators export any cases; an officer exports
only the cases assigned to them (the filter is narrowed to their own cases, and asking
for another officer's cases is refused).  The weekly report is for supervisors and
administrators.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from praverka.app import export_rows, file_output, queries, settings, users
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, PermissionDenied, PraverkaError
from praverka.app.export_rows import neutralise as neutralise
from praverka.app.i18n import _
from praverka.app.weekly_figures import weekly_figures, weekly_labels
from praverka.db.enums import Role
from praverka.reports.weekly import weekly_report_pdf

FORMATS = ("csv", "xlsx")
CHUNK = 2_000
Progress = Callable[[int, int], bool]


# The exports' failures are the shared file writer's; the old name stays for callers.
ExportFailed = file_output.WriteFailed


class ExportCancelled(PraverkaError):
    """The person cancelled the export; the partial file was removed."""


@dataclass(frozen=True)
class ExportResult:
    rows: int
    path: Path


def column_headers() -> list[str]:
    return [
        _("Case number"),
        _("Status"),
        _("Priority"),
        _("Purposes"),
        _("Applicant (native)"),
        _("Applicant (Latin)"),
        _("Date of birth"),
        _("Officer"),
        _("Created (UTC)"),
        _("Status changed (UTC)"),
        _("Age (days)"),
    ]


# A chunk's cells; looked up here on every chunk, so a test can make one chunk fail.
_rows = export_rows.cells


def _snapshot(session: Session) -> None:
    """Read the count and the rows from one snapshot.

    SQLite's read transaction is one already; PostgreSQL's default (READ
    COMMITTED) gives each statement its own, so a case added in between would
    make the count and the rows disagree.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _row_chunks(
    session: Session, flt: queries.CaseFilter, now: dt.datetime, *, as_text: bool
) -> Generator[list[list[object]], None, None]:
    """The export's rows, `CHUNK` at a time, streamed from one SELECT."""
    dialect = session.get_bind().dialect.name
    lookups = export_rows.Lookups(now, export_rows.officer_names(session))
    statement = export_rows.export_statement(flt, now, dialect).execution_options(yield_per=CHUNK)
    result = session.connection().execute(statement)
    try:
        for raw in result.partitions(CHUNK):
            yield _rows(raw, lookups, as_text=as_text)
    finally:
        result.close()


def _allowed_filter(actor: Actor, flt: queries.CaseFilter) -> queries.CaseFilter:
    if actor.has_role(Role.SUPERVISOR) or actor.has_role(Role.ADMIN):
        return flt
    if actor.has_role(Role.OFFICER):
        if flt.officer_id is not None and flt.officer_id != actor.user_id:
            raise PermissionDenied(_("An officer can export only the cases assigned to them."))
        return replace(flt, officer_id=actor.user_id)
    users.require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)
    return flt


def _check_target(path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    if fmt is not None and fmt not in FORMATS:
        raise InvalidInput(
            _("Unknown export format {fmt!r}; formats are {valid}.").format(
                fmt=fmt, valid=", ".join(FORMATS)
            )
        )
    return file_output.check_target(path)


class _CsvSink:
    """UTF-8 with a byte order mark, so that spreadsheet programs read it as UTF-8.

    Each chunk's rows are written as text in memory and encoded in one go: a text
    stream over the file would encode (and pass on) every row by itself.
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._text = io.StringIO(newline="")
        self._writer = csv.writer(self._text)
        handle.write(codecs.BOM_UTF8)

    def write(self, rows: list[list[object]]) -> None:
        self._writer.writerows(rows)
        self._handle.write(self._text.getvalue().encode("utf-8"))
        self._text.seek(0)
        self._text.truncate()

    def close(self) -> None:
        """Everything is in the file already."""

    def abort(self) -> None:
        """Nothing of its own to clean up."""


class _XlsxSink:
    # Column widths in characters, in the order of `column_headers`.
    WIDTHS = (13, 11, 8, 26, 36, 26, 13, 24, 17, 17, 10)

    def __init__(
        self, handle: IO[bytes], title: str = "", widths: Sequence[int] | None = None
    ) -> None:
        from openpyxl import Workbook  # type: ignore[import-untyped]
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

        self._handle = handle
        self._book = Workbook(write_only=True)
        # Sheet names are at most 31 characters and may not hold some punctuation.
        name = "".join(c for c in (title or _("Cases")) if c not in "[]:*?/\\")[:31]
        self._sheet = self._book.create_sheet(name or "Sheet")
        for number, width in enumerate(widths or self.WIDTHS, start=1):
            self._sheet.column_dimensions[get_column_letter(number)].width = width
        self._sheet.freeze_panes = "A2"
        self._header = True

    def write(self, rows: list[list[object]]) -> None:
        append = self._sheet.append
        if self._header:
            from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
            from openpyxl.styles import Font  # type: ignore[import-untyped]

            self._header = False
            bold = Font(bold=True)
            cells = [WriteOnlyCell(self._sheet, value=value) for value in rows[0]]
            for cell in cells:
                cell.font = bold
            append(cells)
            rows = rows[1:]
        for row in rows:
            append(row)

    def close(self) -> None:
        self._book.save(self._handle)

    def abort(self) -> None:
        """Finish and remove openpyxl's own temporary file of the rows written so far."""
        with contextlib.suppress(Exception):
            self._sheet.close()
            self._sheet._writer.cleanup()


def _write_rows(
    ctx: AppContext,
    flt: queries.CaseFilter,
    now: dt.datetime,
    sink: _CsvSink | _XlsxSink,
    as_text: bool,
    progress: Progress | None,
) -> int:
    """Every matching case, read in chunks from one snapshot; how many were written."""
    done = 0
    with ctx.db.read() as session:
        _snapshot(session)
        total = session.scalar(queries.filtered_count(flt, now)) or 0
        if progress is not None and not progress(0, total):
            raise ExportCancelled(_("The export was cancelled; nothing was written."))
        # Closed before the session: a cancel or an error ends the SELECT at once.
        with contextlib.closing(_row_chunks(session, flt, now, as_text=as_text)) as chunks:
            for rows in chunks:
                sink.write(rows)
                done += len(rows)
                if progress is not None and not progress(done, total):
                    raise ExportCancelled(_("The export was cancelled; nothing was written."))
    return done


@dataclass(frozen=True)
class _SheetSpec:
    fmt: str  # "csv" or "xlsx"
    title: str  # the XLSX sheet's name
    widths: Sequence[int]  # XLSX column widths in characters


def _write_export(
    ctx: AppContext,
    actor: Actor,
    target: Path,
    sheet: _SheetSpec,
    fill: Callable[[_CsvSink | _XlsxSink], int],
    action: str,
    changes: Callable[[int], dict[str, Any]],
) -> int:
    """Write through `fill` to a partial file, then audit and move it into place together.

    Anything that goes wrong (a cancel, a full disk) removes what was written.
    """
    with file_output.partial_file(target) as (handle, partial):
        sink: _CsvSink | _XlsxSink = (
            _CsvSink(handle) if sheet.fmt == "csv" else _XlsxSink(handle, sheet.title, sheet.widths)
        )
        try:
            rows = fill(sink)
        except BaseException:
            sink.abort()
            raise
        sink.close()
        file_output.finish(handle)
        file_output.move_into_place(
            ctx, actor, partial, target, action, ("export", target.name), changes(rows)
        )
    return rows


def export_cases(
    ctx: AppContext,
    actor: Actor,
    password: str,
    flt: queries.CaseFilter,
    fmt: str,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
) -> ExportResult:
    """Write the cases matching `flt`, in the queue's order, as CSV or XLSX to `path`.

    `progress(done, total)` is called after every chunk of rows; returning False cancels
    (ExportCancelled) and removes what was written.
    """
    target = _check_target(path, fmt)
    users.confirm_password(ctx, actor, password, _("the export"))
    flt = _allowed_filter(actor, flt)
    now = ctx.now()
    sheet = _SheetSpec(fmt, _("Cases"), _XlsxSink.WIDTHS)

    def fill(sink: _CsvSink | _XlsxSink) -> int:
        sink.write([list(column_headers())])
        return _write_rows(ctx, flt, now, sink, fmt == "csv", progress)

    done = _write_export(
        ctx,
        actor,
        target,
        sheet,
        fill,
        "export.cases",
        lambda rows: {
            "format": fmt,
            "rows": rows,
            "file": target.name,
            "filter": {
                "statuses": sorted(flt.statuses),
                "purpose": flt.purpose,
                "officer_id": flt.officer_id,
                "min_age_days": flt.min_age_days,
            },
        },
    )
    return ExportResult(rows=done, path=target)


def parse_week(text: str) -> tuple[int, int]:
    """'2026-W47' (or '2026W47') as (2026, 47)."""
    cleaned = text.strip().upper().replace("-", "")
    try:
        year_text, week_text = cleaned.split("W")
        year, week = int(year_text), int(week_text)
        dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidInput(
            _("A week is written YYYY-Www, for example 2026-W47; {text!r} is not one.").format(
                text=text
            )
        ) from None
    return year, week


def export_weekly_report(
    ctx: AppContext,
    actor: Actor,
    password: str,
    week: tuple[int, int],
    path: str | os.PathLike[str],
) -> Path:
    """Write the weekly report PDF of the ISO week `week` to `path` (supervisors, admins)."""
    target = _check_target(path)
    users.require_role(actor, Role.SUPERVISOR, Role.ADMIN)
    users.confirm_password(ctx, actor, password, _("the weekly report"))
    figures = weekly_figures(ctx, week)
    organisation = settings.get_settings(ctx).name
    pdf = weekly_report_pdf(figures, organisation, weekly_labels())
    file_output.write_and_record(
        ctx,
        actor,
        target,
        pdf,
        "export.weekly_report",
        ("export", target.name),
        {"week": f"{week[0]:04d}-W{week[1]:02d}", "file": target.name},
    )
    return target


def export_table(
    ctx: AppContext,
    actor: Actor,
    password: str,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    fmt: str,
    path: str | os.PathLike[str],
) -> ExportResult:
    """A table already on screen (the dashboard's figures) as CSV or XLSX, audited."""
    target = _check_target(path, fmt)
    users.require_role(actor, Role.SUPERVISOR, Role.ADMIN)
    users.confirm_password(ctx, actor, password, _("the export"))
    body = [[neutralise(value) for value in row] for row in rows]

    def fill(sink: _CsvSink | _XlsxSink) -> int:
        sink.write([list(headers), *body])
        return len(body)

    _write_export(
        ctx,
        actor,
        target,
        _SheetSpec(fmt, title, (28, 36, 12)),
        fill,
        "export.table",
        lambda rows: {"format": fmt, "rows": rows, "file": target.name, "table": title},
    )
    return ExportResult(rows=len(body), path=target)
