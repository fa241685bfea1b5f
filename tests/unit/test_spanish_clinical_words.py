"""Words the screens and the report build around data, in Spanish as Spanish ICUs write them: a
patient's location (UCI · habitación 12 · cama 1), the SOFA cardiovascular cell's mean arterial
pressure (PAM, never the English MAP), a patient whose name was not sent. English is unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bedside import i18n
from bedside.model import Patient, PatientRef
from bedside.review import DAY, Samples
from bedside.sofa import sofa_day
from tests.unit.test_sofa import T0, _full_day


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_a_location_in_spanish_and_in_english() -> None:
    patient = Patient(PatientRef("SIM1729", "BEDSIDE_DEMO"), bed="ICU^12^1")
    assert patient.location == "ICU · room 12 · bed 1"
    i18n.set_language("es")
    try:
        assert patient.location == "UCI · habitación 12 · cama 1"
        # Another unit's code is the hospital's own: shown as sent.
        assert Patient(PatientRef("X"), bed="REA2^3^").location == "REA2 · habitación 3"
        assert Patient(PatientRef("X")).display_name == "(nombre no enviado)"
    finally:
        i18n.set_language("en")


@pytest.mark.usefixtures("spanish")
def test_the_sofa_cardiovascular_cell_writes_pam_in_spanish() -> None:
    line = [(T0 + k * 10.0, 65.0 if 60 <= k < 120 else 75.0) for k in range(600)]
    cv = sofa_day(_full_day(arterial_map=Samples.of(line)), 0, T0, T0 + DAY, T0 + DAY).component(
        "Cardiovascular"
    )
    assert cv.value.startswith("PAM 65 mmHg") and "MAP" not in cv.value, cv.value


def test_the_sofa_cardiovascular_cell_writes_map_in_english() -> None:
    line = [(T0 + k * 10.0, 75.0) for k in range(600)]
    cv = sofa_day(_full_day(arterial_map=Samples.of(line)), 0, T0, T0 + DAY, T0 + DAY).component(
        "Cardiovascular"
    )
    assert cv.value == "MAP 75 mmHg", cv.value


def test_one_spanish_term_each_for_life_threatening_and_recovering() -> None:
    """The glossary's one term each (docs/translating.md): 'amenaza vital', 'en recuperación';
    never a second wording of the same criterion or outcome in another catalogue."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "resources"
    catalogues = [*root.glob("i18n/es/*.ts"), *root.glob("locale/es/LC_MESSAGES/*.po")]
    assert catalogues
    for path in catalogues:
        text = path.read_text("utf-8")
        assert "potencialmente mortal" not in text, path
        assert "recuperándose" not in text, path
