"""What the review screen, the cohort and the report read, and the course events clinicians enter."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
from bedside_adapters.db import adverse_store, co_medication_store
from bedside_adapters.db import schema as t
from bedside_adapters.db.alert_store import alert_of
from bedside_adapters.db.death_sae_store import death_awareness
from bedside_adapters.db.numeric_streams import NumericStreams
from bedside_adapters.db.outcome_store import load_outcome_set
from bedside_adapters.db.patient_match import MrnQuery, ref_of, ref_text
from bedside_adapters.db.read_store import SqlSeriesStore, load_doses
from bedside_adapters.db.safety_store import head_key, log_listing
from bedside_adapters.db.severity_store import load_severity
from sqlalchemy import Connection, Engine, func, select

from bedside.chunks import CHUNK_MS, decode_grid, samples
from bedside.clock import from_ms, to_ms
from bedside.model import Patient, PatientRef, Series
from bedside.review import DAY, STUDY_LABS, CohortRow, CourseEvent, Samples, cohort_row, outcomes, pf_samples
from bedside.review_data import ReviewData, dose_rows

VENT_PARAMETERS = ("fio2_set", "fio2", "peep_set", "peep", "ppeak", "vt_exp", "vent_rr")
COVERAGE_STREAMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Heart rate", ("hr",)),
    ("SpO2", ("spo2",)),
    ("Arterial BP", ("abp_sys",)),
    ("Temperature", ("temp", "temp_peripheral")),
    ("Ventilator", ("ppeak",)),
    ("FiO2", ("fio2_set", "fio2")),
)
LAB_KEYS = (*STUDY_LABS, "pao2")


def treated_patients(engine: Engine) -> list[PatientRef]:
    """Every patient with at least one dose that was not entered in error, in order of their first."""
    e = t.infusion_episode.c
    with engine.connect() as conn:
        return [
            ref_of(r[0])
            for r in conn.execute(
                select(e.patient_ref)
                .where(e.state != "cancelled")
                .group_by(e.patient_ref)
                .order_by(func.min(e.start_ms))
            )
        ]


def chain_head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(select(t.safety_log_head.c.seq, t.safety_log_head.c.hash)).first()
    return None if row is None else (int(row[0]), str(row[1]))


def load_review(engine: Engine, ref: PatientRef, now: float) -> ReviewData:
    """The review of the patient (as the record resolved them, or as a feed sent them)."""
    store = SqlSeriesStore(engine)
    # What feeds brought is kept under the reference as sent (`sent`); what was recorded about the
    # patient's doses, alerts and clinicians' entries, under the reference the record resolved
    # (`patient_ref`): the two differ only for a patient no authority was sent for.
    sent, patient_ref = str(ref), ref_text(ref)
    patient = next((p for p in store.patients() if p.ref == ref), Patient(ref))
    with engine.connect() as conn:
        doses = load_doses(conn, ref)
        c = t.lab_result.c
        labs: dict[str, list[tuple[float, float]]] = {}
        for r in conn.execute(
            select(c.analyte, c.observed_ms, c.value).where(
                c.patient_ref == sent,
                c.current.is_(True),
                c.retracted.is_(False),
                c.analyte.in_(LAB_KEYS),
                c.value.is_not(None),
                c.comparator == "",
            )
        ):
            labs.setdefault(r.analyte, []).append((from_ms(r.observed_ms), float(r.value)))
        a = t.alert.c
        alerts = [
            alert_of(r)
            for r in conn.execute(select(t.alert).where(a.patient_ref == patient_ref).order_by(a.fired_ms))
        ]
        adverse = adverse_store.listing(conn, ref, {d.id: d.dose for d in doses})
        ce = t.course_event.c
        events = [
            CourseEvent(r.kind, from_ms(r.at_ms), r.text, r.entered_by, r.source)
            for r in conn.execute(
                select(t.course_event).where(ce.patient_ref == patient_ref).order_by(ce.entered_ms)
            )
        ]
        s = t.bed_stay.c
        stays = conn.execute(
            select(s.to_ms).where(s.patient_ref == sent, s.cancelled.is_(False)).order_by(s.from_ms)
        ).all()
        adt_discharge = from_ms(stays[-1][0]) if stays and stays[-1][0] is not None else None
        head = chain_head(conn)
        key = head_key(conn)
        beat = conn.execute(select(t.alerting_heartbeat.c.ruleset)).first()
        used = conn.execute(
            select(a.ruleset).where(a.patient_ref == patient_ref).order_by(a.raised_ms.desc()).limit(1)
        ).first()
        log = t.safety_log.c
        loaded = conn.execute(
            select(log.payload).where(log.kind == "ruleset.loaded").order_by(log.seq.desc()).limit(1)
        ).first()
    # The rule set the alerts were raised under; else the one the engine runs now.
    ruleset = used[0] if used else (beat[0] if beat else _ruleset_of(loaded[0]) if loaded else "")
    lo = (doses[0].start - 3 * DAY) if doses else now - 14 * DAY
    numeric = NumericStreams(store, ref, ("hr", "spo2", "abp_sys", "temp", *VENT_PARAMETERS), lo, now)
    series, stream = numeric.series, numeric.first

    streams = {k: Samples.of(v) for k, v in labs.items()}
    streams["fio2"] = stream("fio2_set", "fio2")
    streams["peep"] = stream("peep_set", "peep")
    streams["pf"] = pf_samples(streams.get("pao2", Samples()), streams["fio2"])
    coverage_times = {name: stream(*params).times for name, params in COVERAGE_STREAMS}
    coverage_times["Blood gases (PaO2)"] = streams.get("pao2", Samples()).times
    coverage_times["Daily labs (CRP)"] = streams.get("crp", Samples()).times
    vent = [stream(p).times for p in VENT_PARAMETERS if len(stream(p))]
    vent_times = np.concatenate(vent) if vent else np.empty(0)
    monitor = stream("hr").times
    with engine.connect() as conn:
        first_vent = first_value_time(conn, [x for x in series if x.key.parameter in VENT_PARAMETERS])
    outcome = outcomes(
        events,
        first_vent,
        vent_times,
        float(monitor.max()) if monitor.size else None,
        doses[0].start if doses else None,
        adt_discharge,
        max(
            [float(x.times.max()) for x in streams.values() if len(x)]
            + ([float(monitor.max())] if monitor.size else []),
            default=None,
        ),
    )
    with engine.connect() as conn:
        outcome_set = load_outcome_set(conn, ref, outcome, events, doses, now)
        # The death's day 0 as the SAE clock reads it (never only the log's first entry): one source
        # for the review's and the report's death line, the nurse's screen and `adverse-events`.
        aware_of_death = death_awareness(conn, ref)
        co_medication = co_medication_store.administrations(conn, ref)
    # The review's kinds, and every signed entry (a signed co-medication too): the report's
    # electronic signatures table lists each signature given for the patient.
    log = [
        e
        for e in log_listing(engine, MrnQuery.of(ref))
        if e["kind"].split(".")[0] in ("alert", "adverse_event", "episode", "course", "check")
        or "signature" in e["payload"]
    ]
    return ReviewData(
        patient,
        now,
        doses,
        streams,
        coverage_times,
        alerts,
        adverse,
        events,
        outcome,
        ruleset,
        head,
        [ev for ev in events if ev.kind == "radiology"],
        log,
        key,
        severity=load_severity(engine, ref, now, doses),
        outcome_set=outcome_set,
        co_medication=co_medication,
        death_awareness=aware_of_death,
    )


def first_value_time(conn: Connection, series: Sequence[Series]) -> float | None:
    """The time of the first value of any of these series in the whole record (the review loads a
    few days around the doses; days on the ventilator before the first dose count from the first).
    A device's series counts from when the device was at the patient's bed."""
    found: list[float] = []
    o, c = t.observation.c, t.series_chunk.c
    for one in series:
        since_ms = 0 if one.attached is None else to_ms(min((a for a, _ in one.attached), default=0.0))
        raw = conn.execute(
            select(func.min(o.observed_ms)).where(o.series_id == one.id, o.observed_ms >= since_ms)
        ).scalar()
        if raw is not None:
            found.append(from_ms(int(raw)))
        chunks = conn.execute(
            select(c.start_ms, c.grid)
            .where(c.series_id == one.id, c.count > 0, c.start_ms + CHUNK_MS > since_ms)
            .order_by(c.start_ms)
            .limit(2)
        )
        for chunk in chunks:
            times, _values = samples(
                int(chunk.start_ms), decode_grid(chunk.grid), since_ms, int(chunk.start_ms) + CHUNK_MS
            )
            if times.size:
                found.append(float(times[0]))
                break
    return min(found) if found else None


def first_value_time_of(engine: Engine, series: Sequence[Series]) -> float | None:
    """`first_value_time` on a connection of its own."""
    with engine.connect() as conn:
        return first_value_time(conn, series)


def _ruleset_of(payload: str) -> str:
    """The rule set a `ruleset.loaded` entry names."""
    try:
        d = json.loads(payload)
    except ValueError:
        return ""
    return str(d.get("ruleset", ""))


def cohort(engine: Engine, now: float) -> list[CohortRow]:
    """The cohort's rows: one per treated patient with a dose, read as each patient's review is."""
    rows = []
    for ref in treated_patients(engine):
        data = load_review(engine, ref, now)
        if not data.doses:
            continue
        first = data.doses[0]
        rows.append(
            cohort_row(
                ref,
                data.patient.display_name,
                len(data.doses),
                data.outcomes,
                [ae.latest.grade for ae in data.adverse_events],
                dose_rows(data, first),
                now,
            )
        )
    return rows
