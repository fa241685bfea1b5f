"""The safety log in the database: append inside the caller's transaction, read, verify.

Appends serialise on the head row (an UPDATE takes SQLite's write lock and a PostgreSQL row lock
before the last entry is read), so two writers can never both link to the same entry. Each entry is
signed with the installation's key (bedside_adapters.keys); the database's triggers
(bedside_adapters.db.log_guard) refuse any other change than such an append.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bedside_adapters import anchors
from bedside_adapters.db import raw
from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import data_dir
from bedside_adapters.db.log_verify import database_identity
from bedside_adapters.db.patient_match import MrnQuery, ref_text
from bedside_adapters.keys import installation_signer
from sqlalchemy import Connection, Engine, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from bedside.clock import to_ms
from bedside.log_entries import LogEntry
from bedside.safety_log import GENESIS, KINDS, canonical, entry_hash

if TYPE_CHECKING:
    from bedside_adapters.db.log_verify import LogCheck

log = logging.getLogger("bedside.safety_log")

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
        # Linked to the last entry rather than to the head row: an entry someone slipped in without
        # moving the head is then kept in the chain (and named by verify-log for its signature)
        # instead of making every later append fail.
        cur.execute(raw.sql(conn, "SELECT seq, hash FROM safety_log ORDER BY seq DESC LIMIT 1"))
        seq, prev = cur.fetchone() or (0, GENESIS)
        _register_key(conn, int(seq) + 1, at)
    seq = int(seq) + 1
    at_ms = to_ms(at)
    text = canonical(payload)
    actor = actor[:120]
    digest = entry_hash(prev, seq, at_ms, kind, actor, patient_ref, episode_id, alert_id, text)
    signer = installation_signer(data_dir())
    cur.execute(
        raw.sql(conn, _INSERT),
        (
            seq,
            at_ms,
            kind,
            actor,
            patient_ref,
            episode_id,
            alert_id,
            text,
            prev,
            digest,
            signer.key_id,
            signer.sign(digest),
        ),
    )
    cur.execute(raw.sql(conn, "UPDATE safety_log_head SET seq = ?, hash = ? WHERE id = 1"), (seq, digest))
    conn.info[_HEAD] = (transaction, seq, digest)
    return seq


def _register_key(conn: Connection, seq: int, at: float) -> None:
    """The public half of the key about to sign, stored once per key (a verifier given only its
    fingerprint, from a report, finds it here)."""
    signer = installation_signer(data_dir())
    cur = raw.cursor(conn)
    cur.execute(raw.sql(conn, "SELECT 1 FROM safety_log_key WHERE key_id = ?"), (signer.key_id,))
    if cur.fetchone() is None:
        cur.execute(
            raw.sql(
                conn,
                "INSERT INTO safety_log_key (key_id, public_key, first_seq, created_ms) VALUES (?, ?, ?, ?)",
            ),
            (signer.key_id, signer.public_hex, seq, to_ms(at)),
        )


def record(conn: Connection, entry: LogEntry, at: float) -> int:
    """Append a typed entry at time `at` inside the caller's transaction; returns its sequence number.
    An exported report's entry also anchors the chain head the report prints (`anchors`)."""
    patient = "" if entry.patient_ref is None else ref_text(entry.patient_ref)
    refs = (patient, entry.episode_id, entry.alert_id)
    payload = entry.payload()
    seq = _append(conn, entry.kind, entry.actor, payload, at, *refs)
    if entry.kind == "report.exported" and payload.get("log_head"):
        printed = payload["log_head"]
        _anchor_quietly(conn.engine.url, (int(printed[0]), str(printed[1])), f"report {payload['file']}")
    return seq


def record_now(engine: Engine, entry: LogEntry, at: float) -> str | None:
    """Append `entry` in a transaction of its own; None, or why the database could not take it (a
    service's start is logged when the database allows, and the service runs either way)."""
    try:
        with engine.begin() as conn:
            record(conn, entry, at)
    except SQLAlchemyError as exc:
        return str(exc).splitlines()[0]
    return None


def _anchor_quietly(url: URL, head: tuple[int, str], why: str) -> None:
    # The head printed in a report was committed before the report was made, so it is anchored
    # whether or not this transaction commits. A file that cannot be written is logged: the report's
    # record is not refused for it (the report itself carries the head).
    try:
        anchors.write_anchor(anchors.anchor_path(data_dir()), database_identity(url), head, why)
    except OSError:
        log.exception("the safety log head could not be anchored")


_INSERT = (
    "INSERT INTO safety_log (seq, at_ms, kind, actor, patient_ref, episode_id, alert_id, payload, "
    "prev_hash, hash, key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def head(conn: Connection) -> tuple[int, str] | None:
    """The stored head (last seq, its hash); None before the first entry."""
    row = conn.execute(select(t.safety_log_head.c.seq, t.safety_log_head.c.hash)).first()
    return None if row is None or int(row[0]) == 0 else (int(row[0]), str(row[1]))


def head_key(conn: Connection) -> str | None:
    """The fingerprint of the key that signed the last entry (None: unsigned, or no entry)."""
    c = t.safety_log.c
    return conn.execute(select(c.key_id).order_by(c.seq.desc()).limit(1)).scalar()


def head_anchoring(engine: Engine, every: float = 600.0) -> anchors.Anchoring:
    """Anchors this database's committed head every `every` seconds when it moved (the alerting
    process's tick)."""

    def committed() -> tuple[int, str] | None:
        with engine.connect() as conn:
            return head(conn)

    path = anchors.anchor_path(data_dir())
    return anchors.Anchoring(path, database_identity(engine.url), committed, every)


def verify_log(engine: Engine) -> LogCheck:
    """The whole check of `bedside-cli verify-log` with this installation's key and anchors
    (bedside_adapters.db.log_verify); reads only."""
    from bedside_adapters.db.log_verify import verify_database

    return verify_database(engine)


def log_listing(engine: Engine, patient: MrnQuery | None = None, limit: int | None = None) -> list[dict]:
    """The safety log's entries in order, of the patients `patient` names (None: every entry), the
    last `limit` of them (None: all)."""
    import json

    c = t.safety_log.c
    stmt = select(t.safety_log).order_by(c.seq)
    if patient is not None:
        stmt = stmt.where(patient.where(c.patient_ref))
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


def signing_keys(engine: Engine) -> set[str] | None:
    """The fingerprints of the keys that signed this database's entries (empty: none yet); None when
    the database cannot be read (not reachable, or not created yet)."""
    try:
        with engine.connect() as conn:
            return set(conn.execute(select(t.safety_log_key.c.key_id)).scalars())
    except SQLAlchemyError:
        return None
