"""IHE PCD-04 (ORU^R40) device alarms: start / update / end of one alarm, linked by OBR-29 (or OBR-3).

Read by partition rather than by a fixed list of codes: the alarm is the row whose MDC code is in
the events partition (3: 196608-262143, e.g. MDC_EVT_HI_GT_LIM), the parameter it is about a row in
the metrics partition (2), and the phase, state and priority come from the rows whose REFIDs name
them (MDC_ATTR_EVENT_PHASE, MDC_ATTR_ALARM_STATE, …) or from the event row's OBX-8 (PH/PM/PL).
The exact codes of these attributes should be checked in NIST RTMMS before relying on them.
"""

from __future__ import annotations

from datetime import tzinfo

from bedside_adapters.hl7.er7 import Er7Message
from bedside_adapters.hl7.pcd01 import MappingError, field_time

from bedside.device_alarms import DeviceAlarm

EVENTS = range(196608, 262144)
METRICS = range(131072, 196608)
PRIORITIES = {"PH": "high", "PM": "medium", "PL": "low", "PN": "none"}


def read_alarms(msg: Er7Message, zone: tzinfo) -> list[DeviceAlarm]:
    msh_time = field_time(msg.msh.get(7), zone, "MSH-7")
    gateway = msg.msh.get(3, 2) or msg.msh.get(3, 1)
    alarms: list[DeviceAlarm] = []
    group: dict[str, str] = {}
    obr_time: float | None = None

    def flush() -> None:
        if "event_code" not in group:
            return
        at = group.pop("_at", None)
        when = float(at) if at else obr_time or msh_time
        if when is None:
            raise MappingError("an alarm without any time (OBX-14, OBR-7, MSH-7)", 101)
        alarms.append(
            DeviceAlarm(
                device=group.get("device") or gateway,
                alarm_id=group.get("alarm_id", ""),
                phase=group.get("phase", ""),
                state=group.get("state", ""),
                priority=group.get("priority", ""),
                event_code=group["event_code"],
                event_refid=group.get("event_refid", ""),
                event_text=group.get("event_text", ""),
                source_refid=group.get("source_refid", ""),
                source_value=group.get("source_value", ""),
                at=when,
            )
        )

    for seg in msg.segments:
        if seg.name == "OBR":
            flush()
            group = {"alarm_id": seg.get(29, 1) or seg.get(3, 1) or seg.get(2, 1)}
            obr_time = field_time(seg.get(7), zone, "OBR-7")
        elif seg.name == "OBX":
            code, refid = seg.get(3, 1), seg.get(3, 2).upper()
            value = seg.get(5, 2) or seg.get(5, 1)
            if seg.get(18, 1):
                group.setdefault("device", seg.get(18, 1))
            if "EVENT_PHASE" in refid:
                group["phase"] = value
            elif "ALARM_STATE" in refid:
                group["state"] = value
            elif "PRIORITY" in refid:
                group["priority"] = PRIORITIES.get(value.upper(), value)
            elif code.isdigit() and int(code) in EVENTS and "event_code" not in group:
                group.update(event_code=code, event_refid=seg.get(3, 2), event_text=seg.get(5))
                flag = seg.get(8).upper()
                if flag in PRIORITIES:
                    group["priority"] = PRIORITIES[flag]
                when = field_time(seg.get(14), zone, "OBX-14")
                if when is not None:
                    group["_at"] = repr(when)
            elif code.isdigit() and int(code) in METRICS and "source_refid" not in group:
                group.update(source_refid=seg.get(3, 2), source_value=f"{seg.get(5)} {seg.get(6, 2)}".strip())
    flush()
    return alarms
