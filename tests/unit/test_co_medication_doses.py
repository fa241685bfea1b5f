"""An entered co-medication dose outside what its unit can plausibly be, or far above a known drug's
usual maximum single dose, is refused naming the limit, and nothing is recorded."""

from __future__ import annotations

import pytest

from bedside.co_medication import UNITS
from bedside.co_medication_doses import UNIT_CEILING, implausible_dose
from bedside.commands import MedicationError
from bedside.handlers.medication import record_medication
from bedside.model import PatientRef
from tests.unit.fake_uow import FakeUnitOfWork
from tests.unit.test_co_medication import medication


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    return fake


@pytest.mark.parametrize(
    ("drug", "drug_class", "dose", "unit", "refusal"),
    [
        (
            "Dexamethasone",
            "corticosteroid",
            60.0,
            "g",
            "Dexamethasone 60 g is above the most any single entry in g can plausibly be (5 g)",
        ),
        (
            "Paracetamol",
            "antipyretic",
            1000.0,
            "g",
            "Paracetamol 1000 g is above the most any single entry in g can plausibly be (5 g)",
        ),
        (
            "Dexamethasone",
            "corticosteroid",
            600.0,
            "mg",
            "Dexamethasone 600 mg is above 120 mg, 3 times its usual maximum single dose of 40 mg",
        ),
        (
            "Paracetamol",
            "antipyretic",
            4.0,
            "g",
            "Paracetamol 4 g is above 3 g, 3 times its usual maximum single dose of 1000 mg",
        ),
        (
            "Investigational X-17",
            "other",
            9.0,
            "g",
            "Investigational X-17 9 g is above the most any single entry in g can plausibly be (5 g)",
        ),
    ],
)
def test_an_implausible_dose_is_refused_naming_the_limit(  # type: ignore[no-untyped-def]
    uow, drug: str, drug_class: str, dose: float, unit: str, refusal: str
) -> None:
    with pytest.raises(MedicationError) as refused:
        record_medication(uow, medication(drug=drug, drug_class=drug_class, dose=dose, unit=unit))
    assert str(refused.value).startswith(refusal) and "Nothing was recorded" in str(refused.value)
    assert uow.co_medication.rows == {} and uow.log.entries == []


@pytest.mark.parametrize(
    ("drug", "drug_class", "dose", "unit"),
    [
        ("Dexamethasone", "corticosteroid", 20.0, "mg"),
        ("Methylprednisolone", "corticosteroid", 1.0, "g"),
        ("Paracetamol", "antipyretic", 1.0, "g"),
        ("Tocilizumab", "immunomodulator", 8.0, "mg/kg"),
        ("Heparin", "anticoagulant", 5000.0, "[iU]"),
        ("Norepinephrine", "vasopressor", 0.3, "ug/kg/min"),
    ],
)
def test_usual_doses_are_recorded(uow, drug: str, drug_class: str, dose: float, unit: str) -> None:  # type: ignore[no-untyped-def]
    record_medication(uow, medication(drug=drug, drug_class=drug_class, dose=dose, unit=unit))
    assert len(uow.co_medication.rows) == 1


def test_every_unit_a_clinician_chooses_has_a_ceiling() -> None:
    assert set(UNITS) <= set(UNIT_CEILING)
    assert implausible_dose(UNIT_CEILING["mg"], "mg", None) is None
