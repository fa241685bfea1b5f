"""One patient's course as the review screen, the cohort, the report and its CSV read it, and the
before/after and coverage tables drawn from it: the same rows wherever they are shown."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.alerts import Alert
from bedside.co_medication import MedicationAdministration
from bedside.i18n import N_, _
from bedside.model import Patient
from bedside.outcomes import Outcome
from bedside.review import (
    DAY,
    HOUR,
    BeforeAfterRow,
    CourseEvent,
    Outcomes,
    Samples,
    before_after,
)
from bedside.review_coverage import coverage_table
from bedside.severity import Severity
from bedside.status import DoseInfo

NOMINAL_INTERVALS = {"Blood gases (PaO2)": 8 * HOUR, "Daily labs (CRP)": DAY}
"""Expected sampling of the streams that are not continuous (the check schedule's ABG and lab plan)."""
COVERAGE_LABELS = frozenset(
    (
        N_("Heart rate"),
        N_("SpO2"),
        N_("Arterial BP"),
        N_("Temperature"),
        N_("Ventilator"),
        N_("FiO2"),
        N_("Blood gases (PaO2)"),
        N_("Daily labs (CRP)"),
    )
)
"""The coverage table's streams (their names are the CSV's keys, in English): shown translated."""


def coverage_label(name: str) -> str:
    """A coverage stream's name in the reader's language (a name not known here: as it is)."""
    return _(name) if name in COVERAGE_LABELS else name


@dataclass
class ReviewData:
    patient: Patient
    now: float
    doses: list[DoseInfo]
    streams: dict[str, Samples]
    """Markers by key (labs, pao2, pf, fio2, peep), in canonical units."""
    coverage_times: dict[str, np.ndarray]
    """Stream name → its sample times, for the coverage table."""
    alerts: list[Alert]
    adverse_events: list[ListedAdverseEvent]
    events: list[CourseEvent]
    outcomes: Outcomes
    ruleset: str
    chain_head: tuple[int, str] | None
    radiology: list[CourseEvent] = field(default_factory=list)
    log: list[dict] = field(default_factory=list)
    """The patient's safety-log entries about alerts, adverse events and doses, as logged."""
    log_key: str | None = None
    """Fingerprint of the key that signed the log's last entry (None: not signed)."""
    severity: Severity | None = None
    """The daily SOFA, P/F, driving pressure and compliance (None: not loaded)."""
    outcome_set: list[Outcome] = field(default_factory=list)
    """Ventilator-free and ICU-free days, the events, death, the times to the first dose."""
    co_medication: list[MedicationAdministration] = field(default_factory=list)
    """Steroids, immunomodulators, antipyretics, anticoagulants, vasopressors and others, by start."""
    death_awareness: float | None = None
    """When the site first knew of the patient's death (ICH E2A day 0), as the death's SAE report
    clock reads it everywhere: its first entry, or the receipt of the ADT message that reported it
    when that came first (None: no death known)."""


def dose_rows(data: ReviewData, dose: DoseInfo) -> list[BeforeAfterRow]:
    later = [(d.dose, d.start) for d in data.doses if d.start > dose.start and d.state != "cancelled"]
    return before_after(dose.start, data.streams, data.now, later_doses=later, died=data.outcomes.died)


def dose_coverage(data: ReviewData, dose: DoseInfo) -> dict[str, dict[str, float | None]]:
    return coverage_table(data.coverage_times, dose.start, data.now, NOMINAL_INTERVALS)


@dataclass(frozen=True)
class IcuExit:
    """How the patient left the ICU as the record shows it."""

    kind: str
    """"discharged" (alive), "died" (the discharge is the death: at or after the recorded death),
    or "death_reported" (ADT reported the death, PV1-36 expired, and nobody has confirmed it)."""
    at: float
    """The discharge's time; for "died", the recorded death's."""


def icu_exit(data: ReviewData) -> IcuExit | None:
    """The patient's way out of the ICU, None while no discharge or death is on record. An ADT
    discharge at or after the recorded death is the death (the stay ends because the patient died
    in the ICU), never a discharge alive; one sent with a death that is not yet confirmed is said to
    be so."""
    o = data.outcomes
    if o.died is not None and (o.discharged is None or o.discharged >= o.died):
        # Died with no discharge before it: in the ICU only when a discharge at the death says so.
        return IcuExit("died", o.died) if o.discharged is not None else None
    if o.discharged is None:
        return None
    if o.died is None and any(x.key == "death_adt" for x in data.outcome_set):
        return IcuExit("death_reported", o.discharged)
    return IcuExit("discharged", o.discharged)
