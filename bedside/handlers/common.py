"""What every handler checks the same way: who acts, that a time is a time, which patient is meant."""

from __future__ import annotations

import math

from bedside.commands import PatientError, Refused
from bedside.model import PatientRef
from bedside.unit_of_work import Patients


def require_who(by: str, refusal: type[Refused], what: str) -> str:
    """`by` without surrounding blanks; refused when empty (`what`: the action, for the message)."""
    if not by.strip():
        raise refusal(f"say who {what} (initials or staff id)")
    return by


def require_time(at: float | None, refusal: type[Refused], what: str) -> None:
    if at is not None and not math.isfinite(at):
        raise refusal(f"{what} is not a valid time")


def resolve_patient(patients: Patients, patient: PatientRef) -> str:
    """The patient a command names → the stored patient reference (MRN^AUTHORITY).

    One without an authority is an MRN: known under several authorities, it is refused (the action
    must not land on the wrong patient); one no feed has named yet keeps the MRN with an empty
    authority (a dose may be entered before the ADT feed names the patient)."""
    mrn = patient.identifier
    if patient.authority:
        return f"{mrn}^{patient.authority}"
    found = patients.registered(mrn)
    if len(found) > 1:
        raise PatientError(f"{mrn} is known under several authorities: give MRN^AUTHORITY")
    if found:
        return f"{found[0].identifier}^{found[0].authority}"
    dosed = patients.dosed(mrn)
    return dosed[0] if dosed else f"{mrn}^"


def is_known(patients: Patients, ref: str) -> bool:
    """A patient ADT, a lab or a device report brought, or one with a dose entered."""
    mrn, _, authority = ref.partition("^")
    return bool(patients.registered(mrn, authority)) or ref in patients.dosed(mrn)
