"""Technical findings: what Bedside cannot see, said out loud instead of looking like safety.

A technical alert asks a person to look at the patient and the sensor. It is raised when the whole
monitor feed goes silent (`STALE`), when one stream stops while the others go on (an SpO2 probe off),
and when a reading the rules would once have dropped as an artefact persists: a value outside the
plausible range, a pulse pressure under 10 mmHg, an oximeter pulse that disagrees with the ECG
(`TECH_<SIGNAL>`). They are never counted as clinical findings.
"""

from __future__ import annotations

import itertools

import numpy as np

from bedside.i18n import N_
from bedside.rules.data import PatientData
from bedside.rules.findings import Finding
from bedside.rules.minutes import MinuteGrid, MinuteSignal
from bedside.rules.ruleset import RuleSet

STREAM_STOP_SECONDS = 120.0
"""One stream silent this long while the monitor sends others is a technical alert."""
CONTINUOUS_SECONDS = 60.0
"""A stream whose readings came at most this far apart was continuous (not a cuff every 10 min)."""
LABELS = {
    "hr": N_("Heart rate"),
    "pr_spo2": N_("Oximeter pulse rate"),
    "spo2": N_("SpO2"),
    "abp_sys": N_("Systolic pressure"),
    "abp_dia": N_("Diastolic pressure"),
    "abp_mean": N_("Mean pressure"),
    "temp": N_("Temperature"),
    "rr": N_("Respiratory rate"),
    "etco2": N_("EtCO2"),
}
# The technical alerts' messages, written in English into the alert and the safety log; a screen
# in another language reads them back against these templates (bedside.rules.messages).
STREAM_STOPPED = N_(
    "No {label} values for {silence} while the monitor sends other values: check the "
    "patient and the sensor. The rules cannot read this signal now."
)
SENSOR_MESSAGES = {
    "range": N_(
        "{label} outside the plausible range {lo}-{hi} for {minutes} min: check the patient and the sensor."
    ),
    "range_median": N_(
        "{label} outside the plausible range {lo}-{hi} for {minutes} min (median {median}): check the "
        "patient and the sensor."
    ),
    "pulse_pressure": N_(
        "Arterial pulse pressure under 10 mmHg (a damped line, or a very low output) for {minutes} min: "
        "check the patient and the sensor."
    ),
    "pulse_deficit": N_(
        "The oximeter's pulse rate disagrees with the ECG (a pulse deficit, or a poor signal) for {minutes} "
        "min: check the patient and the sensor."
    ),
}
TECHNICAL = "technical alert: check the patient and the sensor"


def technical_id(signal: str) -> str:
    return f"TECH_{signal.upper()}"


def is_technical(rule_id: str) -> bool:
    return rule_id == "STALE" or rule_id.startswith("TECH_")


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"


def _times(rules: RuleSet, data: PatientData, signal: str) -> np.ndarray:
    parts = [s.times for p in rules.signals[signal].parameters for s in data.parameters.get(p, [])]
    return np.unique(np.concatenate(parts)) if parts else np.array([])


def _heard(data: PatientData, w1: float) -> float:
    """The end of the span whose silence can be judged: a feed still catching up a backlog has not
    sent what came after its newest value yet (not silence: the next commits bring it)."""
    return w1 if data.heard_until is None else min(w1, data.heard_until)


def stale_feed(rules: RuleSet, data: PatientData, w0: float, w1: float) -> list[Finding]:
    """Silence is not safety: a gap in every monitor signal during the window is itself an alert."""
    st = rules.stale
    assert st is not None
    w1 = _heard(data, w1)
    if w1 <= w0:
        return []
    parts = [_times(rules, data, name) for name in st.signals]
    times = np.unique(np.concatenate(parts)) if parts else np.array([])
    times = times[(times >= w0 - st.after_seconds) & (times <= w1)]
    edges = np.concatenate(([w0], times[times >= w0], [w1]))
    if len(times) and times[0] < w0:
        edges[0] = times[times < w0][-1]
    out = []
    for a, b in itertools.pairwise(edges):
        if b - a <= st.after_seconds:
            continue
        still = b >= w1 and (len(times) == 0 or times[-1] < w1 - st.after_seconds)
        silence = b - a
        out.append(
            Finding(
                "STALE",
                st.severity,
                float(a),
                float(a + st.after_seconds),
                float(b),
                not still,
                st.message.replace("{silence}", ("at least " if still else "") + _duration(silence)),
                {"silence_s": round(float(silence), 1)},
                (),
                ("technical alert: a feed stopped",),
            )
        )
    return out


def stream_stops(rules: RuleSet, data: PatientData, w0: float, w1: float, now: float) -> list[Finding]:
    """One continuous stream silent for `STREAM_STOP_SECONDS` while the monitor's other streams go on
    (an SpO2 probe off, an arterial line disconnected). A whole-monitor silence is `STALE`'s."""
    st = rules.stale
    assert st is not None
    w1 = _heard(data, w1)
    if w1 <= w0:
        return []
    streams = {name: _times(rules, data, name) for name in st.signals}
    out = []
    for name, times in streams.items():
        if len(times) < 3:
            continue
        others = np.unique(np.concatenate([t for n, t in streams.items() if n != name] or [np.array([])]))
        ends = np.concatenate((times, [w1]))
        for i in range(1, len(ends)):
            a, b = float(ends[i - 1]), float(ends[i])
            if b - a <= STREAM_STOP_SECONDS or b <= w0 or a + STREAM_STOP_SECONDS >= w1:
                continue
            before = np.diff(times[max(0, i - 11) : i])
            if len(before) < 2 or float(np.median(before)) > CONTINUOUS_SECONDS:
                continue  # not a continuous stream (a cuff pressure, a manual reading)
            inside = others[(others > a) & (others < b)]
            if len(inside) == 0:
                continue  # everything stopped: the stale-feed alert says so
            still = i == len(times)
            label = LABELS.get(name, name)
            text = f"{'at least ' if still else ''}{_duration(b - a)}"
            out.append(
                Finding(
                    technical_id(name),
                    st.severity,
                    a,
                    a + STREAM_STOP_SECONDS,
                    b,
                    not still,
                    STREAM_STOPPED.format(label=label, silence=text),
                    {"silence_s": round(b - a, 1)},
                    (),
                    (TECHNICAL,),
                )
            )
    return out


def _sensor_message(
    name: str, why: str, lo: float | None, hi: float | None, minutes: int, median: float | None
) -> str:
    label = LABELS.get(name, name)
    if why == "range":
        key = "range" if median is None else "range_median"
        return SENSOR_MESSAGES[key].format(
            label=label, lo=f"{lo:g}", hi=f"{hi:g}", minutes=minutes, median=f"{median:g}"
        )
    if why == "pulse_pressure":
        return SENSOR_MESSAGES["pulse_pressure"].format(minutes=minutes)
    return SENSOR_MESSAGES["pulse_deficit"].format(minutes=minutes)


def sensor_findings(
    rules: RuleSet, signals: dict[str, MinuteSignal], grid: MinuteGrid, w0: float, w1: float, now: float
) -> list[Finding]:
    """Readings that would be artefacts if brief, persisting: read or dropped by the minute filters,
    and said here so that neither way is silent."""
    st = rules.stale
    if st is None or w1 <= w0 or grid.n == 0:
        return []
    closed = int(np.floor(now / 60.0)) - grid.m0
    i0, i1 = max(0, grid.index(w0)), min(grid.n, grid.index(w1) + 1, closed)
    out = []
    for name in st.sensor_signals:
        sig = signals.get(name)
        if sig is None:
            continue
        spec = rules.signals[name]
        lo, hi = spec.valid if spec.valid is not None else (None, None)
        for why, mask in sorted(sig.technical.items()):
            m = np.zeros(grid.n, dtype=bool)
            m[i0:i1] = mask[i0:i1]
            edges = np.diff(np.concatenate(([0], m.astype(np.int8), [0])))
            for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
                minutes = int(e - s)
                value = sig.raw[s:e]
                shown = float(np.nanmedian(value)) if np.isfinite(value).any() else None
                message = _sensor_message(name, why, lo, hi, minutes, shown)
                out.append(
                    Finding(
                        technical_id(name),
                        st.severity,
                        grid.start_of(int(s)),
                        grid.start_of(int(s) + 2),
                        grid.start_of(int(e)),
                        closed - int(e) > rules.rearm_minutes,
                        message,
                        {"minutes": float(minutes)},
                        (),
                        (TECHNICAL,),
                    )
                )
    return out
