"""Infusion events from the pump (IHE PCD-10 ORU^R42) and from the eMAR (RAS^O17).

PCD-10: one delivery event per report, named in an MDC_ATTR_EVT_COND row with the event in OBX-5
(`adapters.hl7.pcd10_terms` has the vocabulary and what each event does to a dose); the rows beside
it give the drug label, the volume delivered, the current delivery status, the not-delivering reason
and the pump's own id. The pump is named by the event row's OBX-18, else the MDS row's (as in its
PCD-01 reports), else MDC_ATTR_SYS_ID, else MSH-3, because a gateway's EUI-64 in MSH-3 is shared by
several pumps. The event's time is OBX-14 of the event row, else OBR-7, else MSH-7.
RAS^O17: RXA-3/RXA-4 are the administration's start and end, RXA-5 the product, RXA-6/7 the amount,
RXA-20 whether it was completed (CP), partly given (PA), refused (RE) or not given (NA).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo

from bedside_adapters.hl7 import pcd10_terms as terms
from bedside_adapters.hl7.er7 import Er7Message, Segment
from bedside_adapters.hl7.pcd01 import MappingError, field_time, patient_of

from bedside.infusion import EventKind, EventSource, InfusionEvent


@dataclass
class _Report:
    """One OBR group of an event report, read row by row."""

    order: str = ""
    at: float | None = None
    events: list[tuple[terms.Term, float | None, str]] = field(default_factory=list)
    """(event, OBX-14, the event row's OBX-18 device)."""
    product: str = ""
    amount: str = ""
    cumulative: float | None = None
    status: str = ""
    reason: str = ""
    mds_device: str = ""
    system_id: str = ""


def read_pump_events(msg: Er7Message, zone: tzinfo) -> list[InfusionEvent]:
    patient = patient_of(msg)
    ref = patient.ref if patient else None
    msh_time = field_time(msg.msh.get(7), zone, "MSH-7")
    gateway = msg.msh.get(3, 2) or msg.msh.get(3, 1)
    reports: list[_Report] = []
    report = _Report()
    for seg in msg.segments:
        if seg.name == "OBR":
            reports.append(report)
            report = _Report(seg.get(3, 1) or seg.get(2, 1), field_time(seg.get(7), zone, "OBR-7"))
        elif seg.name == "OBX":
            _read_row(seg, report, zone)
    reports.append(report)
    events: list[InfusionEvent] = []
    for r in reports:
        context = terms.DeliveryContext(r.status, r.cumulative, r.reason)
        for event, at, device in r.events:
            when = at or r.at or msh_time
            if when is None:
                raise MappingError("a pump event without any time (OBX-14, OBR-7, MSH-7)", 101)
            kind, reason = terms.event_kind(event, context)
            events.append(
                InfusionEvent(
                    patient=ref,
                    source=EventSource.PUMP_EVENT,
                    kind=kind,
                    at=when,
                    device=device or r.mds_device or r.system_id or gateway,
                    product=r.product,
                    amount=r.amount if kind is not EventKind.START else "",
                    reason=reason,
                    order=r.order,
                )
            )
    return events


def _text(seg: Segment) -> str:
    """A CWE/ST value as text: the CWE's text (component 2), else its code or the plain value."""
    return seg.get(5, 2) or seg.get(5, 1)


def _read_row(seg: Segment, r: _Report, zone: tzinfo) -> None:
    code, refid = seg.get(3, 1), seg.get(3, 2)
    if seg.get(11).upper() == "X" and seg.get(4).endswith(".0.0.0"):
        r.mds_device = seg.get(18, 1)  # the pump's MDS row names the pump, as in its PCD-01
        return
    if terms.EVENT_CONDITION.matches(code, refid):
        event = terms.delivery_event(seg.get(5, 1), seg.get(5, 2))
    else:  # the older form: the event code itself in OBX-3
        event = terms.delivery_event(code, refid)
    if event is not None:
        r.events.append((event, field_time(seg.get(14), zone, "OBX-14"), seg.get(18, 1)))
    elif terms.DRUG_LABEL.matches(code, refid):
        r.product = seg.get(5)
    elif terms.CUMULATIVE_VOLUME.matches(code, refid):
        r.amount = f"{seg.get(5)} {seg.get(6, 4) or seg.get(6, 2)}".strip()
        try:
            r.cumulative = float(seg.get(5))
        except ValueError:
            r.cumulative = None
    elif terms.DELIVERY_STATUS.matches(code, refid):
        r.status = _text(seg)
    elif terms.NOT_DELIVERING_REASON.matches(code, refid):
        r.reason = _text(seg)
    elif terms.SYSTEM_ID.matches(code, refid):
        r.system_id = seg.get(5, 1)


def read_administrations(
    msg: Er7Message, zone: tzinfo, is_dose: Callable[[Segment], bool] | None = None
) -> list[InfusionEvent]:
    """The dose starts and ends of a RAS^O17. `is_dose`: which RXAs record the study product (the
    others are co-medication, read by `adapters.hl7.pharmacy`); None: every RXA."""
    patient = patient_of(msg)
    ref = patient.ref if patient else None
    events: list[InfusionEvent] = []
    order = ""
    for seg in msg.segments:
        if seg.name == "ORC":
            order = seg.get(3, 1) or seg.get(2, 1)
        elif seg.name == "RXA" and (is_dose is None or is_dose(seg)):
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
