"""A synthetic course's outcomes as its ground truth: what the clinicians would enter (intubation,
extubation, reintubation, tracheostomy, death, symptom onset, a follow-up alive) and the outcome set
computed straight from the course's own times, not by bedside.outcomes, so that the outcome set
read back from the database can be checked against it."""

from __future__ import annotations

from collections.abc import Sequence

from bedside.course_spec import DAY, HOUR, MINUTE, OUTCOME_KEYS, CourseSpec

INTUBATED_BEFORE = HOUR
"""The course starts an hour after the intubation the clinician enters."""


def _at(spec: CourseSpec, hours: float | None) -> float | None:
    return None if hours is None else spec.start + hours * HOUR


def clinician_events(spec: CourseSpec) -> list[dict]:
    """What the clinicians enter for this course, in the order they would."""
    s = spec
    out = [{"kind": "intubation", "at": s.start - INTUBATED_BEFORE}]
    if s.symptom_onset_days is not None:
        out.append({"kind": "symptom_onset", "at": s.start - s.symptom_onset_days * DAY})
    for kind, hours in (
        ("extubation", s.extubation_hours),
        ("intubation", s.reintubation_hours),
        ("tracheostomy", s.tracheostomy_hours),
        ("extubation", s.reextubation_hours),
        ("icu_discharge", s.icu_discharge_hours),
        ("death", s.death_hours),
    ):
        if hours is not None:
            out.append({"kind": kind, "at": s.start + hours * HOUR})
    if s.follow_up_days is not None:
        out.append({"kind": "alive", "at": s.start + s.follow_up_days * DAY})
    return out


def _busy_days(periods: Sequence[tuple[float, float]], lo: float, hi: float) -> float:
    return sum(max(0.0, min(b, hi) - max(a, lo)) for a, b in periods) / DAY


def outcome_truth(spec: CourseSpec, dose_starts: Sequence[float]) -> dict:
    """The outcome set of the course ({} for a course with none of the outcome keys, whose ground
    truth stays as it was)."""
    s = spec
    if not dose_starts or all(getattr(s, k) is None for k in OUTCOME_KEYS):
        return {}
    day0, never = dose_starts[0], float("inf")
    end = day0 + 28 * DAY
    died = _at(s, s.death_hours)
    stop = died if died is not None else never
    extubated = _at(s, s.extubation_hours)
    periods = [(s.start - INTUBATED_BEFORE, min(extubated if extubated is not None else never, stop))]
    reintubated = _at(s, s.reintubation_hours)
    if reintubated is not None:
        again = _at(s, s.reextubation_hours)
        periods.append((reintubated, min(again if again is not None else never, stop)))
    discharged = _at(s, s.icu_discharge_hours)
    icu = [(s.start - HOUR, min(discharged if discharged is not None else never, stop))]
    follow_up = None if s.follow_up_days is None else s.start + s.follow_up_days * DAY
    known_alive = follow_up is not None and follow_up >= end

    def free(busy: list[tuple[float, float]]) -> float | None:
        if died is not None and died <= end:
            return 0.0
        return 28.0 - _busy_days(busy, day0, end) if known_alive else None

    ends = [st + d.minutes * MINUTE for d, st in zip(s.doses, dose_starts, strict=True)]
    return {
        "clinician_events": clinician_events(s),
        "outcomes": {
            "day0": day0,
            "vfd28": free(periods),
            "icufd28": free(icu),
            "reintubations": [] if reintubated is None else [reintubated],
            "tracheostomies": [] if s.tracheostomy_hours is None else [_at(s, s.tracheostomy_hours)],
            "death": died,
            "death_near_doses": []
            if died is None
            else [
                i + 1 for i, (a, b) in enumerate(zip(dose_starts, ends, strict=True)) if a <= died <= b + DAY
            ],
            "intubation_to_dose": (day0 - (s.start - INTUBATED_BEFORE)) / DAY,
            "onset_to_dose": None
            if s.symptom_onset_days is None
            else (day0 - (s.start - s.symptom_onset_days * DAY)) / DAY,
        },
    }
