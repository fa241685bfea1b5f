"""Co-medication rows (table `co_medication`): written by ingest for RAS^O17 / RDE^O11 messages and
by the clinician's handler through the unit of work; read by the review, the course and the trial's
export (`administrations`)."""

from __future__ import annotations

from collections.abc import Iterable

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_of, ref_text
from sqlalchemy import Connection, Engine, RowMapping, insert, select

from bedside.clock import to_ms
from bedside.co_medication import DrugClass, MedicationAdministration, Source
from bedside.model import PatientRef

_C = t.co_medication.c
REF_KEPT = 170
"""Characters of a reference the column keeps (its width): a longer one is stored and looked up cut."""


def insert_administrations(
    conn: Connection,
    administrations: Iterable[MedicationAdministration],
    recorded_at: float,
    *,
    message_id: int | None = None,
    entered_by: str = "",
) -> list[int]:
    """Store each administration as one row in the caller's transaction; returns the new ids."""
    ids = []
    for a in administrations:
        row = {
            "patient_ref": "" if a.patient is None else ref_text(a.patient)[:REF_KEPT],
            "message_id": message_id,
            "drug": a.label[:200],
            "drug_class": a.drug_class.value,
            "code": a.code[:60],
            "code_system": a.code_system[:40],
            "dose": a.dose,
            "unit": a.unit[:40],
            "dose_as_sent": a.dose_as_sent[:80],
            "route": a.route[:40],
            "start_ms": to_ms(a.start),
            "end_ms": to_ms(a.end) if a.end is not None else None,
            "source": a.source.value,
            "source_id": a.source_id[:200],
            "status": a.status[:10],
            "entered_by": entered_by[:120],
            "recorded_ms": to_ms(recorded_at),
        }
        ids.append(int(conn.execute(insert(t.co_medication).values(**row).returning(_C.id)).scalar_one()))
    return ids


def administrations(
    conn: Connection,
    patient: PatientRef | None = None,
    since_ms: int | None = None,
    until_ms: int | None = None,
) -> list[MedicationAdministration]:
    """The co-medication of one patient (None: every patient) that starts in [since_ms, until_ms]
    (epoch ms, either bound None for open), or that started earlier and is still running at
    since_ms, in order of start. Times come back as epoch seconds.

    Each row says where it came from: `source` ("ras" eMAR administration, "rde" pharmacy order,
    "entered" by a clinician), `source_id` (MSH-10 / order id, or the clinician's username) and
    `status` ("given", or "ordered" for an order not confirmed as given)."""
    q = select(t.co_medication)
    if patient is not None:
        q = q.where(_C.patient_ref == ref_text(patient)[:REF_KEPT])
    if until_ms is not None:
        q = q.where(_C.start_ms <= until_ms)
    if since_ms is not None:
        q = q.where((_C.start_ms >= since_ms) | (_C.end_ms >= since_ms))
    rows = conn.execute(q.order_by(_C.start_ms, _C.id)).mappings()
    return [_administration(r) for r in rows]


def administrations_of(engine: Engine, patient: PatientRef) -> list[MedicationAdministration]:
    """The patient's whole co-medication, in order of start (`administrations` on a connection of its
    own)."""
    with engine.connect() as conn:
        return administrations(conn, patient)


def _administration(r: RowMapping) -> MedicationAdministration:
    try:
        drug_class = DrugClass(r["drug_class"])
    except ValueError:
        drug_class = DrugClass.OTHER
    return MedicationAdministration(
        id=int(r["id"]),
        patient=ref_of(r["patient_ref"]) if r["patient_ref"] else None,
        drug=r["drug"],
        drug_class=drug_class,
        start=r["start_ms"] / 1000.0,
        end=r["end_ms"] / 1000.0 if r["end_ms"] is not None else None,
        dose=r["dose"],
        unit=r["unit"],
        route=r["route"],
        code=r["code"],
        code_system=r["code_system"],
        source=Source(r["source"]),
        source_id=r["source_id"],
        dose_as_sent=r["dose_as_sent"],
        status=r["status"],
    )
