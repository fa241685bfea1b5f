"""Records the rest of the record makes impossible are refused, as a dose after a recorded death
is: a course event, vital signs, a drug given, or an adverse event's onset or end after the death, a symptom onset after the first
dose, and a second symptom onset that does not say why it corrects the first."""

from __future__ import annotations

import pytest

from bedside.commands import (
    NOT_ASSESSED,
    AdverseEventError,
    CancelDose,
    CourseEventError,
    MedicationError,
    RecordAdverseEvent,
    RecordCourseEvent,
    RecordMedication,
    RecordVitals,
    StartDose,
    VitalsError,
)
from bedside.handlers import (
    cancel_dose,
    record_adverse_event,
    record_course_event,
    record_vitals,
    stamped,
    start_dose,
)
from bedside.handlers.medication import record_medication
from bedside.model import PatientRef
from bedside.users import Action, Role
from tests.acting import acts, signs
from tests.unit.fake_uow import FakeUnitOfWork

REF = PatientRef("MRN1", "HOSP")
T0 = 1_780_000_000.0
NOW = T0 + 5 * 86400
DEATH = T0 + 2 * 86400


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    start_dose(fake, StartDose(patient=REF, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    return fake


def course(kind: str, at: float, text: str = "") -> RecordCourseEvent:
    return RecordCourseEvent(patient=REF, kind=kind, at=at, text=text, **acts("Dr Lee"), recorded_at=NOW)


def adverse(onset: float, **more: object) -> RecordAdverseEvent:
    fields = {
        "patient": REF,
        "term": "Hypotension",
        "grade": 3,
        "relatedness": NOT_ASSESSED,
        "onset": onset,
        **signs("RN", Action.RECORD_ADVERSE_EVENT, Role.NURSE, NOW),
        "recorded_at": NOW,
        **more,
    }
    return RecordAdverseEvent(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["alive", "extubation", "intubation", "icu_discharge", "infection"])
def test_a_course_event_after_the_death_is_refused(uow, kind: str) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    rows = dict(uow.course_events.rows)
    with pytest.raises(
        CourseEventError, match=r"MRN1\^HOSP was recorded as deceased at .*cannot be recorded"
    ):
        record_course_event(uow, course(kind, DEATH + 3600))
    assert uow.course_events.rows == rows
    record_course_event(uow, course(kind, DEATH - 3600))  # before it: possible


def test_after_the_death_only_a_corrected_death_or_a_radiology_note_may_follow(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    record_course_event(uow, course("radiology", DEATH + 3600, "post-mortem CT"))
    record_course_event(uow, course("death", DEATH + 7200, "time of death from the certificate"))
    # The corrected death is the one that counts: an extubation before it is possible again.
    record_course_event(uow, course("extubation", DEATH + 3600))
    assert [r["kind"] for r in uow.course_events.rows.values()] == [
        "death",
        "radiology",
        "death",
        "extubation",
    ]


def test_an_adverse_event_beginning_after_the_death_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    with pytest.raises(AdverseEventError, match=r"deceased at .*: an adverse event cannot begin after it"):
        record_adverse_event(uow, adverse(DEATH + 60))
    assert uow.adverse_events.rows == {}
    record_adverse_event(uow, adverse(DEATH - 60))
    with pytest.raises(AdverseEventError, match="cannot begin after it"):
        record_adverse_event(
            uow,
            adverse(DEATH + 60, term="", grade=None, relatedness="", follows=1),
        )
    assert list(uow.adverse_events.rows) == [1]


def test_a_symptom_onset_after_the_first_dose_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CourseEventError, match=r"the symptom onset .* is after the first dose started"):
        record_course_event(uow, course("symptom_onset", T0 + 60))
    assert uow.course_events.rows == {}
    record_course_event(uow, course("symptom_onset", T0 - 7 * 86400))


def test_a_second_symptom_onset_must_say_why_it_corrects_the_first(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("symptom_onset", T0 - 7 * 86400))
    with pytest.raises(CourseEventError, match=r"a symptom onset is already recorded for MRN1\^HOSP at"):
        record_course_event(uow, course("symptom_onset", T0 - 5 * 86400))
    record_course_event(uow, course("symptom_onset", T0 - 5 * 86400, "the family gave the date"))
    assert uow.course_events.times(REF, "symptom_onset") == [T0 - 7 * 86400, T0 - 5 * 86400]


def test_vital_signs_observed_after_the_death_are_refused(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    after = RecordVitals(PatientRef("MRN1"), DEATH + 600, "RN", hr=80)
    with pytest.raises(VitalsError, match=r"MRN1\^HOSP was recorded as deceased at .*: vital signs cannot"):
        record_vitals(uow, stamped(after, NOW, Role.NURSE))
    assert uow.vitals.observations == []
    before = RecordVitals(PatientRef("MRN1"), DEATH - 600, "RN", hr=80)
    record_vitals(uow, stamped(before, NOW, Role.NURSE))
    assert len(uow.vitals.observations) == 1


def medication(start: float) -> RecordMedication:
    return RecordMedication(
        patient=REF,
        drug="Dexamethasone",
        drug_class="corticosteroid",
        dose=6.0,
        unit="mg",
        route="IV",
        start=start,
        recorded_at=NOW,
        **acts("RN", Role.NURSE),
    )


def test_a_drug_given_after_the_death_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    with pytest.raises(MedicationError, match=r"deceased at .*: a drug cannot be given after it"):
        record_medication(uow, medication(DEATH + 600))
    assert uow.co_medication.rows == {}
    record_medication(uow, medication(DEATH - 600))
    assert len(uow.co_medication.rows) == 1


def test_an_adverse_event_ending_after_the_death_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    record_adverse_event(uow, adverse(DEATH - 3600))
    with pytest.raises(AdverseEventError, match=r"deceased at .*: an adverse event cannot end after it"):
        record_adverse_event(
            uow,
            adverse(DEATH - 3600, outcome="recovered", end=DEATH + 3600, follows=1),
        )
    assert list(uow.adverse_events.rows) == [1]
    record_adverse_event(uow, adverse(DEATH - 3600, outcome="recovered", end=DEATH - 60, follows=1))
    assert len(uow.adverse_events.rows) == 2


def test_a_death_time_before_a_dose_started_is_refused_until_the_dose_is_cancelled(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    start_dose(
        uow,
        StartDose(patient=REF, dose=2, start=DEATH - 600, **acts("RN"), recorded_at=NOW),
    )
    rows = dict(uow.course_events.rows)
    with pytest.raises(
        CourseEventError, match=r"dose 2 started .*, after this death time .*: correct or cancel"
    ):
        record_course_event(uow, course("death", DEATH - 3600, "time from the certificate"))
    assert uow.course_events.rows == rows
    cancelled = CancelDose(
        patient=REF,
        dose=2,
        reason="entered in error",
        **signs("Dr Lee", Action.CANCEL_DOSE, Role.INTENSIVIST, NOW),
        recorded_at=NOW,
    )
    cancel_dose(uow, cancelled)
    record_course_event(uow, course("death", DEATH - 3600, "time from the certificate"))
    assert len(uow.course_events.rows) == len(rows) + 1


def test_a_death_time_before_an_adverse_event_began_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, adverse(DEATH - 600))
    with pytest.raises(
        CourseEventError, match=r"the adverse event Hypotension began .*, after this death time"
    ):
        record_course_event(uow, course("death", DEATH - 3600))
    assert uow.course_events.rows == {}
    record_course_event(uow, course("death", DEATH))


def test_a_death_moved_earlier_than_signed_records_is_refused_naming_each(uow) -> None:  # type: ignore[no-untyped-def]
    """A corrected death time refused while a signed record falls after it: a drug given, a vital
    sign entered by hand, an adverse event's end, a course event only the living have."""
    record_course_event(uow, course("death", DEATH))
    record_medication(uow, medication(DEATH - 1800))
    earlier = course("death", DEATH - 3600, "time from the certificate")
    with pytest.raises(CourseEventError, match=r"was given .*, after this death time .*: correct or remove"):
        record_course_event(uow, earlier)
    uow.co_medication.rows.clear()
    record_vitals(uow, stamped(RecordVitals(REF, DEATH - 1200, "RN", hr=80), NOW, Role.NURSE))
    with pytest.raises(CourseEventError, match=r"vital signs were entered by hand for .*, after this death"):
        record_course_event(uow, earlier)
    uow.vitals.observations.clear()
    record_adverse_event(uow, adverse(DEATH - 7200, outcome="recovered", end=DEATH - 600))
    with pytest.raises(CourseEventError, match=r"the adverse event Hypotension ended .*, after this death"):
        record_course_event(uow, earlier)
    uow.adverse_events.rows.clear()
    record_course_event(uow, course("thrombosis", DEATH - 900))
    rows = dict(uow.course_events.rows)
    with pytest.raises(CourseEventError, match=r"a course event \(.*\) is recorded at .*, after this death"):
        record_course_event(uow, earlier)
    assert uow.course_events.rows == rows
    record_course_event(uow, course("death", DEATH - 600, "time from the certificate"))
    assert uow.course_events.deaths(REF) == [DEATH, DEATH - 600]


def test_a_death_time_before_an_emar_administration_is_refused_naming_it(uow) -> None:  # type: ignore[no-untyped-def]
    """The eMAR's administration is checked as a drug a clinician entered is; an order (RDE), what
    was to be given, is not an administration and does not stand in the way."""
    from bedside.co_medication import DrugClass, MedicationAdministration, Source

    def given(source: Source, status: str) -> MedicationAdministration:
        return MedicationAdministration(
            patient=REF,
            drug="Heparin",
            drug_class=DrugClass.ANTICOAGULANT,
            start=DEATH - 1800,
            source=source,
            status=status,
        )

    uow.co_medication.add(given(Source.ORDER, "ordered"), "", NOW)
    record_course_event(uow, course("death", DEATH))
    uow.co_medication.add(given(Source.EMAR, "given"), "", NOW)
    rows = dict(uow.course_events.rows)
    with pytest.raises(
        CourseEventError, match=r"the eMAR documents Heparin given .*, after this death time .*: check"
    ):
        record_course_event(uow, course("death", DEATH - 3600, "time from the certificate"))
    assert uow.course_events.rows == rows
    record_course_event(uow, course("death", DEATH - 600, "time from the certificate"))
    assert uow.course_events.deaths(REF) == [DEATH, DEATH - 600]


def test_an_outcome_the_death_contradicts_is_refused_naming_the_conflict(uow) -> None:  # type: ignore[no-untyped-def]
    """A fatal outcome needs a recorded death; an event ongoing at the death cannot be recovering."""
    fatal = adverse(
        DEATH - 3600,
        grade=5,
        outcome="fatal",
        end=DEATH,
        relatedness="possible",
        seriousness=("death",),
        awareness=DEATH,
        **signs("Dr Lee", Action.RECORD_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
    )
    with pytest.raises(AdverseEventError, match=r"a fatal outcome needs MRN1\^HOSP's death on record"):
        record_adverse_event(uow, fatal)
    assert uow.adverse_events.rows == {}
    record_course_event(uow, course("death", DEATH))
    record_adverse_event(uow, fatal)
    record_adverse_event(uow, adverse(DEATH - 7200))
    with pytest.raises(AdverseEventError, match=r"deceased at .*ongoing then: it cannot be recovering"):
        record_adverse_event(uow, adverse(DEATH - 7200, outcome="recovering", follows=2))
    record_adverse_event(uow, adverse(DEATH - 7200, outcome="not_recovered", follows=2))
    assert len(uow.adverse_events.rows) == 3


def test_a_fatal_event_ending_before_the_death_is_refused_naming_it(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course("death", DEATH))
    fatal = {
        "grade": 5,
        "outcome": "fatal",
        "seriousness": ("death",),
        "awareness": DEATH,
        **signs("Dr Lee", Action.RECORD_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
    }
    with pytest.raises(
        AdverseEventError, match=r"deceased at .*: a fatal event ends at the death, and the end"
    ):
        record_adverse_event(uow, adverse(DEATH - 7200, end=DEATH - 3600, **fatal))
    assert uow.adverse_events.rows == {}
    record_adverse_event(uow, adverse(DEATH - 7200, end=DEATH, **fatal))
    record_adverse_event(uow, adverse(DEATH - 7200, **fatal))
    assert len(uow.adverse_events.rows) == 2
