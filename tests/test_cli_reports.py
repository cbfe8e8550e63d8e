"""`praverka export cases` and `praverka report weekly`, as a script would run them."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from sqlalchemy import func, select

from praverka.app.cli import main
from praverka.app.context import AppContext
from praverka.db.enums import CaseStatus
from praverka.db.models import Case, CasePurpose
from tests.conftest import PASSWORD, People
from tests.factories import approved_case, new_case, ready_case


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def desk(
    ctx: AppContext, people: People, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    monkeypatch.setenv("PRAVERKA_PASSWORD", PASSWORD)
    for surname in ("Францкевіч", "Зялінская", "Лукашэнка"):
        new_case(ctx, people.officer, surname=surname)
    ready_case(ctx, people.officer2, surname="Багдановіч")
    approved_case(ctx, people.officer, people.supervisor, surname="Казлова")
    return ["--db", db_url]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "out"
    made.mkdir()
    return made


def _count(ctx: AppContext, *where: object) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(Case).where(*where)) or 0  # type: ignore[arg-type]


def test_export_cases_as_csv_and_xlsx(
    ctx: AppContext, desk: list[str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "drafts.csv"
    code, stdout, err = run(
        capsys, *desk, "export", "cases", "--status", "draft", "--format", "csv",
        "--out", str(out), "--user", "supervisor",
    )  # fmt: skip
    assert code == 0, err
    drafts = _count(ctx, Case.status == CaseStatus.DRAFT)
    assert f"Exported {drafts} cases" in stdout
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) - 1 == drafts == 4
    assert {row[1] for row in rows[1:]} == {"draft"}
    assert any(row[4].startswith("Францкевіч") for row in rows[1:])

    out = folder / "bank.xlsx"
    code, stdout, err = run(
        capsys, *desk, "export", "cases", "--purpose", "bank_account", "--status", "approved",
        "--status", "draft", "--format", "xlsx", "--out", str(out), "--user", "admin",
    )  # fmt: skip
    assert code == 0, err
    book = openpyxl.load_workbook(out, read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    with ctx.db.read() as session:
        expected = session.scalar(
            select(func.count())
            .select_from(Case)
            .join(CasePurpose, CasePurpose.case_id == Case.id)
            .where(
                CasePurpose.purpose == "bank_account",
                Case.status.in_([CaseStatus.APPROVED, CaseStatus.DRAFT]),
            )
        )
    assert len(rows) - 1 == expected == 5


def test_an_officer_exports_their_own_cases(
    ctx: AppContext, people: People, desk: list[str], folder: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = folder / "mine.csv"
    code, _, err = run(
        capsys, *desk, "export", "cases", "--format", "csv", "--out", str(out),
        "--user", "officer2",
    )  # fmt: skip
    assert code == 0, err
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) - 1 == _count(
        ctx, Case.assigned_officer_id == people.officer2.user_id
    )
    code, _, err = run(
        capsys, *desk, "export", "cases", "--format", "csv", "--out", str(folder / "x.csv"),
        "--officer", "officer", "--user", "officer2",
    )  # fmt: skip
    assert code == 1 and "only the cases assigned to them" in err
    assert not (folder / "x.csv").exists()


def test_export_errors_are_one_line(
    desk: list[str], folder: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    missing = folder / "nowhere" / "x.csv"
    code, _, err = run(
        capsys, *desk, "export", "cases", "--format", "csv", "--out", str(missing),
        "--user", "supervisor",
    )  # fmt: skip
    assert code == 1 and "does not exist; nothing was written" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(
        capsys, *desk, "export", "cases", "--status", "lost", "--format", "csv",
        "--out", str(folder / "x.csv"), "--user", "supervisor",
    )  # fmt: skip
    assert code == 1 and "Unknown status" in err
    secret = folder.parent / "pw.txt"
    secret.write_text("not-the-password\n")
    code, _, err = run(
        capsys, *desk, "export", "cases", "--format", "xlsx", "--out", str(folder / "x.xlsx"),
        "--user", "supervisor", "--password-file", str(secret),
    )  # fmt: skip
    assert code == 1 and "Wrong user name or password" in err
    with pytest.raises(SystemExit) as usage:
        main([*desk, "export", "cases", "--format", "ods", "--out", "x", "--user", "admin"])
    assert usage.value.code == 2
    assert list(folder.iterdir()) == []


def test_report_weekly(desk: list[str], folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = folder / "week.pdf"
    code, stdout, err = run(
        capsys, *desk, "report", "weekly", "--week", "2026-W47", "--out", str(out),
        "--user", "supervisor",
    )  # fmt: skip
    assert code == 0, err
    assert "2026-W47" in stdout
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Weekly report" in text and "2026-W47" in text and "Ales Kavalenka" in text

    out = folder / "this-week.pdf"
    code, stdout, err = run(
        capsys, *desk, "report", "weekly", "--out", str(out), "--user", "supervisor"
    )
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")

    code, _, err = run(
        capsys, *desk, "report", "weekly", "--week", "47", "--out", str(folder / "x.pdf"),
        "--user", "supervisor",
    )  # fmt: skip
    assert code == 1 and "YYYY-Www" in err
    code, _, err = run(
        capsys, *desk, "report", "weekly", "--out", str(folder / "x.pdf"), "--user", "officer"
    )
    assert code == 1 and "supervisor" in err
    assert sorted(p.name for p in folder.iterdir()) == ["this-week.pdf", "week.pdf"]
