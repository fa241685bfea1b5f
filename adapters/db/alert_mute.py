"""The nurse's screen muting its sound, in the safety log: who, when, until when, and what was open.

A mute silences Bedside only (the monitor and the pump keep the primary alarms), yet it is a decision
about alarms, so it is documented like an acknowledgement.
"""

from __future__ import annotations

from bedside_adapters.db.safety_store import append
from sqlalchemy import Engine


def record_mute(
    engine: Engine,
    patient_ref: str,
    by: str,
    at: float,
    until: float,
    alert_ids: list[int],
    reason: str = "",
) -> int:
    """Log `alerts.muted`; returns the entry's sequence number."""
    payload = {
        "until": until,
        "minutes": round((until - at) / 60.0, 2),
        "alerts": sorted(alert_ids),
        "reason": reason,
        "scope": "this screen's sound; the monitor and the pump keep the primary alarms",
    }
    with engine.begin() as conn:
        return append(conn, "alerts.muted", by, payload, at, patient_ref)
