"""A throwaway PostgreSQL server for the test suite.

The suite must run against a real PostgreSQL without anyone setting one up by
hand, so it builds a private cluster in a temporary directory, talks to it only
through a unix socket in that directory, and deletes everything afterwards.
Nothing here touches a system cluster, so several runs (or xdist workers) can
coexist on one machine.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Final, Self

import psycopg
from psycopg import sql

__all__ = ["PostgresServer", "PostgresServerError", "find_pg_bin"]

# Lets a developer point at a build that none of the usual places holds.
PG_BIN_ENV: Final = "PRAVERKA_PG_BIN"

# initdb refuses to run as root, so under root the cluster belongs to this account.
_SERVICE_USER: Final = "postgres"

_REQUIRED_BINARIES: Final = ("initdb", "pg_ctl", "postgres")
_IDENTIFIER_MAX: Final = 63  # NAMEDATALEN - 1; longer names are silently truncated by the server
_VERSION_DIR: Final = re.compile(r"\d+(\.\d+)*")
# A cluster is ~40 MB and each live test database ~8 MB; a container's default
# 64 MB /dev/shm would run out, so a small one is passed over for /tmp.
_MIN_SHM_BYTES: Final = 1 << 30

# Durability is worthless for a cluster that is deleted after the run, and
# turning it off is most of what makes CREATE DATABASE and commits cheap.
_SETTINGS: Final = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    # Each test module may keep its own engine and pool alive for a while.
    "max_connections": "200",
    # Socket only: no port on any interface can collide with another server.
    "listen_addresses": "''",
    "log_min_messages": "warning",
    "log_min_error_statement": "error",
}


class PostgresServerError(RuntimeError):
    """The throwaway server could not be set up, started or used."""


def _has_server_binaries(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in _REQUIRED_BINARIES)


def _version_key(directory: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in directory.name.split("."))


def find_pg_bin() -> Path | None:
    """Return the directory holding initdb, pg_ctl and postgres, or None.

    Debian keeps the server binaries off PATH in one directory per major
    version, so those are searched first (newest wins); PATH covers
    distributions and Homebrew that put them there.
    """
    override = os.environ.get(PG_BIN_ENV)
    if override:
        path = Path(override).expanduser()
        return path if _has_server_binaries(path) else None

    debian_root = Path("/usr/lib/postgresql")
    if debian_root.is_dir():
        versions = [
            entry
            for entry in debian_root.iterdir()
            if _VERSION_DIR.fullmatch(entry.name) and _has_server_binaries(entry / "bin")
        ]
        if versions:
            return max(versions, key=_version_key) / "bin"

    on_path = shutil.which("initdb")
    if on_path is not None:
        directory = Path(on_path).resolve().parent
        if _has_server_binaries(directory):
            return directory
    return None


def _free_port() -> int:
    # The socket lives in a private directory, so the port only names the
    # socket file; a free one still keeps messages and tools unsurprising.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _pick_locale() -> str:
    # C.UTF-8 keeps collation byte-ordered (stable across machines) while
    # still letting lower()/upper() and ILIKE understand Cyrillic; plain C
    # is the fallback on systems without it.
    try:
        listed = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, check=False, timeout=10
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return "C"
    for name in ("C.UTF-8", "C.utf8"):
        if name in listed:
            return name
    return "C"


def _base_temp_dir() -> str | None:
    # Memory-backed storage makes CREATE DATABASE ~20x faster than a disk even
    # with fsync off, and per-test databases make that the dominant cost.
    for candidate in ("/dev/shm", "/tmp"):
        if not (os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK)):
            continue
        stat = os.statvfs(candidate)
        if candidate == "/dev/shm" and stat.f_bavail * stat.f_frsize < _MIN_SHM_BYTES:
            continue
        # Short fixed paths also keep the socket under the ~107-byte limit
        # (macOS's TMPDIR is long), and under root the service account can
        # traverse both.
        return candidate
    return None


def _child_env() -> dict[str, str]:
    # PG* variables from the developer's shell (PGDATA, PGHOST, PGPORT, ...)
    # must not steer initdb or pg_ctl towards some other cluster.
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}


class PostgresServer:
    """A private PostgreSQL cluster, alive between start() and stop().

    Usable as a context manager. `url` names the `praverka` database; the
    superuser role `praverka` connects over the private socket without a
    password.
    """

    ROLE: Final = "praverka"
    DATABASE: Final = "praverka"

    def __init__(self, bin_dir: Path | None = None, *, base_dir: Path | None = None) -> None:
        """`bin_dir` defaults to find_pg_bin(); `base_dir` to /dev/shm or /tmp.

        Under root, `base_dir` must be traversable by the postgres account.
        """
        self._bin_dir = bin_dir
        self._base_dir = base_dir
        self._root: Path | None = None
        self._port: int | None = None
        self._started = False
        self._names = itertools.count(1)

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._started

    def start(self) -> None:
        """Create the cluster and wait until it accepts connections."""
        if self._started:
            return
        bin_dir = self._bin_dir or find_pg_bin()
        if bin_dir is None:
            raise PostgresServerError(
                "no PostgreSQL server binaries (initdb, pg_ctl) found; "
                f"install the 'postgresql' package or set {PG_BIN_ENV}"
            )
        self._bin_dir = bin_dir
        owner = self._service_account()

        root = Path(tempfile.mkdtemp(prefix="praverka-pg-", dir=self._base_dir or _base_temp_dir()))
        self._root = root
        self._port = _free_port()
        # Registered before anything can fail so a half-built cluster is
        # cleaned up too, and a forgotten stop() does not leak a postmaster.
        atexit.register(self.stop)
        try:
            self.socket_dir.mkdir()
            if owner is not None:
                for path in (root, self.socket_dir):
                    os.chown(path, owner.pw_uid, owner.pw_gid)
            self._initdb()
            self._write_settings()
            self._run_as_owner(
                "pg_ctl",
                "start",
                "--wait",
                "--timeout=60",
                "--silent",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
            )
            self._started = True
            with self._admin_connection() as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.DATABASE)))
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server (no clean shutdown needed) and delete its directory."""
        root = self._root
        if root is None:
            return
        atexit.unregister(self.stop)
        try:
            if self._started or (self.data_dir / "postmaster.pid").exists():
                # Immediate mode skips the shutdown checkpoint: the data is
                # about to be deleted anyway.
                self._run_as_owner(
                    "pg_ctl",
                    "stop",
                    "--wait",
                    "--timeout=60",
                    "--silent",
                    "-m",
                    "immediate",
                    "-D",
                    str(self.data_dir),
                    check=False,
                )
        finally:
            self._started = False
            self._root = None
            shutil.rmtree(root, ignore_errors=True)

    # -- addresses ---------------------------------------------------------

    @property
    def directory(self) -> Path:
        if self._root is None:
            raise PostgresServerError("the server has not been started")
        return self._root

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def socket_dir(self) -> Path:
        return self.directory / "sock"

    @property
    def log_file(self) -> Path:
        return self.directory / "postgres.log"

    @property
    def port(self) -> int:
        if self._port is None:
            raise PostgresServerError("the server has not been started")
        return self._port

    @property
    def url(self) -> str:
        """SQLAlchemy URL (psycopg 3 driver) of the default `praverka` database."""
        return self.database_url(self.DATABASE)

    def database_url(self, name: str) -> str:
        self._check_name(name)
        return f"postgresql+psycopg://{self.ROLE}@/{name}?host={self.socket_dir}&port={self.port}"

    # -- databases ---------------------------------------------------------

    def unique_name(self, hint: str = "db") -> str:
        """A database name not used before on this server, derived from `hint`."""
        slug = re.sub(r"[^a-z0-9]+", "_", hint.lower()).strip("_") or "db"
        prefix = f"t{next(self._names)}_"
        return prefix + slug[: _IDENTIFIER_MAX - len(prefix)]

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        self._check_name(name)
        with self._admin_connection() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever still uses it."""
        self._check_name(name)
        with self._admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    # -- internals ---------------------------------------------------------

    @staticmethod
    def _check_name(name: str) -> None:
        if not name or len(name.encode()) > _IDENTIFIER_MAX:
            raise ValueError(f"database name must be 1..{_IDENTIFIER_MAX} bytes: {name!r}")

    def _admin_connection(self) -> psycopg.Connection[tuple[object, ...]]:
        if not self._started:
            raise PostgresServerError("the server is not running")
        # CREATE/DROP DATABASE cannot run inside a transaction block.
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=self.ROLE,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        )

    @staticmethod
    def _service_account() -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        try:
            account = pwd.getpwnam(_SERVICE_USER)
        except KeyError:
            raise PostgresServerError(
                f"running as root, but there is no '{_SERVICE_USER}' account to own the "
                "cluster (initdb refuses root)"
            ) from None
        if shutil.which("runuser") is None:
            raise PostgresServerError("running as root, but 'runuser' is not available")
        return account

    def _initdb(self) -> None:
        self._run_as_owner(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            self.ROLE,
            "--auth=trust",
            "--encoding=UTF8",
            f"--locale={_pick_locale()}",
            # Skipping the final fsync of the fresh cluster saves most of initdb's time.
            "--no-sync",
            "--no-instructions",
        )

    def _write_settings(self) -> None:
        settings = dict(_SETTINGS)
        settings["port"] = str(self.port)
        settings["unix_socket_directories"] = f"'{self.socket_dir}'"
        lines = "".join(f"{key} = {value}\n" for key, value in settings.items())
        # Appended, so these win over initdb's defaults (last setting counts).
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# praverka test server\n" + lines)

    def _run_as_owner(self, program: str, *args: str, check: bool = True) -> None:
        assert self._bin_dir is not None
        command = [str(self._bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", _SERVICE_USER, "--", *command]
        # The caller's working directory may be unreadable for the service
        # account, and initdb/pg_ctl fail when they cannot resolve it.
        cwd = self._root
        try:
            result = subprocess.run(
                command,
                cwd=cwd,
                env=_child_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresServerError(f"{program} timed out\n{self._log_tail()}") from exc
        except OSError as exc:
            raise PostgresServerError(f"cannot run {command[0]}: {exc}") from exc
        if check and result.returncode != 0:
            raise PostgresServerError(
                f"{program} {' '.join(args)} failed with exit code {result.returncode}\n"
                f"{result.stdout}{result.stderr}{self._log_tail()}"
            )

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except (OSError, PostgresServerError):
            return ""
        return "server log:\n" + "\n".join(text.splitlines()[-lines:])
