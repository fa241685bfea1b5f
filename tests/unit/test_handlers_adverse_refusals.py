"""What the adverse-event handler refuses and how: a fatal event not assessed serious by death, a
term longer than it holds, and a nurse's follow-up that would change an assessed event's
assessment (logged as every refused action is); and which events cover a death's SAE report."""

from __future__ import annotations

import pytest

from bedside.adverse_events import AdverseEventVersion
from bedside.commands import AdverseEventError, RecordAdverseEvent, RecordCourseEvent, StartDose
from bedside.death_sae import covers_death, from_review
from bedside.handlers import record_adverse_event, record_course_event, start_dose
from bedside.handlers.adverse import TERM_LIMIT
from bedside.log_entries import ActionRefused
from bedside.model import PatientRef
from bedside.users import Action, Role
from tests.acting import acts, signs
from tests.unit.fake_uow import FakeUnitOfWork

REF = PatientRef("MRN1", "HOSP")
T0 = 1_780_000_000.0
DIED = T0 + 3000
NOW = T0 + 3600


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(REF)
    start_dose(fake, StartDose(patient=REF, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    record_course_event(
        fake, RecordCourseEvent(patient=REF, kind="death", at=DIED, **acts("RN"), recorded_at=DIED)
    )
    fake.log.entries.clear()
    return fake


def event(role: Role = Role.INVESTIGATOR, **more: object) -> RecordAdverseEvent:
    fields = {
        "patient": REF,
        "term": "Respiratory failure",
        "grade": 3,
        "relatedness": "unlikely",
        "onset": T0 + 1200,
        "dose": 1,
        **signs("inv", Action.RECORD_ADVERSE_EVENT, role, NOW),
        "recorded_at": NOW,
        **more,
    }
    return RecordAdverseEvent(**fields)  # type: ignore[arg-type]


FOLLOW_UP: dict[str, object] = {"term": "", "grade": None, "relatedness": "", "onset": None, "dose": None}


@pytest.mark.parametrize(
    "seriousness", [None, (), ("hospitalisation",)], ids=["not assessed", "not serious", "serious otherwise"]
)
def test_a_fatal_event_not_serious_by_death_is_refused(uow, seriousness) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        AdverseEventError, match=r"fatal outcome \(grade 5\) makes the event serious by death"
    ):
        record_adverse_event(
            uow, event(grade=5, outcome="fatal", seriousness=seriousness, awareness=DIED, end=DIED)
        )
    assert uow.adverse_events.rows == {} and uow.log.entries == []


def test_a_follow_up_making_an_event_fatal_needs_the_death_criterion(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, event())  # assessed for causality, its seriousness not assessed
    fatal = {**FOLLOW_UP, "grade": 5, "outcome": "fatal", "end": DIED, "follows": 1, "recorded_at": NOW + 60}
    with pytest.raises(AdverseEventError, match="serious by death"):
        record_adverse_event(uow, event(**fatal))
    assert list(uow.adverse_events.rows) == [1]
    record_adverse_event(uow, event(**fatal, seriousness=("death",), awareness=DIED))
    assert covers_death(uow.adverse_events.latest(1))  # type: ignore[arg-type]


def _version(event_id: int, **more: object) -> AdverseEventVersion:
    fields = {
        "id": event_id,
        "patient_ref": REF,
        "episode_id": None,
        "term": "Respiratory failure",
        "grade": 5,
        "relatedness": "unlikely",
        "onset": T0,
        "reported_by": "inv",
        "reported_at": NOW,
        "outcome": "fatal",
        **more,
    }
    return AdverseEventVersion(**fields)  # type: ignore[arg-type]


def test_only_an_event_assessed_serious_by_death_covers_the_death() -> None:
    """A fatal outcome stored without that assessment (before it was required) is no SAE report."""
    events = [
        _version(4, seriousness=("death",)),
        _version(11),
        _version(12, seriousness=("hospitalisation",)),
        _version(13, grade=4, outcome="not_recovered", seriousness=("death", "life_threatening")),
    ]
    sae, _outcomes = from_review(DIED, [], events, aware=DIED)
    assert sae is not None and sae.fatal_events == (4, 13) and sae.state == "recorded"
    uncovered, _outcomes = from_review(DIED, [], events[1:3], aware=DIED)
    assert uncovered is not None and uncovered.state == "due"


def test_a_term_longer_than_it_holds_is_refused_with_its_length(uow) -> None:  # type: ignore[no-untyped-def]
    long = "Respiratory failure " + "after a long night " * 12
    assert len(long.strip()) > TERM_LIMIT
    with pytest.raises(AdverseEventError) as refused:
        record_adverse_event(uow, event(term=long))
    said = str(refused.value)
    assert f"{len(long.strip())} characters" in said and f"at most {TERM_LIMIT}" in said and "notes" in said
    assert uow.adverse_events.rows == {}
    record_adverse_event(uow, event(term="x" * TERM_LIMIT))
    assert uow.adverse_events.latest(1).term == "x" * TERM_LIMIT  # type: ignore[union-attr]


def test_a_nurse_follow_up_refused_for_an_assessment_is_logged_as_refused(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, event(seriousness=("hospitalisation",), awareness=T0 + 1300))
    uow.log.entries.clear()
    nurse = event(Role.NURSE, **{**FOLLOW_UP, "term": "Hypertension"}, follows=1, recorded_at=NOW + 600)
    with pytest.raises(AdverseEventError, match="would change the term of adverse event #1"):
        record_adverse_event(uow, nurse)
    assert list(uow.adverse_events.rows) == [1]
    ((entry, at),) = uow.log.entries
    assert isinstance(entry, ActionRefused) and at == NOW + 600
    assert (entry.action, entry.role, entry.patient_ref) == ("assess_adverse_event", "nurse", REF)
    assert entry.reason.startswith("a nurse may not assess") and "term of adverse event #1" in entry.reason
