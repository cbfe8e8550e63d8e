"""Migrations: `upgrade head` builds exactly the models' schema, and each step goes both ways."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from praverka.db import migrate
from praverka.db.engine import make_engine
from praverka.db.models import Base

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def _schema(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, keys, indexes and constraint names, comparable across databases."""
    insp = inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(set(insp.get_table_names()) - {"alembic_version"}):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]).split("(")[0], c["nullable"])
                for c in insp.get_columns(table)
            ],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(
                (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in insp.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in insp.get_indexes(table)
            ),
            "uniques": sorted(
                (u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)
            ),
            "checks": sorted(c["name"] for c in insp.get_check_constraints(table)),
        }
    return schema


def test_upgrade_head_matches_models(db_url: str, tmp_path: Any, request: Any) -> None:
    migrated = make_engine(db_url)
    migrate.upgrade(migrated)
    with migrated.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []

    if db_url.startswith("sqlite"):
        other_url = f"sqlite:///{tmp_path / 'create_all.sqlite3'}"
    else:
        other_url = request.getfixturevalue("pg_server").create_database("create_all_twin")
    created = make_engine(other_url)
    Base.metadata.create_all(created)
    assert _schema(migrated) == _schema(created)
    migrated.dispose()
    created.dispose()


def _rows() -> list[tuple[str, dict[str, Any]]]:
    """One row in every table, in foreign-key order."""
    return [
        (
            "users",
            {
                "id": 1,
                "username": "admin",
                "full_name": "A",
                "password_hash": "x",
                "active": True,
                "failed_logins": 0,
                "created_at": NOW,
                "password_changed_at": NOW,
            },
        ),
        ("user_roles", {"user_id": 1, "role": "admin"}),
        (
            "checklist_templates",
            {
                "id": 1,
                "code": "default",
                "version": 1,
                "title": "T",
                "content_sha256": "0" * 64,
                "imported_at": NOW,
            },
        ),
        (
            "checklist_items",
            {
                "id": 1,
                "template_id": 1,
                "position": 0,
                "code": "a",
                "text": "A",
                "kind": "manual",
                "required": True,
                "rule": "",
                "params": "{}",
            },
        ),
        (
            "applicants",
            {
                "id": 1,
                "birth_year": 1990,
                "sex": "F",
                "citizenship": "BLR",
                "phone": "",
                "email": "",
                "address": "",
                "created_at": NOW,
            },
        ),
        (
            "applicant_names",
            {
                "id": 1,
                "applicant_id": 1,
                "position": 0,
                "script": "be",
                "surname": "Шчур",
                "given_names": "Ала",
                "patronymic": "",
                "search_key": "shchur ala",
            },
        ),
        (
            "cases",
            {
                "id": 1,
                "number": "2026-000001",
                "applicant_id": 1,
                "status": "draft",
                "priority": 1,
                "assigned_officer_id": 1,
                "preparer_id": 1,
                "checklist_template_id": 1,
                "created_at": NOW,
                "updated_at": NOW,
                "updated_by_id": 1,
                "status_changed_at": NOW,
                "version": 1,
            },
        ),
        ("case_purposes", {"case_id": 1, "purpose": "other"}),
        (
            "case_checklist_items",
            {
                "id": 1,
                "case_id": 1,
                "item_code": "a",
                "satisfied": True,
                "evidence": "e",
                "waived": False,
                "waive_reason": "",
            },
        ),
        (
            "documents",
            {
                "id": 1,
                "case_id": 1,
                "kind": "passport",
                "number": "MP1",
                "issuing_country": "BLR",
                "issuing_authority": "",
                "seen_as": "lost",
                "verification": "pending",
                "note": "",
                "created_at": NOW,
            },
        ),
        (
            "scans",
            {
                "id": 1,
                "sha256": "1" * 64,
                "media_type": "image/png",
                "size": 1,
                "data": b"x",
                "created_at": NOW,
            },
        ),
        (
            "document_scans",
            {
                "id": 1,
                "document_id": 1,
                "scan_id": 1,
                "position": 0,
                "filename": "a.png",
                "added_at": NOW,
            },
        ),
        (
            "case_references",
            {
                "id": 1,
                "case_id": 1,
                "name": "R",
                "relationship": "friend",
                "contact": "+3805",
                "confirmed": False,
                "note": "",
                "created_at": NOW,
            },
        ),
        (
            "contact_attempts",
            {
                "id": 1,
                "reference_id": 1,
                "at": NOW,
                "by_user_id": 1,
                "channel": "phone",
                "outcome": "no_answer",
                "note": "",
            },
        ),
        (
            "comments",
            {"id": 1, "case_id": 1, "author_id": 1, "kind": "note", "body": "b", "created_at": NOW},
        ),
        (
            "transitions",
            {
                "id": 1,
                "case_id": 1,
                "from_status": "draft",
                "to_status": "on_hold",
                "actor_id": 1,
                "at": NOW,
                "comment": "",
            },
        ),
        (
            "screening_hits",
            {
                "id": 1,
                "case_id": 1,
                "kind": "duplicate",
                "status": "open",
                "description": "d",
                "score": 50,
                "created_at": NOW,
                "resolution_note": "",
            },
        ),
        ("counters", {"name": "case-2026", "value": 1}),
        (
            "signing_keys",
            {
                "id": 1,
                "key_id": "0" * 16,
                "algorithm": "ES256",
                "public_pem": "-----BEGIN PUBLIC KEY-----",
                "private_pem_encrypted": "-----BEGIN ENCRYPTED PRIVATE KEY-----",
                "created_at": NOW,
            },
        ),
        (
            "letters",
            {
                "id": 1,
                "serial": "PRV-2026-000001",
                "case_id": 1,
                "purpose": "bank_account",
                "language": "uk+en",
                "issued_at": NOW,
                "issued_by_id": 1,
                "valid_from": NOW.date(),
                "valid_until": NOW.date(),
                "key_id": "0" * 16,
                "qr_text": "PRV1:",
                "content": {"serial": "PRV-2026-000001"},
                "correction_reason": "",
                "revoke_reason": "",
            },
        ),
        (
            "letter_copies",
            {
                "id": 1,
                "letter_id": 1,
                "number": 0,
                "output": "print",
                "destination": "PDF",
                "reason": "",
                "at": NOW,
                "by_id": 1,
                "spoiled_reason": "",
            },
        ),
        ("settings", {"name": "serial_prefix", "value": "PRV", "updated_at": NOW}),
        ("audit_head", {"id": 1, "seq": 1, "hash": "2" * 64}),
        (
            "audit_events",
            {
                "id": 1,
                "seq": 1,
                "at": NOW,
                "actor_name": "admin",
                "action": "x",
                "entity_type": "case",
                "entity_id": "1",
                "changes": "{}",
                "prev_hash": "0" * 64,
                "hash": "2" * 64,
            },
        ),
    ]


def test_every_migration_upgrades_and_downgrades_with_data(db_url: str) -> None:
    engine = make_engine(db_url)
    revisions = migrate.revisions()
    assert revisions[-1] == migrate.head_revision()
    previous = "base"
    for revision in revisions:
        migrate.upgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
        # Fill every table this revision has, so each downgrade runs with data in place.
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as connection:
            for table, row in _rows():
                if (
                    table in meta.tables
                    and connection.execute(
                        select(func.count()).select_from(meta.tables[table])
                    ).scalar()
                    == 0
                ):
                    columns = meta.tables[table].c
                    values = {k: v for k, v in row.items() if k in columns}
                    connection.execute(meta.tables[table].insert().values(**values))
        if revision == revisions[-1]:
            assert set(meta.tables) - {"alembic_version"} == set(Base.metadata.tables)
        migrate.downgrade(engine, previous)
        assert migrate.current_revision(engine) == (None if previous == "base" else previous)
        migrate.upgrade(engine, revision)
        previous = revision
    # After the round trip the newest schema is whole again, and the older tables' rows survived.
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar() == 1
    engine.dispose()


def test_spoiled_copies_free_their_number_and_older_copies_survive_the_upgrade(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0004")
    meta = MetaData()
    meta.reflect(engine)
    needed = ("users", "checklist_templates", "applicants", "cases", "letters", "letter_copies")
    with engine.begin() as connection:
        for table, row in _rows():
            if table in needed:
                columns = meta.tables[table].c
                values = {k: v for k, v in row.items() if k in columns}
                connection.execute(meta.tables[table].insert().values(**values))
    migrate.upgrade(engine)
    insert = text(
        "INSERT INTO letter_copies (id, letter_id, number, output, destination, reason, at, "
        "by_id, spoiled_reason) VALUES (:id, 1, 0, 'print', '', '', :at, 1, '')"
    )
    with engine.begin() as connection:
        old = connection.execute(
            text("SELECT number, spoiled_at, spoiled_reason FROM letter_copies")
        ).one()
        assert tuple(old) == (0, None, "")
        # The original spoiled: a retry takes number 0 again, but only one may be handed out.
        connection.execute(
            text("UPDATE letter_copies SET spoiled_at = :at, spoiled_reason = 'jam'"), {"at": NOW}
        )
        connection.execute(insert, {"id": 2, "at": NOW})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert, {"id": 3, "at": NOW})
    # Downgrading keeps the copies handed out; the spoiled attempts have no place there.
    migrate.downgrade(engine, "0004")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM letter_copies")).scalars().all() == [2]
    engine.dispose()
