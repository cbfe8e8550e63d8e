"""Where the data lives: the user's data folder and the database URL."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Praverka"
ENV_HOME = "PRAVERKA_HOME"
ENV_DATABASE_URL = "PRAVERKA_DATABASE_URL"
DEFAULT_DB_FILENAME = "praverka.sqlite3"


def data_dir() -> Path:
    """The folder holding the embedded database; `PRAVERKA_HOME` overrides the platform's."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / DEFAULT_DB_FILENAME}"


def resolve_database_url(cli_url: str | None = None) -> str:
    """`--db URL` first, then `PRAVERKA_DATABASE_URL`, then the file in the data folder."""
    if cli_url:
        return cli_url
    env_url = os.environ.get(ENV_DATABASE_URL)
    if env_url:
        return env_url
    return default_database_url()
