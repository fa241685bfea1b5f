"""Quarantined messages get hl7apy's structural diagnosis, after their ACK went out.

hl7apy needs tens of milliseconds a message (seconds for a huge one), far too slow for the path
that answers a sender; the ingest service's housekeeping diagnoses a few quarantined messages per
tick instead, skipping very large ones.
"""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.hl7.validate import validate
from sqlalchemy import Engine, select, update

MAX_DIAGNOSED_BYTES = 64 * 1024


def diagnose_quarantine(engine: Engine, limit: int = 5) -> int:
    m = t.inbound_message.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.id, m.raw, m.raw_size)
            .where(m.quarantine_reason.is_not(None), m.diagnosis.is_(None))
            .order_by(m.id)
            .limit(limit)
        ).all()
    done = 0
    for message_id, raw, size in rows:
        if size > MAX_DIAGNOSED_BYTES:
            text = f"not diagnosed: {size} bytes is more than the {MAX_DIAGNOSED_BYTES} diagnosed"
        else:
            v = validate(bytes(raw))
            if not v.readable:
                text = v.problems[0]
            elif v.problems:
                text = f"{v.message_type} v{v.version}: " + "; ".join(v.problems)
            else:
                text = f"{v.message_type} v{v.version}: valid against the standard structure"
        with engine.begin() as conn:
            conn.execute(update(t.inbound_message).where(m.id == message_id).values(diagnosis=text[:2000]))
        done += 1
    return done
