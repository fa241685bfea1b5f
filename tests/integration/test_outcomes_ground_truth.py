"""Each outcome against the simulator's ground truth, through the real path: the simulated course's
HL7 (ADT admission and discharge, monitor, ventilator, pumps, eMAR, labs) through ingest into the
database, the clinicians' entries through the command handler, and the outcome set as the review
loads it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

import pytest
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.review_store import load_review
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.review_tables import review_json
from bedside_adapters.sim.course_feed import CourseFeed
from sqlalchemy import Engine

from bedside import handlers
from bedside.commands import RecordCourseEvent
from bedside.course import CourseModel
from bedside.course_spec import DAY, HOUR, load_scenario
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from tests.acting import acts

START = 1_780_000_000.0


def ingest_course(engine: Engine, name: str) -> tuple[dict, str, float]:
    """The whole course sent and stored (history thinned to a report every 10 min, as the demo's
    catch-up does), then the clinicians' entries; returns the ground truth, the patient and now."""
    spec = replace(load_scenario(name, START), report_interval=600.0)
    model = CourseModel(spec)
    feed = CourseFeed(model)
    now = spec.start + spec.days * DAY
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: now, UTC)
    codes = {
        pipeline.handle(m.text.encode(), f"sim:{m.feed}").ack_code
        for m in feed.messages(spec.start - 2 * HOUR, now, 600.0)
    }
    assert codes <= {"AA", "CA"}
    truth = model.ground_truth()
    patient = PatientRef(feed.monitor.mrn, feed.monitor.authority)
    for e in truth.get("clinician_events", []):
        handlers.record_course_event(
            SqlUnitOfWork(engine),
            RecordCourseEvent(patient=patient, kind=e["kind"], at=e["at"], **acts("Dr Lee"), recorded_at=now),
        )
    return truth, str(patient), now


def check_against_truth(got: dict, expected: dict) -> None:
    for key in ("vfd28", "icufd28"):
        if expected[key] is None:
            assert got[key].value is None
        else:
            assert got[key].value == pytest.approx(expected[key], abs=1e-6), got[key].text
    assert list(got["reintubation"].times) == expected["reintubations"]
    assert list(got["tracheostomy"].times) == expected["tracheostomies"]
    assert got["death"].times == (() if expected["death"] is None else (expected["death"],))
    flagged = expected["death_near_doses"]
    assert bool(got["death"].flag) == bool(flagged)
    for n in flagged:
        assert f"dose {n}" in got["death"].flag
    assert got["intubation_to_dose"].value == pytest.approx(expected["intubation_to_dose"])
    assert got["onset_to_dose"].value == pytest.approx(expected["onset_to_dose"])


def test_reintubated_course_outcomes_match_the_ground_truth(engine: Engine) -> None:
    truth, patient, now = ingest_course(engine, "reintubated")
    data = load_review(engine, PatientRef.parse(patient), now)
    assert [d.dose for d in data.doses] == [1, 2, 3]
    got = {o.key: o for o in data.outcome_set}
    expected = truth["outcomes"]
    assert expected["vfd28"] is not None and 0 < expected["vfd28"] < 28
    check_against_truth(got, expected)
    assert "ADT" in got["icufd28"].source  # the time in the ICU came from the admission and discharge
    as_json = {x["key"]: x for x in review_json(data)["outcome_set"]}  # bedside-cli review's output
    assert as_json["vfd28"]["value"] == pytest.approx(expected["vfd28"])
    assert as_json["reintubation"]["times"] == expected["reintubations"]
    assert got["ecmo"].text == "none recorded" and got["death"].text == "none recorded"


def test_died_course_outcomes_match_the_ground_truth(engine: Engine) -> None:
    truth, patient, now = ingest_course(engine, "died")
    data = load_review(engine, PatientRef.parse(patient), now)
    got = {o.key: o for o in data.outcome_set}
    expected = truth["outcomes"]
    assert expected["death_near_doses"] == [2]
    check_against_truth(got, expected)
    assert got["vfd28"].value == 0.0 and "died on day" in got["vfd28"].text
    # The ADT discharge (expired) closed the stay at the death: nothing arrived after it.
    assert data.outcomes.last_seen is not None and data.outcomes.last_seen <= expected["death"]


def test_before_day_28_the_free_days_are_not_yet_computable(engine: Engine) -> None:
    truth, patient, _now = ingest_course(engine, "reintubated")
    early = truth["outcomes"]["day0"] + 12 * DAY
    got = {o.key: o for o in load_review(engine, PatientRef.parse(patient), early).outcome_set}
    assert got["vfd28"].value is None and "day 12.0 of 28" in got["vfd28"].text
    assert got["icufd28"].value is None and got["icufd28"].missing == "day 28 has not passed"


def test_adverse_events_of_special_interest_count_as_thrombosis_and_infection(engine: Engine) -> None:
    from bedside.commands import RecordAdverseEvent
    from bedside.users import Action
    from tests.acting import signs

    truth, patient, now = ingest_course(engine, "died")
    ref = PatientRef.parse(patient)
    day0 = truth["outcomes"]["day0"]
    for term, onset in (("Thromboembolic event", day0 + 1.5 * DAY), ("Lung infection", day0 + 2 * DAY)):
        handlers.record_adverse_event(
            SqlUnitOfWork(engine),
            RecordAdverseEvent(
                patient=ref,
                term=term,
                grade=3,
                relatedness="unlikely",
                onset=onset,
                **signs("inv", Action.RECORD_ADVERSE_EVENT, at=now),
                recorded_at=now,
            ),
        )
    got = {o.key: o for o in load_review(engine, PatientRef.parse(patient), now).outcome_set}
    assert got["thrombosis"].value == 1 and got["thrombosis"].times == (day0 + 1.5 * DAY,)
    assert got["infection"].value == 1 and "Lung infection" in got["infection"].text
    assert got["tracheostomy"].value == 0
