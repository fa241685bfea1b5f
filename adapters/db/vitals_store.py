"""Vital signs entered by hand, stored as ordinary observations of the patient's `manual` series (what
to store, and its safety-log entry, is decided in `bedside.handlers.vitals`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from bedside_adapters.db import raw
from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_text
from bedside_adapters.db.streams import stream_of
from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from bedside.chunks import decode_grid
from bedside.clock import from_ms, to_ms
from bedside.model import PatientRef
from bedside.vitals import MANUAL_DEVICE, ManualValue


def store_manual_values(
    conn: Connection, patient: PatientRef, values: Sequence[ManualValue], at: float, now: float
) -> tuple[int, ...]:
    """Each value as an observation at `at` (received `now`) of the patient's manual series for it
    (kept under the reference the record resolved, `ref_text`); returns the series ids in the order
    of `values`."""
    p = t.patient.c
    patient_id = int(
        conn.execute(
            select(p.id).where(p.identifier == patient.identifier, p.authority == patient.authority)
        ).scalar_one()
    )
    series_ids = [_series(conn, ref_text(patient), patient_id, v) for v in values]
    at_ms, now_ms, stream = to_ms(at), to_ms(now), stream_of(MANUAL_DEVICE)
    cur = raw.cursor(conn)
    cur.executemany(
        raw.sql(
            conn,
            "INSERT INTO observation (series_id, observed_ms, received_ms, value, status, message_id, "
            "stream) VALUES (?, ?, ?, ?, ?, NULL, ?)",
        ),
        [(sid, at_ms, now_ms, v.value, "F", stream) for sid, v in zip(series_ids, values, strict=True)],
    )
    return tuple(series_ids)


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


def last_manual_time(conn: Connection, patient: PatientRef) -> float | None:
    """When the patient's latest hand-entered value was taken (None when none): the newest of the
    staging rows and of the hour chunks the compactor folded them into (a chunk's last present slot)."""
    s, o, k = t.series.c, t.observation.c, t.series_chunk.c
    manual = select(s.id).where(s.patient_ref == ref_text(patient), s.device == MANUAL_DEVICE)
    staged = conn.execute(select(func.max(o.observed_ms)).where(o.series_id.in_(manual))).scalar()
    newest = None if staged is None else from_ms(staged)
    for start_ms, blob in conn.execute(
        select(k.start_ms, k.grid).where(k.series_id.in_(manual), k.count > 0).order_by(k.start_ms.desc())
    ):
        present = np.flatnonzero(np.isfinite(decode_grid(blob)))
        if present.size:
            at = from_ms(start_ms) + float(present[-1])
            if newest is None or at > newest:
                newest = at
            break  # the newest chunk with a value holds the newest value of the chunks
    return newest
