"""What the nurse's buttons write: each a function of the engine, run on the database thread, each
leaving its entry in the safety log (through the stores, in the same transaction)."""

from __future__ import annotations

import time

from bedside_adapters.db import episode_store as es
from bedside_adapters.db.adverse_store import record_adverse_event
from bedside_adapters.db.alert_mute import record_mute
from bedside_adapters.db.alert_store import AlertError, acknowledge
from bedside_adapters.db.safety_store import append
from bedside_adapters.db.vitals_store import StoredVitals
from bedside_adapters.db.vitals_store import record_vitals as store_vitals
from sqlalchemy import Engine

from bedside.vitals import RecordVitals


def ack_alert(engine: Engine, alert_id: int, by: str, comment: str) -> dict:
    return acknowledge(engine, alert_id, by, time.time(), comment)


def ack_alerts(engine: Engine, alert_ids: list[int], by: str, comment: str) -> list[dict]:
    """Several alerts from the Alerts list, each in its own transaction with its own log entry.

    One that can no longer be acknowledged (another screen acknowledged it and it has resolved since)
    is skipped so the others are not lost; only when none was acknowledged is that an error.
    """
    done, refused = [], []
    for alert_id in alert_ids:
        try:
            done.append(acknowledge(engine, alert_id, by, time.time(), comment))
        except AlertError as exc:
            refused.append(str(exc))
    if refused and not done:
        raise AlertError("; ".join(refused))
    return done


def mute_alerts(
    engine: Engine, patient_ref: str, by: str, at: float, until: float, alert_ids: list[int], reason: str
) -> int:
    """`at`, `until`: the screen's clock, the one the mute expires by."""
    return record_mute(engine, patient_ref, by, at, until, alert_ids, reason)


def start_dose(
    engine: Engine,
    patient_ref: str,
    dose: int,
    at: float,
    by: str,
    product: str = "",
    cells_per_kg: float | None = None,
    weight_kg: float | None = None,
    course_doses: int | None = None,
) -> int:
    with engine.begin() as conn:
        ep = es.start_manual(
            conn,
            patient_ref,
            dose,
            at,
            by,
            time.time(),
            product=product,
            cells_per_kg=cells_per_kg,
            weight_kg=weight_kg,
            course_doses=course_doses,
        )
    return ep.id


def stop_dose(engine: Engine, patient_ref: str, dose: int, at: float, by: str) -> int:
    with engine.begin() as conn:
        return es.stop_manual(conn, patient_ref, dose, at, by, time.time()).id


def confirm_dose(engine: Engine, patient_ref: str, dose: int, by: str, at: float | None) -> int:
    with engine.begin() as conn:
        return es.confirm(conn, patient_ref, dose, by, time.time(), at).id


def adverse_event(engine: Engine, patient_ref: str, **fields: object) -> dict:
    with engine.begin() as conn:
        return record_adverse_event(conn, patient_ref, now=time.time(), **fields)  # type: ignore[arg-type]


def sign_check(
    engine: Engine,
    patient_ref: str,
    episode_id: int,
    check: str,
    label: str,
    values: str,
    findings: str,
    by: str,
) -> None:
    payload = {"check": check, "label": label, "values": values, "findings": findings}
    with engine.begin() as conn:
        append(conn, "check.done", by, payload, time.time(), patient_ref, episode_id)


def record_vitals(engine: Engine, cmd: RecordVitals, now: float) -> StoredVitals:
    """`now`: the screen's clock, the one the dialog checked the time against."""
    return store_vitals(engine, cmd, now)
