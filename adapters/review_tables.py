"""The review's tables as plain data: what the screen, the report, the CSV and `bedside-cli review`
show are the same rows."""

from __future__ import annotations

from bedside.review import (
    MARKERS,
    TIMEPOINTS,
    BeforeAfterRow,
    CohortRow,
)
from bedside.review_data import ReviewData, dose_coverage, dose_rows, icu_exit
from bedside.units import display_unit


def rows_json(rows: list[BeforeAfterRow]) -> list[dict]:
    out = []
    for r in rows:
        base = r.baseline.point
        item: dict = {
            "marker": r.marker.key,
            "label": r.marker.label,
            "unit": r.marker.unit,
            "unit_display": display_unit(r.marker.unit),
            "baseline": None if base is None else {"value": base.value, "at": base.at},
            "baseline_missing": r.baseline.missing or None,
        }
        for label, _offset in TIMEPOINTS:
            cell = r.after[label]
            absolute, relative = cell.change_from(base)
            item[label] = {
                "value": None if cell.point is None else cell.point.value,
                "at": None if cell.point is None else cell.point.at,
                "missing": cell.missing or None,
                "after_dose": cell.after_dose,
                "change": absolute,
                "change_percent": relative,
            }
        out.append(item)
    return out


def review_json(data: ReviewData) -> dict:
    o = data.outcomes
    return {
        "patient": str(data.patient.ref),
        "name": data.patient.display_name,
        "doses": [
            {
                "dose": d.dose,
                "start": d.start,
                "end": d.end,
                "state": d.state,
                "cells_per_kg": d.cells_per_kg,
                "before_after": rows_json(dose_rows(data, d)),
                "coverage": dose_coverage(data, d),
            }
            for d in data.doses
        ],
        "outcomes": {
            "intubated": o.intubated,
            "intubated_source": o.intubated_source,
            "ventilated_days_before_first_dose": o.ventilated_days_before_first_dose,
            "extubated": o.extubated,
            "extubation_source": o.extubation_source or None,
            "extubation_candidate": o.extubation_candidate,
            "ventilation": [{"start": a, "end": b} for a, b in o.ventilation],
            "reintubations": list(o.reintubations),
            "days_from_intubation_to_first_dose": o.days_from_intubation_to_first_dose,
            "days_from_intubation_to_first_dose_is_lower_bound": o.intubation_to_first_dose_is_lower_bound,
            # A discharge that is the death is not a discharge alive: null, with how the patient left.
            "icu_discharge": _alive_discharge(data),
            "icu_exit": _exit(data),
            "death": o.died,
            "alive_day_28": o.alive_at_day(28, data.now),
        },
        "outcome_set": [
            {
                "key": x.key,
                "label": x.label,
                "value": x.value,
                "kind": x.kind,
                "text": x.text,
                "source": x.source,
                "missing": x.missing or None,
                "times": list(x.times),
                "flag": x.flag or None,
                "lower_bound": x.lower_bound,
            }
            for x in data.outcome_set
        ],
        "radiology": [{"at": e.at, "text": e.text, "by": e.by} for e in data.radiology],
        "alerts": [
            {
                "id": a.id,
                "rule_id": a.rule_id,
                "severity": a.severity,
                "title": a.title,
                "fired_at": a.fired_at,
                "state": a.state,
            }
            for a in data.alerts
        ],
        "adverse_events": [e.as_json() for e in data.adverse_events],
        "ruleset": data.ruleset,
        "log_head": None
        if data.chain_head is None
        else {"seq": data.chain_head[0], "hash": data.chain_head[1]},
        "log_key": data.log_key,
    }


def _alive_discharge(data: ReviewData) -> float | None:
    left = icu_exit(data)
    return left.at if left is not None and left.kind != "died" else None


def _exit(data: ReviewData) -> dict | None:
    """How the patient left the ICU: discharged (alive), died (in the ICU: the discharge is the
    death), or death_reported (ADT reported a death nobody has confirmed yet)."""
    left = icu_exit(data)
    return None if left is None else {"kind": left.kind, "at": left.at}


def cohort_json(rows: list[CohortRow]) -> list[dict]:
    return [
        {
            "patient": str(r.patient),
            "name": r.name,
            "doses": r.doses,
            "ventilated_days_before_first_dose": r.ventilated_days_before_first_dose,
            "adverse_events_by_grade": {str(k): v for k, v in r.adverse_events_by_grade.items()},
            "extubated": r.extubated,
            "alive_day_28": r.alive_day_28,
            "change_7d_percent": r.changes_7d,
        }
        for r in rows
    ]


MARKER_KEYS = [m.key for m in MARKERS]
