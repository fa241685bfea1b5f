"""The course events the outcome set needs are recorded and logged like the others; a kind outside
the list is refused, naming the kinds there are."""

from __future__ import annotations

import pytest

from bedside.commands import COURSE_EVENT_KINDS, CourseEventError, RecordCourseEvent
from bedside.handlers import record_course_event
from bedside.model import PatientRef
from tests.acting import acts
from tests.unit.fake_uow import FakeUnitOfWork

NOW = 1_780_000_000.0
NEEDED = ("symptom_onset", "tracheostomy", "ecmo_start", "ecmo_end", "rrt_start", "rrt_end")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    return fake


def event(kind: str) -> RecordCourseEvent:
    return RecordCourseEvent(
        patient=PatientRef("MRN1", "HOSP"), kind=kind, at=NOW - 600, **acts("Dr Lee"), recorded_at=NOW
    )


@pytest.mark.parametrize("kind", [*NEEDED, "thrombosis", "infection", "icu_discharge", "death"])
def test_each_outcome_kind_is_stored_and_logged(uow, kind: str) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, event(kind))
    ((entry, _),) = uow.log.entries
    assert entry.payload()["kind"] == kind
    assert next(iter(uow.course_events.rows.values()))["kind"] == kind


def test_an_unknown_kind_is_refused_and_nothing_is_recorded(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CourseEventError, match="tracheostomy"):
        record_course_event(uow, event("ecmo"))
    assert uow.log.entries == [] and not uow.course_events.rows
    assert len(max(COURSE_EVENT_KINDS, key=len)) <= 20  # the stored column's width
