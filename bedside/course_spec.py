"""What a synthetic ICU course is made of, and how it is read from TOML.

A CourseSpec names the patient's course: its doses, a reaction, artefacts, and the perturbations,
intermittent measurements, drug pumps, device alarms and extra labs the clinical validation cases are
built from. Scenarios (resources/scenarios/NAME.toml, one patient or a ward of `[[bed]]`s) and
validation cases are tables of it; bedside.course turns a spec into values.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bedside.resources import resource_path

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0
Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Dose:
    after_hours: float
    """Start, in hours after the course start."""
    minutes: float = 45.0
    cells_per_kg: float = 1.0e6
    route: str = "pump"
    """"pump" (PCD-10 events) or "gravity" (only the nurse's eMAR record)."""


@dataclass(frozen=True)
class Reaction:
    dose: int
    """Index into the doses."""
    onset_minutes: float
    """After that dose's start."""
    severity: float = 1.0


@dataclass(frozen=True)
class Artefact:
    kind: str
    """probe_off (SpO2), poor_signal (SpO2), motion (HR spike), flush (arterial line), temp_probe_off,
    suction (ventilator circuit opened), feed_stop."""
    after_hours: float
    seconds: float


@dataclass(frozen=True)
class Perturbation:
    """A change to one or more signals: the clinical validation cases are built from these.

    `mode`: "delta" adds `amount`, "scale" multiplies by it, "value" replaces the signal by it, "absent"
    removes it (the stream stops). The change is weighted by an envelope: 0 before the onset, rising
    linearly over `rise_minutes` to 1, held `hold_minutes`, falling over `fall_minutes` (a step when
    both are 0); `repeat` times, `every_minutes` apart. The onset is `onset_minutes` after the start of
    dose `dose` (0-based), or `after_hours` after the course start; with neither it holds for the whole
    course (a constant offset: the sick-but-stable patient). Signals are the keys of `vitals()` and
    `ventilator()`, a lab analyte key, or "pf" (the P/F ratio of the blood gases)."""

    signals: tuple[str, ...]
    mode: str = "delta"
    amount: float = 0.0
    dose: int | None = None
    after_hours: float | None = None
    onset_minutes: float = 0.0
    rise_minutes: float = 0.0
    hold_minutes: float = math.inf
    fall_minutes: float = 0.0
    repeat: int = 1
    every_minutes: float = 0.0


@dataclass(frozen=True)
class Intermittent:
    """Signals measured now and then, not continuously: a cuff pressure every 15 min, a temperature
    every 30 min, a spot SpO2. Values exist only at epoch-aligned multiples of `every_minutes`."""

    signals: tuple[str, ...]
    every_minutes: float


@dataclass(frozen=True)
class Infusion:
    """A drug pump channel (a vasopressor): its drug-library label, concentration and rate steps.

    `steps` are (minutes after the start of dose `dose`, rate in mL/h); before the first step the
    pump is not running (no reports). A rate of 0 is a pump on hold."""

    label: str
    concentration: float
    """µg/mL, as the pump reports MDC_CONC_DRUG; 0: not reported (the label's own is read)."""
    steps: tuple[tuple[float, float], ...]
    dose: int = 0

    def rate(self, dose_start: float, times: Array) -> Array:
        """mL/h at `times`; NaN before the pump runs."""
        at = np.array([dose_start + m * MINUTE for m, _ in self.steps])
        rates = np.array([r for _, r in self.steps] + [np.nan])
        i = np.searchsorted(at, times, side="right") - 1
        return np.where(i >= 0, rates[i], np.nan)


@dataclass(frozen=True)
class DeviceAlarmSpec:
    """A monitor alarm (IHE PCD-04), e.g. MDC_EVT_ECG_V_TACHY, from start to end."""

    event: str
    minutes: float
    """After the start of dose `dose`."""
    seconds: float = 30.0
    dose: int = 0
    text: str = ""


@dataclass(frozen=True)
class ExtraLab:
    """A lab result outside the daily panels: `minutes` after the start of dose `dose`."""

    minutes: float
    values: dict[str, float]
    dose: int = 0
    haemolysed: bool = False


@dataclass(frozen=True)
class CourseSpec:
    name: str
    seed: int
    start: float
    """Epoch s of the course start (intubated shortly before)."""
    days: float = 10.0
    weight_kg: float = 78.0
    improving: bool = True
    doses: tuple[Dose, ...] = ()
    reaction: Reaction | None = None
    artefacts: tuple[Artefact, ...] = ()
    extubation_hours: float | None = None
    """When the patient is extubated (ventilator values end); None: not during the course."""
    report_interval: float = 5.0
    demo_history_hours: float = 21.0
    """How much of the course `bedside --demo --scenario NAME` shows as already past."""
    perturbations: tuple[Perturbation, ...] = ()
    intermittent: tuple[Intermittent, ...] = ()
    cuff_pressure: bool = False
    """Non-invasive cuff pressure (nibp_*) instead of an arterial line (abp_*)."""
    capnography: bool = False
    """The ventilator also reports EtCO2."""
    set_rate: bool = False
    """The ventilator also reports its set rate (vent_rr_set)."""
    ddimer_basis: str = "FEU"
    """The lab's D-dimer: "FEU" (mg/L, 48065-7) or "DDU" (ng/mL, 48066-5)."""
    infusions: tuple[Infusion, ...] = ()
    alarms: tuple[DeviceAlarmSpec, ...] = ()
    extra_labs: tuple[ExtraLab, ...] = ()
    lab_ranges: bool = False
    """The lab sends its reference ranges (OBX-7): rules comparing with the upper limit need them."""
    reintubation_hours: float | None = None
    """Intubated again after the extubation (the ventilator reports again); None: never."""
    reextubation_hours: float | None = None
    """Extubated (or liberated through the tracheostomy) after the reintubation; None: not in the course."""
    tracheostomy_hours: float | None = None
    icu_discharge_hours: float | None = None
    """Leaves the ICU (ADT discharge): the monitor and ventilator stop."""
    death_hours: float | None = None
    """Dies (ADT discharge, disposition expired): every feed stops."""
    symptom_onset_days: float | None = None
    """Days from symptom onset to the course start (the clinician enters the date)."""
    follow_up_days: float | None = None
    """A follow-up finds the patient alive this many days after the course start (entered)."""


@dataclass(frozen=True)
class BedCourse:
    """One bed of a multi-bed scenario: its course and who is in it."""

    spec: CourseSpec
    mrn: str
    family_name: str
    given_name: str
    room: str


def load_beds(name: str, start: float) -> list[BedCourse]:
    """The beds of a scenario: several for a `[[bed]]` preset (ward), else the one patient."""
    with resource_path("scenarios", f"{name}.toml").open("rb") as f:
        d = tomllib.load(f)
    if "bed" not in d:
        spec = load_scenario(name, start)
        return [BedCourse(spec, f"SIM{spec.seed}", "SYNTHETIC", "Patient A", "12")]
    beds = []
    for b in d["bed"]:
        spec = load_scenario(b["scenario"], start)
        family, _, given = b["name"].partition("^")
        beds.append(
            BedCourse(
                replace(
                    spec,
                    name=f"{name}/{b['scenario']}",
                    seed=int(b["seed"]),
                    demo_history_hours=float(d.get("demo_history_hours", spec.demo_history_hours)),
                ),
                b["mrn"],
                family,
                given,
                str(b["room"]),
            )
        )
    return beds


def load_scenario(name: str, start: float, path: Path | None = None) -> CourseSpec:
    """A named preset from resources/scenarios/NAME.toml, anchored at `start`."""
    with (path or resource_path("scenarios", f"{name}.toml")).open("rb") as f:
        d = tomllib.load(f)
    return spec_from_dict(name, d, start)


def _names(x: str | list[str]) -> tuple[str, ...]:
    return (x,) if isinstance(x, str) else tuple(x)


def _perturbation(x: dict) -> Perturbation:
    x = dict(x)
    signals = _names(x.pop("signal", x.pop("signals", ())))
    if x.pop("shape", "bump") == "step":
        x.setdefault("rise_minutes", 0.0)
        x.setdefault("fall_minutes", 0.0)
    return Perturbation(signals=signals, **x)


def spec_from_dict(name: str, d: dict, start: float) -> CourseSpec:
    """A course from a scenario's (or a validation case's) TOML table, anchored at `start`.

    Beyond the scenario keys: `[[perturbation]]` (signal(s), mode, amount, dose or after_hours,
    onset/rise/hold/fall minutes, shape = "step", repeat, every_minutes), `[[intermittent]]`
    (signals, every_minutes), `cuff_pressure`, `capnography`, `set_rate`, `ddimer_basis`,
    `[[infusion]]` (label, concentration, steps = [[minutes, mL/h], ...], dose), `[[alarm]]` (event,
    minutes, seconds, dose), `[[lab]]` (minutes, values, dose, haemolysed) and the outcome keys
    (OUTCOME_KEYS: reintubation, tracheostomy, ICU discharge, death, symptom onset, a follow-up)."""
    reaction = d.get("reaction")
    return CourseSpec(
        name=name,
        seed=int(d.get("seed", 4417)),
        start=start,
        days=float(d.get("days", 10)),
        weight_kg=float(d.get("weight_kg", 78)),
        improving=bool(d.get("improving", True)),
        doses=tuple(Dose(**x) for x in d.get("dose", [])),
        reaction=Reaction(**reaction) if reaction else None,
        artefacts=tuple(Artefact(**x) for x in d.get("artefact", [])),
        extubation_hours=d.get("extubation_hours"),
        report_interval=float(d.get("report_interval", 5.0)),
        demo_history_hours=float(d.get("demo_history_hours", 21.0)),
        perturbations=tuple(_perturbation(x) for x in d.get("perturbation", [])),
        intermittent=tuple(
            Intermittent(_names(x["signals"]), float(x["every_minutes"])) for x in d.get("intermittent", [])
        ),
        cuff_pressure=bool(d.get("cuff_pressure", False)),
        capnography=bool(d.get("capnography", False)),
        set_rate=bool(d.get("set_rate", False)),
        ddimer_basis=str(d.get("ddimer_basis", "FEU")),
        infusions=tuple(
            Infusion(
                x["label"],
                float(x.get("concentration", 0.0)),
                tuple((float(m), float(r)) for m, r in x["steps"]),
                int(x.get("dose", 0)),
            )
            for x in d.get("infusion", [])
        ),
        alarms=tuple(DeviceAlarmSpec(**x) for x in d.get("alarm", [])),
        extra_labs=tuple(ExtraLab(**x) for x in d.get("lab", [])),
        lab_ranges=bool(d.get("lab_ranges", False)),
        **{k: None if d.get(k) is None else float(d[k]) for k in OUTCOME_KEYS},
    )


OUTCOME_KEYS = (
    "reintubation_hours",
    "reextubation_hours",
    "tracheostomy_hours",
    "icu_discharge_hours",
    "death_hours",
    "symptom_onset_days",
    "follow_up_days",
)
"""The keys of a course's outcomes: what a clinician enters, and what the feeds stop at."""
