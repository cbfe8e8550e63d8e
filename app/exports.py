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

import contextlib
import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from praverka.app import audit, queries, settings, users
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, PermissionDenied, PraverkaError
from praverka.app.i18n import _
from praverka.app.weekly_figures import weekly_figures, weekly_labels
from praverka.db.enums import Role
from praverka.db.models import Applicant, Case
from praverka.reports.weekly import weekly_report_pdf

FORMATS = ("csv", "xlsx")
CHUNK = 2_000
# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int, int], bool]


class ExportFailed(PraverkaError):
    """The file could not be written; nothing was left behind."""


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


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made plain text with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _birth(year: int | None, month: int | None, day: int | None) -> str:
    if year is None:
        return ""
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _births(session: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(
        select(Case.id, Applicant.birth_year, Applicant.birth_month, Applicant.birth_day)
        .join(Applicant, Applicant.id == Case.applicant_id)
        .where(Case.id.in_(list(ids)))
    )
    return {row[0]: _birth(row[1], row[2], row[3]) for row in rows}


def _utc_naive(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


def _rows(
    session: Session, ids: Sequence[int], now: dt.datetime, *, as_text: bool
) -> list[list[object]]:
    births = _births(session, ids)
    out: list[list[object]] = []
    for s in queries.summaries(session, ids, now):
        created: object = _utc_naive(s.created_at)
        changed: object = _utc_naive(s.status_changed_at)
        if as_text:
            created = f"{created:%Y-%m-%d %H:%M}"
            changed = f"{changed:%Y-%m-%d %H:%M}"
        out.append(
            [
                neutralise(s.number),
                s.status,
                s.priority,
                neutralise(", ".join(s.purposes)),
                neutralise(s.applicant_native),
                neutralise(s.applicant_latin),
                births.get(s.id, ""),
                neutralise(s.assigned_officer),
                created,
                changed,
                s.age_days,
            ]
        )
    return out


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
    target = Path(path).expanduser()
    if fmt is not None and fmt not in FORMATS:
        raise InvalidInput(
            _("Unknown export format {fmt!r}; formats are {valid}.").format(
                fmt=fmt, valid=", ".join(FORMATS)
            )
        )
    folder = target.parent
    if not folder.is_dir():
        raise ExportFailed(
            _("The folder {folder} does not exist; nothing was written.").format(folder=folder)
        )
    if target.is_dir():
        raise ExportFailed(
            _("{file} is a folder; give a file name. Nothing was written.").format(file=target)
        )
    return target


def _write_failed(target: Path, exc: OSError) -> ExportFailed:
    if isinstance(exc, PermissionError):
        return ExportFailed(
            _("No permission to write in {folder}; nothing was written.").format(
                folder=target.parent
            )
        )
    reason = exc.strerror or type(exc).__name__
    return ExportFailed(
        _("Could not write {file} ({reason}); nothing was written.").format(
            file=target, reason=reason
        )
    )


@contextmanager
def _partial_file(target: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """A new temporary file beside `target`; removed unless the caller renamed it."""
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed by caller
            mode="wb", dir=target.parent, prefix=f".{target.name}.", suffix=".partial", delete=False
        )
    except OSError as exc:
        raise _write_failed(target, exc) from None
    partial = Path(handle.name)
    try:
        yield handle, partial
    except OSError as exc:
        handle.close()
        partial.unlink(missing_ok=True)
        raise _write_failed(target, exc) from None
    except BaseException:
        handle.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        handle.close()


def _publish(
    ctx: AppContext,
    actor: Actor,
    partial: Path,
    target: Path,
    action: str,
    changes: dict[str, Any],
) -> None:
    """Record the export and move the finished file into place, in one transaction."""
    renamed = False
    try:
        with ctx.db.write() as session:
            audit.record(session, ctx.now(), actor, action, "export", target.name, changes=changes)
            os.replace(partial, target)
            renamed = True
    except OSError as exc:
        raise _write_failed(target, exc) from None
    except BaseException:
        # The audit event did not commit: the file must not stay either.
        if renamed:
            target.unlink(missing_ok=True)
        raise


class _CsvSink:
    def __init__(self, handle: IO[bytes]) -> None:
        self._text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)

    def write(self, rows: list[list[object]]) -> None:
        self._writer.writerows(rows)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._text.detach()


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
        ids = list(session.scalars(queries.filtered_ids(flt, now)))
        total = len(ids)
        if progress is not None and not progress(0, total):
            raise ExportCancelled(_("The export was cancelled; nothing was written."))
        for start in range(0, total, CHUNK):
            chunk = ids[start : start + CHUNK]
            sink.write(_rows(session, chunk, now, as_text=as_text))
            done += len(chunk)
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
    with _partial_file(target) as (handle, partial):
        sink: _CsvSink | _XlsxSink = (
            _CsvSink(handle) if sheet.fmt == "csv" else _XlsxSink(handle, sheet.title, sheet.widths)
        )
        try:
            rows = fill(sink)
        except BaseException:
            sink.abort()
            raise
        sink.close()
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        _publish(ctx, actor, partial, target, action, changes(rows))
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
    with _partial_file(target) as (handle, partial):
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        _publish(
            ctx,
            actor,
            partial,
            target,
            "export.weekly_report",
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
