"""Infusion events from the pump (IHE PCD-10 ORU^R42) and from the eMAR (RAS^O17).

PCD-10: the event is an OBX whose OBX-3 is MDC_EVT_PUMP_DELIV_START (197288) or
MDC_EVT_PUMP_DELIV_COMP (197292); rows beside it give the drug label (184514), the volume delivered
(157993), the not-delivering reason (158006) and the pump's own id (MDC_ATTR_SYS_ID 67972, or OBX-18),
because a gateway's EUI-64 in MSH-3 is shared by several pumps.
RAS^O17: RXA-3/RXA-4 are the administration's start and end, RXA-5 the product, RXA-6/7 the amount,
RXA-20 whether it was completed (CP), partly given (PA), refused (RE) or not given (NA).
"""

from __future__ import annotations

from datetime import tzinfo

from bedside_adapters.hl7.er7 import Er7Message
from bedside_adapters.hl7.pcd01 import MappingError, field_time, patient_of

from bedside.infusion import EventKind, EventSource, InfusionEvent

DELIVERY_START, DELIVERY_COMPLETE = 197288, 197292
DRUG_LABEL, VOLUME_DELIVERED, NOT_DELIVERING_REASON, SYSTEM_ID = 184514, 157993, 158006, 67972


def read_pump_events(msg: Er7Message, zone: tzinfo) -> list[InfusionEvent]:
    patient = patient_of(msg)
    ref = patient.ref if patient else None
    msh_time = field_time(msg.msh.get(7), zone, "MSH-7")
    events: list[InfusionEvent] = []
    for_report: dict[str, str] = {}
    pending: list[tuple[EventKind, float | None, str]] = []
    order = ""
    obr_time = None

    def flush() -> None:
        for kind, at, device in pending:
            when = at or obr_time or msh_time
            if when is None:
                raise MappingError("a pump event without any time (OBX-14, OBR-7, MSH-7)", 101)
            events.append(
                InfusionEvent(
                    patient=ref,
                    source=EventSource.PUMP_EVENT,
                    kind=kind,
                    at=when,
                    device=device or for_report.get("device", "") or msg.msh.get(3, 2) or msg.msh.get(3, 1),
                    product=for_report.get("product", ""),
                    amount=for_report.get("amount", ""),
                    reason=for_report.get("reason", "") if kind is EventKind.STOP else "",
                    order=order,
                )
            )
        pending.clear()

    for seg in msg.segments:
        if seg.name == "OBR":
            flush()
            for_report.clear()
            order = seg.get(3, 1) or seg.get(2, 1)
            obr_time = field_time(seg.get(7), zone, "OBR-7")
        elif seg.name == "OBX":
            code = seg.get(3, 1)
            if not code.isdigit():
                continue
            value = seg.get(5, 2) or seg.get(5, 1)  # CWE: the text, else the code
            if int(code) in (DELIVERY_START, DELIVERY_COMPLETE):
                kind = EventKind.START if int(code) == DELIVERY_START else EventKind.STOP
                pending.append((kind, field_time(seg.get(14), zone, "OBX-14"), seg.get(18, 1)))
            elif int(code) == DRUG_LABEL:
                for_report["product"] = seg.get(5)
            elif int(code) == VOLUME_DELIVERED:
                for_report["amount"] = f"{seg.get(5)} {seg.get(6, 4) or seg.get(6, 2)}".strip()
            elif int(code) == NOT_DELIVERING_REASON:
                for_report["reason"] = value
            elif int(code) == SYSTEM_ID:
                for_report["device"] = seg.get(5, 1)
    flush()
    return events


def read_administrations(msg: Er7Message, zone: tzinfo) -> list[InfusionEvent]:
    patient = patient_of(msg)
    ref = patient.ref if patient else None
    events: list[InfusionEvent] = []
    order = ""
    for seg in msg.segments:
        if seg.name == "ORC":
            order = seg.get(3, 1) or seg.get(2, 1)
        elif seg.name == "RXA":
            completion = seg.get(20).upper()
            if completion in ("RE", "NA"):
                continue  # refused or not administered: nothing started
            start = field_time(seg.get(3), zone, "RXA-3")
            if start is None:
                raise MappingError("RXA-3 (start of administration) is empty", 101)
            end = field_time(seg.get(4), zone, "RXA-4")
            product = seg.get(5, 2) or seg.get(5, 1)
            amount = f"{seg.get(6)} {seg.get(7, 1)}".strip()
            common = {
                "patient": ref,
                "source": EventSource.ADMINISTRATION,
                "product": product,
                "amount": amount,
                "order": order or seg.get(2),
            }
            events.append(InfusionEvent(kind=EventKind.START, at=start, **common))
            if end is not None and end > start:
                reason = "partly administered" if completion == "PA" else ""
                events.append(InfusionEvent(kind=EventKind.STOP, at=end, reason=reason, **common))
    return events
