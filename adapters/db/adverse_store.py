"""Adverse events a clinician documents (CTCAE-style grade, relatedness to the infusion, linked
alerts), stored as `bedside.handlers.records` decided, in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bedside_adapters.db import schema as t
from sqlalchemy import Connection, insert

from bedside.clock import to_ms


def insert_adverse_event(
    conn: Connection,
    *,
    patient_ref: str,
    episode_id: int | None,
    term: str,
    grade: int,
    relatedness: str,
    onset: float | None,
    alert_ids: Sequence[int],
    notes: str,
    reported_by: str,
    reported_at: float,
) -> int:
    row = {
        "patient_ref": patient_ref,
        "episode_id": episode_id,
        "term": term,
        "grade": grade,
        "relatedness": relatedness,
        "onset_ms": None if onset is None else to_ms(onset),
        "alert_ids": json.dumps(list(alert_ids)),
        "notes": notes,
        "reported_by": reported_by,
        "reported_ms": to_ms(reported_at),
    }
    stmt = insert(t.adverse_event).values(**row).returning(t.adverse_event.c.id)
    return int(conn.execute(stmt).scalar_one())
