"""Adverse events for expedited reporting, against the in-memory unit of work: required choices,
what is derived (never entered), follow-up versions beside the first (never overwriting), who may
assess causality and seriousness, and the report to the sponsor."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bedside.adverse_events import AdverseEventVersion, history_lines
from bedside.commands import (
    NOT_ASSESSED,
    AdverseEventError,
    RecordAdverseEvent,
    RecordCourseEvent,
    ReportAdverseEvent,
    StartDose,
)
from bedside.handlers import record_adverse_event, record_course_event, report_adverse_event, start_dose
from bedside.model import PatientRef
from bedside.users import Action, NotAllowed, Role
from tests.acting import acts, signs
from tests.unit.fake_uow import FakeUnitOfWork

REF = PatientRef("MRN1", "HOSP")
T0 = 1_780_000_000.0
NOW = T0 + 3600


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored.append(PatientRef("MRN1", "HOSP"))
    start_dose(fake, StartDose(patient=REF, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    fake.log.entries.clear()
    return fake


def event(role: Role = Role.INVESTIGATOR, **more: object) -> RecordAdverseEvent:
    fields = {
        "patient": REF,
        "term": "Hypotension",
        "grade": 3,
        "relatedness": "probable",
        "onset": T0 + 1200,
        "dose": 1,
        **signs("inv", Action.RECORD_ADVERSE_EVENT, role, NOW),
        "recorded_at": NOW,
        **more,
    }
    return RecordAdverseEvent(**fields)  # type: ignore[arg-type]


def sae(**more: object) -> RecordAdverseEvent:
    return event(
        seriousness=("life_threatening", "hospitalisation"),
        awareness=T0 + 1500,
        outcome="recovering",
        action_taken="stopped",
        treatment="noradrenaline 0.1 µg/kg/min",
        **more,
    )


@pytest.mark.parametrize(
    ("missing", "says"),
    [
        ({"grade": None}, "choose the grade: nothing"),
        ({"relatedness": ""}, "choose the relatedness: nothing"),
        ({"onset": None}, "choose the onset: nothing"),
        ({"grade": None, "relatedness": "", "onset": None}, "choose the grade, the relatedness, the onset"),
    ],
)
def test_required_choices_are_refused_when_not_made(uow, missing, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match=says):
        record_adverse_event(uow, event(**missing))
    assert uow.adverse_events.rows == {} and uow.log.entries == []


@pytest.mark.parametrize(
    ("more", "says"),
    [
        ({"seriousness": ("sad",)}, "unknown seriousness criteria sad"),
        ({"outcome": "better"}, "outcome must be one of recovered"),
        ({"action_taken": "paused"}, "action taken must be one of none"),
        ({"end": T0}, "the end is before the onset"),
        ({"seriousness": ("death",)}, "needs the time the team became aware"),
        ({"meddra_code": "1234"}, "a MedDRA code is 8 digits"),
        ({"outcome": "fatal", "seriousness": (), "awareness": T0}, "serious by death"),
    ],
)
def test_reporting_fields_outside_their_vocabulary_are_refused(uow, more, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match=says):
        record_adverse_event(uow, event(**more))
    assert uow.adverse_events.rows == {}


def test_an_sae_is_stored_with_what_is_derived(uow) -> None:  # type: ignore[no-untyped-def]
    entry = record_adverse_event(uow, sae())
    row = uow.adverse_events.rows[1]
    assert (row["version"], row["event"], row["ctcae_term"], row["ctcae_version"]) == (
        1,
        None,
        "Hypotension",
        "5.0",
    )
    # Grade 3 hypotension is beyond the grade 2 the shipped RSI lists: unexpected.
    assert row["expectedness"] == "unexpected" and row["rsi"].endswith("version 1.0")
    assert (row["assessed_by"], row["assessor_role"]) == ("inv", "investigator")
    body = entry.body()
    assert body["susar"] is True and body["seriousness"] == ["life_threatening", "hospitalisation"]
    assert body["awareness"] == T0 + 1500 and body["action_taken"] == "stopped" and body["event"] == 1
    assert uow.adverse_events.latest(1).susar.value is True  # type: ignore[union-attr]


def test_the_susar_flag_cannot_be_entered(uow) -> None:  # type: ignore[no-untyped-def]
    """An expected grade-2 fever, serious and related, is not a SUSAR whatever the caller thinks."""
    entry = record_adverse_event(uow, sae(term="fever", grade=2))
    assert entry.body()["expectedness"] == "expected" and entry.body()["susar"] is False
    assert entry.body()["term"] == "Fever"  # the CTCAE term as CTCAE spells it


def test_a_free_text_term_is_kept_unmatched_and_unexpected(uow) -> None:  # type: ignore[no-untyped-def]
    entry = record_adverse_event(uow, sae(term="Rash on the infusion arm"))
    body = entry.body()
    assert (body["term"], body["ctcae_term"], body["ctcae_version"]) == (
        "Rash on the infusion arm",
        None,
        None,
    )
    assert body["expectedness"] == "unexpected"


def test_special_interest_is_flagged_from_the_term(uow) -> None:  # type: ignore[no-untyped-def]
    assert (
        record_adverse_event(uow, event(term="Thromboembolic event")).body()["aesi"]
        == "thrombosis or embolism"
    )
    assert record_adverse_event(uow, event(term="Infusion related reaction", grade=2)).body()["aesi"] == (
        "infusion reaction"
    )


def test_a_follow_up_is_a_new_version_and_never_overwrites(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())
    first = dict(uow.adverse_events.rows[1])
    later = NOW + 7200
    follow = event(
        term="",
        grade=4,
        relatedness="",
        onset=None,
        dose=None,
        follows=1,
        outcome="recovered",
        end=T0 + 9000,
        recorded_at=later,
    )
    entry = record_adverse_event(uow, follow)
    assert uow.adverse_events.rows[1] == first  # version 1 as it was
    second = uow.adverse_events.rows[2]
    assert (second["event"], second["version"], second["grade"], second["outcome"]) == (1, 2, 4, "recovered")
    # What the follow-up left unset is carried from version 1.
    assert (second["term"], second["onset"], second["seriousness"]) == (
        "Hypotension",
        T0 + 1200,
        ("life_threatening", "hospitalisation"),
    )
    assert (second["episode_id"], second["awareness"], second["action_taken"]) == (1, T0 + 1500, "stopped")
    assert entry.body()["version"] == 2 and entry.body()["event"] == 1
    # A third, following up the event's number again, is version 3 of the same event.
    record_adverse_event(uow, event(follows=1, outcome="recovered_with_sequelae", recorded_at=later + 60))
    latest = uow.adverse_events.latest(1)
    assert latest is not None and (latest.version, latest.event_id, latest.outcome) == (
        3,
        1,
        "recovered_with_sequelae",
    )
    assert len(uow.adverse_events.rows) == 3 and uow.log.kinds() == ["adverse_event.recorded"] * 3


def test_a_follow_up_of_an_unknown_event_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match="no adverse event #7 for MRN1\\^HOSP: none is recorded"):
        record_adverse_event(uow, event(follows=7))
    assert uow.adverse_events.rows == {}


def test_a_version_row_id_is_not_an_event_number(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())  # event #1 (row 1)
    record_adverse_event(
        uow, event(follows=1, grade=4, term="", relatedness="", onset=None, dose=None)
    )  # row 2
    record_adverse_event(uow, event(term="Fever", grade=2, onset=T0 + 1800))  # event #3 (row 3)
    for number in (2, 7):
        with pytest.raises(
            AdverseEventError, match=rf"no adverse event #{number} for MRN1\^HOSP; the events are #1, #3"
        ):
            record_adverse_event(
                uow, event(follows=number, grade=1, term="", relatedness="", onset=None, dose=None)
            )
        with pytest.raises(
            AdverseEventError, match=rf"no adverse event #{number} for .*; the events are #1, #3"
        ):
            report_adverse_event(uow, replace(report_at(NOW), event=number))
    assert len(uow.adverse_events.rows) == 3


def test_a_nurse_may_not_assess_causality_nor_seriousness(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed, match="a nurse may not assess relatedness and seriousness"):
        record_adverse_event(uow, event(Role.NURSE))
    with pytest.raises(NotAllowed, match="a nurse may not assess"):
        record_adverse_event(uow, event(Role.NURSE, relatedness=NOT_ASSESSED, seriousness=()))
    assert uow.adverse_events.rows == {}
    entry = record_adverse_event(uow, event(Role.NURSE, relatedness=NOT_ASSESSED))
    assert (entry.body()["assessed_by"], entry.body()["assessor_role"]) == (None, None)
    assert entry.body()["susar"] is None


def test_an_intensivist_assessing_later_is_recorded_as_the_assessor(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, event(Role.NURSE, relatedness=NOT_ASSESSED))
    follow = event(Role.INTENSIVIST, follows=1, relatedness="possible", seriousness=())
    body = record_adverse_event(uow, follow).body()
    assert (body["assessed_by"], body["assessor_role"], body["susar"]) == ("inv", "intensivist", False)


def test_reporting_to_the_sponsor_stops_the_clock(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())
    assert uow.adverse_events.latest(1).clock(NOW).state == "due"  # type: ignore[union-attr]
    cmd = ReportAdverseEvent(
        patient=REF,
        event=1,
        sent_at=NOW - 60,
        **signs("inv", Action.REPORT_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
        recorded_at=NOW,
    )
    entry = report_adverse_event(uow, cmd)
    assert entry.body() == {"id": 1, "event": 1, "version": 1, "sent_at": NOW - 60}
    assert entry.payload()["signature"]["meaning"].startswith("Reported:")
    clock = uow.adverse_events.latest(1).clock(NOW + 86400 * 3)  # type: ignore[union-attr]
    assert (clock.state, clock.reported_at) == ("reported", NOW - 60)


@pytest.mark.parametrize(
    ("seriousness", "event_id", "sent", "says"),
    [
        ((), 1, NOW, "is not recorded as serious"),
        (("death",), 9, NOW, "no adverse event #9"),
        (("death",), 1, NOW + 3600, "in the future"),
    ],
)
def test_a_report_that_cannot_be_is_refused(uow, seriousness, event_id, sent, says) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, event(seriousness=seriousness, awareness=T0 + 1500))
    cmd = ReportAdverseEvent(
        patient=REF,
        event=event_id,
        sent_at=sent,
        **signs("inv", Action.REPORT_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
        recorded_at=NOW,
    )
    with pytest.raises(AdverseEventError, match=says):
        report_adverse_event(uow, cmd)
    assert uow.adverse_events.reports == {}


@pytest.mark.parametrize(
    ("more", "says"),
    [
        ({"awareness": T0 + 600, "seriousness": ("hospitalisation",)}, "aware of the event before its onset"),
        ({"onset": T0 - 600}, "the onset .* is before dose 1 started"),
        ({"onset": NOW + 3600}, "the onset is in the future"),
        ({"outcome": "recovered", "end": NOW + 86400}, "the end is in the future"),
        (
            {"grade": 5, "outcome": "recovered", "seriousness": ()},
            "grade 5 is death .*: its outcome must be fatal",
        ),
        (
            {"grade": 5, "outcome": "fatal", "seriousness": ("hospitalisation",), "awareness": T0 + 1500},
            "a fatal outcome \\(grade 5\\) makes the event serious by death",
        ),
        (
            {"grade": 4, "outcome": "fatal", "seriousness": ("death",), "awareness": T0 + 1500},
            "a fatal outcome is grade 5",
        ),
        ({"outcome": "recovering", "end": T0 + 2400}, "has no end yet"),
    ],
)
def test_contradictory_or_impossible_times_and_grades_are_refused(uow, more, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match=says):
        record_adverse_event(uow, event(**more))
    assert uow.adverse_events.rows == {} and uow.log.entries == []


def test_a_grade_5_event_is_fatal_and_serious_by_death(uow) -> None:  # type: ignore[no-untyped-def]
    died = RecordCourseEvent(patient=REF, kind="death", at=T0 + 1800, **acts("Dr Lee"), recorded_at=NOW)
    record_course_event(uow, died)
    entry = record_adverse_event(
        uow, event(grade=5, outcome="fatal", seriousness=("death",), awareness=T0 + 1500, end=T0 + 1800)
    )
    assert (entry.grade, entry.body()["outcome"]) == (5, "fatal")


def test_a_follow_up_to_grade_5_needs_the_fatal_outcome(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())
    with pytest.raises(AdverseEventError, match="its outcome must be fatal"):
        record_adverse_event(uow, event(follows=1, grade=5, outcome="recovered", recorded_at=NOW + 60))
    assert len(uow.adverse_events.rows) == 1


def test_a_follow_up_saying_the_event_is_ongoing_again_drops_the_end(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, event(outcome="recovered", end=T0 + 2400))
    record_adverse_event(uow, event(follows=1, outcome="not_recovered", recorded_at=NOW + 60))
    latest = uow.adverse_events.latest(1)
    assert latest is not None and (latest.outcome, latest.end) == ("not_recovered", None)
    # Leaving the outcome as it was still carries the end.
    record_adverse_event(uow, event(outcome="recovered", end=T0 + 2400))
    record_adverse_event(uow, event(follows=3, notes="checked", recorded_at=NOW + 60))
    assert uow.adverse_events.latest(3).end == T0 + 2400  # type: ignore[union-attr]


def report_at(sent: float) -> ReportAdverseEvent:
    return ReportAdverseEvent(
        patient=REF,
        event=1,
        sent_at=sent,
        **signs("inv", Action.REPORT_ADVERSE_EVENT, Role.INVESTIGATOR, NOW),
        recorded_at=NOW,
    )


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        (T0 + 1300, "cannot be sent before the team became aware of it"),
        (T0 - 86400 * 5, "cannot be sent before the team became aware of it"),
    ],
)
def test_a_report_sent_before_the_event_was_known_is_refused(uow, sent, says) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())  # onset T0 + 1200, awareness T0 + 1500
    with pytest.raises(AdverseEventError, match=says):
        report_adverse_event(uow, report_at(sent))
    assert uow.adverse_events.reports == {}
    report_adverse_event(uow, report_at(T0 + 1500))
    assert len(uow.adverse_events.reports) == 1


def nurse_follow_up(**more: object) -> RecordAdverseEvent:
    fields: dict[str, object] = {"term": "", "grade": None, "relatedness": "", "onset": None, "dose": None}
    return event(Role.NURSE, follows=1, recorded_at=NOW + 600, **{**fields, **more})


@pytest.mark.parametrize(
    ("more", "what"),
    [
        ({"grade": 1}, "expectedness and SUSAR"),
        ({"term": "Fever", "grade": 2}, "term and expectedness and SUSAR"),
        ({"term": "Hypertension"}, "term"),
        ({"relatedness": NOT_ASSESSED}, "SUSAR"),
    ],
)
def test_a_nurse_follow_up_may_not_change_an_assessed_susar(uow, more, what) -> None:  # type: ignore[no-untyped-def]
    """Grade 3 hypotension assessed probable and serious is a SUSAR; a nurse's grade 1 would make it
    expected and no SUSAR under the investigator's name."""
    record_adverse_event(uow, sae())
    with pytest.raises(
        AdverseEventError, match=f"a nurse may not assess.*would change the {what} of adverse"
    ):
        record_adverse_event(uow, nurse_follow_up(**more))
    assert list(uow.adverse_events.rows) == [1]
    assert uow.adverse_events.latest(1).susar.value is True  # type: ignore[union-attr]


def test_a_nurse_follow_up_may_not_move_an_assessed_event_to_another_dose(uow) -> None:  # type: ignore[no-untyped-def]
    start_dose(
        uow,
        StartDose(patient=REF, dose=2, start=T0 + 600, **acts("RN"), recorded_at=T0 + 600),
    )
    record_adverse_event(uow, sae())
    with pytest.raises(
        AdverseEventError, match=r"a nurse may not assess.*would change the linked dose of adverse"
    ):
        record_adverse_event(uow, nurse_follow_up(dose=2, onset=T0 + 1200))
    assert list(uow.adverse_events.rows) == [1]
    moved = record_adverse_event(uow, event(follows=1, dose=2, recorded_at=NOW + 600)).body()
    assert moved["version"] == 2
    # The history says the linked dose changed (relatedness was judged for the other dose).
    versions = [AdverseEventVersion(**row) for row in uow.adverse_events.rows.values()]
    dose_of = {d.id: d.dose_number for d in uow.episodes.of_patient(REF)}
    lines = history_lines(versions, str, dose_of)
    assert "linked dose: dose 1 → dose 2" in lines[-1]


def test_a_nurse_follow_up_that_keeps_the_assessment_is_recorded(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())
    body = record_adverse_event(uow, nurse_follow_up(grade=4, outcome="not_recovered")).body()
    # Grade 4 hypotension is still beyond what the RSI lists: the assessment stands, and stays the
    # investigator's.
    assert (body["version"], body["susar"], body["expectedness"]) == (2, True, "unexpected")
    assert (body["assessed_by"], body["assessor_role"]) == ("inv", "investigator")


def test_an_investigator_follow_up_may_change_the_susar(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())
    follow = event(follows=1, term="", grade=1, relatedness="", onset=None, dose=None, recorded_at=NOW + 600)
    body = record_adverse_event(uow, follow).body()
    assert (body["susar"], body["expectedness"], body["assessed_by"]) == (False, "expected", "inv")


def test_a_nurse_may_change_the_grade_of_an_event_nobody_assessed(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, event(Role.NURSE, relatedness=NOT_ASSESSED))
    body = record_adverse_event(uow, nurse_follow_up(grade=1)).body()
    assert (body["grade"], body["expectedness"], body["assessed_by"]) == (1, "expected", None)


def test_moving_the_awareness_time_needs_a_reason_kept_with_that_version_only(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())
    moved = {"term": "", "grade": None, "relatedness": "", "onset": None, "dose": None, "follows": 1}
    with pytest.raises(AdverseEventError, match="state why"):
        record_adverse_event(uow, event(**moved, awareness=T0 + 1300, recorded_at=NOW + 60))
    with pytest.raises(AdverseEventError, match="state why"):
        record_adverse_event(
            uow, event(**moved, awareness=T0 + 1300, awareness_reason="x", recorded_at=NOW + 60)
        )
    with pytest.raises(AdverseEventError, match="no earlier awareness time is changed"):
        record_adverse_event(uow, event(**moved, awareness_reason="typo", recorded_at=NOW + 60))
    assert list(uow.adverse_events.rows) == [1]
    entry = record_adverse_event(
        uow, event(**moved, awareness=T0 + 1300, awareness_reason="note was misdated", recorded_at=NOW + 60)
    )
    # The reason is a field of its own (logged, stored, read), never written into the notes.
    assert entry.body()["awareness_reason"] == "note was misdated" and entry.body()["notes"] == ""
    stored = uow.adverse_events.latest(1)
    assert stored is not None and (stored.awareness_correction, stored.notes) == ("note was misdated", "")
    assert uow.adverse_events.latest(1).awareness_reason == "note was misdated"  # type: ignore[union-attr]
    record_adverse_event(uow, event(**moved, outcome="recovered", end=T0 + 3000, recorded_at=NOW + 120))
    assert uow.adverse_events.latest(1).awareness_reason is None  # type: ignore[union-attr]


def test_a_follow_up_that_changes_nothing_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())
    same = {"term": "", "grade": None, "relatedness": "", "onset": None, "dose": None, "follows": 1}
    with pytest.raises(AdverseEventError, match="nothing changed: this follow-up says what version 1"):
        record_adverse_event(uow, event(**same, recorded_at=NOW + 60))
    with pytest.raises(AdverseEventError, match="nothing changed"):
        record_adverse_event(uow, event(**{**same, "grade": 3}, outcome="recovering", recorded_at=NOW + 60))
    assert list(uow.adverse_events.rows) == [1] and uow.log.kinds() == ["adverse_event.recorded"]
    record_adverse_event(uow, event(**same, treatment="fluids 500 mL", recorded_at=NOW + 60))
    assert list(uow.adverse_events.rows) == [1, 2]


def test_a_grade_4_event_assessed_not_serious_needs_its_own_reason(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match=r"grade 4 is life-threatening .*state why in the note"):
        record_adverse_event(uow, event(grade=4, seriousness=()))
    assert uow.adverse_events.rows == {}
    record_adverse_event(uow, event(grade=4, notes="brief, self-limited; no threat to life"))
    # A follow-up assessing it not serious: the note carried from version 1 is not its reason.
    with pytest.raises(AdverseEventError, match=r"grade 4 is life-threatening"):
        record_adverse_event(uow, event(grade=4, follows=1, seriousness=()))
    record_adverse_event(
        uow, event(grade=4, follows=1, seriousness=(), notes="resolved in 5 min with fluids")
    )
    # Later versions of an event already so assessed need no new reason.
    record_adverse_event(uow, event(grade=4, follows=1, seriousness=(), outcome="recovered", end=T0 + 1800))
    assert len(uow.adverse_events.rows) == 3


def test_moving_the_onset_of_an_assessed_event_needs_a_reason(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())  # assessed: relatedness probable, serious
    nurse = signs("rn", Action.RECORD_ADVERSE_EVENT, Role.NURSE, NOW)
    moved = {**nurse, "follows": 1, "relatedness": "", "onset": T0 + 1300}
    with pytest.raises(AdverseEventError, match=r"moves the onset of adverse event #1 \(was .*\), which has"):
        record_adverse_event(uow, event(**moved))
    assert list(uow.adverse_events.rows) == [1]
    record_adverse_event(uow, event(**{**moved, "notes": "the monitor's clock was 100 s fast"}))
    assert len(uow.adverse_events.rows) == 2


def test_a_later_awareness_is_refused_saying_day_0_is_the_earliest(uow) -> None:  # type: ignore[no-untyped-def]
    # ICH E2A day 0 is the first knowledge: a later time would not move the clock, so it is refused
    # (never taken and ignored), with how to correct a first time entered wrong.
    record_adverse_event(uow, sae())  # aware at T0 + 1500
    moved = {"term": "", "grade": None, "relatedness": "", "onset": None, "dose": None, "follows": 1}
    later = event(**moved, awareness=T0 + 1800, awareness_reason="the ward's note was misdated")
    with pytest.raises(AdverseEventError) as refused:
        record_adverse_event(uow, replace(later, recorded_at=NOW + 60))
    text = str(refused.value)
    assert "day 0 of the 24-hour report is the earliest awareness" in text
    assert "says in its note the right time and why the first was wrong" in text
    assert list(uow.adverse_events.rows) == [1]
    # An earlier one, with its reason, is a correction the clock follows.
    record_adverse_event(uow, replace(later, awareness=T0 + 1300, recorded_at=NOW + 60))
    assert uow.adverse_events.latest(1).clock_awareness == T0 + 1300  # type: ignore[union-attr]


def test_a_nurse_may_not_move_the_awareness_of_an_assessed_event(uow) -> None:  # type: ignore[no-untyped-def]
    record_adverse_event(uow, sae())  # assessed by the investigator
    moved = {"relatedness": "", "awareness": T0 + 1300, "awareness_reason": "misdated"}
    with pytest.raises(AdverseEventError) as refused:
        record_adverse_event(uow, nurse_follow_up(**moved))
    text = str(refused.value)
    assert "would change the awareness time of adverse event #1, which inv assessed" in text
    assert "intensivist" in text and "investigator" in text  # who may
    assert list(uow.adverse_events.rows) == [1]
    # The investigator may.
    record_adverse_event(
        uow, event(term="", grade=None, onset=None, dose=None, follows=1, **moved, recorded_at=NOW + 60)
    )
    assert list(uow.adverse_events.rows) == [1, 2]
