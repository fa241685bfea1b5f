"""ADT: where a patient is, over time. Device data reaches a patient through the bed its device is
bound to at the observation time, never through a name or id typed into the device: those are typed
by hand, left over from the previous patient, or absent, and a value on the wrong patient is worse
than a value on none.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bedside.model import Patient, PatientRef


class AdtAction(enum.StrEnum):
    ADMIT = "admit"  # A01, A04
    TRANSFER = "transfer"  # A02
    DISCHARGE = "discharge"  # A03
    UPDATE = "update"  # A08
    CANCEL_ADMIT = "cancel_admit"  # A11
    CANCEL_TRANSFER = "cancel_transfer"  # A12
    CANCEL_DISCHARGE = "cancel_discharge"  # A13
    MERGE = "merge"  # A40


EVENTS = {
    "A01": AdtAction.ADMIT,
    "A04": AdtAction.ADMIT,
    "A02": AdtAction.TRANSFER,
    "A03": AdtAction.DISCHARGE,
    "A08": AdtAction.UPDATE,
    "A11": AdtAction.CANCEL_ADMIT,
    "A12": AdtAction.CANCEL_TRANSFER,
    "A13": AdtAction.CANCEL_DISCHARGE,
    "A40": AdtAction.MERGE,
}


@dataclass(frozen=True, slots=True)
class AdtEvent:
    action: AdtAction
    patient: Patient
    at: float
    """When it happened (EVN-6, else EVN-2, else MSH-7), not when we heard of it."""
    bed: str = ""
    """PV1-3 as unit^room^bed."""
    visit: str = ""
    retired: PatientRef | None = None
    """A40: the identifier merged into `patient` (MRG-1)."""
    death_at: float | None = None
    """A death the message reports (`death_source` says how): PID-29's time, else the event's."""
    death_source: str = ""
    """"PV1-36" (discharge disposition expired, HL7 table 0112 code 20) or "PID-30" (death indicator)."""


EXPIRED = "20"
"""HL7 table 0112 (discharge disposition): 20 is "expired"."""


def attached_intervals(
    stays: list[tuple[str, float, float]], bindings: list[tuple[str, str, float, float]]
) -> dict[str, list[tuple[float, float]]]:
    """Per device, the intervals in which it was bound to a bed while the patient occupied it.

    `stays`: (bed, from, to) of one patient; `bindings`: (device, bed, from, to); `to` is inf while
    open. The intersection is where the device's values are this patient's values.
    """
    out: dict[str, list[tuple[float, float]]] = {}
    for bed, s_from, s_to in stays:
        for device, b_bed, b_from, b_to in bindings:
            if b_bed != bed:
                continue
            start, end = max(s_from, b_from), min(s_to, b_to)
            if start < end:
                out.setdefault(device, []).append((start, end))
    return {d: sorted(iv) for d, iv in out.items()}
