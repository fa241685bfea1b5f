"""Co-medication: the class catalogue, the window around a dose with its notes, and the handler that
records an entered one (refusals leave nothing written)."""

from __future__ import annotations

import math

import pytest

from bedside.co_medication import (
    CoMedicationCatalogue,
    DrugClass,
    MedicationAdministration,
    around_dose,
    note_for,
    when_text,
)
from bedside.commands import MedicationError, RecordMedication
from bedside.handlers.medication import record_medication
from bedside.model import PatientRef
from bedside.users import NotAllowed, Role
from tests.acting import acts
from tests.unit.fake_uow import FakeUnitOfWork

HOUR = 3600.0
T0 = 1_780_000_000.0
REF = PatientRef("MRN1", "HOSP")


@pytest.fixture(scope="module")
def catalogue() -> CoMedicationCatalogue:
    return CoMedicationCatalogue.load()


@pytest.mark.parametrize(
    ("code", "name", "system", "expected"),
    [
        ("H02AB02", "Dexamethasone", "ATC", DrugClass.CORTICOSTEROID),
        ("H02AB07", "Prednisone", "ATC", DrugClass.CORTICOSTEROID),  # its ATC group only
        ("L04AC07", "", "WHOATC", DrugClass.IMMUNOMODULATOR),
        ("N02BE01", "", "", DrugClass.ANTIPYRETIC),  # a full ATC code needs no system named
        ("N02BB02", "Metamizol", "ATC", DrugClass.ANTIPYRETIC),
        ("B01AB05", "", "ATC", DrugClass.ANTICOAGULANT),
        ("B01AC06", "Aspirin", "ATC", DrugClass.ANTICOAGULANT),  # B01A: antithrombotic agents
        ("C01CA03", "", "ATC", DrugClass.VASOPRESSOR),
        ("H01BA01", "", "ATC", DrugClass.VASOPRESSOR),
        ("X1", "Noradrenaline 8 mg/50 mL", "L", DrugClass.VASOPRESSOR),  # by name, local code
        ("X2", "ACETAMINOPHEN 1 g", "L", DrugClass.ANTIPYRETIC),
        ("X3", "Adrenaline", "L", DrugClass.VASOPRESSOR),
        ("X4", "Dobutamine", "L", DrugClass.VASOPRESSOR),
        ("X5", "Ibuprofen 400 mg", "L", DrugClass.ANTIPYRETIC),
        ("A02BC02", "Pantoprazole", "ATC", DrugClass.OTHER),
        ("PANTO", "Pantoprazole", "L", DrugClass.OTHER),
    ],
)
def test_classes_by_atc_code_and_by_name(catalogue, code, name, system, expected) -> None:
    assert catalogue.classify(code, name, system) is expected


def test_the_study_product_is_recognised_by_code_or_name(catalogue) -> None:
    assert catalogue.is_study_product("ATMSC", "anything")
    assert catalogue.is_study_product("X", "AT-MSC dose 2 1e6/kg")
    assert catalogue.is_study_product("X", "Allogeneic mesenchymal stromal cells")
    assert not catalogue.is_study_product("H02AB02", "Dexamethasone")


def given(drug_class: DrugClass, hours: float, end_hours: float | None = None) -> MedicationAdministration:
    return MedicationAdministration(
        patient=REF,
        drug=str(drug_class),
        drug_class=drug_class,
        start=T0 + hours * HOUR,
        end=None if end_hours is None else T0 + end_hours * HOUR,
    )


def test_around_a_dose_keeps_the_window_and_says_what_may_be_masked() -> None:
    rows = around_dose(
        [
            given(DrugClass.ANTIPYRETIC, -2),
            given(DrugClass.CORTICOSTEROID, -25),  # outside: the day before the day before
            given(DrugClass.VASOPRESSOR, -30, 10),  # started earlier, running into the window
            given(DrugClass.ANTICOAGULANT, 71),
            given(DrugClass.IMMUNOMODULATOR, 73),  # outside: after 72 h
            given(DrugClass.OTHER, 1),
        ],
        T0,
    )
    assert [(r.administration.drug_class, r.offset_hours) for r in rows] == [
        (DrugClass.VASOPRESSOR, -30),
        (DrugClass.ANTIPYRETIC, -2),
        (DrugClass.OTHER, 1),
        (DrugClass.ANTICOAGULANT, 71),
    ]
    notes = [r.note for r in rows]
    assert notes[0] == "Vasopressor running at the dose's start"  # a fact, not what it did
    assert notes[1] == "Antipyretic given 2 h before: fever may be masked"
    assert notes[2] == ""
    assert notes[3] == "Anticoagulant given 71 h after: matters for thrombosis and bleeding"


def test_a_vasopressor_note_states_facts_and_an_im_bolus_is_not_an_infusion() -> None:
    from dataclasses import replace

    bolus = replace(given(DrugClass.VASOPRESSOR, 55 / 60), dose=0.5, unit="mg", route="IM")
    infusion = replace(given(DrugClass.VASOPRESSOR, 2), dose=0.1, unit="ug/kg/min", route="IV")
    assert note_for(bolus, T0) == "Vasopressor given 55 min after"
    assert note_for(infusion, T0) == "Vasopressor infusion started 2 h after"
    for note in (note_for(bolus, T0), note_for(infusion, T0)):
        assert "supported" not in note and "pressure" not in note


def test_when_text() -> None:
    assert when_text(-2) == "2 h before"
    assert when_text(0.5) == "30 min after"
    assert when_text(0) == "at the dose's start"
    assert when_text(-49) == "49 h before"
    assert when_text(-26 * 24) == "26 d before"
    assert when_text(80) == "3.3 d after"


def medication(**more: object) -> RecordMedication:
    fields: dict[str, object] = {
        "patient": REF,
        "drug": "Dexamethasone",
        "drug_class": "corticosteroid",
        "dose": 6.0,
        "unit": "mg",
        "route": "IV",
        "start": T0 - HOUR,
        "recorded_at": T0,
        **acts("RN", Role.NURSE),
    }
    fields.update(more)
    return RecordMedication(**fields)  # type: ignore[arg-type]


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    return fake


def test_a_nurse_records_a_medication_with_its_log_entry(uow) -> None:
    done = record_medication(uow, medication(end=T0 - HOUR + 600, drug="  Dexamethasone  "))
    assert done.patient_ref == REF
    [(stored, by, at)] = uow.co_medication.rows.values()
    assert (stored.drug, stored.drug_class, stored.dose, stored.unit, stored.route) == (
        "Dexamethasone",
        DrugClass.CORTICOSTEROID,
        6.0,
        "mg",
        "IV",
    )
    assert (stored.source.value, by, at) == ("entered", "RN", T0)
    assert uow.log.kinds() == ["medication.recorded"]
    assert done.entry.payload()["class"] == "corticosteroid"
    assert uow.co_medication.of_patient(REF) == [stored]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"drug": "  "}, "name the drug"),
        ({"drug_class": ""}, "class must be one of"),
        ({"drug_class": "steroid"}, "class must be one of"),
        ({"route": ""}, "route must be one of"),
        ({"unit": "mcg"}, "unit must be one of"),
        ({"dose": 0.0}, "above 0"),
        ({"dose": math.nan}, "above 0"),
        ({"start": math.inf}, "not a valid time"),
        ({"start": T0 + HOUR}, "in the future"),
        ({"end": T0 - 2 * HOUR}, "after the start"),
        ({"patient": PatientRef.parse("NOBODY^HOSP")}, "no patient"),
        ({"by": " "}, "say who"),
    ],
)
def test_refusals_write_nothing(uow, change, says) -> None:
    with pytest.raises(MedicationError, match=says):
        record_medication(uow, medication(**change))
    assert uow.co_medication.rows == {} and uow.log.entries == []


def test_an_investigator_may_not_record_a_medication(uow) -> None:
    with pytest.raises(NotAllowed):
        record_medication(uow, medication(**acts("INV", Role.INVESTIGATOR)))
    assert uow.co_medication.rows == {}
    assert uow.log.kinds() == ["action.refused"]


@pytest.mark.parametrize(
    ("drug", "drug_class", "dose", "unit"),
    [
        ("Tocilizumab", "immunomodulator", 8.0, "mg/kg"),
        ("Heparin", "anticoagulant", 80.0, "[iU]/kg"),
        ("Heparin", "anticoagulant", 18.0, "[iU]/kg/h"),
    ],
)
def test_a_weight_based_dose_is_kept_as_prescribed(uow, drug, drug_class, dose, unit) -> None:
    record_medication(uow, medication(drug=drug, drug_class=drug_class, dose=dose, unit=unit))
    [(stored, _by, _at)] = uow.co_medication.rows.values()
    assert (stored.drug, stored.dose, stored.unit) == (drug, dose, unit)


@pytest.mark.parametrize(
    ("spanish", "generic"),
    [
        ("Dexametasona 6 mg", "dexamethasone"),
        ("Metilprednisolona", "methylprednisolone"),
        ("Hidrocortisona", "hydrocortisone"),
        ("Enoxaparina 40 mg SC", "enoxaparin"),
        ("Heparina sódica", "heparin"),
        ("Noradrenalina", "norepinephrine"),
        ("Norepinefrina", "norepinephrine"),
        ("Vasopresina", "vasopressin"),
        ("Metamizol", "metamizole"),
        ("Ibuprofeno", "ibuprofen"),
        ("Milrinona", "milrinone"),
    ],
)
def test_spanish_drug_names_are_in_the_catalogue(spanish: str, generic: str) -> None:
    # A Spanish ICU charts its drugs by their Spanish INNs: they name the same catalogue drug.
    drug = CoMedicationCatalogue.load().known_by_name(spanish)
    assert drug is not None and drug.name == generic
