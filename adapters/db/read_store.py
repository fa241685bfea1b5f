"""The read side: implements bedside.ports.SeriesStore over the same tables ingest writes."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Connection, Engine, func, inspect, select

from adapters.db import schema as t
from bedside.adt import attached_intervals
from bedside.chunks import CHUNK_MS, CHUNK_SECONDS, chunk_start_ms, decode_grid, min_max_envelope, samples
from bedside.clock import from_ms, to_ms
from bedside.feeds import FeedActivity
from bedside.model import Patient, PatientRef, Series, SeriesKey, SeriesWindow


class SqlSeriesStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def schema_ready(self) -> bool:
        """False until ingest (or `bedside-cli db upgrade`) has created the tables."""
        return inspect(self._engine).has_table("series")

    def patients(self) -> Sequence[Patient]:
        stmt = select(
            t.patient.c.identifier,
            t.patient.c.authority,
            t.patient.c.family_name,
            t.patient.c.given_name,
            t.patient.c.bed,
        ).order_by(t.patient.c.updated_ms.desc(), t.patient.c.id.desc())
        with self._engine.connect() as conn:
            return [Patient(PatientRef(r[0], r[1]), r[2], r[3], r[4]) for r in conn.execute(stmt)]

    def series_for(self, patient: PatientRef, parameters: Sequence[str] | None = None) -> Sequence[Series]:
        """The patient's series: those stored for the patient (labs-like, imported), and the series
        of every device bound to a bed while the patient was in it, clipped to those intervals."""
        s = t.series.c
        ref = str(patient)
        with self._engine.connect() as conn:
            attached = attached_devices(conn, ref)
            stmt = select(s.id, s.patient_ref, s.parameter, s.unit, s.device, s.instance).where(
                (s.patient_ref == ref) | ((s.patient_ref == "") & s.device.in_(list(attached)))
            )
            if parameters is not None:
                stmt = stmt.where(s.parameter.in_(list(parameters)))
            out = []
            for sid, owner, parameter, unit, device, instance in conn.execute(stmt.order_by(s.id)):
                key = SeriesKey(patient, parameter, unit, device, instance)
                clip = None if owner == ref else tuple(attached[device])
                out.append(Series(int(sid), key, clip))
            return out

    def window(self, series: Series, start: float, end: float) -> SeriesWindow:
        return self.windows([series], start, end)[0]

    def windows(self, series: Sequence[Series], start: float, end: float) -> list[SeriesWindow]:
        """Values with start <= t <= end for several series in two queries.

        Rows are read before chunks: a compaction in between can then only make a value appear in
        both (harmless, it lands in the same slot), never in neither.
        """
        if not series:
            return []
        lo, hi = to_ms(start), to_ms(end)
        ids = [s.id for s in series]
        c = t.series_chunk.c
        with self._engine.connect() as conn:
            hot = self._read_rows(conn, ids, lo, hi)
            chunks = conn.execute(
                select(c.series_id, c.start_ms, c.grid).where(
                    c.series_id.in_(ids), c.start_ms >= chunk_start_ms(lo), c.start_ms <= hi
                )
            ).all()
        first = chunk_start_ms(lo)
        n_chunks = (chunk_start_ms(hi) - first) // CHUNK_MS + 1
        index = {sid: i for i, sid in enumerate(ids)}
        dense = np.full((len(ids), n_chunks * CHUNK_SECONDS), np.nan, dtype=np.float32)
        for sid, start_ms, grid in chunks:
            k = (int(start_ms) - first) // CHUNK_MS
            dense[index[int(sid)], k * CHUNK_SECONDS : (k + 1) * CHUNK_SECONDS] = decode_grid(bytes(grid))
        if hot:
            rows = np.array(hot, dtype=np.float64)
            slots = ((rows[:, 1].astype(np.int64) - first) // 1000).astype(np.int64)
            which = np.array([index[int(x)] for x in rows[:, 0]], dtype=np.int64)
            dense[which, slots] = rows[:, 2].astype(np.float32)  # in row order: the newest wins
        out = []
        for s in series:
            times, values = samples(first, dense[index[s.id]], lo, hi)
            if s.attached is not None:
                keep = s.clip(times)
                times, values = times[keep], values[keep]
            out.append(SeriesWindow(s, times, values))
        return out

    def _read_rows(self, conn: Connection, ids: list[int], lo: int, hi: int) -> list:
        o = t.observation.c
        # Plain tuples: numpy probing SQLAlchemy Row objects for array attributes costs 3 µs a row.
        return [
            tuple(r)
            for r in conn.execute(
                select(o.series_id, o.observed_ms, o.value)
                .where(o.series_id.in_(ids), o.observed_ms >= lo, o.observed_ms <= hi)
                .order_by(o.id)
            )
        ]

    def envelope(
        self, series: Series, start: float, end: float, bins: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Min/max per bin for zoomed-out views (two points per pixel column)."""
        w = self.window(series, start, end)
        return min_max_envelope(w.times, w.values, start, end, bins)

    def feed_activity(self) -> Sequence[FeedActivity]:
        f = t.feed.c
        with self._engine.connect() as conn:
            rows = conn.execute(select(f.sender, f.last_received_ms, f.last_observed_ms, f.messages)).all()
        return [
            FeedActivity(r[0], from_ms(r[1]), from_ms(r[2]) if r[2] is not None else None, int(r[3]))
            for r in rows
        ]

    def alerting_status(self, patient: PatientRef | None) -> tuple[float | None, str, list[dict], list[dict]]:
        """(the rule engine's last heartbeat, its rule set, the patient's open alerts newest first, the
        patient's doses)."""
        a = t.alert.c
        e = t.infusion_episode.c
        doses: list[dict] = []
        with self._engine.connect() as conn:
            beat = conn.execute(
                select(t.alerting_heartbeat.c.beat_ms, t.alerting_heartbeat.c.ruleset)
            ).first()
            alerts = []
            if patient is not None:
                rows = conn.execute(
                    select(
                        a.id, a.rule_id, a.title, a.severity, a.state, a.fired_ms, a.message, a.escalated_ms
                    )
                    .where(a.patient_ref == str(patient), a.state != "resolved")
                    .order_by(a.fired_ms.desc())
                ).all()
                doses = [
                    {
                        "dose": int(r.dose_number),
                        "start": from_ms(r.start_ms),
                        "end": None if r.end_ms is None else from_ms(r.end_ms),
                        "state": r.state,
                        "source": r.start_source,
                    }
                    for r in conn.execute(
                        select(e.dose_number, e.start_ms, e.end_ms, e.state, e.start_source)
                        .where(e.patient_ref == str(patient), e.state != "cancelled")
                        .order_by(e.start_ms)
                    )
                ]
                alerts = [
                    {
                        "id": int(r.id),
                        "rule_id": r.rule_id,
                        "title": r.title,
                        "severity": r.severity,
                        "state": r.state,
                        "fired_at": from_ms(r.fired_ms),
                        "message": r.message,
                        "escalated": r.escalated_ms is not None,
                    }
                    for r in rows
                ]
        if beat is None:
            return None, "", alerts, doses
        return from_ms(beat[0]), beat[1], alerts, doses

    def last_ingest_heartbeat(self) -> float | None:
        with self._engine.connect() as conn:
            value = conn.execute(select(func.max(t.ingest_heartbeat.c.beat_ms))).scalar_one_or_none()
        return from_ms(value) if value is not None else None


def attached_devices(conn: Connection, patient_ref: str) -> dict[str, list[tuple[float, float]]]:
    """Per device, when its values were this patient's: device bound to a bed × patient in that bed."""
    stays = [
        (bed, from_ms(a), from_ms(b) if b is not None else math.inf)
        for bed, a, b in conn.execute(
            select(t.bed_stay.c.bed, t.bed_stay.c.from_ms, t.bed_stay.c.to_ms).where(
                t.bed_stay.c.patient_ref == patient_ref, t.bed_stay.c.cancelled.is_(False)
            )
        )
    ]
    if not stays:
        return {}
    b = t.device_binding.c
    bindings = [
        (device, bed, from_ms(a), from_ms(z) if z is not None else math.inf)
        for device, bed, a, z in conn.execute(
            select(b.device, b.bed, b.from_ms, b.to_ms).where(b.bed.in_({st[0] for st in stays}))
        )
    ]
    return attached_intervals(stays, bindings)
