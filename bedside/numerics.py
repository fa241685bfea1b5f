"""The big numbers on the nurse's screen: current value, its age, the pre-dose baseline and the change.

A value is coloured only when an open alert's rule reads it (colour carries meaning only, so that a
red tile always means an alert about that value),
and greyed with its age when it is older than its feed's usual interval allows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bedside.alerts import Alert
from bedside.feeds import FeedState, FeedStatus, data_age
from bedside.i18n import N_, _
from bedside.rules.engine import Baseline
from bedside.units import format_change, format_number

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True)
class NumericSpec:
    key: str
    """The rule signal it shows (bedside/rules signal names): links it to baselines and alerts."""
    label: str
    unit: str
    parameters: tuple[str, ...]
    """Stored parameters, first present wins (ABP before NIBP)."""
    stale_after: float
    """Seconds after which the value is greyed: a few of its feed's usual intervals."""
    decimals: int = 0
    companions: tuple[str, ...] = ()
    """Signals drawn in the same tile (diastolic and mean beside systolic)."""


NUMERICS: tuple[NumericSpec, ...] = (
    NumericSpec("hr", N_("HR"), "/min", ("hr", "pr_spo2"), 60.0),
    NumericSpec("spo2", N_("SpO2"), "%", ("spo2",), 60.0),
    NumericSpec(
        "abp_sys", N_("BP"), "mm[Hg]", ("abp_sys", "nibp_sys"), 60.0, companions=("abp_dia", "abp_mean")
    ),
    NumericSpec("temp", N_("Temp"), "Cel", ("temp", "temp_peripheral"), 600.0, decimals=1),
    NumericSpec("rr", N_("RR"), "/min", ("rr", "vent_rr"), 120.0),
    NumericSpec("fio2", N_("FiO2"), "%", ("fio2_set", "fio2"), 600.0),
    NumericSpec("peep", N_("PEEP"), "cm[H2O]", ("peep_set", "peep"), 600.0),
    NumericSpec("ppeak", N_("Ppeak"), "cm[H2O]", ("ppeak",), 120.0),
)
NIBP_STALE_AFTER = 70 * 60.0
"""A cuff cycles every 15-60 min: its value is current for longer than an arterial line's."""
MANUAL_STALE_AFTER = 70 * 60.0
"""Vital signs taken by hand are charted about hourly: as current as a cuff's, no more."""
STOPPED_TOLERANCE = 1.0
"""Seconds: times at rest are whole milliseconds, and a feed's values and its own last time are
stored apart; a value this close to a stopped feed's newest one counts as sent by it."""
_COMPANION_PARAMETERS = {
    "abp_dia": ("abp_dia", "nibp_dia"),
    "abp_mean": ("abp_mean", "nibp_mean"),
}


@dataclass(frozen=True)
class NumericReading:
    spec: NumericSpec
    value: float | None
    at: float | None
    age: float | None
    stale: bool
    source: str
    """The stored parameter shown (abp_sys or nibp_sys): the label says which."""
    baseline: float | None
    baseline_note: str
    severity: str | None
    """Highest severity of the open alerts whose rule reads this signal; None: not coloured."""
    companions: tuple[float | None, ...] = ()
    companion_baselines: tuple[float | None, ...] = ()
    manual: bool = False
    """The value was entered by hand (a nurse's reading), not sent by a device."""
    site: str = ""
    """For a temperature entered by hand: where it was taken (core, tympanic, …)."""
    context: str = ""
    """Why this value is not new: a baseline already past an absolute threshold, and what alerts."""

    @property
    def shown_severity(self) -> str | None:
        """The severity its colour shows: none for a value that is not current, which is greyed with
        its age whatever alert it is part of (a red number reads as the patient now)."""
        return None if self.stale and self.value is not None else self.severity

    @property
    def label(self) -> str:
        if self.spec.key == "abp_sys":
            return _("NIBP") if self.source.startswith("nibp") else _("ABP")
        return _(self.spec.label)

    @property
    def change(self) -> float | None:
        if self.value is None or self.baseline is None:
            return None
        return self.value - self.baseline

    def text(self) -> str:
        if self.value is None:
            return "—"
        main = format_number(self.value, self.spec.decimals)
        if self.spec.key == "abp_sys":
            dia, mean = (*self.companions, None, None)[:2]
            main += f"/{format_number(dia, 0)}" if dia is not None else "/—"
            if mean is not None:
                main += f" ({format_number(mean, 0)})"
        return main

    def baseline_text(self) -> str:
        if self.baseline is None:
            return _("no baseline") if self.baseline_note else ""
        text = _("base {value}").format(value=format_number(self.baseline, self.spec.decimals))
        if self.spec.key == "abp_sys" and self.companion_baselines:
            dia, mean = (*self.companion_baselines, None, None)[:2]
            text += f"/{format_number(dia, 0)}" if dia is not None else ""
            text += f" ({format_number(mean, 0)})" if mean is not None else ""
        return text

    def change_text(self) -> str:
        c = self.change
        if c is None:
            return ""
        return format_change(c, self.spec.decimals)


def readings(
    latest: Mapping[str, tuple[float, float]],
    baselines: Mapping[str, Baseline],
    open_alerts: Sequence[Alert],
    rule_signals: Mapping[str, frozenset[str]],
    now: float,
    specs: Sequence[NumericSpec] = NUMERICS,
    manual: Mapping[str, str] | None = None,
    context: Mapping[str, str] | None = None,
    feeds: Sequence[FeedStatus] = (),
) -> list[NumericReading]:
    """`latest`: stored parameter → (time, value) of its newest value; `open_alerts`: the patient's
    open alerts (each marks the signals its rule reads with its severity); `rule_signals`: rule id →
    the signals its condition reads; `manual`: the parameters whose newest value was entered by
    hand → its series instance (the site); `feeds`: the bed's device feeds."""
    manual = manual or {}
    # A device value no newer than the newest one a stopped feed sent may be that feed's last word:
    # it is not current, whatever its own interval and whatever alert it is part of.
    stopped = [data_age(f) for f in feeds if f.continuous and f.state is FeedState.STALE]
    stopped_age = min(stopped) if stopped else None
    severity: dict[str, str] = {}
    for alert in open_alerts:
        sev = alert.severity
        for signal in rule_signals.get(alert.rule_id, frozenset()):
            if SEVERITY_RANK.get(sev, 0) > SEVERITY_RANK.get(severity.get(signal, ""), 0):
                severity[signal] = sev
    out = []
    for spec in specs:
        source = next((p for p in spec.parameters if p in latest), spec.parameters[0])
        at, value = latest.get(source, (None, None))
        age = None if at is None else max(0.0, now - at)
        limit = NIBP_STALE_AFTER if source.startswith("nibp") else spec.stale_after
        if source in manual:
            limit = max(limit, MANUAL_STALE_AFTER)
        elif stopped_age is not None and age is not None and age + STOPPED_TOLERANCE >= stopped_age:
            limit = 0.0
        base = baselines.get(spec.key)
        nibp = source.startswith("nibp")
        companions = tuple(
            _companion(latest, _COMPANION_PARAMETERS[c][1 if nibp else 0]) for c in spec.companions
        )
        out.append(
            NumericReading(
                spec,
                value,
                at,
                age,
                age is None or age > limit,
                source,
                None if base is None else base.value,
                "" if base is None else base.note,
                severity.get(spec.key) or next((severity[c] for c in spec.companions if c in severity), None),
                companions,
                tuple(baselines[c].value if c in baselines else None for c in spec.companions),
                source in manual and at is not None,
                manual.get(source, ""),
                (context or {}).get(spec.key, ""),
            )
        )
    return out


def _companion(latest: Mapping[str, tuple[float, float]], parameter: str) -> float | None:
    hit = latest.get(parameter)
    return None if hit is None else hit[1]
