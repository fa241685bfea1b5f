"""Vital signs a nurse measured by hand: what may be entered, and what gets stored.

Many ICUs have no continuous core temperature, and a cuff pressure or a spot SpO2 is often taken by
hand. Such values are stored like any device value (the rule engine and the screens read them in the
same parameters), in series whose source device is `manual`, so a value always says where it came
from. This module decides what an entry means; the database adapter stores it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from bedside.clock import to_ms
from bedside.commands import RecordVitals, VitalsError
from bedside.i18n import N_, _, localize_number
from bedside.model import PatientRef

MANUAL_DEVICE = "manual"
"""The source device of every hand-entered series (part of the series identity)."""

CORE_SITES = ("core", "oesophageal", "bladder", "rectal")
PERIPHERAL_SITES = ("tympanic", "axillary", "oral")
TEMP_SITES = CORE_SITES + PERIPHERAL_SITES
"""Where a temperature was taken. The site is the series instance: a tympanic reading is kept apart
from a bladder probe's, as peripheral sites read lower."""
TEMP_SITE_LABELS = {
    "core": N_("core"),
    "oesophageal": N_("oesophageal"),
    "bladder": N_("bladder"),
    "rectal": N_("rectal"),
    "tympanic": N_("tympanic"),
    "axillary": N_("axillary"),
    "oral": N_("oral"),
}
"""A site as a person reads it (translated with `_()` where shown); the code is what is stored."""


def site_name(site: str) -> str:
    """A temperature site in the reader's language; an unknown one as stored."""
    return _(TEMP_SITE_LABELS[site]) if site in TEMP_SITE_LABELS else site


FUTURE_TOLERANCE = 5 * 60.0
"""A time this far ahead of the clock is still taken (a wall clock a few minutes fast)."""
OLDEST = 7 * 24 * 3600.0
"""An entry older than this is refused: more likely a typo in the date than a late note."""


@dataclass(frozen=True)
class Limit:
    label: str
    unit: str
    """Canonical UCUM unit of the parameter (resources' parameter catalogue)."""
    shown: str
    low: float
    high: float
    decimals: int = 0
    """The most decimals a reading of it has: none for a count per minute (a rate is a whole number
    of breaths or beats), a cuff pressure or a spot SpO2, one for a thermometer. A value written with
    more is a typo or a misplaced separator ("30,5" breaths/min), refused rather than rounded."""


LIMITS: dict[str, Limit] = {
    "temp": Limit(N_("Temperature"), "Cel", "°C", 25.0, 45.0, 1),
    "nibp_sys": Limit(N_("Systolic"), "mm[Hg]", "mmHg", 40.0, 300.0),
    "nibp_dia": Limit(N_("Diastolic"), "mm[Hg]", "mmHg", 15.0, 200.0),
    "nibp_mean": Limit(N_("Mean"), "mm[Hg]", "mmHg", 20.0, 250.0),
    "spo2": Limit(N_("SpO2"), "%", "%", 50.0, 100.0),
    "hr": Limit(N_("Heart rate"), "/min", "/min", 20.0, 300.0),
    "rr": Limit(N_("Respiratory rate"), "/min", "/min", 1.0, 80.0),
}
"""What a person can plausibly measure at the bedside; outside it, the entry is most likely a typo
(38.4 typed as 384) and is refused with a message rather than stored."""


@dataclass(frozen=True)
class ManualValue:
    """One value to store: parameter key, canonical unit, value and series instance (the site)."""

    parameter: str
    unit: str
    value: float
    instance: str = ""
    computed: bool = False
    """True for a mean pressure computed from systolic and diastolic."""


def mean_pressure(sys: float, dia: float) -> float:
    """The usual estimate of a cuff's mean pressure, (sys + 2 dia) / 3, to one decimal."""
    return round((sys + 2.0 * dia) / 3.0, 1)


def validate(cmd: RecordVitals, now: float, patient_ref: PatientRef | None) -> tuple[ManualValue, ...]:
    """The values to store for `cmd`, or VitalsError with a message for the person entering them.

    `patient_ref`: the stored patient `cmd.patient` names, None when there is no such patient."""
    if not cmd.by.strip():
        raise VitalsError(_("say who measured or entered these values (initials or staff id)"))
    if patient_ref is None:
        raise VitalsError(
            _("no patient {patient!r} in this database: check the MRN").format(patient=str(cmd.patient))
        )
    _check_time(cmd.at, now)
    given = {
        "temp": cmd.temp,
        "nibp_sys": cmd.sys,
        "nibp_dia": cmd.dia,
        "nibp_mean": cmd.mean,
        "spo2": cmd.spo2,
        "hr": cmd.hr,
        "rr": cmd.rr,
    }
    if all(v is None for v in given.values()):
        raise VitalsError(
            _("enter at least one value: temperature, blood pressure, SpO2, heart rate or respiratory rate")
        )
    for key, value in given.items():
        if value is not None:
            _check_range(key, value)
    site = (cmd.temp_site or "").strip().lower()
    if cmd.temp is not None and site not in TEMP_SITES:
        what = (
            _("{site!r} is not a temperature site").format(site=cmd.temp_site)
            if site
            else _("give the temperature's site")
        )
        raise VitalsError(
            _("{what}: one of {temp_sites}").format(
                what=what, temp_sites=", ".join(site_name(s) for s in TEMP_SITES)
            )
        )
    if cmd.temp is None and site:
        raise VitalsError(_("a temperature site was given without a temperature"))
    mean, computed = _pressure(cmd.sys, cmd.dia, cmd.mean)
    out: list[ManualValue] = []
    if cmd.temp is not None:
        # A peripheral reading is its own parameter: a core value is preferred wherever both exist.
        parameter = "temp_peripheral" if site in PERIPHERAL_SITES else "temp"
        out.append(ManualValue(parameter, LIMITS["temp"].unit, float(cmd.temp), site))
    if cmd.sys is not None and cmd.dia is not None and mean is not None:
        unit = LIMITS["nibp_sys"].unit
        out += [
            ManualValue("nibp_sys", unit, float(cmd.sys)),
            ManualValue("nibp_dia", unit, float(cmd.dia)),
            ManualValue("nibp_mean", unit, mean, computed=computed),
        ]
    for key, value in (("spo2", cmd.spo2), ("hr", cmd.hr), ("rr", cmd.rr)):
        if value is not None:
            out.append(ManualValue(key, LIMITS[key].unit, float(value)))
    return tuple(out)


def _check_time(at: float, now: float) -> None:
    if not math.isfinite(at):
        raise VitalsError(_("the time is not a valid time"))
    if at > now + FUTURE_TOLERANCE:
        raise VitalsError(
            _("the time {at} is in the future: enter values after measuring them").format(at=_local(at))
        )
    if at < now - OLDEST:
        raise VitalsError(_("the time {at} is more than 7 days ago: check the date").format(at=_local(at)))


def _check_range(key: str, value: float) -> None:
    limit = LIMITS[key]
    shown = f"{value:g}" if math.isfinite(value) else str(value)
    words = {
        "what": _(limit.label),
        "value": localize_number(shown),
        "unit": limit.shown,
        "low": localize_number(f"{limit.low:g}"),
        "high": localize_number(f"{limit.high:g}"),
    }
    if not math.isfinite(value) or not limit.low <= value <= limit.high:
        raise VitalsError(
            _("{what} {value} {unit} is outside {low}-{high} {unit}: check the value").format(**words)
        )
    if round(value, limit.decimals) != value:
        if limit.decimals == 0:
            raise VitalsError(
                _(
                    "{what} {value} {unit} is not a whole number: enter a whole number from {low} to "
                    "{high} {unit}"
                ).format(**words)
            )
        raise VitalsError(
            _(
                "{what} {value} {unit} has more than one decimal: enter it to one decimal, from {low} "
                "to {high} {unit}"
            ).format(**words)
        )


def _pressure(sys: float | None, dia: float | None, mean: float | None) -> tuple[float | None, bool]:
    """The mean to store and whether it was computed; a cuff pressure needs both sys and dia."""
    if sys is None and dia is None:
        if mean is not None:
            raise VitalsError(_("a mean pressure needs its systolic and diastolic"))
        return None, False
    if sys is None or dia is None:
        raise VitalsError(_("a cuff blood pressure needs both systolic and diastolic"))
    if sys <= dia:
        raise VitalsError(
            _("the systolic ({sys:g}) must be higher than the diastolic ({dia:g})").format(sys=sys, dia=dia)
        )
    if mean is None:
        return mean_pressure(sys, dia), True
    if not dia <= mean <= sys:
        raise VitalsError(
            _("the mean ({mean:g}) must lie between diastolic ({dia:g}) and systolic ({sys:g})").format(
                mean=mean, dia=dia, sys=sys
            )
        )
    return float(mean), False


def describe(values: tuple[ManualValue, ...]) -> str:
    """One line in English, as the safety log stores it: 'Temp 38.4 °C (core), BP 85/50 (62
    computed) mmHg, SpO2 91 %'. A person reads `reading_text`."""
    by = {v.parameter: v for v in values}
    parts = []
    temp = by.get("temp") or by.get("temp_peripheral")
    if temp is not None:
        parts.append(f"Temp {temp.value:.1f} °C ({temp.instance})")
    if "nibp_sys" in by:
        m = by["nibp_mean"]
        mean = f"{m.value:.0f}" + (" computed" if m.computed else "")
        parts.append(f"BP {by['nibp_sys'].value:.0f}/{by['nibp_dia'].value:.0f} ({mean}) mmHg")
    for key, label in (("spo2", "SpO2"), ("hr", "HR"), ("rr", "RR")):
        if key in by:
            parts.append(f"{label} {by[key].value:g} {LIMITS[key].shown}")
    return ", ".join(parts)


def reading_text(
    values: Mapping[str, float], temp_site: str | None = None, mean_computed: bool = False
) -> str:
    """An entry's values in the reader's language, with its decimal separator: 'Temperatura 38,4 °C
    (timpánica), PA 85/50 (62 calculada) mmHg, SpO2 91 %'."""
    parts = []
    temp = values.get("temp", values.get("temp_peripheral"))
    if temp is not None:
        parts.append(
            _("Temperature {value} °C ({site})").format(
                value=localize_number(f"{temp:.1f}"), site=site_name(temp_site or "")
            )
        )
    if "nibp_sys" in values and "nibp_dia" in values:
        mean = values.get("nibp_mean")
        said = "—" if mean is None else f"{mean:.0f}"
        if mean is not None and mean_computed:
            said = _("{mean} computed").format(mean=said)
        parts.append(
            _("BP {sys}/{dia} ({mean}) mmHg").format(
                sys=f"{values['nibp_sys']:.0f}", dia=f"{values['nibp_dia']:.0f}", mean=said
            )
        )
    for key, label in (("spo2", N_("SpO2")), ("hr", N_("HR")), ("rr", N_("RR"))):
        if key in values:
            parts.append(f"{_(label)} {localize_number(f'{values[key]:g}')} {LIMITS[key].shown}")
    return ", ".join(parts)


def parse_number(text: str, what: str) -> float | None:
    """A typed number ('38.4' or '38,4'); empty is None. VitalsError names the field otherwise."""
    s = text.strip().replace(",", ".")
    if not s:
        return None
    try:
        value = float(s)
    except ValueError:
        raise VitalsError(
            _("{what}: {strip!r} is not a number (e.g. 38.4)").format(what=what, strip=text.strip())
        ) from None
    if not math.isfinite(value):
        raise VitalsError(
            _("{what}: {strip!r} is not a number (e.g. 38.4)").format(what=what, strip=text.strip())
        )
    return value


def _local(at: float) -> str:
    return datetime.fromtimestamp(at).astimezone().strftime("%Y-%m-%d %H:%M %Z")


@dataclass(frozen=True)
class StoredVitals:
    """What was stored for one entry: the values, the series each went into, its safety-log entry."""

    patient: PatientRef
    at: float
    by: str
    values: tuple[ManualValue, ...]
    series_ids: tuple[int, ...]
    """Per value, in order: the series it went into."""
    log_seq: int

    def as_json(self) -> dict[str, Any]:
        at_ms = to_ms(self.at)
        return {
            "patient": str(self.patient),
            "at": self.at,
            "by": self.by,
            "values": [
                {**asdict(v), "series_id": sid, "observation": f"obs:{sid}:{at_ms}"}
                for v, sid in zip(self.values, self.series_ids, strict=True)
            ],
            "safety_log_seq": self.log_seq,
        }

    def text(self) -> str:
        """What was stored, in the reader's language."""
        return reading_text(
            {v.parameter: v.value for v in self.values},
            next((v.instance for v in self.values if v.parameter.startswith("temp")), None),
            any(v.computed for v in self.values),
        )
