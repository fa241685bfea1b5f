"""Counts for `bedside-cli stats --json`: what was received, acknowledged, quarantined and stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, case, func, select

from adapters.db import schema as t
from adapters.db.care import database_bytes

ACCEPT_CODES = ("AA", "CA")


def ingest_stats(engine: Engine) -> dict[str, Any]:
    m = t.inbound_message
    acked = func.sum(case((m.c.ack_code.in_(ACCEPT_CODES), 1), else_=0))
    quarantined = func.sum(case((m.c.quarantine_reason.is_not(None), 1), else_=0))
    stmt = select(
        m.c.sender,
        func.count(),
        func.coalesce(acked, 0),
        func.coalesce(quarantined, 0),
        func.coalesce(func.sum(m.c.observation_count), 0),
    ).group_by(m.c.sender)
    senders: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for sender, received, ack, quar, obs in conn.execute(stmt):
            senders[sender] = {
                "messages_received": int(received),
                "messages_acknowledged": int(ack),
                "messages_quarantined": int(quar),
                "observations": int(obs),
            }
        pending_rows = conn.execute(select(func.count()).select_from(t.observation)).scalar_one()
        chunk_values = conn.execute(select(func.coalesce(func.sum(t.series_chunk.c.count), 0))).scalar_one()
        chunks = conn.execute(select(func.count()).select_from(t.series_chunk)).scalar_one()
        patients = conn.execute(select(func.count()).select_from(t.patient)).scalar_one()
        series = conn.execute(select(func.count()).select_from(t.series)).scalar_one()

    def total(key: str) -> int:
        return sum(s[key] for s in senders.values())

    return {
        "messages_received": total("messages_received"),
        "messages_acknowledged": total("messages_acknowledged"),
        "messages_quarantined": total("messages_quarantined"),
        # Numeric values held (rows not yet compacted + values in hour chunks; a value resent for the
        # same second counts once after compaction).
        "observations": int(pending_rows) + int(chunk_values),
        "observation_rows_pending": int(pending_rows),
        "series_chunks": int(chunks),
        "database_bytes": database_bytes(engine),
        "patients": int(patients),
        "series": int(series),
        "senders": senders,
    }
