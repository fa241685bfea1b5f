"""The read side: implements bedside.ports.SeriesStore over the same tables ingest writes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import Engine, func, inspect, select

from adapters.db import schema as t
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
        s = t.series.c
        stmt = select(s.id, s.parameter, s.unit, s.device, s.instance).where(s.patient_ref == str(patient))
        if parameters is not None:
            stmt = stmt.where(s.parameter.in_(list(parameters)))
        with self._engine.connect() as conn:
            return [
                Series(int(r[0]), SeriesKey(patient, r[1], r[2], r[3], r[4]))
                for r in conn.execute(stmt.order_by(s.id))
            ]

    def window(self, series: Series, start: float, end: float) -> SeriesWindow:
        o = t.observation.c
        stmt = (
            select(o.observed_ms, o.value)
            .where(o.series_id == series.id, o.observed_ms >= to_ms(start), o.observed_ms <= to_ms(end))
            .order_by(o.observed_ms)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(stmt).all()
        if not rows:
            empty = np.empty(0, dtype=np.float64)
            return SeriesWindow(series, empty, empty.copy())
        data = np.array(rows, dtype=np.float64)
        return SeriesWindow(series, data[:, 0] / 1000.0, np.ascontiguousarray(data[:, 1]))

    def feed_activity(self) -> Sequence[FeedActivity]:
        f = t.feed.c
        with self._engine.connect() as conn:
            rows = conn.execute(select(f.sender, f.last_received_ms, f.last_observed_ms, f.messages)).all()
        return [
            FeedActivity(r[0], from_ms(r[1]), from_ms(r[2]) if r[2] is not None else None, int(r[3]))
            for r in rows
        ]

    def last_ingest_heartbeat(self) -> float | None:
        with self._engine.connect() as conn:
            value = conn.execute(select(func.max(t.ingest_heartbeat.c.beat_ms))).scalar_one_or_none()
        return from_ms(value) if value is not None else None
