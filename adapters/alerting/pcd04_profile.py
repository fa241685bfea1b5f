"""Checks an outgoing PCD-04 message against the IHE PCD-04 (Report Alert, ORU^R40) message profile.

No machine-readable PCD-04 conformance profile is published that hl7apy could load, so the profile is
built here from two parts:
- the HL7 v2.6 structure, by hl7apy with VALIDATION_LEVEL.STRICT: v2.6 gives ORU^R40 the segments and
  groups of ORU_R01 and hl7apy has no ORU_R40, so the message is validated as ORU_R01 (required fields
  such as PID-5, cardinalities, lengths, data types);
- what the IHE PCD Technical Framework (Vol. 2, PCD-04) adds: MSH-9 ORU^R40^ORU_R40, MSH-12 2.6, the
  ACM profile in MSH-21, enhanced acknowledgement fields, an alert identifier in OBR-3, MDC_EVT_ALARM
  in OBR-4, and the alarm's phase, state and priority rows with values from the framework's lists.
It also requires MSH-18 whenever the text is not plain ASCII (HL7's default charset).
"""

from __future__ import annotations

import warnings

MESSAGE_TYPE = "ORU^R40^ORU_R40"
PROFILE = "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO"
EVENT = "196616^MDC_EVT_ALARM^MDC"
PHASES = {
    "start",
    "start_only",
    "continue",
    "end",
    "present",
    "update",
    "escalate",
    "inactivate",
    "deescalate",
    "reset",
}
STATES = {"inactive", "active", "latched", "active-unack", "active-ack"}
PRIORITIES = {"PN", "PL", "PM", "PH"}
ROWS = {
    "MDC_ATTR_EVENT_PHASE": PHASES,
    "MDC_ATTR_ALARM_STATE": STATES,
    "MDC_ATTR_ALARM_PRIORITY": PRIORITIES,
}


def pcd04_problems(text: str) -> list[str]:
    """What keeps `text` (one ER7 message, segments separated by CR) from the PCD-04 profile; [] when
    it conforms."""
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.exceptions import HL7apyException
    from hl7apy.parser import parse_message

    problems: list[str] = []
    segments = [s for s in text.split("\r") if s]
    fields = {s[:3]: s.split("|") for s in reversed(segments)}  # the first of each segment kind
    msh = fields.get("MSH", [])

    def field(segment: list[str], n: int) -> str:
        index = n - 1 if segment is msh else n  # MSH-1 is the separator itself
        return segment[index] if len(segment) > index else ""

    expected = {9: MESSAGE_TYPE, 12: "2.6", 15: "AL", 16: "NE", 21: PROFILE}
    for n, value in expected.items():
        if field(msh, n) != value:
            problems.append(f"MSH-{n} is {field(msh, n)!r}, the profile requires {value!r}")
    if not text.isascii() and not field(msh, 18):
        problems.append("MSH-18 is empty but the text is not ASCII (HL7's default charset)")
    pid = fields.get("PID", [])
    if not field(pid, 3).split("^")[0]:
        problems.append("PID-3 has no patient identifier")
    obr = fields.get("OBR", [])
    if not field(obr, 3).split("^")[0]:
        problems.append("OBR-3 has no alert identifier")
    if field(obr, 4) != EVENT:
        problems.append(f"OBR-4 is {field(obr, 4)!r}, the profile requires {EVENT!r}")
    problems.extend(_rows([s.split("|") for s in segments if s.startswith("OBX|")]))

    structural = text.replace(f"|{MESSAGE_TYPE}|", "|ORU^R40^ORU_R01|", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parse_message(structural, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True).validate()
        except (HL7apyException, ValueError) as exc:
            problems.append(f"HL7 v2.6 structure: {type(exc).__name__}: {exc}")
    return problems


def _name(code: str) -> str:
    """The text of a CWE (code^text^system): the MDC reference id."""
    parts = code.split("^")
    return parts[1] if len(parts) > 1 else ""


def _rows(obx: list[list[str]]) -> list[str]:
    problems = []
    if not obx:
        return ["no OBX"]
    sub_ids = [o[4] if len(o) > 4 else "" for o in obx]
    if "" in sub_ids or len(set(sub_ids)) != len(sub_ids):
        problems.append("every OBX needs its own OBX-4 (the observation sub-id)")
    values = {_name(o[3]): (o[5] if len(o) > 5 else "") for o in obx if len(o) > 3}
    for name, allowed in ROWS.items():
        if name not in values:
            problems.append(f"no {name} row")
        elif values[name] not in allowed:
            problems.append(f"{name} is {values[name]!r}, not one of {sorted(allowed)}")
    if "MDC_EVT_ALARM" not in values and not any(v.startswith("MDC_EVT_") for v in values):
        problems.append("no event identification row (MDC_EVT_…)")
    for o in obx:
        if (o[11] if len(o) > 11 else "") not in ("F", "R"):
            problems.append(f"OBX {o[1] if len(o) > 1 else '?'}: OBX-11 must be F or R")
    return problems
