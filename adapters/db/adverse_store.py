"""Adverse events a clinician documents, stored as `bedside.handlers.adverse` decided, in the
caller's transaction: each version of an event a new row (never an UPDATE), and the reports to the
sponsor in their own table. Read back as `bedside.adverse_events.AdverseEventVersion`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_of, ref_text
from sqlalchemy import Connection, Row, func, insert, or_, select

from bedside.adverse_event_listing import ListedAdverseEvent, history_of
from bedside.adverse_events import AdverseEventVersion
from bedside.clock import from_ms, to_ms
from bedside.model import PatientRef


def _ms(at: float | None) -> int | None:
    return None if at is None else to_ms(at)


def _at(ms: int | None) -> float | None:
    return None if ms is None else from_ms(ms)


def insert_adverse_event(conn: Connection, v: AdverseEventVersion) -> int:
    row = {
        "patient_ref": ref_text(v.patient_ref),
        "episode_id": v.episode_id,
        "term": v.term,
        "grade": v.grade,
        "relatedness": v.relatedness,
        "onset_ms": _ms(v.onset),
        "alert_ids": json.dumps(list(v.alert_ids)),
        "notes": v.notes,
        "reported_by": v.reported_by,
        "reported_ms": to_ms(v.reported_at),
        "event_id": v.event,
        "version": v.version,
        "seriousness": None if v.seriousness is None else json.dumps(list(v.seriousness)),
        "expectedness": v.expectedness,
        "rsi": v.rsi,
        "ctcae_term": v.ctcae_term,
        "ctcae_version": v.ctcae_version,
        "meddra_code": v.meddra_code,
        "outcome": v.outcome,
        "end_ms": _ms(v.end),
        "action_taken": v.action_taken,
        "treatment": v.treatment,
        "assessed_by": v.assessed_by,
        "assessor_role": v.assessor_role,
        "awareness_ms": _ms(v.awareness),
        "special_interest": v.aesi,
        "awareness_reason": v.awareness_correction,
    }
    stmt = insert(t.adverse_event).values(**row).returning(t.adverse_event.c.id)
    return int(conn.execute(stmt).scalar_one())


def insert_report(
    conn: Connection,
    *,
    event: int,
    version: int,
    patient_ref: PatientRef,
    sent_at: float,
    recorded_by: str,
    recorded_at: float,
) -> int:
    row = {
        "event_id": event,
        "version": version,
        "patient_ref": ref_text(patient_ref),
        "sent_ms": to_ms(sent_at),
        "recorded_by": recorded_by,
        "recorded_ms": to_ms(recorded_at),
    }
    stmt = insert(t.adverse_event_report).values(**row).returning(t.adverse_event_report.c.id)
    return int(conn.execute(stmt).scalar_one())


def version_of(
    r: Row[Any] | Any,
    sent: tuple[float, int] | None = None,
    first_awareness: float | None = None,
    first_recorded: float | None = None,
) -> AdverseEventVersion:
    """The stored row as a version; `sent`: (first report's time, reports in all), None: none yet;
    `first_awareness`: the earliest awareness any version of the event recorded; `first_recorded`:
    when its first version was recorded. A row from before the reporting columns reads as version 1
    with them unknown."""
    sent_at, reports = (None, 0) if sent is None else sent
    return AdverseEventVersion(
        id=int(r.id),
        event=None if r.event_id is None else int(r.event_id),
        version=int(r.version or 1),
        patient_ref=ref_of(r.patient_ref),
        episode_id=r.episode_id,
        term=r.term,
        grade=int(r.grade),
        relatedness=r.relatedness,
        onset=_at(r.onset_ms),
        alert_ids=tuple(json.loads(r.alert_ids or "[]")),
        notes=r.notes or "",
        reported_by=r.reported_by,
        reported_at=from_ms(r.reported_ms),
        seriousness=None if r.seriousness is None else tuple(json.loads(r.seriousness)),
        expectedness=r.expectedness,
        rsi=r.rsi,
        ctcae_term=r.ctcae_term,
        ctcae_version=r.ctcae_version,
        meddra_code=r.meddra_code or "",
        outcome=r.outcome,
        end=_at(r.end_ms),
        action_taken=r.action_taken,
        treatment=r.treatment or "",
        assessed_by=r.assessed_by,
        assessor_role=r.assessor_role,
        awareness=_at(r.awareness_ms),
        aesi=r.special_interest,
        awareness_correction=r.awareness_reason,
        sent_at=sent_at,
        follow_up_reports=max(0, reports - 1),
        first_awareness=first_awareness,
        first_recorded=first_recorded,
    )


def _earliest_awareness(rows: Iterable[Any]) -> float | None:
    return min((from_ms(r.awareness_ms) for r in rows if r.awareness_ms is not None), default=None)


def _first_recorded(rows: Iterable[Any]) -> float | None:
    """When the event's first version was recorded (the earliest any version was)."""
    return min((from_ms(r.reported_ms) for r in rows if r.reported_ms is not None), default=None)


def _first_reports(conn: Connection, events: Iterable[int]) -> dict[int, tuple[float, int]]:
    """Each event's first report to the sponsor (its time) and how many reports it has in all."""
    rc = t.adverse_event_report.c
    wanted = list(events)
    if not wanted:
        return {}
    rows = conn.execute(
        select(rc.event_id, func.min(rc.sent_ms), func.count())
        .where(rc.event_id.in_(wanted))
        .group_by(rc.event_id)
    )
    return {int(e): (from_ms(ms), int(n)) for e, ms, n in rows}


def event_history(conn: Connection, any_id: int) -> list[AdverseEventVersion]:
    """Every version of the event the row `any_id` belongs to, oldest first."""
    c = t.adverse_event.c
    row = conn.execute(select(c.id, c.event_id).where(c.id == any_id)).first()
    if row is None:
        return []
    event = int(row.event_id if row.event_id is not None else row.id)
    rows = conn.execute(
        select(t.adverse_event).where(or_(c.id == event, c.event_id == event)).order_by(c.version)
    ).all()
    sent = _first_reports(conn, [event]).get(event)
    first = _earliest_awareness(rows)
    recorded = _first_recorded(rows)
    return [version_of(r, sent, first, recorded) for r in rows]


def latest_version(conn: Connection, any_id: int) -> AdverseEventVersion | None:
    history = event_history(conn, any_id)
    return history[-1] if history else None


def patient_histories(conn: Connection, patient: PatientRef) -> list[list[AdverseEventVersion]]:
    """Every version of each of the patient's events, oldest first, the events in the order they
    were first recorded."""
    c = t.adverse_event.c
    rows = conn.execute(
        select(t.adverse_event).where(c.patient_ref == ref_text(patient)).order_by(c.reported_ms, c.id)
    ).all()
    by_event: dict[int, list[Any]] = {}
    for r in rows:
        by_event.setdefault(int(r.event_id if r.event_id is not None else r.id), []).append(r)
    sent = _first_reports(conn, by_event)
    return [
        [
            version_of(r, sent.get(event), _earliest_awareness(versions), _first_recorded(versions))
            for r in sorted(versions, key=lambda r: int(r.version or 1))
        ]
        for event, versions in sorted(by_event.items())
    ]


def patient_events(conn: Connection, patient: PatientRef) -> list[tuple[AdverseEventVersion, int]]:
    """The patient's events, each as its latest version with how many versions it has."""
    return [(history[-1], len(history)) for history in patient_histories(conn, patient)]


def susar_when_first_reported(conn: Connection, history: list[AdverseEventVersion]) -> bool | None:
    """The SUSAR flag of the version the first report to the sponsor sent (None: not reported, or
    not derivable then)."""
    rc = t.adverse_event_report.c
    version = conn.execute(
        select(rc.version).where(rc.event_id == history[0].event_id).order_by(rc.sent_ms, rc.id).limit(1)
    ).scalar()
    sent = next((h for h in history if h.version == version), None)
    return None if sent is None else sent.susar.value


def signers(conn: Connection, patient: PatientRef) -> dict[int, str]:
    """Each version's (row id's) signer's role, from its signed safety-log entry: who recorded a
    version, as what, is what the signature says (a version's assessor may be carried from an
    earlier one). A version whose entry was not signed has none."""
    c = t.safety_log.c
    rows = conn.execute(
        select(c.payload).where(c.kind == "adverse_event.recorded", c.patient_ref == ref_text(patient))
    ).all()
    out: dict[int, str] = {}
    for (payload,) in rows:
        p = json.loads(payload)
        role = (p.get("signature") or {}).get("role")
        if isinstance(p.get("id"), int) and role:
            out[p["id"]] = str(role)
    return out


def listing(conn: Connection, patient: PatientRef, dose_of: dict[int, int]) -> list[ListedAdverseEvent]:
    """The patient's events for the review and the report: the latest version of each with what
    every version said (`dose_of`: episode id → dose number), in the order they were first recorded."""
    roles = signers(conn, patient)
    return [
        ListedAdverseEvent(
            latest=history[-1],
            versions=len(history),
            dose=None if history[-1].episode_id is None else dose_of.get(history[-1].episode_id),
            history=history_of(history, dose_of, roles),
            susar_at_first_report=susar_when_first_reported(conn, history),
        )
        for history in patient_histories(conn, patient)
    ]
