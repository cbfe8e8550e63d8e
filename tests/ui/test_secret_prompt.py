"""The secret questions (password again, signing passphrase): each way the asking ends."""

from __future__ import annotations

from pathlib import Path

from praverka.app import setup, users
from praverka.app.context import Actor, AppContext
from praverka.app.users import MAX_FAILED_LOGINS
from praverka.ui import reauth, signing_unlock
from praverka.ui.signing_unlock import SigningKeyHolder
from tests.conftest import PASSWORD, People
from tests.ui.conftest import Answers


class Typist:
    """Types the given answers in turn and notes the problem each question showed."""

    def __init__(self, *typed: str | None) -> None:
        self.typed = list(typed)
        self.problems: list[str] = []

    def __call__(self, _parent: object, _who: object, *args: str) -> str | None:
        self.problems.append(args[-1])
        return self.typed.pop(0)


def test_wrong_passwords_are_asked_again_until_the_account_locks(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers, monkeypatch
) -> None:
    typist = Typist(*["not-my-password"] * (MAX_FAILED_LOGINS + 1))
    monkeypatch.setattr(reauth, "ask_password", typist)

    assert not reauth.confirm_with_password(None, desk_ctx, people.supervisor, "approving")

    # The first question is plain; each later one says why it is asked again.
    assert typist.problems[0] == ""
    assert all("wrong" in p and "Try again." in p for p in typist.problems[1:])
    assert answers.errors and answers.errors[-1].startswith("Account locked:")
    # Locked for real: even the right password is refused now, and nothing asks again.
    typist.typed = [PASSWORD]
    assert not reauth.confirm_with_password(None, desk_ctx, people.supervisor, "approving")
    assert typist.typed == [] and answers.errors[-1].startswith("Account locked:")


def test_the_right_password_after_a_wrong_one_is_accepted(
    qtbot, desk_ctx: AppContext, people: People, answers: Answers, monkeypatch
) -> None:
    typist = Typist("not-my-password", PASSWORD)
    monkeypatch.setattr(reauth, "ask_password", typist)
    assert reauth.confirm_with_password(None, desk_ctx, people.supervisor, "approving")
    assert len(typist.problems) == 2 and "Try again." in typist.problems[1]
    assert answers.errors == []


def _desk_on_file(tmp_path: Path) -> tuple[AppContext, Actor, Path]:
    path = tmp_path / "desk.sqlite3"
    ctx = AppContext(setup.open_database(f"sqlite:///{path}"))
    setup.initialise(ctx, "admin", "Admin", PASSWORD, "signing-passphrase-1")
    return ctx, users.authenticate(ctx, "admin", PASSWORD), path


def _damage(ctx: AppContext, path: Path) -> None:
    # What a failed disk or a half-copied file leaves: the database is no longer one.
    ctx.db.engine.dispose()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    path.write_bytes(b"not a database " * 512)


def test_a_database_gone_bad_is_said_once_instead_of_asking_again(
    qtbot, tmp_path: Path, answers: Answers, monkeypatch
) -> None:
    ctx, admin, path = _desk_on_file(tmp_path)
    _damage(ctx, path)
    typist = Typist(PASSWORD, PASSWORD)
    monkeypatch.setattr(reauth, "ask_password", typist)

    assert not reauth.confirm_with_password(None, ctx, admin, "exporting")

    assert len(typist.problems) == 1  # asking again would not help
    assert len(answers.errors) == 1
    title, _sep, text = answers.errors[0].partition(": ")
    assert title == "Confirm with your password" and "not a database" in text


def test_the_signing_passphrase_question_ends_the_same_ways(
    qtbot, tmp_path: Path, answers: Answers, monkeypatch
) -> None:
    ctx, _admin, path = _desk_on_file(tmp_path)
    typist = Typist("wrong passphrase", None)  # a wrong one, then Cancel
    monkeypatch.setattr(signing_unlock, "ask_passphrase", typist)
    holder = SigningKeyHolder()
    assert signing_unlock.ensure_unlocked(None, ctx, holder) is None
    assert typist.problems[0] == "" and "Try again." in typist.problems[1]
    assert answers.errors == []

    typist.typed = ["signing-passphrase-1"]
    key = signing_unlock.ensure_unlocked(None, ctx, holder)
    assert key is not None
    assert signing_unlock.ensure_unlocked(None, ctx, holder) is key  # asked once a sitting

    _damage(ctx, path)
    typist.typed = ["signing-passphrase-1", "signing-passphrase-1"]
    assert signing_unlock.ensure_unlocked(None, ctx, SigningKeyHolder()) is None
    # Nothing to unlock from a database that cannot be read: said once, nothing asked.
    assert len(typist.typed) == 2 and len(answers.errors) == 1
    assert answers.errors[0].startswith("Signing key: ")
