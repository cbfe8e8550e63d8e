"""The throwaway PostgreSQL server and the per-backend database fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from tests.db_fixtures import BACKENDS_ENV, REQUIRE_PG_ENV, pg_required, selected_backends
from tests.pgserver import PostgresServer, PostgresServerError, find_pg_bin

pytest_plugins = ("pytester",)

REPO_ROOT = Path(__file__).resolve().parent.parent


def _require_binaries() -> Path:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        if pg_required():
            pytest.fail(f"{REQUIRE_PG_ENV}=1 but no PostgreSQL server binaries found")
        pytest.skip("no PostgreSQL server binaries found")
    return bin_dir


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    with PostgresServer(_require_binaries()) as started:
        yield started


def _scalar(url: str, statement: str) -> object:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(statement)).scalar_one()
    finally:
        engine.dispose()


def _database_names(server: PostgresServer) -> set[str]:
    with psycopg.connect(
        host=str(server.socket_dir), port=server.port, user=server.ROLE, dbname="postgres"
    ) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_find_pg_bin_names_a_directory_with_server_binaries() -> None:
    bin_dir = _require_binaries()
    for program in ("initdb", "pg_ctl", "postgres"):
        assert os.access(bin_dir / program, os.X_OK)


def test_find_pg_bin_honours_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRAVERKA_PG_BIN", str(tmp_path))
    assert find_pg_bin() is None


def test_start_connect_stop_removes_directory() -> None:
    with PostgresServer(_require_binaries()) as server:
        directory = server.directory
        assert directory.is_dir()
        assert server.running
        assert server.url.startswith("postgresql+psycopg://praverka@/praverka?")
        assert _scalar(server.url, "SELECT 1") == 1
        assert _scalar(server.url, "SELECT current_setting('fsync')") == "off"
        assert int(str(_scalar(server.url, "SHOW max_connections"))) >= 100
    assert not server.running
    assert not directory.exists()
    server.stop()  # a second stop is harmless
    with pytest.raises(PostgresServerError):
        _ = server.url


def test_failed_start_raises_and_leaves_nothing_behind(tmp_path: Path) -> None:
    server = PostgresServer(tmp_path / "no-such-bin", base_dir=tmp_path)
    with pytest.raises(PostgresServerError):
        server.start()
    assert list(tmp_path.iterdir()) == []
    assert not server.running


def test_superuser_role_and_utf8(server: PostgresServer) -> None:
    assert _scalar(server.url, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    assert _scalar(server.url, "SELECT lower('ПРАВЕРКА')") == "праверка"


def test_create_database_gives_independent_databases(server: PostgresServer) -> None:
    first = server.create_database(server.unique_name("first"))
    second = server.create_database(server.unique_name("second"))
    assert first != second
    engine = sa.create_engine(first)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE only_here (id integer)"))
    finally:
        engine.dispose()
    assert (
        _scalar(
            first, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'"
        )
        == 1
    )
    assert (
        _scalar(
            second, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_here'"
        )
        == 0
    )


def test_create_database_refuses_existing_name(server: PostgresServer) -> None:
    name = server.unique_name("dup")
    server.create_database(name)
    with pytest.raises(psycopg.errors.DuplicateDatabase):
        server.create_database(name)


def test_drop_database_disconnects_open_sessions(server: PostgresServer) -> None:
    name = server.unique_name("busy")
    engine = sa.create_engine(server.create_database(name))
    try:
        # Leaves an idle pooled session behind, as a test that forgets dispose() does.
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        server.drop_database(name)
        assert name not in _database_names(server)
    finally:
        engine.dispose()


def test_unique_name_fits_identifier_limit(server: PostgresServer) -> None:
    names = {server.unique_name("x" * 200 + "[postgresql]") for _ in range(3)}
    assert len(names) == 3
    assert all(len(name) <= 63 and name.isidentifier() for name in names)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ["sqlite", "postgresql"]),
        ("", ["sqlite", "postgresql"]),
        ("sqlite", ["sqlite"]),
        (" PostgreSQL ", ["postgresql"]),
        ("postgresql,sqlite", ["sqlite", "postgresql"]),
    ],
)
def test_selected_backends(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: list[str]
) -> None:
    if raw is None:
        monkeypatch.delenv(BACKENDS_ENV, raising=False)
    else:
        monkeypatch.setenv(BACKENDS_ENV, raw)
    assert selected_backends() == expected


def test_selected_backends_rejects_typos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKENDS_ENV, "sqlite,postgres")
    with pytest.raises(pytest.UsageError, match="postgres"):
        selected_backends()


# The fixtures are exercised in a separate pytest process because their
# parameters are read from the environment when the plugin is imported.

_FIXTURE_USER = """
import sqlalchemy as sa
import pytest

seen = []

def test_fresh_database(db_url):
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (id integer)"))
    engine.dispose()
    seen.append(db_url)

@pytest.mark.pg_only
def test_postgresql_only(db_url):
    assert db_url.startswith("postgresql+psycopg://")

def test_databases_were_dropped(request):
    pg = [url for url in seen if url.startswith("postgresql")]
    if not pg:
        return
    server = request.getfixturevalue("pg_server")
    import psycopg
    with psycopg.connect(host=str(server.socket_dir), port=server.port,
                         user=server.ROLE, dbname="postgres") as conn:
        names = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
    for url in pg:
        assert url.split("/")[3].split("?")[0] not in names
"""


def _fixture_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, backends: str
) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    monkeypatch.setenv(BACKENDS_ENV, backends)
    # The inner run needs none of the installed plugins; loading them costs ~1 s.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeconftest('pytest_plugins = ["tests.db_fixtures"]')
    pytester.makepyfile(test_fixture_user=_FIXTURE_USER)
    return pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider", "--strict-markers")


def test_fixtures_run_each_test_on_both_backends(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _require_binaries()
    result = _fixture_run(pytester, monkeypatch, "sqlite,postgresql")
    result.stdout.fnmatch_lines(
        [
            "*test_fresh_database?sqlite? PASSED*",
            "*test_fresh_database?postgresql? PASSED*",
            "*test_postgresql_only?postgresql? PASSED*",
        ]
    )
    result.stdout.no_fnmatch_line("*test_postgresql_only?sqlite?*")
    result.assert_outcomes(passed=4, deselected=1)


def test_fixtures_sqlite_only_never_touches_postgresql(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A PostgreSQL lookup would fail here, so passing proves none happened.
    monkeypatch.setenv("PRAVERKA_PG_BIN", str(pytester.path))
    monkeypatch.setenv(REQUIRE_PG_ENV, "1")
    result = _fixture_run(pytester, monkeypatch, "sqlite")
    result.stdout.no_fnmatch_line("*postgresql*PASSED*")
    result.assert_outcomes(passed=2, deselected=1)
