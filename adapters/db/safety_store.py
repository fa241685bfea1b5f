"""The safety log in the database: append inside the caller's transaction, read, verify.

Appends serialise on the head row (an UPDATE takes SQLite's write lock and a PostgreSQL row lock
before the head is read), so two writers can never both link to the same entry.
"""

from __future__ import annotations

from collections.abc import Iterator

from bedside_adapters.db import raw
from bedside_adapters.db import schema as t
from sqlalchemy import Connection, Engine, select

from bedside.clock import to_ms
from bedside.log_entries import LogEntry
from bedside.safety_log import GENESIS, KINDS, SafetyLogEntry, Verification, canonical, entry_hash, verify

_HEAD = "bedside.safety_log_head"
"""Key in Connection.info: (transaction, seq, hash) of the head as this transaction left it."""


def _append(
    conn: Connection,
    kind: str,
    actor: str,
    payload: dict,
    at: float,
    patient_ref: str = "",
    episode_id: int | None = None,
    alert_id: int | None = None,
) -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown safety-log entry kind {kind!r}")
    cur = raw.cursor(conn)
    transaction = conn.get_transaction()
    held = conn.info.get(_HEAD)
    if held is not None and transaction is not None and held[0] is transaction and transaction.is_active:
        # This transaction locked the head already and wrote every entry since: no other writer
        # can have moved it, so the second and later entries skip the lock and the read.
        seq, prev = held[1], held[2]
    else:
        cur.execute(raw.sql(conn, "UPDATE safety_log_head SET seq = seq WHERE id = 1"))
        if not cur.rowcount:
            cur.execute(
                raw.sql(conn, "INSERT INTO safety_log_head (id, seq, hash) VALUES (1, 0, ?)"), (GENESIS,)
            )
        cur.execute(raw.sql(conn, "SELECT seq, hash FROM safety_log_head WHERE id = 1"))
        seq, prev = cur.fetchone()
    seq = int(seq) + 1
    at_ms = to_ms(at)
    text = canonical(payload)
    actor = actor[:120]
    digest = entry_hash(prev, seq, at_ms, kind, actor, patient_ref, episode_id, alert_id, text)
    cur.execute(
        raw.sql(conn, _INSERT),
        (seq, at_ms, kind, actor, patient_ref, episode_id, alert_id, text, prev, digest),
    )
    cur.execute(raw.sql(conn, "UPDATE safety_log_head SET seq = ?, hash = ? WHERE id = 1"), (seq, digest))
    conn.info[_HEAD] = (transaction, seq, digest)
    return seq


def record(conn: Connection, entry: LogEntry, at: float) -> int:
    """Append a typed entry at time `at` inside the caller's transaction; returns its sequence number."""
    refs = (entry.patient_ref, entry.episode_id, entry.alert_id)
    return _append(conn, entry.kind, entry.actor, entry.payload(), at, *refs)


_INSERT = (
    "INSERT INTO safety_log (seq, at_ms, kind, actor, patient_ref, episode_id, alert_id, payload, "
    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def entries(conn: Connection, batch: int = 5000) -> Iterator[SafetyLogEntry]:
    c = t.safety_log.c
    after = 0
    while True:
        rows = conn.execute(select(t.safety_log).where(c.seq > after).order_by(c.seq).limit(batch)).all()
        if not rows:
            return
        for r in rows:
            yield SafetyLogEntry(
                int(r.seq),
                int(r.at_ms),
                r.kind,
                r.actor,
                r.patient_ref,
                None if r.episode_id is None else int(r.episode_id),
                None if r.alert_id is None else int(r.alert_id),
                r.payload,
                r.prev_hash,
                r.hash,
            )
        after = int(rows[-1].seq)


def verify_log(engine: Engine) -> Verification:
    with engine.connect() as conn:
        head = conn.execute(select(t.safety_log_head.c.seq, t.safety_log_head.c.hash)).first()
        return verify(entries(conn), None if head is None else (int(head[0]), head[1]))


def log_listing(engine: Engine, patient: str | None = None, limit: int | None = None) -> list[dict]:
    import json

    c = t.safety_log.c
    stmt = select(t.safety_log).order_by(c.seq)
    if patient:
        stmt = stmt.where((c.patient_ref == patient) | c.patient_ref.like(f"{patient}^%"))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if limit is not None:
        rows = rows[-limit:]
    return [
        {
            "seq": int(r.seq),
            "at": r.at_ms / 1000.0,
            "kind": r.kind,
            "actor": r.actor,
            "patient": r.patient_ref or None,
            "episode_id": r.episode_id,
            "alert_id": r.alert_id,
            "payload": json.loads(r.payload),
            "hash": r.hash,
        }
        for r in rows
    ]
