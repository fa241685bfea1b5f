"""The simulator's pump sends PCD-10 event reports in the framework's structure (the event in an
MDC_ATTR_EVT_COND row's OBX-5, never in OBX-3), and the real ingest path makes the dose from them."""

from __future__ import annotations

from datetime import UTC

from bedside_adapters.db.episode_store import load_episodes
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.listing import episode_listing
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.hl7.er7 import read_er7
from bedside_adapters.hl7.validate import validate
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.course_feed import CourseFeed

from bedside.course import CourseModel
from bedside.course_spec import MINUTE, load_scenario
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog

START = 1_780_000_000.0


def test_simulated_pump_reports_follow_the_framework_and_make_the_dose(engine) -> None:
    model = CourseModel(load_scenario("reaction", START))
    (truth,) = model.ground_truth()["doses"]
    feed = CourseFeed(model)
    reports = [
        m for m in feed.messages(truth["start"] - MINUTE, truth["end"] + MINUTE, 600.0) if m.feed == "pump"
    ]
    events = []
    for report in reports:
        msg = read_er7(report.text)
        assert msg.msh.get(9, 2) == "R42" and msg.msh.get(21, 3) == "1.3.6.1.4.1.19376.1.6.4.10"
        obx = [s for s in msg.segments if s.name == "OBX"]
        assert not [s for s in obx if s.get(3, 2).startswith("MDC_EVT_")]  # not the older OBX-3 form
        (condition,) = [s for s in obx if s.get(3, 2) == "MDC_ATTR_EVT_COND"]
        (source,) = [s for s in obx if s.get(3, 2) == "MDC_ATTR_EVT_SOURCE"]
        assert source.get(5) == "1.1.2.0" and [s.get(4) for s in obx if s.get(4) == "1.1.2.0"] == ["1.1.2.0"]
        events.append(condition.get(5, 2))
        assert validate(report.text.encode()).readable
    assert events == ["MDC_EVT_PUMP_DELIV_START", "MDC_EVT_PUMP_DELIV_COMP"]

    pipeline = IngestPipeline(
        IngestStore(engine), ParameterCatalog.load(), lambda: truth["end"] + MINUTE, UTC
    )
    assert [pipeline.handle(r.text.encode(), "sim:pump").ack_code for r in reports] == ["CA", "CA"]
    with engine.connect() as conn:
        (dose,) = load_episodes(conn, PatientRef(feed.monitor.mrn, feed.monitor.authority))
    assert (dose.start, dose.end, dose.start_source, dose.end_source) == (
        truth["start"],
        truth["end"],
        "pcd10",
        "pcd10",
    )
    (candidate,) = episode_listing(engine, MrnQuery(feed.monitor.mrn))
    assert (candidate["device"], candidate["amount"], candidate["end_reason"]) == (
        "SIMPUMP1",
        "100 mL",
        "pump-stopped-not-specified",
    )
