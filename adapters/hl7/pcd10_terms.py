"""The vocabulary of an IHE PCD-10 (IPEC) infusion event report and what each event means for a dose.

An event report names its event in an `MDC_ATTR_EVT_COND` row: OBX-3 is the attribute, OBX-5 (CWE)
the event (`197288^MDC_EVT_PUMP_DELIV_START^MDC`). The framework's own sample message carries
code 0 in OBX-3 for terms whose codes were pending when it was published, so a term is recognised
by its numeric code or, failing that, by its REFID (OBX-3.2 / OBX-5.2). Older gateways put the event
code itself in OBX-3; that form is still read.

The events the framework defines (IPEC, Table X.1.2-1) and what they do to a dose:

- Delivery Start: a new delivery starts a dose; one whose Cumulative Volume Delivered is already
  above zero continues a delivery (restart after a pause, the new segment after a rate change) and
  resumes the dose; one delivering at the keep-vein-open rate changes nothing.
- Delivery Stop: with Current Delivery Status "transitioning" the fluid keeps flowing (rate change,
  titration, multi-step or bolus transition) and nothing changes; otherwise delivery stopped with a
  Not Delivering Reason (by clinician, alarm, switching source): the dose is paused.
- Delivery Complete: the programmed volume is in; the dose stops.
- Program Cleared, Auto-Program Cleared: kept with the pump's events; a pump clears a program only
  when it is not delivering, so the stop that preceded it already ended the dose.
- Communication Status Change, Patient Change, Patient ID Change, Patient Parameter Change, Pump
  Volume Counters Cleared, Device Time Changed: not about delivery; the frame is kept, no dose changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bedside.infusion import EventKind


@dataclass(frozen=True, slots=True)
class Term:
    """An MDC term: its context-free code when assigned (None: match by REFID only) and REFIDs."""

    code: int | None
    refids: tuple[str, ...]

    def matches(self, code: str, refid: str) -> bool:
        if self.code is not None and code.isdigit() and int(code) == self.code:
            return True
        return refid.strip().upper() in self.refids


def _term(code: int | None, *refids: str) -> Term:
    return Term(code, refids)


EVENT_CONDITION = _term(68487, "MDC_ATTR_EVT_COND")
"""1::2951 in the Rosetta table; code 0 (pending) in the framework's sample message."""
EVENT_SOURCE = _term(68488, "MDC_ATTR_EVT_SOURCE")
"""The containment (OBX-4 of the fluid source) the event is about, e.g. 1.1.2.0."""

DELIVERY_START = _term(197288, "MDC_EVT_PUMP_DELIV_START")
DELIVERY_STOP = _term(None, "MDC_EVT_PUMP_DELIV_STOP")
DELIVERY_COMPLETE = _term(197292, "MDC_EVT_PUMP_DELIV_COMP")
PROGRAM_CLEARED = _term(None, "MDC_EVT_PUMP_PROG_CLEARED")
AUTO_PROGRAM_CLEARED = _term(None, "MDC_EVT_PUMP_AUTO_PROG_CLEARED")

DRUG_LABEL = _term(184514, "MDC_DRUG_NAME_LABEL")
CUMULATIVE_VOLUME = _term(157993, "MDC_VOL_FLUID_DELIV_TOTAL")
NOT_DELIVERING_REASON = _term(158006, "MDC_DEV_PUMP_NOT_DELIVERING_REASON", "MDC_PUMP_NOT_DELIVERING_REASON")
DELIVERY_STATUS = _term(None, "MDC_DEV_PUMP_CURRENT_DELIVERY_STATUS", "MDC_PUMP_CURRENT_DELIVERY_STATUS")
SYSTEM_ID = _term(67972, "MDC_ATTR_SYS_ID")

DELIVERY_EVENTS = (DELIVERY_START, DELIVERY_STOP, DELIVERY_COMPLETE, PROGRAM_CLEARED, AUTO_PROGRAM_CLEARED)


@dataclass(frozen=True, slots=True)
class DeliveryContext:
    """What the rows beside the event say about the delivery when it happened."""

    delivery_status: str = ""
    """Current Delivery Status: pump-delivery-status-delivering, -not-delivering, -transitioning, -kvo."""
    cumulative_volume: float | None = None
    not_delivering_reason: str = ""


def event_kind(event: Term, context: DeliveryContext) -> tuple[EventKind, str]:
    """What a delivery event does to the dose, and the reason kept with it."""
    status = context.delivery_status.lower()
    if event is DELIVERY_START:
        if status.endswith("-kvo"):
            return EventKind.CHANGE, "keep vein open"
        if context.cumulative_volume is not None and context.cumulative_volume > 0:
            return EventKind.RESUME, ""
        return EventKind.START, ""
    if event is DELIVERY_STOP:
        if status.endswith("-transitioning"):
            return EventKind.CHANGE, "delivery settings changed"
        return EventKind.PAUSE, context.not_delivering_reason or "pump-stopped-not-specified"
    if event is DELIVERY_COMPLETE:
        return EventKind.STOP, context.not_delivering_reason
    if event is PROGRAM_CLEARED:
        return EventKind.CHANGE, "program cleared"
    return EventKind.CHANGE, "auto-program cleared"


def delivery_event(code: str, refid: str) -> Term | None:
    """The delivery event a code or REFID names; None for any other (or no) event."""
    return next((t for t in DELIVERY_EVENTS if t.matches(code, refid)), None)
