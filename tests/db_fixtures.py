"""Database fixtures: every database test runs against SQLite and PostgreSQL.

Load from tests/conftest.py with

    pytest_plugins = ["tests.db_fixtures"]

(which also activates the collection hook below), or import the fixtures and
`pytest_collection_modifyitems` by name.

Environment:
    PRAVERKA_TEST_BACKENDS  comma list of backends to run, default "sqlite,postgresql"
    PRAVERKA_REQUIRE_PG=1   a missing or broken PostgreSQL fails the run instead of
                            skipping its tests (CI sets this)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import pytest

from tests.pgserver import PostgresServer, PostgresServerError, find_pg_bin

__all__ = [
    "BACKENDS",
    "db_url",
    "module_db_url",
    "pg_required",
    "pg_server",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "selected_backends",
]

BACKENDS: Final = ("sqlite", "postgresql")
BACKENDS_ENV: Final = "PRAVERKA_TEST_BACKENDS"
REQUIRE_PG_ENV: Final = "PRAVERKA_REQUIRE_PG"
PG_ONLY_MARKER: Final = "pg_only"


def selected_backends() -> list[str]:
    """Backends named in PRAVERKA_TEST_BACKENDS, in canonical order."""
    raw = os.environ.get(BACKENDS_ENV, "")
    wanted = {part.strip().lower() for part in raw.split(",") if part.strip()}
    if not wanted:
        return list(BACKENDS)
    unknown = wanted - set(BACKENDS)
    if unknown:
        # A typo would otherwise silently run no database tests at all.
        raise pytest.UsageError(
            f"{BACKENDS_ENV}: unknown backend(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(BACKENDS)}"
        )
    return [backend for backend in BACKENDS if backend in wanted]


def pg_required() -> bool:
    """Whether PRAVERKA_REQUIRE_PG asks for a missing PostgreSQL to fail the run."""
    return os.environ.get(REQUIRE_PG_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


# Evaluated at import, because fixture params are fixed when pytest collects.
_PARAMS: Final = selected_backends()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole run."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        reason = (
            "no PostgreSQL server binaries found (initdb/pg_ctl); install them with "
            "scripts/install-system-deps.sh, or set PRAVERKA_PG_BIN"
        )
        if pg_required():
            pytest.fail(f"{REQUIRE_PG_ENV}=1: {reason}", pytrace=False)
        pytest.skip(reason)
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except PostgresServerError as exc:
        # Binaries are present, so the developer expects PostgreSQL to work:
        # failing shows the server log instead of hiding it behind a skip.
        pytest.fail(
            f"the PostgreSQL test server did not start "
            f"(run only SQLite with {BACKENDS_ENV}=sqlite):\n{exc}",
            pytrace=False,
        )
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def _fresh_database(
    request: pytest.FixtureRequest, backend: str, tmp_dir: Path, hint: str
) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / 'praverka.sqlite3'}"
        return
    # Looked up lazily so SQLite-only runs never start (or skip on) PostgreSQL.
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = server.unique_name(hint)
    url = server.create_database(name)
    try:
        yield url
    finally:
        # FORCE, because a test may leave pooled connections open.
        server.drop_database(name)


def _skip_if_pg_only(request: pytest.FixtureRequest, backend: str) -> None:
    # Backstop for when the collection hook is not loaded: the test is then
    # reported as skipped for SQLite instead of running where it cannot pass.
    if backend != "postgresql" and request.node.get_closest_marker(PG_ONLY_MARKER):
        pytest.skip(f"marked {PG_ONLY_MARKER}")


@pytest.fixture(params=_PARAMS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLAlchemy URL of a new, empty database for this test, once per backend."""
    backend: str = request.param
    _skip_if_pg_only(request, backend)
    with _fresh_database(request, backend, tmp_path, request.node.name) as url:
        yield url


@pytest.fixture(scope="module", params=_PARAMS)
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like db_url, but shared by all tests of a module (for expensive setups)."""
    backend: str = request.param
    _skip_if_pg_only(request, backend)
    tmp_dir = tmp_path_factory.mktemp("module_db")
    with _fresh_database(request, backend, tmp_dir, request.node.name) as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    # Registered here too, so the fixtures work (and --strict-markers passes)
    # in a tree whose pytest configuration does not declare the marker.
    config.addinivalue_line("markers", f"{PG_ONLY_MARKER}: runs only against PostgreSQL")


def _backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    for fixture in ("db_url", "module_db_url"):
        backend = callspec.params.get(fixture)
        if isinstance(backend, str):
            return backend
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the SQLite variant of tests marked pg_only.

    Deselecting rather than skipping keeps `-ra` output free of one
    meaningless skip line per PostgreSQL-only test.
    """
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        backend = _backend_of(item)
        if (
            backend is not None
            and backend != "postgresql"
            and item.get_closest_marker(PG_ONLY_MARKER) is not None
        ):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
