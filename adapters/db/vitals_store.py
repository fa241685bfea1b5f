"""Vital signs entered by hand: stored as ordinary observations of `manual` series, with their
safety-log entry, in one transaction. The CLI and the nurse's screen both call `record_vitals`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bedside_adapters.db import raw
from bedside_adapters.db import schema as t
from bedside_adapters.db.safety_store import append
from bedside_adapters.db.streams import stream_of
from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from bedside.clock import to_ms
from bedside.model import PatientRef
from bedside.vitals import MANUAL_DEVICE, ManualValue, RecordVitals, VitalsError, describe, validate

KIND = "vitals.recorded"


@dataclass(frozen=True)
class StoredVitals:
    patient: str
    at: float
    by: str
    values: tuple[ManualValue, ...]
    series_ids: tuple[int, ...]
    """Per value, in order: the series it went into."""
    log_seq: int

    def as_json(self) -> dict[str, Any]:
        at_ms = to_ms(self.at)
        return {
            "patient": self.patient,
            "at": self.at,
            "by": self.by,
            "values": [
                {**asdict(v), "series_id": sid, "observation": f"obs:{sid}:{at_ms}"}
                for v, sid in zip(self.values, self.series_ids, strict=True)
            ],
            "safety_log_seq": self.log_seq,
        }

    def text(self) -> str:
        return describe(self.values)


def find_patient(conn: Connection, text: str) -> tuple[int, str] | None:
    """(id, reference) of the stored patient an MRN or MRN^AUTHORITY names; None when unknown.
    An MRN known under several authorities is refused: the values must not land on the wrong one."""
    p = t.patient.c
    mrn, caret, authority = text.strip().partition("^")
    where = [p.identifier == mrn] + ([p.authority == authority] if caret else [])
    rows = conn.execute(select(p.id, p.identifier, p.authority).where(*where)).all()
    if len(rows) > 1:
        raise VitalsError(f"{mrn} is known under several authorities: give MRN^AUTHORITY")
    if not rows:
        return None
    return int(rows[0][0]), str(PatientRef(rows[0][1], rows[0][2]))


def record_vitals(engine: Engine, cmd: RecordVitals, now: float) -> StoredVitals:
    """Validate and store `cmd` (VitalsError when it cannot be stored: nothing is written then)."""
    with engine.begin() as conn:
        found = find_patient(conn, cmd.patient)
        values = validate(cmd, now, None if found is None else found[1])
        assert found is not None
        patient_id, ref = found
        series_ids = [_series(conn, ref, patient_id, v) for v in values]
        at_ms, now_ms, stream = to_ms(cmd.at), to_ms(now), stream_of(MANUAL_DEVICE)
        cur = raw.cursor(conn)
        cur.executemany(
            raw.sql(
                conn,
                "INSERT INTO observation (series_id, observed_ms, received_ms, value, status, message_id, "
                "stream) VALUES (?, ?, ?, ?, ?, NULL, ?)",
            ),
            [(sid, at_ms, now_ms, v.value, "F", stream) for sid, v in zip(series_ids, values, strict=True)],
        )
        payload = {
            "observed_at": cmd.at,
            "values": {v.parameter: v.value for v in values},
            "units": {v.parameter: v.unit for v in values},
            "temp_site": next((v.instance for v in values if v.parameter.startswith("temp")), None),
            "mean_computed": any(v.computed for v in values),
            "observations": [f"obs:{sid}:{at_ms}" for sid in series_ids],
            "text": describe(values),
        }
        seq = append(conn, KIND, cmd.by.strip(), payload, now, ref)
    return StoredVitals(ref, cmd.at, cmd.by.strip(), values, tuple(series_ids), seq)


def _series(conn: Connection, ref: str, patient_id: int, v: ManualValue) -> int:
    """The id of the patient's manual series for `v`, created when missing. Owned by the patient
    (patient_ref set), so the readers take it whole, never clipped to a bed stay."""
    c = t.series.c
    identity = {
        "patient_ref": ref,
        "parameter": v.parameter,
        "unit": v.unit,
        "device": MANUAL_DEVICE,
        "instance": v.instance,
    }
    upsert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(
        upsert(t.series)
        .values(patient_id=patient_id, **identity)
        .on_conflict_do_nothing(index_elements=[c.patient_ref, c.parameter, c.unit, c.device, c.instance])
    )
    return int(
        conn.execute(select(c.id).where(*(getattr(c, k) == val for k, val in identity.items()))).scalar_one()
    )
