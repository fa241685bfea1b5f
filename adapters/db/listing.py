"""What was stored for a patient, for `bedside-cli observations --patient MRN --json`."""

from __future__ import annotations

import contextlib
from typing import Any

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.streams import UNKNOWN, stream_of
from sqlalchemy import Engine, func, or_, select

from bedside.clock import from_ms
from bedside.i18n import for_machines
from bedside.labs import with_source_precision
from bedside.model import Patient


def patient_listing(engine: Engine, patient: MrnQuery, for_people: bool = False) -> dict[str, Any] | None:
    """The first patient `patient` names (a bare MRN: under any authority); None when nobody.
    `for_people`: the patient's name and location in the language a person reads (the JSON's are
    the same in every language)."""
    store = SqlSeriesStore(engine)
    found = next((p for p in store.patients() if patient.matches(p.ref)), None)
    if found is None:
        return None
    return _listing(engine, store, found, for_people)


def _listing(engine: Engine, store: SqlSeriesStore, patient: Patient, for_people: bool) -> dict[str, Any]:
    ref = str(patient.ref)
    numerics = []
    with engine.connect() as conn:
        for s in store.series_for(patient.ref):
            o, c = t.observation.c, t.series_chunk.c
            row_first, row_last = conn.execute(
                select(func.min(o.observed_ms), func.max(o.observed_ms)).where(
                    o.stream.in_([UNKNOWN, stream_of(s.key.device[:120])]), o.series_id == s.id
                )
            ).one()
            chunk_first, chunk_last = conn.execute(
                select(func.min(c.start_ms), func.max(c.start_ms)).where(c.series_id == s.id)
            ).one()
            starts = [x for x in (row_first, chunk_first) if x is not None]
            ends = [
                x for x in (row_last, None if chunk_last is None else chunk_last + 3_600_000) if x is not None
            ]
            if not starts:
                continue
            window = store.window(s, from_ms(min(starts)), from_ms(max(ends)))
            numerics.append(
                {
                    "parameter": s.key.parameter,
                    "unit": s.key.unit,
                    "device": s.key.device,
                    "instance": s.key.instance,
                    "values": len(window),
                    "first_at": float(window.times[0]) if len(window) else None,
                    "last_at": float(window.times[-1]) if len(window) else None,
                    "last_value": float(window.values[-1]) if len(window) else None,
                }
            )
        lr = t.lab_result.c
        labs = [
            {
                "analyte": r.analyte,
                "code": r.code,
                "code_system": r.code_system,
                "sub_id": r.sub_id,
                # A row stored before conversions kept the lab's precision: same rule as at ingest.
                "value": None if r.value is None else with_source_precision(r.value, r.value_as_sent),
                "comparator": r.comparator,
                "unit": r.unit,
                "value_as_sent": r.value_as_sent,
                "unit_as_sent": r.unit_as_sent,
                "reference_range": r.reference_range,
                "abnormal_flags": r.abnormal_flags,
                "status": r.status,
                "version": r.version,
                "current": bool(r.current),
                "retracted": bool(r.retracted),
                "observed_at": from_ms(r.observed_ms),
                "reported_at": from_ms(r.reported_ms) if r.reported_ms is not None else None,
                "received_at": from_ms(r.received_ms),
                "filler_order": r.filler_order,
                "note": r.note,
            }
            for r in conn.execute(
                select(t.lab_result)
                .where(or_(lr.patient_ref == ref, lr.patient_ref == patient.ref.identifier))
                .order_by(lr.observed_ms, lr.code, lr.version)
            )
        ]
    with contextlib.nullcontext() if for_people else for_machines():  # --json: "ICU · room 12" always
        name, location = patient.display_name, patient.location
    return {
        "patient": {
            "identifier": patient.ref.identifier,
            "authority": patient.ref.authority,
            "name": name,
            "location": location,
        },
        "numerics": numerics,
        "labs": labs,
    }


def episode_listing(engine: Engine, patient: MrnQuery | None = None) -> list[dict[str, Any]]:
    """Candidate infusion episodes from the stored events, per patient (bedside-cli episodes); of
    the patients `patient` names (None: everyone's)."""
    from bedside.infusion import EventKind, EventSource, InfusionEvent, candidate_episodes
    from bedside.model import PatientRef

    e = t.infusion_event.c
    stmt = select(t.infusion_event).order_by(e.at_ms)
    if patient is not None:
        stmt = stmt.where(patient.where(e.patient_ref))
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    events = [
        InfusionEvent(
            patient=PatientRef(*r["patient_ref"].split("^", 1)) if r["patient_ref"] else None,
            source=EventSource(r["source"]),
            kind=EventKind(r["kind"]),
            at=from_ms(r["at_ms"]),
            device=r["device"],
            product=r["product"],
            amount=r["amount"],
            reason=r["reason"],
            order=r["order_id"],
        )
        for r in rows
    ]
    return [
        {
            "patient": str(c.patient) if c.patient else None,
            "source": c.source.value,
            "start": c.start,
            "end": c.end,
            "device": c.device,
            "product": c.product,
            "amount": c.amount,
            "end_reason": c.end_reason,
            "confirmed": False,
        }
        for c in candidate_episodes(events)
    ]


def device_listing(engine: Engine, now: float) -> list[dict[str, Any]]:
    """Every device with its bed binding and the patient its values reach now ("unassigned" when
    nobody is admitted to that bed: its values are kept and attach once ADT covers the time)."""
    b, st = t.device_binding.c, t.bed_stay.c
    now_ms = int(now * 1000)
    out = []
    with engine.connect() as conn:
        for device, bed, start, end in conn.execute(
            select(b.device, b.bed, b.from_ms, b.to_ms).order_by(b.device, b.from_ms)
        ):
            current = end is None or end > now_ms
            patient = None
            if current:
                patient = conn.execute(
                    select(st.patient_ref)
                    .where(
                        st.bed == bed,
                        st.cancelled.is_(False),
                        st.from_ms <= now_ms,
                        (st.to_ms.is_(None)) | (st.to_ms > now_ms),
                    )
                    .order_by(st.from_ms.desc())
                ).scalar()
            out.append(
                {
                    "device": device,
                    "bed": bed,
                    "from": from_ms(start),
                    "to": from_ms(end) if end is not None else None,
                    "current": current,
                    "patient_now": (patient or "unassigned") if current else None,
                }
            )
    return out
