"""The signed reasons why an outcome recorded as a course event needs no adverse event of special
interest, read from their `outcome.no_aesi` safety-log entries (the log is their only record)."""

from __future__ import annotations

import json

from bedside_adapters.db import schema as t
from bedside_adapters.db.patient_match import ref_text
from sqlalchemy import Connection, select

from bedside.clock import from_ms
from bedside.model import PatientRef
from bedside.outcome_no_aesi import KIND, NoAesiNeeded, reasons_from_log


def no_aesi_reasons(conn: Connection, patient: PatientRef) -> list[NoAesiNeeded]:
    """The patient's reasons, oldest first."""
    s = t.safety_log.c
    rows = conn.execute(
        select(s.at_ms, s.actor, s.payload)
        .where(s.kind == KIND, s.patient_ref == ref_text(patient))
        .order_by(s.seq)
    )
    return reasons_from_log(
        {"kind": KIND, "at": from_ms(r.at_ms), "actor": r.actor, "payload": json.loads(r.payload)}
        for r in rows
    )
