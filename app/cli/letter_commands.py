"""Commands for letters, signing keys, revocation lists, settings and checking a letter."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from praverka.app import cases, letter_check, letters, publishing, settings, signing
from praverka.app.cli import passwords
from praverka.app.cli.commands import _context, _sign_in
from praverka.app.cli.options import acting_user
from praverka.app.cli.output import print_json, print_table
from praverka.app.context import Actor, AppContext
from praverka.app.errors import InvalidInput, PraverkaError
from praverka.app.i18n import _
from praverka.app.security.keys import PublicKey
from praverka.app.verification import VerifyResult


def _passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        help=_("read the signing passphrase from this file (or set PRAVERKA_SIGNING_PASSPHRASE)"),
    )


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    key = sub.add_parser("key", help=_("the organisation's signing key")).add_subparsers(
        dest="key_command", metavar="ACTION", parser_class=parser_class
    )
    key.required = True
    p = key.add_parser("create", help=_("make a new signing key (the old one is retired)"))
    _passphrase_option(p)
    acting_user(p)
    p.set_defaults(run=key_create)
    p = key.add_parser("export", help=_("write the public key that recipients check letters with"))
    p.add_argument("file")
    p.add_argument("--key-id", help=_("a retired key instead of the active one"))
    p.set_defaults(run=key_export)
    p = key.add_parser("list", help=_("list signing keys"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=key_list)

    letter = sub.add_parser("letter", help=_("attestation letters")).add_subparsers(
        dest="letter_command", metavar="ACTION", parser_class=parser_class
    )
    letter.required = True
    p = letter.add_parser("issue", help=_("issue a letter for an approved case, save it as PDF"))
    p.add_argument("number", help=_("case number"))
    p.add_argument("--purpose", required=True, help=", ".join(_purposes()))
    p.add_argument("--language", required=True, help=", ".join(letters.LANGUAGES))
    p.add_argument("--out", required=True, help=_("the PDF file to write"))
    p.add_argument("--corrects", metavar="SERIAL", help=_("the letter this one replaces"))
    p.add_argument("--reason", default="", help=_("why (needed for a correction)"))
    _passphrase_option(p)
    acting_user(p)
    p.set_defaults(run=letter_issue)
    p = letter.add_parser("reprint", help=_("save a logged copy of a letter, marked Copy N"))
    p.add_argument("serial")
    p.add_argument("--out", required=True, help=_("the PDF file to write"))
    p.add_argument("--reason", required=True, help=_("why the copy is needed"))
    acting_user(p)
    p.set_defaults(run=letter_reprint)
    p = letter.add_parser("revoke", help=_("revoke a letter (supervisors)"))
    p.add_argument("serial")
    p.add_argument("--reason", required=True)
    acting_user(p)
    p.set_defaults(run=letter_revoke)
    p = letter.add_parser("list", help=_("list letters, newest first"))
    p.add_argument("--case", help=_("only this case's letters"))
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=letter_list)
    p = letter.add_parser("show", help=_("show a letter and every copy of it"))
    p.add_argument("serial")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=letter_show)

    rev = sub.add_parser("revocations", help=_("revoked letters")).add_subparsers(
        dest="revocations_command", metavar="ACTION", parser_class=parser_class
    )
    rev.required = True
    p = rev.add_parser("export", help=_("write the signed list of revoked serials"))
    p.add_argument("file")
    _passphrase_option(p)
    p.set_defaults(run=revocations_export)

    p = sub.add_parser(
        "verify", help=_("check a letter: its PDF, a photo or scan of it, or its QR text")
    )
    p.add_argument("file", nargs="?", help=_("PDF, PNG or JPEG"))
    p.add_argument("--qr", help=_("the QR code's text instead of a file"))
    p.add_argument(
        "--trust",
        action="append",
        metavar="KEYFILE",
        help=_("a public key file to trust (repeatable); default: this desk's database"),
    )
    p.add_argument("--revocations", metavar="FILE", help=_("a signed revocation list"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=verify)

    conf = sub.add_parser("settings", help=_("the organisation's settings")).add_subparsers(
        dest="settings_command", metavar="ACTION", parser_class=parser_class
    )
    conf.required = True
    p = conf.add_parser("show", help=_("show the settings"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=settings_show)
    p = conf.add_parser("set", help=_("change one setting (administrators)"))
    p.add_argument("name", help=", ".join(sorted(_setting_names())))
    p.add_argument("value", help=_("the new value; for logo_png a PNG file, or '' for none"))
    acting_user(p)
    p.set_defaults(run=settings_set)


def _purposes() -> list[str]:
    from praverka.db.enums import Purpose

    return [p.value for p in Purpose]


def _setting_names() -> list[str]:
    return list(settings.OrganisationSettings.__dataclass_fields__)


def _write_pdf(path: str, pdf: bytes) -> Path:
    target = Path(path).expanduser()
    # Written beside the target and renamed, so a full disk never leaves half a letter.
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_bytes(pdf)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return target


def _save_copy(
    ctx: AppContext, actor: Actor, result: letters.LetterOutputResult, out: str, *, issued: bool
) -> None:
    """Write the copy just logged to `out`; if that fails, mark it spoiled (not handed out)."""
    try:
        _write_pdf(out, result.pdf)
    except OSError as exc:
        problem = _("{file} could not be written: {error}").format(
            file=out, error=exc.strerror or type(exc).__name__
        )
        said = [
            _("Letter {serial} was issued, but {problem}.").format(
                serial=result.serial, problem=problem
            )
            if issued
            else problem + "."
        ]
        number = result.copy_number
        try:
            letters.mark_copy_spoiled(
                ctx, actor, result.serial, number, problem[: letters.MAX_REASON]
            )
        except PraverkaError as error:
            said.append(
                _(
                    "The copy could not be logged as spoiled ({error}); the log still counts "
                    "it as handed out."
                ).format(error=error)
            )
        else:
            which = _("the original") if not number else _("Copy {n}").format(n=number)
            said.append(
                _("The copy was logged as spoiled; saving again makes {which} again.").format(
                    which=which
                )
            )
            if issued:
                said.append(
                    _(
                        'Save it with: praverka letter reprint {serial} --out FILE --reason "..."'
                    ).format(serial=result.serial)
                )
        raise PraverkaError(" ".join(said)) from exc


def key_create(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    passphrase = passwords.signing_passphrase(args.passphrase_file, confirm=True)
    info = signing.create_signing_key(ctx, actor, passphrase)
    print(
        _(
            "Created signing key {key_id}. Give recipients its public key: praverka key export FILE"
        ).format(key_id=info.key_id)
    )
    return 0


def key_export(args: argparse.Namespace) -> int:
    ctx = _context(args)
    # No one signs in: a public key is public; the export is audited as the system's.
    publishing.export_public_key(ctx, None, args.file, args.key_id)
    print(_("Wrote the public key to {file}.").format(file=args.file))
    return 0


def key_list(args: argparse.Namespace) -> int:
    ctx = _context(args)
    found = signing.list_keys(ctx)
    if args.json:
        print_json(found)
        return 0
    print_table(
        [_("Key id"), _("Algorithm"), _("Created"), _("Retired")],
        [
            (
                k.key_id,
                k.algorithm,
                k.created_at.date(),
                k.retired_at.date() if k.retired_at else "",
            )
            for k in found
        ],
    )
    return 0


def letter_issue(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    case_id = cases.find_case_id(ctx, args.number)
    key = signing.unlock_signing_key(ctx, passwords.signing_passphrase(args.passphrase_file))
    issued = letters.issue_letter(
        ctx,
        actor,
        case_id,
        args.purpose,
        args.language,
        key,
        corrects=args.corrects,
        reason=args.reason,
    )
    result = letters.output_letter(
        ctx, actor, issued.serial, "save", destination=Path(args.out).name
    )
    _save_copy(ctx, actor, result, args.out, issued=True)
    print(
        _("Issued letter {serial} for case {number}, valid until {until}; saved to {file}.").format(
            serial=issued.serial,
            number=issued.case_number,
            until=issued.valid_until.isoformat(),
            file=args.out,
        )
    )
    return 0


def letter_reprint(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    result = letters.output_letter(
        ctx,
        actor,
        args.serial,
        "save",
        destination=Path(args.out).name,
        reprint=True,
        reason=args.reason,
    )
    _save_copy(ctx, actor, result, args.out, issued=False)
    which = _("Copy {n}").format(n=result.copy_number) if result.copy_number else _("the original")
    print(
        _("Saved {which} of letter {serial} to {file}.").format(
            which=which, serial=result.serial, file=args.out
        )
    )
    return 0


def letter_revoke(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    view = letters.revoke_letter(ctx, actor, args.serial, args.reason)
    print(
        _(
            "Revoked letter {serial}. Send recipients a new list: praverka revocations export FILE"
        ).format(serial=view.serial)
    )
    return 0


def letter_list(args: argparse.Namespace) -> int:
    ctx = _context(args)
    case_id = cases.find_case_id(ctx, args.case) if args.case else None
    found = letters.list_letters(ctx, case_id=case_id, limit=args.limit)
    if args.json:
        print_json(found)
        return 0
    print_table(
        [
            _("Serial"),
            _("Case"),
            _("Applicant"),
            _("Purpose"),
            _("Language"),
            _("Issued"),
            _("Valid until"),
            _("Status"),
            _("Copies"),
        ],
        [
            (
                v.serial,
                v.case_number,
                v.applicant,
                v.purpose,
                v.language,
                v.issued_at.date(),
                v.valid_until,
                v.status,
                v.copies,
            )
            for v in found
        ],
    )
    return 0


def letter_show(args: argparse.Namespace) -> int:
    ctx = _context(args)
    view = letters.get_letter(ctx, args.serial)
    copies = letters.letter_copies(ctx, args.serial)
    if args.json:
        print_json({"letter": view, "copies": copies})
        return 0
    for label, value in (
        (_("Serial"), view.serial),
        (_("Case"), view.case_number),
        (_("Applicant"), view.applicant),
        (_("Purpose"), view.purpose),
        (_("Language"), view.language),
        (_("Issued"), f"{view.issued_at:%Y-%m-%d %H:%M} UTC, {view.issued_by}"),
        (_("Valid"), f"{view.valid_from} – {view.valid_until}"),
        (_("Key id"), view.key_id),
        (_("Status"), view.status),
        (_("Supersedes"), view.supersedes or ""),
        (_("Superseded by"), view.superseded_by or ""),
        (
            _("Revoked"),
            f"{view.revoked_at:%Y-%m-%d} {view.revoked_by}: {view.revoke_reason}"
            if view.revoked_at
            else "",
        ),
    ):
        if value:
            print(f"{label}: {value}")
    print()
    print_table(
        [_("Copy"), _("Output"), _("Where"), _("When"), _("Who"), _("Reason"), _("Spoiled")],
        [
            (
                c.number or _("original"),
                c.output,
                c.destination,
                f"{c.at:%Y-%m-%d %H:%M}",
                c.by,
                c.reason,
                _("spoiled: {reason}").format(reason=c.spoiled_reason) if c.spoiled else "",
            )
            for c in copies
        ],
    )
    return 0


def revocations_export(args: argparse.Namespace) -> int:
    ctx = _context(args)
    key = signing.unlock_signing_key(ctx, passwords.signing_passphrase(args.passphrase_file))
    # No one signs in: the signing passphrase is what allows the list to be signed.
    published = publishing.export_revocation_list(ctx, None, key, args.file)
    print(
        _("Wrote {n} revoked serials, signed by key {key_id}, to {file}.").format(
            n=published.count, key_id=published.key_id, file=args.file
        )
    )
    return 0


def verify(args: argparse.Namespace) -> int:
    if bool(args.file) == bool(args.qr):
        raise InvalidInput(_("Give a file to check, or --qr TEXT, but not both."))
    request = letter_check.CheckRequest(
        path=Path(args.file) if args.file else None,
        text=args.qr,
        trust_files=tuple(Path(p) for p in args.trust or ()),
        revocations_file=Path(args.revocations) if args.revocations else None,
    )
    # With --trust the check is a recipient's: only the keys given, no database needed.
    local = None if args.trust else _desk_knowledge(args)
    result = letter_check.check_letter(request, local=local, today=dt.datetime.now(dt.UTC).date())
    _print_result(result, as_json=args.json)
    return result.verdict.exit_code


def _desk_knowledge(args: argparse.Namespace) -> letter_check.LocalKnowledge:
    def read() -> tuple[dict[str, PublicKey], frozenset[str]]:
        try:
            ctx = _context(args)
        except PraverkaError as exc:
            raise InvalidInput(
                _(
                    "No key to check against: give --trust KEYFILE, or use a desk's "
                    "database ({error})."
                ).format(error=exc)
            ) from None
        try:
            return letters.trust_and_revocations(ctx)
        finally:
            ctx.db.dispose()

    return read


def _print_result(result: VerifyResult, *, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "verdict": result.verdict.label,
                "detail": result.detail,
                "key_id": result.key_id,
                "claims": result.claims,
            }
        )
        return
    claims = result.claims
    if claims is not None:
        for label, value in (
            (_("Serial"), claims.serial),
            (_("Name"), claims.name_native),
            (_("Name (Latin)"), claims.name_latin),
            (_("Date of birth"), claims.birth_date),
            (_("Document"), claims.document_number),
            (_("Purpose"), claims.purpose),
            (_("Issued"), claims.issued_on.isoformat()),
            (_("Valid until"), claims.expires_on.isoformat()),
            (_("Issuer"), claims.issuer),
            (_("Key id"), result.key_id or ""),
        ):
            print(f"{label}: {value}")
        print()
    print(result.verdict.label)
    print(result.detail, file=sys.stderr if result.verdict.exit_code else sys.stdout)


def settings_show(args: argparse.Namespace) -> int:
    ctx = _context(args)
    current = settings.get_settings(ctx)
    shown = {
        name: (f"PNG, {len(value):,} bytes" if name == "logo_png" and value else value)
        for name, value in vars(current).items()
    }
    if args.json:
        print_json(shown)
        return 0
    for name, value in shown.items():
        print(f"{name}: {value if value is not None else ''}")
    return 0


def settings_set(args: argparse.Namespace) -> int:
    ctx = _context(args)
    actor = _sign_in(ctx, args)
    defaults = settings.OrganisationSettings()
    if args.name not in _setting_names():
        raise InvalidInput(
            _("Unknown setting {name!r}; settings are {valid}.").format(
                name=args.name, valid=", ".join(sorted(_setting_names()))
            )
        )
    value: object = args.value
    if args.name == "logo_png":
        try:
            value = Path(args.value).expanduser().read_bytes() if args.value else None
        except OSError as exc:
            raise InvalidInput(
                _("Cannot read the logo {file}: {error}").format(
                    file=args.value, error=exc.strerror
                )
            ) from None
    elif isinstance(getattr(defaults, args.name), int):
        try:
            value = int(args.value)
        except ValueError:
            raise InvalidInput(_("{name} is a whole number.").format(name=args.name)) from None
    settings.update_settings(ctx, actor, {args.name: value})
    print(_("Changed {name}.").format(name=args.name))
    return 0
