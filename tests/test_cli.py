"""The command line as a script would use it: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from praverka.app.cli import main
from praverka.app.context import AppContext
from tests.conftest import PASSWORD, People
from tests.factories import new_case, ready_case

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRAVERKA_PASSWORD", PASSWORD)


def test_init_then_refuses_a_second_init(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("first-admin-pass\n", encoding="utf-8")
    phrase = tmp_path / "phrase"
    phrase.write_text("short\n", encoding="utf-8")
    init = ("--db", db_url, "init", "--admin", "root", "--password-file", str(secret))
    code, _, err = run(capsys, *init, "--passphrase-file", str(phrase))
    assert code == 1 and "at least 10 characters" in err
    code, _, err = run(capsys, "--db", db_url, "user", "list")
    assert code == 1 and "praverka init" in err  # the refused init left the database empty
    phrase.write_text("signing-passphrase-1\n", encoding="utf-8")
    code, out, _ = run(capsys, *init, "--passphrase-file", str(phrase))
    assert code == 0 and "administrator root" in out and "signing key" in out
    code, _, err = run(capsys, "--db", db_url, "init", "--password-file", str(secret))
    assert code == 1 and "not empty" in err
    code, out, _ = run(capsys, "--db", db_url, "user", "list", "--json")
    assert [u["username"] for u in json.loads(out)] == ["root"]


def test_commands_on_an_empty_database_say_what_to_do(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", db_url, "user", "list")
    assert code == 1 and "praverka init" in err
    code, out, _ = run(capsys, "--db", db_url, "db", "upgrade")
    assert code == 0 and "up to date" in out


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("mysql://u@localhost/x", "SQLite or PostgreSQL"),
        ("postgresql://nobody@127.0.0.1:1/nothing", "Cannot open the database"),
    ],
)
def test_wrong_database_url(url: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", url, "audit", "verify")
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1


def test_user_administration(
    ctx: AppContext,
    people: People,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    as_admin: None,
) -> None:
    monkeypatch.setenv("PRAVERKA_NEW_PASSWORD", "new-officer-pass")
    code, out, _ = run(
        capsys,
        "--db",
        db_url,
        "user",
        "add",
        "maryia",
        "--name",
        "Maryia Zhuk",
        "--role",
        "officer",
        "--role",
        "supervisor",
        "--user",
        "admin",
    )
    assert code == 0 and "officer, supervisor" in out
    code, _, err = run(
        capsys,
        "--db",
        db_url,
        "user",
        "add",
        "maryia",
        "--name",
        "X",
        "--role",
        "officer",
        "--user",
        "admin",
    )
    assert code == 1 and "taken" in err
    for action in ("disable", "enable", "unlock"):
        code, out, _ = run(capsys, "--db", db_url, "user", action, "maryia", "--user", "admin")
        assert code == 0 and "maryia" in out
    code, out, _ = run(capsys, "--db", db_url, "user", "passwd", "maryia", "--user", "admin")
    assert code == 0
    code, out, _ = run(capsys, "--db", db_url, "user", "list")
    assert "Maryia Zhuk" in out and "officer,supervisor" in out
    # An officer cannot add users; the refusal is one line.
    monkeypatch.setenv("PRAVERKA_PASSWORD", "new-officer-pass")
    code, _, err = run(
        capsys,
        "--db",
        db_url,
        "user",
        "add",
        "x1",
        "--name",
        "X",
        "--role",
        "admin",
        "--user",
        "maryia",
    )
    assert code == 1 and "needs the role admin" in err


def test_wrong_password_and_missing_password(
    ctx: AppContext,
    people: People,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PRAVERKA_PASSWORD", "wrong-password")
    code, _, err = run(capsys, "--db", db_url, "case", "list", "--user", "officer")
    assert code == 1 and err.strip() == "praverka: Wrong user name or password."
    monkeypatch.delenv("PRAVERKA_PASSWORD")
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by pytest
    code, _, err = run(capsys, "--db", db_url, "case", "list", "--user", "officer")
    assert code == 1 and "--password-file" in err
    code, _, err = run(
        capsys, "--db", db_url, "case", "list", "--user", "officer", "--password-file", "/nope"
    )
    assert code == 1 and "Cannot read the password file" in err


def test_case_list_and_show(
    ctx: AppContext,
    people: People,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    as_admin: None,
) -> None:
    ready = ready_case(ctx, people.officer)
    new_case(ctx, people.officer2)
    code, out, _ = run(
        capsys, "--db", db_url, "case", "list", "--status", "draft", "--json", "--user", "officer"
    )
    rows = json.loads(out)
    assert code == 0 and [r["number"] for r in rows] == ["2026-000001", "2026-000002"]
    assert rows[0]["applicant_latin"] == "Frantskevich Ales"
    code, out, _ = run(
        capsys, "--db", db_url, "case", "list", "--officer", "officer2", "--user", "officer"
    )
    assert "2026-000002" in out and "2026-000001" not in out and "1 of 1 cases" in out
    code, out, _ = run(capsys, "--db", db_url, "case", "show", ready.number, "--user", "officer")
    assert code == 0 and "Францкевіч Алесь Міхайлавіч" in out and "[x]" in out
    code, out, _ = run(
        capsys, "--db", db_url, "case", "show", ready.number, "--json", "--user", "officer"
    )
    detail = json.loads(out)
    assert detail["summary"]["number"] == ready.number and len(detail["references"]) == 2
    code, _, err = run(capsys, "--db", db_url, "case", "show", "2026-123456", "--user", "officer")
    assert code == 1 and "no case 2026-123456" in err
    code, _, err = run(
        capsys, "--db", db_url, "case", "list", "--status", "lost", "--user", "officer"
    )
    assert code == 1 and "Unknown status" in err


def test_checklist_commands(
    ctx: AppContext,
    people: People,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    as_admin: None,
) -> None:
    code, out, _ = run(capsys, "--db", db_url, "checklist", "list", "--json")
    assert [(t["code"], t["version"]) for t in json.loads(out)] == [("default", 1)]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "--db", db_url, "checklist", "import", str(bad), "--user", "admin")
    assert code == 1 and "bad.json: not a JSON file" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["case", "frobnicate"])
    assert raised.value.code == 2


def test_real_process_prints_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PRAVERKA_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "praverka.app.cli", "--db", "bogus://", "audit", "verify"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
