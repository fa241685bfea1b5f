"""The times a read message sets, for the clock-fault check (bedside.clock_window).

Every time that would be stored is checked: MSH-7, each observation's time (OBX-14, else OBR-7 or
MSH-7), device states and alarms, infusion events, lab results (collected and reported) and ADT
events. A message with any of them outside the window is quarantined as a clock fault, so none of its
times can reach a trend, the alerting process's newest minute, or a device's bed binding.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from bedside_adapters.hl7.dtm import DtmError, parse_dtm
from bedside_adapters.hl7.er7 import Er7Message

from bedside.clock_window import ClockWindow


def clock_fault(
    window: ClockWindow, msg: Er7Message, content: dict[str, Any], received_at: float, zone: tzinfo
) -> str | None:
    """Why the message's times cannot be believed, or None."""
    return window.fault(_times(msg, content, zone), received_at)


def _times(msg: Er7Message, content: dict[str, Any], zone: tzinfo) -> Iterator[tuple[str, float]]:
    msh7 = msg.msh.get(7)
    try:
        sent = parse_dtm(msh7, zone) if msh7 else None
    except DtmError:
        sent = None  # a malformed MSH-7 is the reader's to refuse, or not needed by this message type
    if sent is not None:
        yield "MSH-7", sent
    observations = content.get("observations") or ()
    if observations:
        # Only the extremes can fall outside: a message's rows mostly share one time.
        times = [o.observed_at for o in observations]
        yield "observation time (OBX-14)", min(times)
        yield "observation time (OBX-14)", max(times)
    for state in content.get("device_states") or ():
        yield "device state time (OBX-14)", state.at
    for alarm in content.get("device_alarms") or ():
        yield "alarm time", alarm.at
    for event in content.get("infusion_events") or ():
        yield "infusion event time", event.at
    for given in content.get("co_medication") or ():
        yield "co-medication time", given.start
    for result in content.get("lab_results") or ():
        yield "lab collection time", result.observed_at
        if result.reported_at is not None:
            yield "lab report time", result.reported_at
    adt = content.get("adt")
    if adt is not None:
        yield "ADT event time", adt.at
