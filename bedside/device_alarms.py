"""A device's own alarm (IHE PCD-04): one report of its start, an update or its end.

The monitor and the pump keep the primary alarms; these are kept for the record and for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeviceAlarm:
    device: str
    alarm_id: str
    """Links the reports of one alarm (OBR-29, else OBR-3)."""
    phase: str
    state: str
    priority: str
    """high, medium, low or none (OBX-8 PH/PM/PL/PN), or the text the device sent."""
    event_code: str
    """MDC code of the alarm event (events partition)."""
    event_refid: str
    event_text: str
    source_refid: str
    """The parameter the alarm is about (metrics partition), when the device names it."""
    source_value: str
    at: float
