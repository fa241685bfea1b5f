"""The synthetic course sent as HL7: every message read and stored, the ground truth found again."""

from __future__ import annotations

from datetime import UTC

import numpy as np
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.listing import episode_listing
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.hl7.decode import normalise_segments
from bedside_adapters.hl7.er7 import read_er7
from bedside_adapters.hl7.validate import validate
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.course_feed import CourseFeed

from bedside.course import CourseModel
from bedside.course_spec import HOUR, load_scenario
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog

START = 1_780_000_000.0


def feed_window(name: str, t0: float, t1: float, step: float = 60.0):
    model = CourseModel(load_scenario(name, START))
    return model, list(CourseFeed(model).messages(t0, t1, step))


def test_same_seed_same_messages() -> None:
    _, a = feed_window("reaction", START + 19 * HOUR, START + 22 * HOUR)
    _, b = feed_window("reaction", START + 19 * HOUR, START + 22 * HOUR)
    assert [m.text for m in a] == [m.text for m in b]
    assert [m.at for m in a] == sorted(m.at for m in a)
    assert {m.feed for m in a} == {"adt", "monitor", "ventilator", "pump", "lab"}


def test_every_message_reads_and_hl7apy_reads_each_kind() -> None:
    _, msgs = feed_window("improving", START - 2 * HOUR, START + 100 * HOUR, step=600.0)
    first_of_each: dict[str, str] = {}
    for m in msgs:
        msg = read_er7(normalise_segments(m.text))  # ours, on every message
        first_of_each.setdefault(m.feed, m.text)
        assert msg.control_id
    assert set(first_of_each) == {"adt", "monitor", "ventilator", "pump", "emar", "lab"}
    for text in first_of_each.values():  # hl7apy (30+ ms a message) on one message of each kind
        assert validate(text.encode()).readable, text[:80]


def test_ground_truth_is_what_ingest_stored(engine) -> None:
    model, msgs = feed_window("reaction", START - 2 * HOUR, START + 23 * HOUR)
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: START + 30 * HOUR, UTC)
    codes = {pipeline.handle(m.text.encode(), f"sim:{m.feed}").ack_code for m in msgs}
    assert codes <= {"AA", "CA"}
    truth = model.ground_truth()
    mrn = CourseFeed(model).monitor.mrn
    assert mrn == "SIM1729"  # each scenario's patient has its own MRN (from its seed)
    (episode,) = episode_listing(engine, MrnQuery(mrn))
    assert (episode["start"], episode["end"]) == (truth["doses"][0]["start"], truth["doses"][0]["end"])
    store = SqlSeriesStore(engine)
    (hr,) = store.series_for(PatientRef(mrn, "BEDSIDE_DEMO"), ["hr"])
    onset = truth["reaction_onset"]
    before = store.window(hr, onset - 40 * 60, onset - 10 * 60).values.mean()
    during = store.window(hr, onset + 25 * 60, onset + 60 * 60).values.mean()
    assert during - before > 25  # the reaction is in the stored trend where the ground truth says


def test_out_writes_batch_files_per_feed_and_day_and_the_ground_truth(tmp_path) -> None:
    import json

    from bedside_adapters.cli import _file_messages
    from bedside_adapters.sim.course_run import write_scenario

    counts = write_scenario("reaction", tmp_path, START, history_step=600.0)
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    assert truth["reaction_onset"] == START + 20 * HOUR + 25 * 60
    feeds = {name.split("-")[1] for name in counts}
    assert feeds == {"adt", "monitor", "ventilator", "pump", "emar", "lab"}  # the demo's co-medication
    for name, n in counts.items():
        assert len(_file_messages(str(tmp_path / name))) == n  # BHS/BTS batches that import reads back


def test_ward_scenario_puts_each_patient_in_their_own_bed(engine) -> None:
    from bedside_adapters.sim.course_run import WardFeed

    ward = WardFeed("ward", START)
    assert len(ward.beds) == 3
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: START + 30 * HOUR, UTC)
    for m in ward.messages(START - 2 * HOUR, START + 3 * HOUR, 300.0):
        assert pipeline.handle(m.text.encode(), "sim:ward").ack_code in ("AA", "CA")
    store = SqlSeriesStore(engine)
    devices = {}
    for mrn in ("SIM5101", "SIM5102", "SIM5103"):
        (hr,) = store.series_for(PatientRef(mrn, "BEDSIDE_DEMO"), ["hr"])
        devices[mrn] = hr.key.device
        assert len(store.window(hr, START, START + 3 * HOUR)) > 30
    assert len(set(devices.values())) == 3  # each patient sees their own monitor only


def test_the_lab_correction_in_the_stream_becomes_the_current_version(engine) -> None:
    from bedside_adapters.db import schema as t
    from sqlalchemy import select

    model, msgs = feed_window("improving", START - 2 * HOUR, START + 60 * HOUR, step=1800.0)
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: START + 70 * HOUR, UTC)
    for m in msgs:
        assert pipeline.handle(m.text.encode(), "sim:1").ack_code in ("AA", "CA")
    (fix,) = model.ground_truth()["lab_corrections"]
    c = t.lab_result.c
    with engine.connect() as conn:
        versions = conn.execute(
            select(c.status, c.value, c.current)
            .where(c.analyte == "crp", c.observed_ms == int(fix["drawn"] * 1000))
            .order_by(c.version)
        ).all()
    assert [tuple(v) for v in versions] == [
        ("F", fix["reported_value"], False),
        ("C", fix["corrected_value"], True),
    ]


def test_thinned_history_keeps_seconds_long_artefacts_and_the_ventilator_reports_every_10_s() -> None:
    """History sent every 60 s still carries a 20 s motion spike and a 30 s line flush: around doses and
    artefacts the feed reports at the scenario's own interval (5 s), the ventilator every 10 s."""
    model, msgs = feed_window("calm-with-artefacts", START + 19 * HOUR, START + 24 * HOUR, step=60.0)
    for a in model.ground_truth()["artefacts"]:
        if a["kind"] in ("motion", "flush"):
            inside = [
                m for m in msgs if m.feed == "monitor" and a["start"] <= m.at < a["start"] + a["seconds"]
            ]
            assert len(inside) >= 3, a
    hr_178 = [m for m in msgs if m.feed == "monitor" and "|178|" in m.text]
    assert hr_178, "the motion spike reaches the HL7 stream"
    vent = [m.at for m in msgs if m.feed == "ventilator" and START + 20 * HOUR <= m.at < START + 21 * HOUR]
    assert set(np.diff(vent)) == {10.0}
    far = [m.at for m in msgs if m.feed == "monitor" and m.at >= START + 23 * HOUR]
    assert set(np.diff(far)) == {60.0}  # thinned away from doses and artefacts


def test_the_demo_sends_its_co_medication_from_the_emar(engine) -> None:
    from bedside_adapters.db.co_medication_store import administrations
    from bedside_adapters.sim.co_medication import schedule

    from bedside.co_medication import DrugClass

    model = CourseModel(load_scenario("reaction", START))
    feed = CourseFeed(model, co_medication=True)
    msgs = [m for m in feed.messages(START - 2 * HOUR, START + 48 * HOUR, 600.0) if m.feed in ("adt", "emar")]
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: START + 50 * HOUR, UTC)
    assert {pipeline.handle(m.text.encode(), f"sim:{m.feed}").ack_code for m in msgs} == {"AA", "CA"}
    with engine.connect() as conn:
        given = administrations(conn, PatientRef("SIM1729", "BEDSIDE_DEMO"))
    sent = [g for g in schedule(model) if (g.end or g.start) + 300 < START + 48 * HOUR]
    assert [(a.drug, a.start, a.end) for a in given] == [(g.name, g.start, g.end) for g in sent]
    assert {a.drug_class for a in given} == {
        DrugClass.CORTICOSTEROID,
        DrugClass.ANTICOAGULANT,
        DrugClass.VASOPRESSOR,
        DrugClass.ANTIPYRETIC,
    }
    (dose_start,) = model.dose_starts()
    paracetamol = next(a for a in given if a.drug == "Paracetamol")
    assert paracetamol.start == dose_start - 2 * HOUR
    assert episode_listing(engine, MrnQuery("SIM1729")) == []  # co-medication is never a dose


def test_no_co_medication_is_given_after_the_patient_died() -> None:
    from bedside_adapters.sim.co_medication import schedule

    model = CourseModel(load_scenario("died", START))
    died = START + model.spec.death_hours * HOUR  # type: ignore[operator]
    given = schedule(model)
    assert given and all(g.start < died for g in given)
    assert all(g.end is None or g.end <= died for g in given)
    feed = CourseFeed(model, co_medication=True)
    days = model.spec.days * 24 * HOUR
    sent = [m for m in feed.messages(START - 2 * HOUR, START + days, 3600.0) if m.feed == "emar"]
    # Each administration is documented 5 min after it ends or starts: nothing later than that.
    assert sent and max(m.at for m in sent) <= died + 5 * 60
