"""Adverse events a clinician documents: CTCAE-style grade, relatedness to the infusion, linked alerts."""

from __future__ import annotations

import json

from bedside_adapters.db import schema as t
from bedside_adapters.db.safety_store import append
from sqlalchemy import Connection, insert

from bedside.clock import to_ms

RELATEDNESS = ("unrelated", "unlikely", "possible", "probable", "definite")


class AdverseEventError(ValueError):
    pass


def record_adverse_event(
    conn: Connection,
    patient_ref: str,
    term: str,
    grade: int,
    relatedness: str,
    by: str,
    now: float,
    episode_id: int | None = None,
    onset: float | None = None,
    alert_ids: list[int] | None = None,
    notes: str = "",
) -> dict:
    """Store the event and its safety-log entry in the caller's transaction; returns what was logged."""
    if not 1 <= grade <= 5:
        raise AdverseEventError("grade must be 1-5 (CTCAE-style)")
    if relatedness not in RELATEDNESS:
        raise AdverseEventError(f"relatedness must be one of {', '.join(RELATEDNESS)}")
    if not term.strip() or not by.strip():
        raise AdverseEventError("an adverse event needs a term and who records it")
    row = {
        "patient_ref": patient_ref,
        "episode_id": episode_id,
        "term": term.strip()[:200],
        "grade": grade,
        "relatedness": relatedness,
        "onset_ms": None if onset is None else to_ms(onset),
        "alert_ids": json.dumps(alert_ids or []),
        "notes": notes,
        "reported_by": by.strip()[:120],
        "reported_ms": to_ms(now),
    }
    ae_id = conn.execute(insert(t.adverse_event).values(**row).returning(t.adverse_event.c.id)).scalar_one()
    payload = {k: v for k, v in row.items() if k not in ("patient_ref", "reported_ms", "onset_ms")}
    payload.update(id=int(ae_id), alert_ids=alert_ids or [], onset=onset)
    append(conn, "adverse_event.recorded", by, payload, now, patient_ref, episode_id)
    return payload
