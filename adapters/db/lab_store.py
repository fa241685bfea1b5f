"""Lab results inside the ingest transaction: every version appended, never overwritten, and which
version is current decided on arrival."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from sqlalchemy import Connection, insert, select, update

from bedside.clock import to_ms
from bedside.labs import RETRACTING_STATUSES, LabResult, supersedes


def store_lab_result(conn: Connection, r: LabResult, message_id: int, patient_id: int | None) -> None:
    """Append a version; a final or corrected result supersedes the current one, a deletion or a
    "wrong" retracts it (`bedside.labs`)."""
    c = t.lab_result.c
    same = (
        (c.sender == r.sender[:250])
        & (c.filler_order == r.filler_order[:120])
        & (c.code == r.code[:40])
        & (c.sub_id == r.sub_id[:40])
    )
    versions = conn.execute(select(c.id, c.status, c.current, c.version).where(same)).all()
    current = [v for v in versions if v.current]
    retract = r.status in RETRACTING_STATUSES
    becomes_current = not retract and all(supersedes(r.status, v.status) for v in current)
    new_id = conn.execute(
        insert(t.lab_result).returning(c.id),
        {
            "message_id": message_id,
            "patient_ref": str(r.patient) if r.patient else "",
            "patient_id": patient_id,
            "sender": r.sender[:250],
            "filler_order": r.filler_order[:120],
            "code": r.code[:40],
            "code_system": r.code_system[:40],
            "sub_id": r.sub_id[:40],
            "analyte": r.analyte,
            "value": r.value,
            "comparator": r.comparator[:4],
            "unit": r.unit[:40],
            "value_as_sent": r.value_as_sent,
            "unit_as_sent": r.unit_as_sent[:60],
            "reference_range": r.reference_range[:120],
            "abnormal_flags": r.abnormal_flags[:60],
            "status": r.status[:2],
            "observed_ms": to_ms(r.observed_at),
            "reported_ms": to_ms(r.reported_at) if r.reported_at is not None else None,
            "received_ms": to_ms(r.received_at),
            "version": max((v.version for v in versions), default=0) + 1,
            "current": becomes_current,
            "retracted": retract,
            "note": r.note[:200],
            "specimen_condition": r.specimen_condition[:60],
        },
    ).scalar_one()
    if (retract or becomes_current) and current:
        conn.execute(
            update(t.lab_result)
            .where(c.id.in_([v.id for v in current]))
            .values(current=False, superseded_by=new_id, retracted=retract)
        )
