"""What the SAE report a death calls for is read from: when the team became aware of the death (its
first entry), the adverse events recorded as fatal, and the investigators' signed reasons why no SAE
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
    """When a death was first entered for the patient: the team was aware of it by then."""
    c = t.course_event.c
    first = conn.execute(
        select(func.min(c.entered_ms)).where(c.patient_ref == ref_text(patient), c.kind == "death")
    ).scalar()
    return None if first is None else from_ms(first)


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
    `fatal`: the patient's adverse events recorded as fatal or serious by death."""
    if died is None:
        return None
    return death_sae(died, death_awareness(conn, patient), fatal, no_sae_reasons(conn, patient))
