"""What the rule engine reads of a patient besides device values, from the database: lab results,
what clinicians documented (adverse events, signed checks' findings, a recorded death), and the alarms
and vasopressor pump labels of the devices that were the patient's. The alerting loader
(`bedside_adapters.alerting.loader`) decides the time ranges and fills device values itself."""

from __future__ import annotations

import json

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_text
from bedside_adapters.db.read_store import attached_devices
from sqlalchemy import Connection, Engine, select

from bedside.clock import from_ms, to_ms
from bedside.model import PatientRef
from bedside.rules.data import AlarmPoint, Documented, DrugStart, LabPoint, PatientData, upper_limit


def load_events(
    engine: Engine,
    data: PatientData,
    patient: PatientRef,
    analytes: set[str],
    lo: float,
    hi: float,
    drug_rules: bool,
) -> None:
    """Fill `data` for [lo, hi]: labs of `analytes` from 3 days before `lo` (pre-dose baselines),
    what was documented, and device alarms and pump labels from 6 h before (with, when `drug_rules`,
    the label each pump showed when the range began)."""
    # What feeds brought is kept under the reference as sent (`str`); what clinicians entered, under
    # the reference the handlers resolved (`ref_text`): the two differ only for a patient no
    # authority was sent for.
    with engine.connect() as conn:
        _labs(conn, data, str(patient), analytes, lo - 72 * 3600.0, hi)
        _documented(conn, data, ref_text(patient), lo, hi)
        devices = attached_devices(conn, patient)
        if devices:
            _device_events(conn, data, devices, lo - 6 * 3600.0, hi, drug_rules)


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
