"""Fixtures for the window tests: SQLite only, and answers for the questions the window asks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from praverka.app.context import AppContext
from praverka.ui import messages
from tests import cups

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the window tests on SQLite only.

    The widgets do the same whichever database is behind the services, and the
    services have their own PostgreSQL runs; deselecting (rather than skipping
    in a fixture) also spares a window-only run from starting PostgreSQL.
    """
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_url") if callspec is not None else None
        if backend == "postgresql" and HERE in Path(str(item.path)).resolve().parents:
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture
def desk_ctx(ctx: AppContext, db_url: str) -> AppContext:
    """The suite's migrated database (SQLite, see above)."""
    if "postgresql" in db_url:
        pytest.skip("window tests run on SQLite")
    return ctx


@dataclass
class Answers:
    """What the person at the desk would answer, and the questions they were asked."""

    text: str | None = "because the test says so"
    confirm: bool = True
    unsaved: messages.Answer = messages.Answer.DISCARD
    asked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    given = Answers()

    def record(kind: str, value: object) -> Callable[..., object]:
        def answer(_parent: object, *args: object) -> object:
            given.asked.append(f"{kind}: {' | '.join(map(str, args))}")
            return value() if callable(value) else value

        return answer

    monkeypatch.setattr(messages, "ask_text", record("text", lambda: given.text))
    monkeypatch.setattr(messages, "confirm", record("confirm", lambda: given.confirm))
    monkeypatch.setattr(messages, "ask_unsaved", record("unsaved", lambda: given.unsaved))

    def show_error(_parent: object, title: str, text: str) -> None:
        given.errors.append(f"{title}: {text}")

    monkeypatch.setattr(messages, "show_error", show_error)
    monkeypatch.setattr(messages, "show_info", lambda *_args: None)
    return given


@pytest.fixture(scope="session")
def cups_printer() -> cups.PdfPrinter:
    """The cups-pdf printer queue, ready to print (see tests/cups.py).

    Skipped where CUPS is not installed, unless PRAVERKA_REQUIRE_CUPS=1 (CI),
    where that fails the run; installed but unusable always fails, with the reason.
    """
    reason = cups.missing()
    if reason is not None:
        if cups.required():
            pytest.fail(f"{cups.REQUIRE_ENV}=1 but {reason}")
        pytest.skip(reason)
    try:
        return cups.pdf_printer()
    except cups.CupsUnavailable as error:
        pytest.fail(f"CUPS is installed but not usable: {error}")
