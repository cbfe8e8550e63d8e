"""Verifying the audit chain against reading the same rows and hashing the same bytes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from bench.harness import Timing, measure, once
from praverka.app import audit
from praverka.app.context import AppContext


def _raw_verify(path: Path) -> int:
    """The least work that checks the chain: one pass over the rows, json and sha256 only."""
    connection = sqlite3.connect(path)
    previous, checked = audit.GENESIS_HASH, 0
    rows = connection.execute(
        "SELECT seq, at, actor_id, actor_name, action, entity_type, entity_id, case_id, changes, "
        "prev_hash, hash FROM audit_events ORDER BY seq"
    )
    for seq, at, actor, name, action, kind, entity, case, changes, prev_hash, digest in rows:
        # Stored as "YYYY-MM-DD HH:MM:SS.ffffff" UTC; hashed as audit.format_time writes it.
        encoded = json.dumps(
            [seq, at.replace(" ", "T") + "Z", actor, name, action, kind, entity, case, changes,
             previous],
            sort_keys=True, separators=(",", ":"), ensure_ascii=False,
        ).encode("utf-8")  # fmt: skip
        if prev_hash != previous or hashlib.sha256(encoded).hexdigest() != digest:
            raise RuntimeError(f"the floor disagrees with the chain at event {seq}")
        previous, checked = digest, checked + 1
    connection.close()
    return checked


def run(ctx: AppContext, path: Path) -> tuple[str, Timing, Timing, str]:
    results: list[audit.VerifyResult] = []
    verified = once(lambda: results.append(audit.verify(ctx)))
    if not results[0].ok:
        raise RuntimeError(results[0].message())
    floor = measure(lambda: _raw_verify(path), repeat=2, warmup=0)
    name = f"audit.verify, {results[0].events_checked:,} events"
    return name, verified, floor, "same rows read by bare sqlite3, same bytes hashed by hashlib"
