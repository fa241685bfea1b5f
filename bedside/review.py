"""The intensivist's review of a dose and of a course: before/after tables, data coverage,
outcomes and the cohort, as pure functions of what was stored.

Nothing is interpolated: a value is a stored value with its own time, picked by a stated rule, and a
missing one stays missing with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bedside.i18n import N_, _
from bedside.model import PatientRef
from bedside.oxygenation import pf_ratios
from bedside.units import display_unit

HOUR = 3600.0
DAY = 24 * HOUR
STUDY_LABS: tuple[str, ...] = (
    "crp",
    "ferritin",
    "ddimer_feu",
    "ddimer_ddu",
    "ldh",
    "lymphocytes",
    "cd3_abs",
    "cd4_abs",
    "cd8_abs",
    "cd19_abs",
)
"""The markers of the source study (inflammation, coagulation, tissue damage, lymphocytes and T/B cells)."""
TIMEPOINTS: tuple[tuple[str, float], ...] = (
    ("+24 h", DAY),
    ("+72 h", 3 * DAY),
    ("+7 d", 7 * DAY),
    ("+14 d", 14 * DAY),
    ("+28 d", 28 * DAY),
)
PRE_DOSE = N_("Pre-dose value")
"""The review's baseline of a marker: its last value before the dose, within the marker's stated age.
The alerts' baseline is another definition (the median of a vital sign's valid minutes in the hour
before the dose): the two are named apart so that neither is read as the other."""
WINDOWS: tuple[tuple[str, float, float], ...] = (
    ("0-6 h", 0.0, 6 * HOUR),
    ("6-24 h", 6 * HOUR, DAY),
    ("1-3 d", DAY, 3 * DAY),
    ("3-7 d", 3 * DAY, 7 * DAY),
)
"""Post-dose windows for data coverage, from the dose start."""


@dataclass(frozen=True)
class MarkerSpec:
    key: str
    label: str
    unit: str
    kind: str
    """"lab": a result picked nearest the time point; "pf": an ABG's P/F; "setting": the value in force."""
    tolerance: float
    """How far from the time point a value may be and still stand for it (s)."""
    baseline_age: float
    """How old a pre-dose value may be and still be the baseline (s)."""


MARKERS: tuple[MarkerSpec, ...] = (
    MarkerSpec("pf", N_("P/F ratio"), "mm[Hg]", "pf", 4 * HOUR, 12 * HOUR),
    MarkerSpec("fio2", "FiO2", "%", "setting", HOUR, HOUR),
    MarkerSpec("peep", "PEEP", "cm[H2O]", "setting", HOUR, HOUR),
    MarkerSpec("crp", N_("CRP"), "mg/L", "lab", 12 * HOUR, DAY),
    MarkerSpec("ferritin", N_("Ferritin"), "ug/L", "lab", 12 * HOUR, DAY),
    MarkerSpec("ddimer_feu", N_("D-dimer (FEU)"), "mg/L{FEU}", "lab", 12 * HOUR, DAY),
    # A lab reporting in D-dimer units: its own row, never converted to FEU (the factor is assay dependent).
    MarkerSpec("ddimer_ddu", N_("D-dimer (DDU)"), "ng/mL{DDU}", "lab", 12 * HOUR, DAY),
    MarkerSpec("ldh", N_("LDH"), "U/L", "lab", 12 * HOUR, DAY),
    MarkerSpec("lymphocytes", N_("Lymphocytes"), "10*9/L", "lab", 12 * HOUR, DAY),
    MarkerSpec("cd3_abs", "CD3", "/uL", "lab", 12 * HOUR, DAY),
    MarkerSpec("cd4_abs", "CD4", "/uL", "lab", 12 * HOUR, DAY),
    MarkerSpec("cd8_abs", "CD8", "/uL", "lab", 12 * HOUR, DAY),
    MarkerSpec("cd19_abs", "CD19", "/uL", "lab", 12 * HOUR, DAY),
)


def marker_heading(label: str, unit: str) -> str:
    """'CRP (mg/L)', 'Lymphocytes (10⁹/L)'; 'D-dimer (mg/L FEU)', not 'D-dimer (FEU) (mg/L FEU)'.
    The label in the reader's language (the marker's key is what machines read)."""
    label = _(label)
    shown = display_unit(unit)
    if not shown:
        return label
    name, _sep, note = label.partition(" (")
    if note and note.rstrip(")") in shown.split():
        label = name
    return f"{label} ({shown})"


@dataclass(frozen=True)
class Point:
    at: float
    value: float


@dataclass(frozen=True)
class Cell:
    """One time point of a marker: the value used and its time, or why there is none."""

    point: Point | None
    missing: str = ""
    after_dose: int | None = None
    """The later dose this value was taken after (its change is no longer the first dose's alone)."""

    def change_from(self, baseline: Point | None) -> tuple[float | None, float | None]:
        """(absolute, relative %) change from the baseline, None when either is missing."""
        if self.point is None or baseline is None:
            return None, None
        absolute = self.point.value - baseline.value
        relative = None if baseline.value == 0 else 100.0 * absolute / abs(baseline.value)
        return absolute, relative


@dataclass(frozen=True)
class BeforeAfterRow:
    marker: MarkerSpec
    baseline: Cell
    after: dict[str, Cell]


@dataclass
class Samples:
    """Times (epoch s, sorted) and values of one stream."""

    times: npt.NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    values: npt.NDArray[np.float64] = field(default_factory=lambda: np.empty(0))

    @classmethod
    def of(cls, points: Sequence[tuple[float, float]]) -> Samples:
        if not points:
            return cls()
        pts = sorted(points)
        return cls(np.array([p[0] for p in pts], dtype=float), np.array([p[1] for p in pts], dtype=float))

    def __len__(self) -> int:
        return int(self.times.size)


def nearest(s: Samples, target: float, tolerance: float, not_before: float | None = None) -> Point | None:
    """The stored value nearest `target` within ±`tolerance` (and not before `not_before`)."""
    if not len(s):
        return None
    ok = np.abs(s.times - target) <= tolerance
    if not_before is not None:
        ok &= s.times >= not_before
    idx = np.flatnonzero(ok & np.isfinite(s.values))
    if not idx.size:
        return None
    i = idx[np.argmin(np.abs(s.times[idx] - target))]
    return Point(float(s.times[i]), float(s.values[i]))


def in_force(s: Samples, at: float, max_age: float) -> Point | None:
    """The last value at or before `at`, if no older than `max_age` (a setting stays until changed,
    but a ventilator that stopped reporting says nothing about now)."""
    if not len(s):
        return None
    i = int(np.searchsorted(s.times, at, side="right")) - 1
    while i >= 0 and not math.isfinite(s.values[i]):
        i -= 1
    if i < 0 or at - s.times[i] > max_age:
        return None
    return Point(float(s.times[i]), float(s.values[i]))


def last_before(s: Samples, at: float, max_age: float) -> Point | None:
    """The last value strictly before `at` within `max_age`: a pre-dose baseline."""
    if not len(s):
        return None
    i = int(np.searchsorted(s.times, at, side="left")) - 1
    if i < 0 or at - s.times[i] > max_age:
        return None
    return Point(float(s.times[i]), float(s.values[i]))


def pf_samples(pao2: Samples, fio2: Samples) -> Samples:
    ratios = pf_ratios(
        list(zip(pao2.times.tolist(), pao2.values.tolist(), strict=True)), fio2.times, fio2.values
    )
    return Samples.of([(t, v) for t, v, _f in ratios])


def before_after(
    start: float,
    streams: dict[str, Samples],
    now: float,
    markers: Sequence[MarkerSpec] = MARKERS,
    later_doses: Sequence[tuple[int, float]] = (),
    died: float | None = None,
) -> list[BeforeAfterRow]:
    """Baseline and +24 h … +28 d of each marker for a dose started at `start`; a value taken after
    one of `later_doses` (number, start) names the last such dose. A time point after the recorded
    death (`died`) says so: it will never come, so "not yet" would mislead."""
    rows = []
    for m in markers:
        s = streams.get(m.key, Samples())
        if m.kind == "setting":
            base = in_force(s, start, m.baseline_age)
            base_cell = Cell(base, "" if base else f"none in the {m.baseline_age / HOUR:g} h before")
        else:
            base = last_before(s, start, m.baseline_age)
            base_cell = Cell(base, "" if base else f"none in the {m.baseline_age / HOUR:g} h before")
        after = {}
        for label, offset in TIMEPOINTS:
            target = start + offset
            if died is not None and target > died:
                after[label] = Cell(None, "after death")
                continue
            if target - m.tolerance > now:
                after[label] = Cell(None, "not yet")
                continue
            p = (
                in_force(s, target, m.tolerance)
                if m.kind == "setting"
                else nearest(s, target, m.tolerance, start)
            )
            window = (
                f"±{m.tolerance / HOUR:g} h" if m.kind != "setting" else f"{m.tolerance / HOUR:g} h before"
            )
            after[label] = Cell(p, "" if p else f"no value {window}", _after_dose(p, later_doses))
        rows.append(BeforeAfterRow(m, base_cell, after))
    return rows


def _after_dose(p: Point | None, later_doses: Sequence[tuple[int, float]]) -> int | None:
    if p is None:
        return None
    given = [number for number, begun in sorted(later_doses, key=lambda d: d[1]) if begun <= p.at]
    return given[-1] if given else None


def extubation_candidate(
    vent_times: npt.NDArray[np.float64], other_last: float | None, quiet: float = 6 * HOUR
) -> float | None:
    """The last ventilator value, when the ventilator has been silent for `quiet` while another feed of
    the patient went on: a candidate for the clinician to confirm (a disconnected gateway looks the same)."""
    if not vent_times.size or other_last is None:
        return None
    last = float(vent_times.max())
    return last if other_last - last >= quiet else None


@dataclass(frozen=True)
class CourseEvent:
    kind: str
    """intubation, extubation, icu_discharge, death, alive (a follow-up), radiology"""
    at: float
    text: str = ""
    by: str = ""
    source: str = "clinician"


@dataclass(frozen=True)
class Outcomes:
    intubated: float | None
    intubated_source: str
    first_dose: float | None
    extubated: float | None
    """The extubation the patient is off the ventilator since: None while ventilated again after it."""
    extubation_source: str
    extubation_candidate: float | None
    discharged: float | None
    died: float | None
    last_seen: float | None = None
    """The newest evidence the patient was alive: their newest value, or an entered follow-up."""
    ventilation: tuple[tuple[float, float | None], ...] = ()
    """The periods on the ventilator (start, end; end None: still ventilated), in order."""
    reintubations: tuple[float, ...] = ()
    """Intubations after an extubation."""

    @property
    def ventilated_days_before_first_dose(self) -> float | None:
        """Days on the ventilator before the first dose, over every period before it (a patient
        extubated and reintubated before the dose counts both periods, never the time between)."""
        if self.first_dose is None or not self.ventilation:
            return None
        dose = self.first_dose
        total = sum(
            max(0.0, min(end if end is not None else dose, dose) - start) for start, end in self.ventilation
        )
        return total / DAY

    @property
    def days_from_intubation_to_first_dose(self) -> float | None:
        """From the start of the ventilation period the first dose was given in (or the last one
        before it) to the dose."""
        if self.first_dose is None:
            return None
        before = [start for start, _ in self.ventilation if start <= self.first_dose]
        return (self.first_dose - before[-1]) / DAY if before else None

    @property
    def intubation_to_first_dose_is_lower_bound(self) -> bool:
        """Whether `days_from_intubation_to_first_dose` counts from the first ventilator value
        Bedside holds, no intubation being entered for that period: the patient may have been
        intubated before that value (another hospital, a feed started later), so the time is at
        least that long."""
        if self.first_dose is None or self.intubated_source != "first ventilator value":
            return False
        before = [start for start, _ in self.ventilation if start <= self.first_dose]
        return bool(before) and len(before) == 1 and before[0] == self.intubated

    def alive_at_day(self, days: float, now: float) -> bool | None:
        """Alive `days` after the first dose: False if a death is recorded by then, True only with
        evidence of life on or after that day (data, or a follow-up entered), else None: the absence
        of a death record is not survival."""
        del now
        if self.first_dose is None:
            return None
        day = self.first_dose + days * DAY
        if self.died is not None and self.died <= day:
            return False
        return True if self.last_seen is not None and self.last_seen >= day else None


def ventilation_periods(
    events: Sequence[CourseEvent], first_vent: float | None
) -> tuple[tuple[tuple[float, float | None], ...], tuple[float, ...]]:
    """The periods on the ventilator from the intubations and extubations entered (in time order),
    the first starting at the first ventilator value when that is earlier than any intubation
    entered (a patient admitted ventilated); and the reintubations. An extubation with no
    ventilation before it, or a second intubation with no extubation between, changes nothing."""
    marks = sorted((e.at, e.kind) for e in events if e.kind in ("intubation", "extubation"))
    periods: list[list[float | None]] = []
    reintubations: list[float] = []
    # An intubation entered first is the start (the ventilator's clock or feed may start a little
    # before or after it); with none entered before the first extubation, the patient came
    # ventilated, since their first ventilator value.
    first = marks[0] if marks else None
    if first_vent is not None and (first is None or (first[1] == "extubation" and first_vent < first[0])):
        periods.append([first_vent, None])
    for at, kind in marks:
        open_now = bool(periods) and periods[-1][1] is None
        if kind == "intubation" and not open_now:
            if periods:
                reintubations.append(at)
            periods.append([at, None])
        elif kind == "extubation" and open_now:
            periods[-1][1] = at
    return tuple((float(a), b) for a, b in periods), tuple(reintubations)  # type: ignore[arg-type]


def outcomes(
    events: Sequence[CourseEvent],
    first_vent: float | None,
    vent_times: npt.NDArray[np.float64],
    other_last: float | None,
    first_dose: float | None,
    adt_discharge: float | None,
    last_data: float | None = None,
) -> Outcomes:
    """`first_vent`: the first ventilator value of the whole record (not only the days loaded)."""

    def last(kind: str) -> CourseEvent | None:
        found = [e for e in events if e.kind == kind]
        return found[-1] if found else None

    periods, reintubations = ventilation_periods(events, first_vent)
    entered = sorted((e.at, e) for e in events if e.kind == "intubation")
    extubations = sorted((e.at, e) for e in events if e.kind == "extubation")
    off = periods[-1][1] if periods and periods[-1][1] is not None else None
    extubation = next((e for at, e in extubations if at == off), None) if off is not None else None
    if not periods and extubations:  # an extubation entered with no ventilation known before it
        off, extubation = extubations[-1][0], extubations[-1][1]
    death = last("death")
    discharge = last("icu_discharge")
    follow_up = last("alive")
    seen = [x for x in (last_data, follow_up.at if follow_up else None) if x is not None]
    start = periods[0][0] if periods else None
    from_entry = bool(entered) and start == entered[0][0]
    return Outcomes(
        start,
        "entered" if from_entry else ("first ventilator value" if start is not None else ""),
        first_dose,
        off,
        "confirmed by " + extubation.by if extubation else "",
        # Ventilator data that stopped say nothing while an extubation is entered, or once the patient
        # is ventilated again.
        extubation_candidate(vent_times, other_last) if off is None else None,
        discharge.at if discharge else adt_discharge,
        death.at if death else None,
        max(seen) if seen else None,
        periods,
        reintubations,
    )


def view_span(
    lo: float, hi: float, now: float, first: float | None, last: float | None
) -> tuple[float, float]:
    """The hours a dose-aligned plot shows, within the chosen window [lo, hi]: from the first value
    in it to the last value or now, whichever is later. A dose given 55 min ago is not a sliver at
    t = 0 of a 7-day axis: while less than 6 h have passed, the time before the start shown is at
    most three times the time after it (at least 3 h, the pre-dose baseline's hour included)."""
    right = min(hi, max(now, last) if last is not None else now)
    left = lo if first is None else max(lo, min(first, right))
    if 0.0 <= right < 6.0:
        left = max(left, -max(3.0, 3.0 * right))
    if right - left < 1.0:  # nothing to span (no data yet): an hour around what there is
        left, right = min(left, right - 1.0), max(right, left + 1.0)
    return left, right


def aligned(s: Samples, t0: float, lo: float, hi: float) -> Samples:
    """The stream on a time axis relative to `t0` (hours), clipped to [lo, hi] hours."""
    rel = (s.times - t0) / HOUR
    keep = (rel >= lo) & (rel <= hi)
    return Samples(rel[keep], s.values[keep])


@dataclass(frozen=True)
class CohortRow:
    patient: PatientRef
    name: str
    doses: int
    ventilated_days_before_first_dose: float | None
    adverse_events_by_grade: dict[int, int]
    extubated: float | None
    alive_day_28: bool | None
    changes_7d: dict[str, float | None]
    """Marker → relative change (%) at +7 d after the first dose, None when a value is missing."""


def cohort_row(
    patient: PatientRef,
    name: str,
    doses: int,
    out: Outcomes,
    grades: Sequence[int],
    first_dose_rows: Sequence[BeforeAfterRow],
    now: float,
) -> CohortRow:
    changes = {}
    for row in first_dose_rows:
        _abs, rel = row.after["+7 d"].change_from(row.baseline.point)
        changes[row.marker.key] = rel
    by_grade: dict[int, int] = {}
    for g in grades:
        by_grade[g] = by_grade.get(g, 0) + 1
    return CohortRow(
        patient,
        name,
        doses,
        out.ventilated_days_before_first_dose,
        dict(sorted(by_grade.items())),
        out.extubated if out.extubated is not None else None,
        out.alive_at_day(28, now),
        changes,
    )
