"""Quarantined messages waiting for a structural diagnosis, and the diagnosis once made."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from sqlalchemy import Engine, select, update


def undiagnosed(engine: Engine, limit: int) -> list[tuple[int, bytes, int]]:
    """The oldest quarantined messages without a diagnosis: (id, raw bytes, size)."""
    m = t.inbound_message.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.id, m.raw, m.raw_size)
            .where(m.quarantine_reason.is_not(None), m.diagnosis.is_(None))
            .order_by(m.id)
            .limit(limit)
        ).all()
    return [(int(r[0]), bytes(r[1]), int(r[2])) for r in rows]


def set_diagnosis(engine: Engine, message_id: int, text: str) -> None:
    m = t.inbound_message.c
    with engine.begin() as conn:
        conn.execute(update(t.inbound_message).where(m.id == message_id).values(diagnosis=text[:2000]))
