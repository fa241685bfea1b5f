"""Course events clinicians enter for the review (intubation, extubation, ICU discharge, death, a
follow-up alive, radiology notes), stored as `bedside.handlers.records` decided."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_text
from sqlalchemy import Connection, insert, select

from bedside.clock import from_ms, to_ms
from bedside.model import PatientRef


def insert_course_event(
    conn: Connection,
    *,
    patient_ref: PatientRef,
    kind: str,
    at: float,
    text: str,
    source: str,
    entered_by: str,
    entered_at: float,
) -> int:
    row = {
        "patient_ref": ref_text(patient_ref),
        "kind": kind,
        "at_ms": to_ms(at),
        "text": text,
        "source": source,
        "entered_by": entered_by,
        "entered_ms": to_ms(entered_at),
    }
    return int(conn.execute(insert(t.course_event).values(**row).returning(t.course_event.c.id)).scalar_one())


def death_times(conn: Connection, patient: PatientRef) -> list[float]:
    """When the patient's recorded deaths happened, in the order they were entered (the last one
    entered is the one that counts: it corrects those before it)."""
    return event_times(conn, patient, "death")


def event_times(conn: Connection, patient: PatientRef, kind: str) -> list[float]:
    """When the patient's recorded course events of this kind happened, in the order entered."""
    c = t.course_event.c
    rows = conn.execute(
        select(c.at_ms).where(c.patient_ref == ref_text(patient), c.kind == kind).order_by(c.entered_ms, c.id)
    ).scalars()
    return [from_ms(ms) for ms in rows]
