"""A clinician's co-medication class must not contradict the catalogue: a drug it knows by name is
refused with another class (naming the catalogue's), and gets the catalogue's ATC code for the trial's
CM dataset; a drug it does not know keeps the class chosen."""

from __future__ import annotations

import pytest

from bedside.co_medication import CoMedicationCatalogue, DrugClass
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


def test_a_known_drug_with_another_class_is_refused_naming_the_catalogues(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        MedicationError, match="Dexamethasone is a corticosteroid in the co-medication catalogue"
    ):
        record_medication(uow, medication(drug="Dexamethasone", drug_class="antipyretic"))
    assert uow.co_medication.rows == {} and uow.log.entries == []


def test_a_known_drug_is_stored_with_its_atc_code(uow) -> None:  # type: ignore[no-untyped-def]
    record_medication(uow, medication(drug="Dexamethasone 6 mg", drug_class="corticosteroid"))
    [(stored, _by, _at)] = uow.co_medication.rows.values()
    assert (stored.drug_class, stored.code, stored.code_system) == (
        DrugClass.CORTICOSTEROID,
        "H02AB02",
        "ATC",
    )


def test_an_unknown_drug_keeps_the_chosen_class_and_no_code(uow) -> None:  # type: ignore[no-untyped-def]
    record_medication(uow, medication(drug="Investigational X-17", drug_class="antipyretic"))
    [(stored, _by, _at)] = uow.co_medication.rows.values()
    assert (stored.drug_class, stored.code) == (DrugClass.ANTIPYRETIC, "")


def test_a_combination_of_classes_is_not_one_known_drug() -> None:
    catalogue = CoMedicationCatalogue.load()
    assert catalogue.known_by_name("paracetamol and heparin") is None
    known = catalogue.known_by_name("Paracetamol 1 g")
    assert known is not None and known.drug_class is DrugClass.ANTIPYRETIC


@pytest.mark.parametrize(
    ("drug", "wrong", "sentence"),
    [
        (
            "Dexamethasone",
            "antipyretic",
            "is a corticosteroid in the co-medication catalogue: choose the class “Corticosteroid”",
        ),
        (
            "Tocilizumab",
            "corticosteroid",
            "is an immunomodulator in the co-medication catalogue: choose the class “Immunomodulator”",
        ),
        (
            "Paracetamol",
            "anticoagulant",
            "is an antipyretic in the co-medication catalogue: choose the class “Antipyretic”",
        ),
        ("Enoxaparin", "vasopressor", "is an anticoagulant or antithrombotic in the co-medication catalogue"),
        ("Norepinephrine", "antipyretic", "is a vasopressor or inotrope in the co-medication catalogue"),
    ],
)
def test_the_refusal_reads_as_english_for_every_class(uow, drug: str, wrong: str, sentence: str) -> None:  # type: ignore[no-untyped-def]
    """The article agrees with the class ("an immunomodulator", never "a Immunomodulator")."""
    with pytest.raises(MedicationError) as refused:
        record_medication(uow, medication(drug=drug, drug_class=wrong))
    assert f"{drug} {sentence}" in str(refused.value)


def test_every_class_has_its_own_predicate() -> None:
    """A new class cannot fall back to an English article glued to its label."""
    from bedside.co_medication import CLASS_MEMBER

    assert set(CLASS_MEMBER) == set(DrugClass)


@pytest.mark.parametrize(
    ("name", "atc"),
    [
        ("Dexchlorpheniramine 5 mg", "R06AB02"),
        ("Dexclorfeniramina 5 mg IV", "R06AB02"),
        ("Polaramine", "R06AB02"),
        ("Diphenhydramine", "R06AA02"),
        ("Cetirizina 10 mg", "R06AE07"),
    ],
)
def test_premedication_antihistamines_are_a_class_with_their_atc_code(uow, name: str, atc: str) -> None:  # type: ignore[no-untyped-def]
    """Antihistamines premedicate a cell infusion and damp an infusion reaction: known by their INN in
    English and Spanish, stored with the ATC code the trial's CM dataset carries as CMCLASCD."""
    record_medication(uow, medication(drug=name, drug_class="antihistamine"))
    [(stored, _by, _at)] = uow.co_medication.rows.values()
    assert (stored.drug_class, stored.code, stored.code_system) == (DrugClass.ANTIHISTAMINE, atc, "ATC")
    with pytest.raises(MedicationError, match="is an antihistamine in the co-medication catalogue"):
        record_medication(uow, medication(drug=name, drug_class="other"))


def test_an_antihistamine_coded_by_the_emar_is_classed_by_its_atc_group() -> None:
    catalogue = CoMedicationCatalogue.load()
    assert catalogue.classify("R06AB02", "", "ATC") is DrugClass.ANTIHISTAMINE
    assert catalogue.classify("R06AX22", "ebastine", "ATC") is DrugClass.ANTIHISTAMINE  # by the R06A group
    assert catalogue.label(DrugClass.ANTIHISTAMINE) == "Antihistamine"


def test_an_antihistamine_before_a_dose_says_what_it_may_mask() -> None:
    from bedside.co_medication import MedicationAdministration, Source, note_for

    given = MedicationAdministration(
        patient=PatientRef("MRN1", "HOSP"),
        drug="Dexchlorpheniramine",
        drug_class=DrugClass.ANTIHISTAMINE,
        start=1_790_000_000.0 - 1800,
        end=None,
        dose=5.0,
        unit="mg",
        route="IV",
        source=Source.ENTERED,
        source_id="RN",
    )
    assert note_for(given, 1_790_000_000.0) == (
        "Antihistamine given 30 min before: an infusion reaction's itch, rash or flushing may be masked"
    )
