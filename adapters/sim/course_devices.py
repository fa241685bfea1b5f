"""The devices a validation case adds to a course: vasopressor pumps (PCD-01) and monitor alarms (PCD-04).

A pump reports as a smart pump's gateway does: its drug-library label (MDC_DRUG_NAME_LABEL), the
delivered rate (MDC_FLOW_FLUID_PUMP_CURRENT, mL/h) and the drug's concentration (MDC_CONC_DRUG, µg/mL),
each pump under its own EUI-64, in the patient's bed (PV1-3), so it is bound to the bed like the monitor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.sim.message import Message
from bedside_adapters.sim.pcd01 import SimulatedMonitor

from bedside.course import CourseModel
from bedside.course_spec import MINUTE

Control = Callable[[str], str]
"""The feed's next message control id (MSH-10) for a prefix: one sequence across all its messages."""

PUMP_REPORT_SECONDS = 60.0
"""A pump gateway reports about once a minute, and at every rate change."""

# Monitor arrhythmia events (partition 3, events). The reader keys on the partition and the REFID;
# the numeric codes here are placeholders inside that partition, not checked against RTMMS.
ALARM_CODES = {
    "MDC_EVT_ECG_V_TACHY": 196_940,
    "MDC_EVT_ECG_V_FIB": 196_942,
    "MDC_EVT_ECG_ASYSTOLE": 196_944,
    "MDC_EVT_ECG_V_FLUTTER": 196_946,
}
ALARM_TEXT = {
    "MDC_EVT_ECG_V_TACHY": "V-Tach",
    "MDC_EVT_ECG_V_FIB": "V-Fib",
    "MDC_EVT_ECG_ASYSTOLE": "Asystole",
    "MDC_EVT_ECG_V_FLUTTER": "V-Flutter",
}


def _header(m: SimulatedMonitor, application: str, eui: str, at: float, kind: str, control: str) -> list[str]:
    profile = (
        "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO"
        if kind.startswith("ORU^R40")
        else "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO"
    )
    return [
        f"MSH|^~\\&|{application}^{eui}^EUI-64|ICU_GW|BEDSIDE|ICU|{format_dtm(at)}||{kind}|{control}|P|2.6"
        f"|||AL|NE||UNICODE UTF-8|||{profile}",
        f"PID|||{m.mrn}^^^{m.authority}^MR||{m.family_name}^{m.given_name}",
        f"PV1||I|{m.unit}^{m.room}^{m.bed}",
    ]


def pump_messages(
    model: CourseModel, monitor: SimulatedMonitor, control_id: Control, t0: float, t1: float, step: float
) -> Iterator[Message]:
    """Each vasopressor pump's reports in [t0, t1): every `step` s (at least a minute apart) and at
    every rate change, from its first step on."""
    starts = model.dose_starts()
    out: list[Message] = []
    for i, infusion in enumerate(model.spec.infusions):
        eui = f"3333{model.spec.seed:08X}{i:04X}"
        start = starts[infusion.dose]
        every = max(step, PUMP_REPORT_SECONDS)
        grid = np.arange(np.ceil(t0 / every) * every, t1, every)
        changes = np.array([start + m * MINUTE for m, _ in infusion.steps])
        times = np.unique(np.concatenate([grid, changes[(changes >= t0) & (changes < t1)]]))
        rates = infusion.rate(start, times)
        for t, rate in zip(times, rates, strict=True):
            if rate != rate:
                continue  # not yet running
            ts, control = format_dtm(float(t)), control_id("PMP")
            segs = [
                *_header(monitor, "SIM_PUMP", eui, float(t), "ORU^R01^ORU_R01", control),
                f"OBR|1|{control}^SIM_PUMP^{eui}^EUI-64|{control}^SIM_PUMP^{eui}^EUI-64"
                f"|182777000^monitoring of patient^SCT|||{ts}",
                f"OBX|1||69985^MDC_DEV_PUMP_INFUS_MDS^MDC|1.0.0.0|||||||X|||||||{eui}^^{eui}^EUI-64",
                f"OBX|2|ST|184514^MDC_DRUG_NAME_LABEL^MDC|1.1.1.184514|{infusion.label}||||||R|||{ts}",
                f"OBX|3|NM|158014^MDC_FLOW_FLUID_PUMP_CURRENT^MDC|1.1.1.158014|{rate:g}"
                f"|265266^MDC_DIM_MILLI_L_PER_HR^MDC|||||R|||{ts}",
            ]
            if infusion.concentration > 0:
                segs.append(
                    f"OBX|4|NM|157760^MDC_CONC_DRUG^MDC|1.1.1.157760|{infusion.concentration:g}"
                    f"|ug/mL^ug/mL^UCUM|||||R|||{ts}"
                )
            out.append(Message(float(t), "pump", "\r".join(segs) + "\r"))
    return iter(sorted(out, key=lambda x: x.at))


def alarm_messages(
    model: CourseModel, monitor: SimulatedMonitor, control_id: Control, t0: float, t1: float
) -> Iterator[Message]:
    """Each alarm's start and end (ORU^R40), from the monitor, linked by the alarm id in OBR-29."""
    eui = monitor.eui64
    starts = model.dose_starts()
    out: list[Message] = []
    for n, alarm in enumerate(model.spec.alarms, start=1):
        at = starts[alarm.dose] + alarm.minutes * MINUTE
        alarm_id = f"ALM-{model.spec.seed}-{n}"
        code = ALARM_CODES.get(alarm.event, 196_948)
        text = alarm.text or ALARM_TEXT.get(alarm.event, alarm.event)
        for when, phase, state in ((at, "start", "active"), (at + alarm.seconds, "end", "inactive")):
            if not t0 <= when < t1:
                continue
            ts, control = format_dtm(when), control_id("ALM")
            hr = float(model.vitals(np.array([when]))["hr"][0])
            segs = [
                *_header(monitor, monitor.application, eui, when, "ORU^R40^ORU_R40", control),
                f"OBR|1|{control}^SIM_MON|{alarm_id}^SIM_MON|196616^MDC_EVT_ALARM^MDC|||{ts}"
                f"|||||||||||||||||||||{alarm_id}",
                f"OBX|1|ST|{code}^{alarm.event}^MDC|1.1.1.147842.1|{text}|||PH|||F|||{ts}"
                f"||||{eui}^^{eui}^EUI-64",
                f"OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.147842.2|{hr:g}"
                "|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||F",
                f"OBX|3|ST|68481^MDC_ATTR_EVENT_PHASE^MDC|1.1.1.147842.3|{phase}||||||F",
                f"OBX|4|ST|68482^MDC_ATTR_ALARM_STATE^MDC|1.1.1.147842.4|{state}||||||F",
            ]
            out.append(Message(when, "alarm", "\r".join(segs) + "\r"))
    return iter(sorted(out, key=lambda x: x.at))
