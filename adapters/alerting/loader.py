"""Fill the rule engine's `PatientData` for one patient and time range from the database."""

from __future__ import annotations

import json

import numpy as np
from bedside_adapters.db import schema as t
from bedside_adapters.db.read_store import SqlSeriesStore, attached_devices
from sqlalchemy import Connection, Engine, select

from bedside.clock import from_ms, to_ms
from bedside.model import PatientRef
from bedside.rules.data import AlarmPoint, Documented, DrugStart, LabPoint, PatientData, Samples, upper_limit
from bedside.rules.ruleset import RuleSet
from bedside.rules.vasopressors import PUMP_PARAMETERS


def patient_ref_of(text: str) -> PatientRef:
    mrn, _, authority = text.partition("^")
    return PatientRef(mrn, authority)


def load_patient_data(
    engine: Engine,
    rules: RuleSet,
    patient: str,
    lo: float,
    hi: float,
    cached: tuple[float, PatientData] | None = None,
    events_changed: bool = True,
) -> PatientData:
    """Device values in [lo, hi] for every parameter the rule set's signals use, lab results from 3 days
    before (pre-dose baselines), device alarms and vasopressor pump labels of the patient's devices.

    `cached` = (until, data) from an earlier call with the same `lo`: device values before `until`
    are taken from it and only newer ones are read (the live engine evaluates a patient every minute;
    re-reading hours of values each time would cost more than the rules themselves). Without
    `events_changed` (only device values arrived since), its labs, alarms and drug starts are reused."""
    data = PatientData()
    if cached is not None:
        until, old = cached
        fresh = PatientData()
        _numeric(engine, rules, patient, until, hi, fresh, fio2_lo=until)
        # One array per series, old values before `until` then the fresh ones: the cache must not
        # grow a piece per evaluation (a day of minutes would be 1,440 pieces per parameter).
        for parameter in set(old.parameters) | set(fresh.parameters):
            pieces: dict[int, list[Samples]] = {}
            for part in old.parameters.get(parameter, []):
                keep = part.times < until
                pieces.setdefault(part.series_id, []).append(
                    Samples(part.series_id, part.times[keep], part.values[keep], part.device, part.channel)
                )
            for part in fresh.parameters.get(parameter, []):
                pieces.setdefault(part.series_id, []).append(part)
            for sid, parts in pieces.items():
                data.parameters.setdefault(parameter, []).append(
                    Samples(
                        sid,
                        np.concatenate([x.times for x in parts]),
                        np.concatenate([x.values for x in parts]),
                        parts[0].device,
                        parts[0].channel,
                    )
                )
    else:
        _numeric(engine, rules, patient, lo, hi, data, fio2_lo=lo - 10 * 3600.0)
    if cached is not None and not events_changed:
        old = cached[1]
        data.labs, data.alarms, data.drugs = old.labs, old.alarms, old.drugs
        data.documented = old.documented
        return data
    analytes = {a for r in rules.rules if r.kind == "lab" for a in (r.analyte, *r.analytes)} | {"pao2"}
    with engine.connect() as conn:
        _labs(conn, data, patient, analytes, lo - 72 * 3600.0, hi)
        _documented(conn, data, patient, lo, hi)
        devices = attached_devices(conn, patient)
        if devices:
            drug_rules = any(r.kind == "drug" for r in rules.rules)
            _device_events(conn, data, devices, lo - 6 * 3600.0, hi, drug_rules)
    return data


def _numeric(
    engine: Engine, rules: RuleSet, patient: str, lo: float, hi: float, data: PatientData, fio2_lo: float
) -> None:
    store = SqlSeriesStore(engine)
    wanted = sorted(
        {p for s in rules.signals.values() for p in s.parameters}
        | ({*PUMP_PARAMETERS} if any(r.dose_limits for r in rules.rules) else set())
    )
    series = store.series_for(patient_ref_of(patient), wanted)
    # FiO2 from 12 h before: P/F needs the FiO2 in force at each pre-dose blood gas.
    fio2 = set(rules.signals["fio2"].parameters) if "fio2" in rules.signals else set()
    early = [s for s in series if s.key.parameter in fio2]
    rest = [s for s in series if s.key.parameter not in fio2]
    if fio2_lo == lo:  # the live engine's incremental read: one window, two queries fewer
        windows = store.windows(early + rest, lo, hi)
    else:
        windows = store.windows(early, fio2_lo, hi) + store.windows(rest, lo, hi)
    for w in windows:
        if len(w.times):
            k = w.series.key
            data.add(k.parameter, w.series.id, w.times, w.values, k.device, k.instance)


def _labs(
    conn: Connection, data: PatientData, patient: str, analytes: set[str], lo: float, hi: float
) -> None:
    c = t.lab_result.c
    rows = conn.execute(
        select(c.id, c.analyte, c.value, c.reference_range, c.status, c.observed_ms, c.specimen_condition)
        .where(
            c.patient_ref == patient,
            c.current.is_(True),
            c.retracted.is_(False),
            c.analyte.in_(sorted(analytes)),
            c.value.is_not(None),
            c.comparator == "",
            c.observed_ms >= to_ms(lo),
            c.observed_ms <= to_ms(hi),
        )
        .order_by(c.observed_ms)
    ).all()
    for r in rows:
        data.labs.setdefault(r.analyte, []).append(
            LabPoint(
                int(r.id),
                from_ms(r.observed_ms),
                float(r.value),
                upper_limit(r.reference_range),
                r.status,
                specimen=r.specimen_condition,
            )
        )


def _documented(conn: Connection, data: PatientData, patient: str, lo: float, hi: float) -> None:
    """Adverse events (term and notes, at their onset) and signed checks (their findings): what rules
    of kind "documented" read. Screens write them without telling the engine: the minute's sweep
    reads them (events_changed)."""
    ae = t.adverse_event.c
    for r in conn.execute(
        select(ae.id, ae.term, ae.notes, ae.onset_ms, ae.reported_ms).where(ae.patient_ref == patient)
    ):
        at = from_ms(r.onset_ms if r.onset_ms is not None else r.reported_ms)
        if lo <= at <= hi:
            data.documented.append(Documented(f"adverse:{r.id}", at, f"{r.term}. {r.notes}"))
    log = t.safety_log.c
    for seq, at_ms, payload in conn.execute(
        select(log.seq, log.at_ms, log.payload).where(
            log.patient_ref == patient,
            log.kind == "check.done",
            log.at_ms >= to_ms(lo),
            log.at_ms <= to_ms(hi),
        )
    ):
        try:
            findings = str(json.loads(payload).get("findings", ""))
        except (ValueError, AttributeError):
            continue
        if findings:
            data.documented.append(Documented(f"check:{seq}", from_ms(at_ms), findings))
    # A recorded death reaches the rules (arrest or death within 24 h of a dose is a START event).
    ce = t.course_event.c
    for r in conn.execute(
        select(ce.id, ce.kind, ce.at_ms, ce.text).where(
            ce.patient_ref == patient,
            ce.kind == "death",
            ce.at_ms >= to_ms(lo),
            ce.at_ms <= to_ms(hi),
        )
    ):
        data.documented.append(Documented(f"course:{r.id}", from_ms(r.at_ms), f"death. {r.text}"))


def _device_events(
    conn: Connection,
    data: PatientData,
    devices: dict[str, list[tuple[float, float]]],
    lo: float,
    hi: float,
    drug_rules: bool,
) -> None:
    def attached(device: str, at: float) -> bool:
        return any(a <= at < b for a, b in devices.get(device, ()))

    a = t.device_alarm.c
    for r in conn.execute(
        select(a.id, a.device, a.event_refid, a.event_text, a.at_ms, a.phase).where(
            a.device.in_(list(devices)), a.at_ms >= to_ms(lo), a.at_ms <= to_ms(hi)
        )
    ):
        at = from_ms(r.at_ms)
        if attached(r.device, at) and r.phase.lower() not in ("end", "stop"):
            data.alarms.append(AlarmPoint(int(r.id), at, r.event_refid or r.event_text))
    s = t.device_state.c
    for r in conn.execute(
        select(s.id, s.device, s.value, s.at_ms).where(
            s.device.in_(list(devices)),
            s.state == "pump_drug_label",
            s.at_ms >= to_ms(lo),
            s.at_ms <= to_ms(hi),
        )
    ):
        at = from_ms(r.at_ms)
        if attached(r.device, at):
            data.drugs.append(DrugStart(int(r.id), at, r.value, r.device))
    if not drug_rules:
        return
    # Labels are stored when they change: the one each pump showed when the range began may be older.
    for device in devices:
        r = conn.execute(
            select(s.id, s.value, s.at_ms)
            .where(s.device == device, s.state == "pump_drug_label", s.at_ms < to_ms(lo))
            .order_by(s.at_ms.desc())
            .limit(1)
        ).first()
        if r is not None and any(a <= lo < b for a, b in devices[device]):
            data.drugs.append(DrugStart(int(r.id), from_ms(r.at_ms), r.value, device))
