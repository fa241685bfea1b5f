"""The time from intubation to the first dose is a lower bound when no intubation is entered and it
counts from the first ventilator value Bedside holds: shown "≥ N days" with why and what to enter,
marked as such for the exports; an entered intubation, or a reintubation before the dose, is exact."""

from __future__ import annotations

import numpy as np
import pytest

from bedside.outcomes import OutcomeInputs, outcome_rows, outcome_set
from bedside.review import DAY, CourseEvent, outcomes

D0 = 1_790_000_000.0


def got(events: list[CourseEvent], first_vent: float | None):  # type: ignore[no-untyped-def]
    out = outcomes(events, first_vent, np.empty(0), None, D0, None, None)
    items = {o.key: o for o in outcome_set(OutcomeInputs(out, events, [(1, D0, None)]), D0 + 2 * DAY)}
    return out, items["intubation_to_dose"], outcome_rows([items["intubation_to_dose"]])[0]


def test_from_the_first_ventilator_value_it_is_at_least() -> None:
    out, o, row = got([], D0 - 1.1 * DAY)
    assert out.intubation_to_first_dose_is_lower_bound
    assert o.lower_bound and o.value == pytest.approx(1.1)
    assert o.text.startswith("≥ 1.1 days") and "first ventilator value" in o.text
    assert row[1] == o.text and "intubation time" in o.missing


def test_an_entered_intubation_is_exact() -> None:
    out, o, _row = got([CourseEvent("intubation", D0 - 2 * DAY, "", "Dr Lee")], D0 - 2.2 * DAY)
    assert not out.intubation_to_first_dose_is_lower_bound
    assert not o.lower_bound and o.text == "2.0 days" and o.missing == ""


def test_a_reintubation_entered_before_the_dose_is_exact() -> None:
    events = [
        CourseEvent("extubation", D0 - 3 * DAY, "", "Dr Lee"),
        CourseEvent("intubation", D0 - 0.5 * DAY, "", "Dr Lee"),
    ]
    _out, o, _row = got(events, D0 - 6 * DAY)
    assert not o.lower_bound and o.value == pytest.approx(0.5)


def test_the_cohort_says_how_many_values_are_lower_bounds() -> None:
    from bedside.outcome_cohort import outcome_lines

    sets = []
    for first_vent in (D0 - 1.1 * DAY, D0 - 2 * DAY):
        out = outcomes([], first_vent, np.empty(0), None, D0, None, None)
        sets.append(outcome_set(OutcomeInputs(out, [], [(1, D0, None)]), D0 + 2 * DAY))
    line = dict(outcome_lines(sets))["Intubation to first dose (days)"]
    assert "n = 2 of 2 with a value; 2 of them lower bounds (≥)" in line, line
