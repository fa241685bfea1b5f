"""The review's rules on plain arrays: nothing interpolated, missing values named, coverage by minute,
survival only on evidence."""

from __future__ import annotations

import numpy as np
import pytest

from bedside.review import (
    DAY,
    HOUR,
    MARKERS,
    CourseEvent,
    Samples,
    before_after,
    in_force,
    nearest,
    outcomes,
)
from bedside.review_coverage import coverage, coverage_table

T0 = 1_790_000_000.0


def crp(*points: tuple[float, float]) -> Samples:
    return Samples.of([(T0 + h * HOUR, v) for h, v in points])


def test_lab_values_are_picked_never_interpolated() -> None:
    s = crp((-10, 150.0), (20, 120.0), (30, 100.0), (170, 40.0))
    rows = {r.marker.key: r for r in before_after(T0, {"crp": s}, now=T0 + 10 * DAY)}
    row = rows["crp"]
    assert row.baseline.point is not None and row.baseline.point.value == 150.0
    assert row.after["+24 h"].point.value == 120.0  # type: ignore[union-attr]  # 4 h early, nearest
    assert row.after["+24 h"].point.at == T0 + 20 * HOUR  # type: ignore[union-attr]
    # +72 h: nothing within ±12 h (the values around it are 42 h away): missing, with the reason
    assert row.after["+72 h"].point is None and "±12 h" in row.after["+72 h"].missing
    assert row.after["+7 d"].point.value == 40.0  # type: ignore[union-attr]
    absolute, relative = row.after["+7 d"].change_from(row.baseline.point)
    assert absolute == -110.0 and relative == pytest.approx(-73.33, abs=0.01)
    assert rows["ferritin"].baseline.point is None and rows["ferritin"].baseline.missing


def test_a_time_point_not_reached_yet_says_so() -> None:
    rows = before_after(T0, {"crp": crp((-2, 10.0))}, now=T0 + 30 * HOUR)
    row = next(r for r in rows if r.marker.key == "crp")
    assert row.after["+72 h"].missing == "not yet" and row.after["+7 d"].missing == "not yet"


def test_settings_are_the_value_in_force_and_stop_when_the_ventilator_stops() -> None:
    s = Samples(np.array([T0 - 600, T0 + 10 * HOUR]), np.array([60.0, 40.0]))
    assert in_force(s, T0, HOUR).value == 60.0  # type: ignore[union-attr]
    assert in_force(s, T0 + 24 * HOUR, HOUR) is None  # 14 h old: the ventilator said nothing since
    assert nearest(s, T0, 60.0) is None


def test_coverage_counts_minutes_with_a_value_not_samples() -> None:
    ones = np.arange(T0, T0 + 3600.0)  # 1 Hz for an hour
    assert coverage(ones, T0, T0 + 3600, 1.0) == 1.0
    holed = ones[(ones < T0 + 600) | (ones >= T0 + 1200)]  # 10 min silent
    assert coverage(holed, T0, T0 + 3600, 1.0) == pytest.approx(50 / 60)
    gases = np.array([T0 + 2 * HOUR, T0 + 10 * HOUR])
    table = coverage_table({"ABG": gases, "HR": holed}, T0, T0 + 2 * DAY, {"ABG": 8 * HOUR})
    assert table["ABG"]["0-6 h"] is None  # a 6-h window expects no 8-hourly gas: not "0 %"
    assert table["ABG"]["6-24 h"] == pytest.approx(1 / (18 / 8))
    assert table["HR"]["3-7 d"] is None  # not begun


def test_survival_needs_evidence_and_extubation_a_clinician() -> None:
    vent = np.arange(T0 - 2 * DAY, T0 + 3 * DAY, 60.0)
    out = outcomes([], float(vent[0]), vent, T0 + 4 * DAY, T0, None, last_data=T0 + 4 * DAY)
    assert out.ventilated_days_before_first_dose == pytest.approx(2.0)
    assert out.extubated is None and out.extubation_candidate == float(vent[-1])
    assert out.alive_at_day(28, now=T0 + 60 * DAY) is None  # silence is not survival
    followed = outcomes([CourseEvent("alive", T0 + 30 * DAY, by="RN")], None, vent, None, T0, None)
    assert followed.alive_at_day(28, now=T0 + 60 * DAY) is True
    died = outcomes([CourseEvent("death", T0 + 9 * DAY, by="Dr")], None, vent, None, T0, None, T0 + 9 * DAY)
    assert died.alive_at_day(28, now=T0 + 60 * DAY) is False
    confirmed = outcomes(
        [CourseEvent("extubation", T0 + 3 * DAY, by="Dr Lee")], None, vent, T0 + 4 * DAY, T0, None
    )
    assert confirmed.extubated == T0 + 3 * DAY and confirmed.extubation_source == "confirmed by Dr Lee"


def test_a_reintubation_keeps_the_patient_ventilated_and_counts_every_period() -> None:
    # Intubated day -10, extubated day -8, reintubated day -7, dose at T0, extubated day +5,
    # reintubated day +6: two reintubations, ventilated now, 9 days on the ventilator before the dose.
    events = [
        CourseEvent("intubation", T0 - 10 * DAY, by="Dr A"),
        CourseEvent("extubation", T0 - 8 * DAY, by="Dr A"),
        CourseEvent("intubation", T0 - 7 * DAY, by="Dr B"),
        CourseEvent("extubation", T0 + 5 * DAY, by="Dr B"),
        CourseEvent("intubation", T0 + 6 * DAY, by="Dr C"),
    ]
    vent = np.arange(T0 - 3 * DAY, T0 + 7 * DAY, 60.0)  # only the days the review loaded
    out = outcomes(events, T0 - 10 * DAY + 60, vent, T0 + 7 * DAY, T0, None)
    assert out.intubated == T0 - 10 * DAY and out.intubated_source == "entered"
    assert out.ventilated_days_before_first_dose == pytest.approx(9.0)  # never negative
    assert out.days_from_intubation_to_first_dose == pytest.approx(7.0)
    assert out.reintubations == (T0 - 7 * DAY, T0 + 6 * DAY)
    assert out.extubated is None  # ventilated again: not shown as extubated
    assert out.ventilation[-1] == (T0 + 6 * DAY, None)


def test_a_patient_admitted_ventilated_counts_from_the_first_ventilator_value() -> None:
    first = T0 - 12 * DAY  # long before the days the review loads
    events = [CourseEvent("extubation", T0 + 2 * DAY, by="Dr A")]
    out = outcomes(events, first, np.arange(T0 - 3 * DAY, T0 + 2 * DAY, 60.0), T0 + 4 * DAY, T0, None)
    assert out.intubated == first and out.intubated_source == "first ventilator value"
    assert out.ventilated_days_before_first_dose == pytest.approx(12.0)
    assert out.extubated == T0 + 2 * DAY and out.extubation_candidate is None and out.reintubations == ()


def test_every_marker_of_the_source_study_is_in_the_table() -> None:
    keys = {m.key for m in MARKERS}
    assert {
        "crp",
        "ferritin",
        "ddimer_feu",
        "ldh",
        "lymphocytes",
        "cd3_abs",
        "cd4_abs",
        "cd8_abs",
        "cd19_abs",
    } <= keys
    assert {"pf", "fio2", "peep"} <= keys


def test_a_time_point_after_the_recorded_death_says_so_never_not_yet() -> None:
    rows = before_after(T0, {"crp": crp((-2, 10.0), (23, 12.0))}, now=T0 + 3 * DAY, died=T0 + 2 * DAY)
    row = next(r for r in rows if r.marker.key == "crp")
    assert row.after["+24 h"].point is not None
    assert row.after["+72 h"].missing == "after death"
    assert row.after["+7 d"].missing == "after death" and row.after["+14 d"].missing == "after death"
