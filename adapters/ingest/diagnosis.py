"""Quarantined messages get hl7apy's structural diagnosis, after their ACK went out.

hl7apy is far too slow for the path that answers a sender (a huge message takes seconds); the
ingest service's housekeeping diagnoses a few quarantined messages per tick instead, skipping very
large ones.
"""

from __future__ import annotations

from bedside_adapters.db.engine import Engine
from bedside_adapters.db.quarantine import set_diagnosis, undiagnosed
from bedside_adapters.hl7.validate import validate

MAX_DIAGNOSED_BYTES = 64 * 1024


def diagnose_quarantine(engine: Engine, limit: int = 5) -> int:
    done = 0
    for message_id, raw, size in undiagnosed(engine, limit):
        if size > MAX_DIAGNOSED_BYTES:
            text = f"not diagnosed: {size} bytes is more than the {MAX_DIAGNOSED_BYTES} diagnosed"
        else:
            v = validate(raw)
            if not v.readable:
                text = v.problems[0]
            elif v.problems:
                text = f"{v.message_type} v{v.version}: " + "; ".join(v.problems)
            else:
                text = f"{v.message_type} v{v.version}: valid against the standard structure"
        set_diagnosis(engine, message_id, text)
        done += 1
    return done
