"""Driving pressure and static compliance (Amato et al., N Engl J Med 2015) from the ventilator's readings."""

from __future__ import annotations

import numpy as np
import pytest

from bedside.mechanics import driving_pressure, respiratory_mechanics, static_compliance
from bedside.review import Samples

T0 = 1_780_000_000.0


def test_the_formulas() -> None:
    assert driving_pressure(26, 12) == 14
    assert static_compliance(420, 26, 12) == pytest.approx(30.0)
    assert static_compliance(420, 12, 12) is None
    assert static_compliance(420, 0, 12) is None


def test_each_plateau_paired_with_its_own_peep_and_volume() -> None:
    pplat = Samples.of([(T0, 26.0), (T0 + 10, 28.0), (T0 + 20, 27.0)])
    peep = Samples.of([(T0, 12.0), (T0 + 20, 10.0)])
    vt = Samples.of([(T0, 420.0), (T0 + 10, 400.0), (T0 + 20, 340.0)])
    m = respiratory_mechanics(pplat, peep, vt)
    assert m.driving.tolist() == [14.0, 16.0, 17.0]
    assert m.compliance.tolist() == pytest.approx([30.0, 25.0, 20.0])
    assert m.missing() == ""


def test_missing_inputs_are_counted_never_guessed() -> None:
    pplat = Samples.of([(T0, 26.0), (T0 + 600, 27.0), (T0 + 1200, 0.0), (T0 + 1800, 25.0)])
    peep = Samples.of([(T0, 12.0), (T0 + 1200, 12.0), (T0 + 1800, 10.0)])  # none near T0+600
    vt = Samples.of([(T0, 420.0), (T0 + 1200, 0.0)])  # none near T0+1800
    m = respiratory_mechanics(pplat, peep, vt)
    assert m.plateau_readings == 4
    assert m.without_peep == 1
    assert m.not_above_peep == 1
    assert m.without_tidal_volume == 1
    assert m.times.tolist() == [T0, T0 + 1200, T0 + 1800]
    assert m.driving.tolist() == [14.0, -12.0, 15.0]
    assert m.compliance[0] == pytest.approx(30.0) and np.isnan(m.compliance[1]) and np.isnan(m.compliance[2])
    text = m.missing()
    assert "1 of 4 plateau readings without a PEEP" in text and "not above PEEP" in text


def test_no_plateau_says_so() -> None:
    m = respiratory_mechanics(Samples(), Samples.of([(T0, 10.0)]), Samples.of([(T0, 400.0)]))
    assert m.times.size == 0 and m.missing() == "no plateau pressure reported by the ventilator"
