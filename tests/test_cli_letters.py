"""Letters from the command line, as a script or a recipient would use it: issue, reprint,
revoke, export keys and revocation lists, and verify a PDF, a 150 dpi scan, or the QR text."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from praverka.app import signing
from praverka.app.cli import main
from praverka.app.context import AppContext
from praverka.app.security import keys
from praverka.app.verification import Verdict
from tests.conftest import PASSWORD, People
from tests.factories import approved_case, ready_case

PASSPHRASE = "cli-signing-passphrase"


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
    monkeypatch.setenv("PRAVERKA_SIGNING_PASSPHRASE", PASSPHRASE)
    signing.create_signing_key(ctx, people.admin, PASSPHRASE)
    return ["--db", db_url]


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_issue_reprint_revoke_and_verify(
    ctx: AppContext,
    people: People,
    desk: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = approved_case(ctx, people.officer, people.supervisor)
    code, _, err = run(capsys, *desk, "settings", "set", "serial_prefix", "KYV", "--user", "admin")
    assert code == 0, err
    letter = tmp_path / "letter.pdf"
    code, out, err = run(
        capsys,
        *desk,
        "letter",
        "issue",
        case.number,
        "--purpose",
        "bank_account",
        "--language",
        "uk+en",
        "--out",
        str(letter),
        "--user",
        "officer",
    )
    assert code == 0, err
    serial = out.split("Issued letter ")[1].split()[0]
    assert serial.startswith("KYV-") and serial in _text(letter)

    code, out, _ = run(capsys, *desk, "verify", str(letter))
    assert code == Verdict.VALID.exit_code == 0
    assert "VALID" in out and serial in out and "Францкевіч" in out

    # A recipient with only the public key, checking a 150 dpi scan of the printed page.
    public = tmp_path / "centre.pem"
    assert run(capsys, *desk, "key", "export", str(public))[0] == 0
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(letter), str(tmp_path / "scan")], check=True
    )
    # The code sits beside the signatures, on the last page of a two-page bilingual letter.
    scan = sorted(tmp_path.glob("scan*.png"))[-1]
    code, out, _ = run(capsys, "verify", str(scan), "--trust", str(public))
    assert code == 0 and "VALID" in out

    reprint = tmp_path / "copy.pdf"
    code, out, err = run(
        capsys,
        *desk,
        "letter",
        "reprint",
        serial,
        "--out",
        str(reprint),
        "--reason",
        "Bank kept the original",
        "--user",
        "officer2",
    )
    assert code == 0 and "Copy 1" in out, err
    assert "Copy 1" in _text(reprint)

    code, out, _ = run(capsys, *desk, "letter", "list", "--json")
    listed = json.loads(out)
    assert [(x["serial"], x["status"], x["copies"]) for x in listed] == [(serial, "valid", 2)]
    code, out, _ = run(capsys, *desk, "letter", "show", serial)
    assert code == 0 and "Bank kept the original" in out

    code, _, err = run(
        capsys, *desk, "letter", "revoke", serial, "--reason", "x", "--user", "officer"
    )
    assert code == 1 and "supervisor" in err
    code, _, err = run(
        capsys,
        *desk,
        "letter",
        "revoke",
        serial,
        "--reason",
        "Forged documents",
        "--user",
        "supervisor",
    )
    assert code == 0, err
    code, out, _ = run(capsys, *desk, "verify", str(letter))
    assert code == Verdict.REVOKED.exit_code and "REVOKED" in out

    revocations = tmp_path / "revoked.cose"
    assert run(capsys, *desk, "revocations", "export", str(revocations))[0] == 0
    code, out, _ = run(
        capsys, "verify", str(letter), "--trust", str(public), "--revocations", str(revocations)
    )
    assert code == Verdict.REVOKED.exit_code
    # Without the list a recipient cannot know: the signature alone still checks out.
    assert run(capsys, "verify", str(letter), "--trust", str(public))[0] == 0

    # Another organisation's key: the letter is not one it signed.
    other = keys.load_public_key(
        keys.unlock(keys.generate_key_pair("other-passphrase"), "other-passphrase").public_pem
    )
    other_file = tmp_path / "other.pem"
    other_file.write_text(keys.public_key_file_text(other), encoding="ascii")
    code, out, _ = run(capsys, "verify", str(letter), "--trust", str(other_file))
    assert code == Verdict.UNKNOWN_KEY.exit_code and "UNKNOWN" in out
    # A revocation list checked against the wrong key is refused, not silently ignored.
    code, _, err = run(
        capsys, "verify", str(letter), "--trust", str(other_file), "--revocations", str(revocations)
    )
    assert code == 1 and err


def test_bad_inputs_to_verify(
    desk: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *desk, "verify", "--qr", "PRV1:NOT-A-CODE")
    assert code == Verdict.NOT_FOUND.exit_code and "NOT FOUND" in out
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("RGB", (300, 300), "white").save(blank)
    assert run(capsys, *desk, "verify", str(blank))[0] == Verdict.NOT_FOUND.exit_code
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    code, _, err = run(capsys, *desk, "verify", str(broken))
    assert code == 1 and "broken.pdf" in err
    code, _, err = run(capsys, *desk, "verify")
    assert code == 1 and "--qr" in err
    code, _, err = run(capsys, "verify", str(blank), "--trust", str(tmp_path / "missing.pem"))
    assert code == 1 and "missing.pem" in err


def test_issue_refusals_from_the_command_line(
    ctx: AppContext,
    people: People,
    desk: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = ready_case(ctx, people.officer)
    out_file = tmp_path / "x.pdf"
    issue = ("letter", "issue", draft.number, "--purpose", "bank_account", "--language", "en")
    code, _, err = run(capsys, *desk, *issue, "--out", str(out_file), "--user", "officer")
    assert code == 1 and "approved" in err and not out_file.exists()
    case = approved_case(ctx, people.officer, people.supervisor, given="Янка")
    monkeypatch.setenv("PRAVERKA_SIGNING_PASSPHRASE", "wrong-passphrase")
    issue = ("letter", "issue", case.number, "--purpose", "bank_account", "--language", "en")
    code, _, err = run(capsys, *desk, *issue, "--out", str(out_file), "--user", "officer")
    assert code == 1 and "passphrase" in err and not out_file.exists()
    code, out, _ = run(capsys, *desk, "letter", "list", "--json")
    assert json.loads(out) == []


def test_a_copy_that_cannot_be_written_is_logged_as_spoiled(
    ctx: AppContext,
    people: People,
    desk: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from praverka.app import letters

    case = approved_case(ctx, people.officer, people.supervisor)
    nowhere = tmp_path / "no-such-folder" / "letter.pdf"
    issue = ("letter", "issue", case.number, "--purpose", "bank_account", "--language", "en")
    code, _, err = run(capsys, *desk, *issue, "--out", str(nowhere), "--user", "officer")
    assert code == 1
    assert "was issued, but" in err and "No such file or directory" in err
    assert "logged as spoiled; saving again makes the original again" in err
    serial = err.split("Letter ")[1].split()[0]
    copies = letters.letter_copies(ctx, serial)
    assert [(c.number, c.spoiled) for c in copies] == [(0, True)]
    assert "No such file or directory" in copies[0].spoiled_reason
    assert letters.get_letter(ctx, serial).copies == 0

    # The retry is the original again, not "Copy 1".
    letter = tmp_path / "letter.pdf"
    code, out, err = run(
        capsys,
        *desk,
        "letter",
        "reprint",
        serial,
        "--out",
        str(letter),
        "--reason",
        "the first save failed",
        "--user",
        "officer",
    )
    assert code == 0 and "the original" in out, err
    assert "Copy" not in _text(letter)
    code, out, _ = run(capsys, *desk, "letter", "show", serial)
    assert code == 0 and "spoiled: " in out and "No such file or directory" in out

    # A failed reprint leaves its number for the next one.
    code, _, err = run(
        capsys,
        *desk,
        "letter",
        "reprint",
        serial,
        "--out",
        str(nowhere),
        "--reason",
        "bank wants two",
        "--user",
        "officer2",
    )
    assert code == 1 and "saving again makes Copy 1 again" in err
    assert [(c.number, c.spoiled) for c in letters.letter_copies(ctx, serial)] == [
        (0, True),
        (0, False),
        (1, True),
    ]
