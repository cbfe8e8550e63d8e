"""`make run`'s first start: a demo database with its organisation, key and letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete

from praverka.app import first_start, settings, setup, signing
from praverka.app.context import AppContext
from praverka.db.models import Setting, SigningKeyRecord


def test_first_start_makes_a_demo_with_a_key_and_brings_an_older_demo_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRAVERKA_HOME", str(tmp_path))
    monkeypatch.delenv("PRAVERKA_DATABASE_URL", raising=False)
    monkeypatch.setattr(first_start, "FIRST_START_CASES", 40)
    assert first_start.main() == 0
    out = capsys.readouterr().out
    assert "demo-signing-passphrase" in out and "officer1" in out
    ctx = AppContext(setup.open_database(f"sqlite:///{tmp_path / 'praverka.sqlite3'}"))
    key = signing.active_key(ctx)
    assert key is not None and settings.get_settings(ctx).serial_prefix == "DEMO"
    # A demo made before letters existed: no key, no settings. The next start adds them.
    with ctx.db.write() as session:
        session.execute(delete(SigningKeyRecord))
        session.execute(delete(Setting))
    assert first_start.main() == 0
    assert signing.active_key(ctx) is not None
    assert settings.get_settings(ctx).serial_prefix == "DEMO"
    ctx.db.dispose()
