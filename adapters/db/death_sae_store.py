"""What the SAE report a death calls for is read from: when the team became aware of the death (its
first entry), the adverse events assessed serious by death, and the investigators' signed reasons why no SAE
report is needed (`death.no_sae` safety-log entries: the log is their only record)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_text
from sqlalchemy import Connection, func, select

from bedside.clock import from_ms
from bedside.death_sae import DeathSae, NoSaeNeeded, death_sae
from bedside.model import PatientRef

NO_SAE_KIND = "death.no_sae"


def death_awareness(conn: Connection, patient: PatientRef) -> float | None:
    """When the site first knew of the patient's death (ICH E2A day 0): the first entry of a death
    for the patient, or the receipt of an ADT message reporting it when that came first (the
    message is knowledge at the site, confirmed or not; a cancelled one is taken back)."""
    c = t.course_event.c
    entered = conn.execute(
        select(func.min(c.entered_ms)).where(c.patient_ref == ref_text(patient), c.kind == "death")
    ).scalar()
    known = [from_ms(entered)] if entered is not None else []
    received = adt_death_receipt(conn, patient)
    if received is not None:
        known.append(received)
    return min(known, default=None)


def adt_death_receipt(conn: Connection, patient: PatientRef) -> float | None:
    """When the first ADT message reporting the patient's death (not cancelled) was received."""
    d, m = t.adt_death.c, t.inbound_message.c
    # ADT's table keeps the reference as the message sent it: the stored form and the bare one.
    refs = list(dict.fromkeys((ref_text(patient), str(patient))))
    first = conn.execute(
        select(func.min(m.received_ms))
        .select_from(t.adt_death.join(t.inbound_message, m.id == d.message_id))
        .where(d.patient_ref.in_(refs), d.cancelled.is_(False))
    ).scalar()
    return None if first is None else from_ms(first)


def reported_death(conn: Connection, patient: PatientRef) -> tuple[float, float] | None:
    """The death the latest ADT message not cancelled reported (its time) and when the first such
    message was received, or None: none, or one without a stored message to date its receipt."""
    d = t.adt_death.c
    refs = list(dict.fromkeys((ref_text(patient), str(patient))))
    died = conn.execute(
        select(d.at_ms).where(d.patient_ref.in_(refs), d.cancelled.is_(False)).order_by(d.id.desc()).limit(1)
    ).scalar()
    received = adt_death_receipt(conn, patient)
    return None if died is None or received is None else (from_ms(died), received)


def no_sae_reasons(conn: Connection, patient: PatientRef) -> list[NoSaeNeeded]:
    """The signed reasons why the patient's death needs no SAE report, oldest first."""
    s = t.safety_log.c
    rows = conn.execute(
        select(s.at_ms, s.actor, s.payload)
        .where(s.kind == NO_SAE_KIND, s.patient_ref == ref_text(patient))
        .order_by(s.seq)
    )
    out = []
    for r in rows:
        payload = json.loads(r.payload)
        signature = payload.get("signature") or {}
        out.append(
            NoSaeNeeded(
                reason=str(payload.get("reason") or ""),
                by=str(signature.get("name") or r.actor),
                role=signature.get("role"),
                at=from_ms(r.at_ms),
            )
        )
    return out


def load_death_sae(
    conn: Connection, patient: PatientRef, died: float | None, fatal: Sequence[int]
) -> DeathSae | None:
    """The death (`died`: the last entered) and where its SAE report stands; None without a death.
    `fatal`: the patient's adverse events assessed serious by death (`covers_death`)."""
    if died is None:
        return None
    return death_sae(died, death_awareness(conn, patient), fatal, no_sae_reasons(conn, patient))
