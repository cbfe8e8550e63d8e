"""Handing out copies of one letter from the Letters tab: the viewer's hooks over the services.

    viewer = LetterViewer(pdf, letter_hooks(ctx, actor, serial, refresh=..., note=...), ...)

Each print or save is logged by `letters.output_letter` before its PDF is given to the
viewer; when the printer or the disk then fails, the viewer calls `on_failed` and the copy
is marked spoiled (`letters.mark_copy_spoiled`), so the next attempt is the same copy again
(after a failed original, the original).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from praverka.app import letters
from praverka.app.context import Actor, AppContext
from praverka.app.errors import PraverkaError
from praverka.app.i18n import _
from praverka.ui.letter_viewer import LetterHooks
from praverka.ui.login import database_error_text


def letter_hooks(
    ctx: AppContext,
    actor: Actor,
    serial: str,
    *,
    refresh: Callable[[], None],
    note: Callable[[str], None],
) -> LetterHooks:
    """How the viewer hands out copies of `serial`: each one logged before its PDF is given.

    `refresh` is called after every change to the log, `note` with a line for the status bar.
    """
    recorded: list[int] = []  # the number of the copy the viewer is handing out now

    def next_copy() -> int | None:
        try:
            number = letters.next_copy_number(ctx, serial)
        except Exception:  # the service refuses a wrong guess plainly when the copy is made
            return None
        return number or None

    def output(kind: str, destination: str, reason: str) -> bytes:
        # Anything already handed out makes this a reprint: the service then asks for
        # the reason, instead of refusing a second "original".
        reprint = bool(reason.strip()) or next_copy() is not None
        recorded.clear()
        try:
            result = letters.output_letter(
                ctx,
                actor,
                serial,
                kind,
                destination=destination,
                reprint=reprint,
                reason=reason,
            )
        finally:
            refresh()
        recorded.append(result.copy_number)
        note(
            _("Copy {n} of {serial} logged.").format(n=result.copy_number, serial=serial)
            if result.copy_number
            else _("The original of {serial} logged.").format(serial=serial)
        )
        return result.pdf

    def on_print(printer_name: str, reason: str, /) -> bytes:
        return output("print", printer_name, reason)

    def on_save(path: Path, reason: str, /) -> bytes:
        return output("save", str(path), reason)

    def on_failed(problem: str, /) -> None:
        if not recorded:
            raise PraverkaError(_("No copy of {serial} is being handed out.").format(serial=serial))
        number = recorded.pop()
        try:
            letters.mark_copy_spoiled(
                ctx, actor, serial, number, problem.strip()[: letters.MAX_REASON]
            )
        except PraverkaError:
            raise
        except Exception as exc:  # a lost connection: said in the viewer, in one sentence
            raise PraverkaError(database_error_text(exc)) from exc
        finally:
            refresh()
        note(
            _("Copy {n} of {serial} logged as spoiled.").format(n=number, serial=serial)
            if number
            else _("The original of {serial} logged as spoiled.").format(serial=serial)
        )

    return LetterHooks(next_copy=next_copy, on_print=on_print, on_save=on_save, on_failed=on_failed)
