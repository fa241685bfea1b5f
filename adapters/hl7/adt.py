"""ADT messages → AdtEvent (admit, transfer, discharge, update, cancels, merge)."""

from __future__ import annotations

from datetime import tzinfo

from bedside_adapters.hl7.er7 import Er7Message
from bedside_adapters.hl7.pcd01 import MappingError, field_time, patient_of

from bedside.adt import EVENTS, EXPIRED, AdtAction, AdtEvent
from bedside.model import PatientRef

ADT_TYPES = {f"ADT^{code}" for code in EVENTS}


def read_adt(msg: Er7Message, zone: tzinfo) -> AdtEvent:
    event = msg.msh.get(9, 2)
    evn = msg.first("EVN")
    if not event and evn is not None:
        event = evn.get(1)
    action = EVENTS.get(event)
    if action is None:
        raise MappingError(f"unsupported ADT event {event or '(none)'}", 201)
    patient = patient_of(msg)
    if patient is None:
        raise MappingError("PID-3 (patient identifier) is missing: an ADT event must name its patient", 101)
    at = None
    if evn is not None:
        at = field_time(evn.get(6), zone, "EVN-6") or field_time(evn.get(2), zone, "EVN-2")
    pv1 = msg.first("PV1")
    if action is AdtAction.DISCHARGE and pv1 is not None:
        at = field_time(pv1.get(45), zone, "PV1-45") or at
    at = at or field_time(msg.msh.get(7), zone, "MSH-7")
    if at is None:
        raise MappingError("no event time (EVN-6, EVN-2, MSH-7 all empty)", 101)
    retired = None
    if action is AdtAction.MERGE:
        mrg = msg.first("MRG")
        if mrg is None or not mrg.get(1, 1):
            raise MappingError("A40 without MRG-1: which identifier is merged is unknown", 101)
        retired = PatientRef(mrg.get(1, 1), mrg.get(1, 4))
    visit = pv1.get(19, 1) if pv1 is not None else ""
    death_at, death_source = None, ""
    if action in (AdtAction.ADMIT, AdtAction.TRANSFER, AdtAction.DISCHARGE, AdtAction.UPDATE):
        # A death the ADT system knows: PV1-36 "expired", or the PID-30 death indicator. Its time is
        # PID-29 where sent, else the event's. Offered to an investigator, never taken as confirmed.
        pid = msg.first("PID")
        indicator = pid is not None and pid.get(30).strip().upper() == "Y"
        expired = pv1 is not None and pv1.get(36).strip() == EXPIRED
        if indicator or expired:
            death_at = (field_time(pid.get(29), zone, "PID-29") if pid is not None else None) or at
            death_source = "PV1-36" if expired else "PID-30"
    return AdtEvent(action, patient, at, patient.bed, visit, retired, death_at, death_source)
