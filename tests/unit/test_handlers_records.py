"""Adverse events, signed checks, course events, report exports and manual vitals, against the
in-memory unit of work: the refusals leave nothing written."""

from __future__ import annotations

import pytest

from bedside.commands import (
    ActionError,
    AdverseEventError,
    CheckError,
    ConfirmReportedDeath,
    CourseEventError,
    EpisodeError,
    ExportReport,
    RecordAdverseEvent,
    RecordCourseEvent,
    RecordVitals,
    SignCheck,
    StartDose,
    VitalsError,
)
from bedside.handlers import (
    authorize_report,
    confirm_reported_death,
    export_report,
    export_tables,
    record_adverse_event,
    record_course_event,
    record_vitals,
    sign_check,
    stamped,
    start_dose,
)
from bedside.handlers.common import when_text
from bedside.model import PatientRef
from bedside.unit_of_work import DoseFields
from bedside.users import Action, NotAllowed, Role
from tests.acting import acts, signs
from tests.unit.fake_uow import FakeUnitOfWork

REF = PatientRef("MRN1", "HOSP")
OTHER = PatientRef("MRN2", "HOSP")
T0 = 1_780_000_000.0
NOW = T0 + 3600


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.patients.stored += [PatientRef("MRN1", "HOSP"), PatientRef("MRN2", "HOSP")]
    for ref in (REF, OTHER):
        start_dose(fake, StartDose(patient=ref, dose=1, start=T0, **acts("RN"), recorded_at=T0))
    fake.log.entries.clear()
    return fake


def event(**more: object) -> RecordAdverseEvent:
    fields = {
        "patient": REF,
        "term": "Infusion related reaction",
        "grade": 2,
        "relatedness": "probable",
        "onset": T0 + 600,
        **signs("Dr Lee", Action.RECORD_ADVERSE_EVENT),
        "recorded_at": NOW,
        **more,
    }
    return RecordAdverseEvent(**fields)  # type: ignore[arg-type]


def test_an_adverse_event_is_stored_and_logged_as_documented(uow) -> None:  # type: ignore[no-untyped-def]
    alert = uow.alerts.raised(uow.episodes.rows[1])
    entry = record_adverse_event(
        uow, event(term=" Fever ", dose=1, alert_ids=(alert.id,), onset=T0 + 600, notes="38.9")
    )
    (row,) = uow.adverse_events.rows.values()
    assert row["patient_ref"] == REF and row["episode_id"] == 1 and row["term"] == "Fever"
    assert row["reported_by"] == "Dr Lee" and row["reported_at"] == NOW
    body = entry.body()
    # The fields every adverse-event entry has always carried, then what reporting adds.
    assert {k: body[k] for k in list(body)[:9]} == {
        "id": 1,
        "episode_id": 1,
        "term": "Fever",
        "grade": 2,
        "relatedness": "probable",
        "onset": T0 + 600,
        "alert_ids": [alert.id],
        "notes": "38.9",
        "reported_by": "Dr Lee",
    }
    assert body["event"] == 1 and body["version"] == 1 and body["ctcae_term"] == "Fever"
    assert body["assessed_by"] == "Dr Lee" and body["assessor_role"] == "intensivist"
    assert uow.log.entries == [(entry, NOW)]


@pytest.mark.parametrize(
    ("more", "says"),
    [
        ({"grade": 0}, "grade must be 1-5"),
        ({"grade": 6}, "grade must be 1-5"),
        ({"relatedness": "maybe"}, "relatedness must be one of unrelated, unlikely"),
        ({"term": "  "}, "needs a term and who records it"),
        ({"by": ""}, "needs a term and who records it"),
        ({"patient": PatientRef("NOBODY")}, "no patient 'NOBODY' in this database"),
        ({"alert_ids": (99,)}, "no alert #99 in this database"),
        ({"dose": 2}, "no dose 2 for MRN1\\^HOSP"),
        ({"episode_id": 2}, "that dose is not one of MRN1\\^HOSP's"),
    ],
)
def test_an_adverse_event_that_cannot_be_found_again_is_refused(uow, more, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdverseEventError, match=says):
        record_adverse_event(uow, event(**more))
    assert uow.adverse_events.rows == {} and uow.log.entries == []


def test_an_adverse_event_linked_to_another_patients_alert_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    theirs = uow.alerts.raised(uow.episodes.rows[2])
    with pytest.raises(AdverseEventError, match=f"alert #{theirs.id} is not one of MRN1\\^HOSP's alerts"):
        record_adverse_event(uow, event(alert_ids=(theirs.id,)))
    assert uow.adverse_events.rows == {}


def test_a_patient_known_only_through_a_dose_may_have_an_adverse_event(uow) -> None:  # type: ignore[no-untyped-def]
    start_dose(uow, StartDose(patient=PatientRef("P9", "X"), dose=1, start=T0, **acts("RN"), recorded_at=T0))
    record_adverse_event(uow, event(patient=PatientRef("P9", "X")))
    assert len(uow.adverse_events.rows) == 1


def check(**more: object) -> SignCheck:
    fields = {
        "patient": REF,
        "episode_id": 1,
        "check": "during+45",
        "label": "+45 min",
        "values": "HR 110",
        "findings": "rash",
        **signs("EF", Action.SIGN_CHECK),
        "recorded_at": NOW,
        **more,
    }
    return SignCheck(**fields)  # type: ignore[arg-type]


def test_a_signed_check_is_logged_for_its_dose(uow) -> None:  # type: ignore[no-untyped-def]
    assert sign_check(uow, check()) == 1
    ((entry, at),) = uow.log.entries
    assert (entry.kind, entry.actor, entry.episode_id, at) == ("check.done", "EF", 1, NOW)
    assert entry.body() == {
        "check": "during+45",
        "label": "+45 min",
        "values": "HR 110",
        "findings": "rash",
    }


@pytest.mark.parametrize(
    ("more", "says"),
    [({"episode_id": 2}, "no such dose"), ({"episode_id": 9}, "no such dose"), ({"by": ""}, "say who signs")],
)
def test_a_check_for_a_dose_not_the_patients_is_refused(uow, more, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CheckError, match=says):
        sign_check(uow, check(**more))
    assert uow.log.entries == []


def course(**more: object) -> RecordCourseEvent:
    fields = {
        "patient": PatientRef("MRN1"),
        "kind": "extubation",
        "at": NOW - 600,
        **acts("Dr Lee"),
        "recorded_at": NOW,
    }
    return RecordCourseEvent(**{**fields, **more})  # type: ignore[arg-type]


def test_a_course_event_is_stored_and_logged(uow) -> None:  # type: ignore[no-untyped-def]
    recorded = record_course_event(uow, course(text="planned"))
    assert recorded.patient_ref == REF and recorded.id == 1
    assert uow.course_events.rows[1]["entered_by"] == "Dr Lee"
    ((entry, _),) = uow.log.entries
    assert entry.payload() == {
        "id": 1,
        "kind": "extubation",
        "at": NOW - 600,
        "text": "planned",
        "source": "clinician",
    }


@pytest.mark.parametrize(
    ("more", "says"),
    [
        ({"kind": "surgery"}, "kind must be one of intubation"),
        ({"kind": "radiology"}, "a radiology note needs its text"),
        ({"by": " "}, "who enters it is required"),
        ({"patient": PatientRef("NOBODY")}, "no patient 'NOBODY'"),
    ],
)
def test_a_course_event_that_cannot_be_used_is_refused(uow, more, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CourseEventError, match=says):
        record_course_event(uow, course(**more))
    assert uow.course_events.rows == {} and uow.log.entries == []


def test_a_course_event_in_the_future_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CourseEventError, match="the time is in the future") as refused:
        record_course_event(uow, course(kind="death", at=NOW + 86400))
    # Both times named, as the reader reads them, so a mistyped day shows at once.
    assert f"({when_text(NOW + 86400)}; this clock says {when_text(NOW)})" in str(refused.value)
    assert uow.course_events.rows == {} and uow.log.entries == []
    record_course_event(uow, course(kind="death", at=NOW + 60))  # a screen's clock a minute behind
    assert len(uow.course_events.rows) == 1


def test_a_second_death_is_refused_unless_it_says_why_it_corrects_the_first(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course(kind="death", at=NOW - 600))
    with pytest.raises(CourseEventError, match=r"a death is already recorded for MRN1\^HOSP at .*To correct"):
        record_course_event(uow, course(kind="death", at=NOW - 300))
    assert len(uow.course_events.rows) == 1 and len(uow.log.entries) == 1
    record_course_event(uow, course(kind="death", patient=OTHER))  # another patient's
    # A correction says why; the later entry is the one that counts.
    record_course_event(uow, course(kind="death", at=NOW - 1200, text="time taken from the monitor"))
    assert uow.course_events.deaths(REF) == [NOW - 600, NOW - 1200]


def test_a_dose_cannot_start_after_the_patient_is_recorded_as_deceased(uow) -> None:  # type: ignore[no-untyped-def]
    record_course_event(uow, course(kind="death", at=NOW - 600))
    later = StartDose(patient=REF, dose=2, start=NOW - 300, **acts("RN"), recorded_at=NOW)
    with pytest.raises(EpisodeError, match=r"MRN1\^HOSP was recorded as deceased at "):
        start_dose(uow, later)
    assert uow.episodes.get(REF, 2) is None and len(uow.log.entries) == 1
    # A dose given before the death is still entered (documented afterwards); a corrected death
    # time is the one checked.
    start_dose(uow, StartDose(patient=REF, dose=2, start=NOW - 900, **acts("RN"), recorded_at=NOW))
    assert uow.episodes.get(REF, 2) is not None
    record_course_event(uow, course(kind="death", at=NOW - 850, text="time taken from the monitor"))
    with pytest.raises(EpisodeError, match="was recorded as deceased"):
        start_dose(
            uow,
            StartDose(patient=REF, dose=3, start=NOW - 800, **acts("RN"), recorded_at=NOW),
        )


def report(**more: object) -> ExportReport:
    fields = {
        "patient": REF,
        "file": "review.pdf",
        "pages": 4,
        "sha256": "ab",
        "log_head": (9, "cd"),
        **acts("Dr Lee"),
        "recorded_at": NOW,
        **more,
    }
    return ExportReport(**fields)  # type: ignore[arg-type]


def test_exported_tables_are_logged_as_a_data_export_not_a_report(uow) -> None:  # type: ignore[no-untyped-def]
    export_tables(uow, report(file="review.csv", pages=0, sha256="ef", log_head=None, csv_rows=12))
    ((entry, _at),) = uow.log.entries
    assert entry.kind == "tables.exported"
    assert entry.payload() == {"file": "review.csv", "sha256": "ef", "rows": 12}
    with pytest.raises(ActionError, match="say who exports"):
        export_tables(uow, report(by=""))
    assert len(uow.log.entries) == 1


def test_a_report_export_is_logged_as_the_screen_and_the_command_line_log_it(uow) -> None:  # type: ignore[no-untyped-def]
    export_report(uow, report())
    export_report(uow, report(with_tables=True, csv_rows=12))
    screen, cli = (e.payload() for e, _ in uow.log.entries)
    assert "csv_rows" not in screen and cli["csv_rows"] == 12
    with pytest.raises(ActionError, match="say who exports"):
        export_report(uow, report(by=""))
    assert len(uow.log.entries) == 2


def test_a_report_for_a_patient_the_record_does_not_know_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError, match=r"no patient 'NOBODY\^HOSP' in this database"):
        export_report(uow, report(patient=PatientRef("NOBODY", "HOSP")))
    assert uow.log.entries == []


def test_a_report_is_authorised_before_it_is_written(uow) -> None:  # type: ignore[no-untyped-def]
    # Asked before any file exists: an intensivist may, with nothing logged yet; a nurse may not,
    # and the refusal is logged under the patient.
    commits = uow.commits
    authorize_report(uow, report())
    assert uow.log.entries == [] and uow.commits == commits
    with pytest.raises(NotAllowed):
        authorize_report(uow, report(**acts("RN Ada", Role.NURSE)))
    ((refused, _),) = uow.log.entries
    assert refused.kind == "action.refused" and refused.patient_ref == REF
    assert refused.payload()["action"] == Action.EXPORT_REPORT.value


def test_vitals_are_stored_in_the_patients_manual_series_and_logged(uow) -> None:  # type: ignore[no-untyped-def]
    entry = RecordVitals(PatientRef("MRN1"), NOW - 300, " AB ", temp=38.4, temp_site="tympanic", hr=110)
    stored = record_vitals(uow, stamped(entry, NOW, Role.NURSE))
    assert stored.patient == REF and stored.by == "AB" and stored.series_ids == (1, 2)
    assert uow.vitals.observations == [(1, NOW - 300, NOW, 38.4), (2, NOW - 300, NOW, 110.0)]
    ((logged, at),) = uow.log.entries
    assert logged.actor == "AB" and at == NOW and logged.payload()["temp_site"] == "tympanic"
    assert stored.log_seq == 1


def test_vitals_for_an_unknown_or_ambiguous_patient_are_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VitalsError, match="no patient 'NOBODY'"):
        record_vitals(uow, stamped(RecordVitals(PatientRef("NOBODY"), NOW, "AB", hr=80), NOW, Role.NURSE))
    uow.patients.stored.append(PatientRef("MRN1", "OTHER"))
    with pytest.raises(VitalsError, match="several authorities"):
        record_vitals(uow, stamped(RecordVitals(PatientRef("MRN1"), NOW, "AB", hr=80), NOW, Role.NURSE))
    assert uow.vitals.observations == [] and uow.log.entries == []


def test_vitals_for_an_mrn_a_dose_names_under_a_second_authority_are_refused(uow) -> None:  # type: ignore[no-untyped-def]
    # MRN2 registered by the feed under HOSP; a dose entered as MRN2^CLINIC: the bare MRN is ambiguous.
    uow.patients.stored.append(PatientRef("MRN2", "HOSP"))
    uow.episodes.add(
        PatientRef("MRN2", "CLINIC"), DoseFields(dose_number=1, start=NOW, start_source="manual"), NOW
    )
    with pytest.raises(VitalsError, match="several authorities"):
        record_vitals(uow, stamped(RecordVitals(PatientRef("MRN2"), NOW, "AB", hr=80), NOW, Role.NURSE))
    assert uow.vitals.observations == [] and uow.log.entries == []
    stored = record_vitals(
        uow, stamped(RecordVitals(PatientRef("MRN2", "HOSP"), NOW, "AB", hr=80), NOW, Role.NURSE)
    )
    assert stored.patient == PatientRef("MRN2", "HOSP")


def test_vitals_out_of_range_are_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VitalsError, match="SpO2 120 % is outside"):
        record_vitals(uow, stamped(RecordVitals(REF, NOW, "AB", spo2=120), NOW, Role.NURSE))
    assert uow.vitals.observations == []


def test_vitals_need_the_time_they_are_entered(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="recorded_at"):
        record_vitals(uow, RecordVitals(REF, NOW, "AB", hr=80))


def confirm(uow: FakeUnitOfWork, at: float | None, patient: PatientRef = REF):  # type: ignore[no-untyped-def]
    cmd = ConfirmReportedDeath(
        patient=patient, at=at, **signs("Dr Lee", Action.RECORD_COURSE_EVENT), recorded_at=NOW + 3600
    )
    return confirm_reported_death(uow, cmd)


def test_a_death_adt_reported_is_confirmed_at_its_time_with_how_it_was_reported(uow) -> None:  # type: ignore[no-untyped-def]
    uow.course_events.reported[REF] = [(NOW + 60, "PV1-36"), (NOW + 120, "PID-30")]
    recorded = confirm(uow, NOW + 60)
    assert (recorded.patient_ref, recorded.at) == (REF, NOW + 60)
    row = uow.course_events.rows[recorded.id]
    assert (row["kind"], row["at"], row["text"]) == (
        "death",
        NOW + 60,
        "death reported by ADT (PV1-36), confirmed",
    )
    ((entry, _),) = uow.log.entries
    assert (entry.event, entry.at, entry.signature.username) == ("death", NOW + 60, "Dr Lee")


def test_without_a_time_the_last_death_adt_reported_is_confirmed(uow) -> None:  # type: ignore[no-untyped-def]
    uow.course_events.reported[REF] = [(NOW + 60, "PV1-36"), (NOW + 120, "PID-30")]
    recorded = confirm(uow, None)
    assert recorded.at == NOW + 120
    assert uow.course_events.rows[recorded.id]["text"] == "death reported by ADT (PID-30), confirmed"


def test_confirming_a_death_adt_did_not_report_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        CourseEventError, match=r"no death reported by ADT for MRN1\^HOSP: nothing was recorded"
    ):
        confirm(uow, None)
    uow.course_events.reported[OTHER] = [(NOW + 60, "PV1-36")]  # another patient's death
    uow.course_events.reported[REF] = [(NOW + 120, "PV1-36")]
    with pytest.raises(
        CourseEventError, match=r"ADT reported no death for MRN1\^HOSP at .*: nothing was recorded"
    ):
        confirm(uow, NOW + 60)
    assert uow.course_events.rows == {} and uow.log.entries == []


def test_confirming_a_death_for_a_patient_the_record_does_not_know_is_refused(uow) -> None:  # type: ignore[no-untyped-def]
    nobody = PatientRef("NOBODY", "HOSP")
    uow.course_events.reported[nobody] = [(NOW + 60, "PV1-36")]
    with pytest.raises(CourseEventError, match=r"no patient 'NOBODY\^HOSP' in this database"):
        confirm(uow, NOW + 60, nobody)
    assert uow.course_events.rows == {} and uow.log.entries == []


def test_a_nurse_may_not_confirm_a_death_adt_reported_and_the_refusal_is_logged(uow) -> None:  # type: ignore[no-untyped-def]
    uow.course_events.reported[REF] = [(NOW + 60, "PV1-36")]
    cmd = ConfirmReportedDeath(
        patient=REF, at=NOW + 60, **signs("RN Ada", Action.RECORD_COURSE_EVENT, Role.NURSE), recorded_at=NOW
    )
    with pytest.raises(NotAllowed):
        confirm_reported_death(uow, cmd)
    assert uow.course_events.rows == {} and uow.log.kinds() == ["action.refused"]
