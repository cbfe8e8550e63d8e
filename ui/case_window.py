"""What the case editor and the review window both do with the case they show.

    self._available = available_actions(self.ctx, self.actor, self.case_id, self.bar)
    detail = read_case_again(self.ctx, self.case_id, self.bar)   # None: the bar says why

Either window reads the case again after its own change, or on request, and asks the
workflow which steps it allows now; a lost database is said in the window's message bar.
"""

from __future__ import annotations

from praverka.app import queue_pages, workflow
from praverka.app.context import Actor, AppContext
from praverka.app.views import CaseDetail
from praverka.ui.login import database_error_text
from praverka.ui.messages import MessageBar


def available_actions(
    ctx: AppContext, actor: Actor, case_id: int, bar: MessageBar
) -> dict[str, workflow.Availability]:
    """What the workflow allows now, by action; read once per load, not per keystroke."""
    try:
        found = workflow.available_actions(ctx, actor, case_id)
    except Exception as exc:  # the buttons stay off and the bar says why
        bar.error(database_error_text(exc))
        found = []
    return {a.action: a for a in found}


def read_case_again(ctx: AppContext, case_id: int, bar: MessageBar) -> CaseDetail | None:
    """The case as the database has it now; None when it cannot be read (the bar says why)."""
    try:
        return queue_pages.reload_case(ctx, case_id)
    except Exception as exc:
        bar.error(database_error_text(exc))
        return None
