"""A course event and a co-medication may be signed (the command line's --meaning): the signature
is checked as every signature is (the signer's own, in the role acted in, a meaning that says
something) and the entry carries it; the signatures table reads both in words."""

from __future__ import annotations

import pytest

from bedside.commands import RecordCourseEvent, RecordMedication, StartDose
from bedside.handlers import record_course_event, start_dose
from bedside.handlers.medication import record_medication
from bedside.model import PatientRef
from bedside.review_signatures import record_text, signed_rows
from bedside.users import Action, Role, Signature, SignatureError
from tests.acting import acts
from tests.unit.fake_uow import FakeUnitOfWork

REF = "MRN1^HOSP"
T0 = 1_780_000_000.0
NOW = T0 + 3600
MEANING = "Recorded: as I observed it"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    start_dose(fake, StartDose(patient=PatientRef.parse(REF), dose=1, start=T0, **acts("RN"), recorded_at=T0))
    fake.log.entries.clear()
    return fake


def signature(by: str, role: Role, action: Action, meaning: str = MEANING) -> Signature:
    return Signature(username=by, full_name=f"{by} full", role=role, meaning=meaning, signed_at=NOW)


def course(**more: object) -> RecordCourseEvent:
    fields = {"patient": PatientRef.parse(REF), "kind": "extubation", "at": NOW - 600, "recorded_at": NOW}
    return RecordCourseEvent(**{**fields, **acts("lee"), **more})  # type: ignore[arg-type]


def medication(**more: object) -> RecordMedication:
    fields = {
        "patient": PatientRef.parse(REF),
        "drug": "Paracetamol",
        "drug_class": "antipyretic",
        "dose": 1.0,
        "unit": "g",
        "route": "IV",
        "start": NOW - 600,
        "recorded_at": NOW,
        **acts("ada", Role.NURSE),
    }
    return RecordMedication(**{**fields, **more})  # type: ignore[arg-type]


def test_a_signed_course_event_carries_its_signature(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course(signature=signature("lee", Role.INTENSIVIST, Action.RECORD_COURSE_EVENT)))
    ((entry, _),) = uow.log.entries
    assert entry.payload()["signature"] == {
        "name": "lee full",
        "role": "intensivist",
        "meaning": MEANING,
        "at": NOW,
    }
    record_course_event(uow, course(kind="intubation", at=NOW - 300))  # unsigned, as the screens record it
    assert "signature" not in uow.log.entries[-1][0].payload()


def test_a_signed_medication_carries_its_signature(uow) -> None:  # type: ignore[no-untyped-def]
    done = record_medication(
        uow, medication(signature=signature("ada", Role.NURSE, Action.RECORD_MEDICATION))
    )
    assert done.entry.payload()["signature"]["meaning"] == MEANING


@pytest.mark.parametrize(
    ("signed_as", "says"),
    [
        (signature("lee", Role.INTENSIVIST, Action.RECORD_COURSE_EVENT, "x"), "does not say what"),
        (signature("ana", Role.INTENSIVIST, Action.RECORD_COURSE_EVENT), "ana's, not lee's"),
        (signature("lee", Role.INVESTIGATOR, Action.RECORD_COURSE_EVENT), "acts as intensivist"),
    ],
)
def test_a_course_event_signature_that_is_not_one_is_refused(uow, signed_as, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SignatureError, match=says):
        record_course_event(uow, course(signature=signed_as))
    assert uow.log.entries == [] and uow.course_events.rows == {}


def test_a_medication_signature_meaning_nothing_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SignatureError, match="does not say what"):
        record_medication(
            uow, medication(signature=signature("ada", Role.NURSE, Action.RECORD_MEDICATION, "ok"))
        )
    assert uow.log.entries == []


def test_the_signatures_table_reads_course_events_and_medication_in_words(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(
        uow,
        course(
            text="cuff leak present", signature=signature("lee", Role.INTENSIVIST, Action.RECORD_COURSE_EVENT)
        ),
    )
    record_medication(uow, medication(signature=signature("ada", Role.NURSE, Action.RECORD_MEDICATION)))
    log = [
        {"seq": i, "at": at, "kind": e.kind, "actor": e.actor, "payload": e.payload()}
        for i, (e, at) in enumerate(uow.log.entries, start=1)
    ]
    rows = signed_rows(log)
    assert len(rows) == 2
    texts = [record_text(e) for e in log]
    assert texts[0].startswith("Course event: extubation ") and texts[0].endswith(" (cuff leak present)")
    assert texts[1].startswith("Co-medication: Paracetamol 1 g IV ")
    assert not any(t in ("course.event", "medication.recorded") for row in rows for t in row)
