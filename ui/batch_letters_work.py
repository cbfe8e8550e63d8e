"""The worker side of a batch of letters: issue each case's letter and hand out its original.

`run_batch` runs off the GUI thread and never touches a widget.  Each case is its own
transaction, so one refusal or failure leaves the others issued.  Every copy is logged by
`letters.output_letter` before it leaves: a saved PDF is written here; a printed one goes
to `deliver`, which hands it to the GUI thread to paint.  When writing or printing fails
after the copy was logged, `spoil` marks it spoiled, so the log does not claim an original
that never left, and the original can be handed out again from the case.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from praverka.app import letters, queries, queue_pages
from praverka.app.context import Actor, AppContext
from praverka.app.i18n import _
from praverka.app.security.keys import SigningKey
from praverka.ui import labels
from praverka.ui.issue_letter import CURRENT_STATUSES
from praverka.ui.login import database_error_text
from praverka.ui.tasks import TaskControl

# Letters issued and logged as printed but not yet painted: what Cancel may leave to print.
PRINT_AHEAD = 3
ISSUABLE = ("approved", "attested")


def approved_case_ids(ctx: AppContext) -> list[int]:
    """Every approved case, oldest first: what a batch covers when nothing is selected."""
    return queue_pages.fetch_ids(ctx, queries.CaseFilter(statuses=("approved",)))


@dataclass(frozen=True)
class BatchPlan:
    purpose: str | None  # None: each case's first purpose
    language: str
    printer: str | None  # print on this printer, or ...
    folder: Path | None  # ... save the PDFs in this folder


@dataclass(frozen=True)
class Printable:
    """An issued letter, logged as printed, on its way to the printer."""

    case_number: str
    serial: str
    pdf: bytes
    copy_number: int = 0  # 0: the original


@dataclass
class BatchReport:
    total: int
    issued: list[tuple[str, str]] = field(default_factory=list)  # (case number, serial)
    output: list[tuple[str, str]] = field(default_factory=list)  # (serial, printer or file)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case number, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (case or serial, why)
    reached: int = 0  # cases looked at before the batch ended
    delivered: int = 0  # letters handed to the GUI thread to print
    cancelled: bool = False

    def text(self, plan: BatchPlan) -> str:
        lines = [
            _("Issued {n} letter(s).").format(n=len(self.issued)),
            (
                _("Printed {n} on “{printer}”.").format(n=len(self.output), printer=plan.printer)
                if plan.printer
                else _("Saved {n} PDF(s) in {folder}.").format(
                    n=len(self.output), folder=plan.folder
                )
            ),
            _("Skipped {n}.").format(n=len(self.skipped)),
            _("Failed {n}.").format(n=len(self.failed)),
        ]
        if self.cancelled:
            lines.append(
                _(
                    "Cancelled: {n} case(s) were not reached. Every letter issued before the "
                    "cancel stays issued."
                ).format(n=self.total - self.reached)
            )
        for title, rows in (
            (_("Issued:"), [f"{number}  {serial}" for number, serial in self.issued]),
            (_("Skipped:"), [f"{number}: {why}" for number, why in self.skipped]),
            (_("Failed:"), [f"{what}: {why}" for what, why in self.failed]),
        ):
            if rows:
                lines += ["", title, *(f"  {row}" for row in rows)]
        return "\n".join(lines)


def _unique_path(folder: Path, serial: str) -> Path:
    path = folder / f"{serial}.pdf"
    number = 2
    while path.exists():  # a file of the same name from another database: keep both
        path = folder / f"{serial} ({number}).pdf"
        number += 1
    return path


def _write_atomically(path: Path, pdf: bytes) -> None:
    handle, scratch = tempfile.mkstemp(prefix=".praverka-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(pdf)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(scratch, path)
    finally:
        Path(scratch).unlink(missing_ok=True)


def run_batch(
    ctx: AppContext,
    actor: Actor,
    key: SigningKey,
    case_ids: Sequence[int],
    plan: BatchPlan,
    control: TaskControl,
    deliver: Callable[[Printable], None],
    printer_slots: threading.Semaphore | None = None,
) -> BatchReport:
    """The worker: for each case, issue and log a copy; never touches a widget.

    Saved PDFs are written here; printed ones go to `deliver`, which hands them to the GUI
    thread.  With `printer_slots`, a slot is taken before each letter is issued and the GUI
    gives it back once printed, so the worker stays at most a few letters ahead.
    """
    report = BatchReport(total=len(case_ids))
    control.progress(0, len(case_ids))
    for position, case_id in enumerate(case_ids):
        if control.cancelled.is_set() or (
            printer_slots is not None and not _take_slot(printer_slots, control)
        ):
            report.cancelled = True
            break
        report.reached = position + 1
        delivered = _one_case(ctx, actor, key, case_id, plan, report, deliver)
        if delivered:
            report.delivered += 1
        elif printer_slots is not None:
            printer_slots.release()
        control.progress(position + 1, len(case_ids))
    return report


def _take_slot(slots: threading.Semaphore, control: TaskControl) -> bool:
    """Wait until the printer has caught up; False if Cancel was pressed meanwhile."""
    while not slots.acquire(timeout=0.1):
        if control.cancelled.is_set():
            return False
    return True


def _one_case(
    ctx: AppContext,
    actor: Actor,
    key: SigningKey,
    case_id: int,
    plan: BatchPlan,
    report: BatchReport,
    deliver: Callable[[Printable], None],
) -> bool:
    """Issue and hand out one case's letter; True when a PDF went to `deliver`."""
    number = f"#{case_id}"

    def note(rows: list[tuple[str, str]], what: str, why: str) -> bool:
        rows.append((what, why))
        return False

    try:
        found = queue_pages.fetch_rows(ctx, [case_id])
        if not found:
            return note(report.failed, number, _("There is no such case."))
        summary = found[0]
        number = summary.number
        status = labels.label(labels.STATUSES, summary.status).lower()
        if summary.status not in ISSUABLE:
            why = _("it is {status}, not approved").format(status=status)
            return note(report.skipped, number, why)
        purpose = plan.purpose or (summary.purposes[0] if summary.purposes else "")
        if purpose not in summary.purposes:
            wanted = labels.label(labels.PURPOSES, purpose).lower()
            return note(report.skipped, number, _("it was not verified for {p}").format(p=wanted))
        for held in letters.list_letters(ctx, case_id=case_id):
            if held.purpose == purpose and held.status in CURRENT_STATUSES:
                why = _("it already has letter {serial}").format(serial=held.serial)
                return note(report.skipped, number, why)
        letter = letters.issue_letter(ctx, actor, case_id, purpose, plan.language, key)
    except Exception as exc:  # each case is its own transaction: this one issued nothing
        return note(report.failed, number, database_error_text(exc))
    report.issued.append((number, letter.serial))
    target = _unique_path(plan.folder, letter.serial) if plan.folder is not None else None
    try:
        copy = letters.output_letter(
            ctx,
            actor,
            letter.serial,
            "save" if target else "print",
            destination=str(target) if target else plan.printer or "",
        )
    except Exception as exc:
        why = _("issued, but no copy was made ({problem}); print it from the case").format(
            problem=database_error_text(exc)
        )
        return note(report.failed, letter.serial, why)
    if target is None:
        deliver(Printable(number, letter.serial, copy.pdf, copy.copy_number))
        return True
    try:
        _write_atomically(target, copy.pdf)
    except OSError as exc:
        problem = _("{file} could not be written ({problem})").format(
            file=target, problem=exc.strerror or type(exc).__name__
        )
        why = spoil(ctx, actor, copy.serial, copy.copy_number, problem)
        return note(report.failed, letter.serial, why)
    report.output.append((letter.serial, str(target)))
    return False


def spoil(ctx: AppContext, actor: Actor, serial: str, number: int, problem: str) -> str:
    """Mark copy `number` of `serial`, which failed to leave, as spoiled; the report's line."""
    try:
        letters.mark_copy_spoiled(ctx, actor, serial, number, problem[: letters.MAX_REASON])
    except Exception as exc:
        return _(
            "issued, but {problem}, and the copy could not be logged as spoiled ({error}): "
            "the log still counts it as handed out; reprint it from the case"
        ).format(problem=problem, error=database_error_text(exc))
    which = _("the original") if number == 0 else _("Copy {n}").format(n=number)
    return _(
        "issued, but {problem}; the copy was logged as spoiled, so printing or saving it "
        "from the case makes {which} again"
    ).format(problem=problem, which=which)
