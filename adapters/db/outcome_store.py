"""What the outcome set reads beyond the review's own data: the patient's bed stays from ADT (the
time in the ICU) and the adverse events of special interest; bedside.outcomes computes it."""

from __future__ import annotations

from collections.abc import Sequence

from bedside_adapters.db import adverse_store
from bedside_adapters.db import schema as t
from bedside_adapters.db.death_sae_store import load_death_sae
from sqlalchemy import Connection, select

from bedside.clock import from_ms
from bedside.death_sae import covers_death
from bedside.model import PatientRef
from bedside.outcomes import Outcome, OutcomeInputs, Period, outcome_set
from bedside.review import CourseEvent, Outcomes
from bedside.status import DoseInfo

SPECIAL_INTEREST = {
    "thrombosis or embolism": "thrombosis",
    "thrombosis": "thrombosis",
    "infection": "infection",
}
"""The adverse events of special interest that are outcomes, by the category their record names."""


def adt_deaths(conn: Connection, patient: PatientRef) -> list[tuple[float, str]]:
    """Deaths ADT messages reported for the patient (not cancelled), oldest first: (time, how)."""
    d = t.adt_death.c
    rows = conn.execute(
        select(d.at_ms, d.source)
        .where(d.patient_ref == str(patient), d.cancelled.is_(False))  # a feed's table: as sent
        .order_by(d.id)
    )
    return [(from_ms(r.at_ms), str(r.source)) for r in rows]


def icu_stays(conn: Connection, patient: PatientRef) -> list[Period]:
    s = t.bed_stay.c
    rows = conn.execute(
        select(s.from_ms, s.to_ms)
        .where(s.patient_ref == str(patient), s.cancelled.is_(False))  # a feed's table: as sent
        .order_by(s.from_ms)
    )
    return [(from_ms(r.from_ms), None if r.to_ms is None else from_ms(r.to_ms)) for r in rows]


def special_interest(conn: Connection, patient: PatientRef) -> list[tuple[str, float | None, str]]:
    """(category, onset, term) of each adverse event of special interest that is an outcome
    (thrombosis or embolism, infection), as its latest version says."""
    out = []
    for v, _versions in adverse_store.patient_events(conn, patient):
        category = SPECIAL_INTEREST.get(str(v.aesi or "").lower())
        if category is not None:
            out.append((category, v.onset, str(v.ctcae_term or v.term)))
    return out


def fatal_saes(conn: Connection, patient: PatientRef) -> list[int]:
    """The ids of the patient's events whose latest version is assessed serious by death
    (`covers_death`: the one definition of an SAE that covers the death)."""
    return [v.event_id for v, _versions in adverse_store.patient_events(conn, patient) if covers_death(v)]


def load_outcome_set(
    conn: Connection,
    patient: PatientRef,
    out: Outcomes,
    events: Sequence[CourseEvent],
    doses: Sequence[DoseInfo],
    now: float,
) -> list[Outcome]:
    given = [(d.dose, d.start, d.end) for d in sorted(doses, key=lambda d: d.start) if d.state != "cancelled"]
    fatal = fatal_saes(conn, patient)
    inputs = OutcomeInputs(
        out,
        events,
        given,
        icu_stays(conn, patient),
        special_interest(conn, patient),
        fatal,
        adt_deaths(conn, patient),
        load_death_sae(conn, patient, out.died, fatal),
    )
    return outcome_set(inputs, now)
