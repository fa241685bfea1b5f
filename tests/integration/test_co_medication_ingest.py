"""Co-medication from the eMAR (RAS^O17) and the pharmacy (RDE^O11) through the ingest pipeline:
read, matched to the patient, stored with their message, malformed ones quarantined with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.co_medication_store import administrations
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.raw_frames import read_frame
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import select

from bedside.co_medication import DrugClass, Source
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from tests.helpers import DATA, SYNTHETIC

PHARMACY = DATA / "pharmacy"
PATIENT = "SIM4417^BEDSIDE_DEMO"


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.fixture
def pipeline(engine):
    return IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1_764_300_000.0, UTC)


def test_ras_co_medication_is_stored_by_class_and_the_refused_one_skipped(engine, pipeline) -> None:
    raw = (PHARMACY / "ras_o17_co_medication.hl7").read_bytes()
    result = pipeline.handle(raw, "10.0.0.9:1")
    assert (result.ack_code, result.quarantine_reason) == ("CA", None)
    with engine.connect() as conn:
        given = administrations(conn, PatientRef.parse(PATIENT))
        episodes = conn.execute(select(t.infusion_episode)).all()
    frame = read_frame(engine, result.message_id)
    assert frame is not None and frame.raw == raw and frame.intact  # every byte kept
    assert episodes == []  # co-medication never becomes a dose of the study product
    assert [(a.drug, a.drug_class, a.dose, a.unit, a.route) for a in given] == [
        ("Dexamethasone", DrugClass.CORTICOSTEROID, 6.0, "mg", "IV"),
        ("Paracetamol", DrugClass.ANTIPYRETIC, 1.0, "g", "IV"),
        ("Pantoprazole 40 mg", DrugClass.OTHER, 40.0, "mg", "IV"),
    ]
    dexa = given[0]
    assert (dexa.start, dexa.end) == (ts("2025-11-27T08:00:00"), ts("2025-11-27T08:05:00"))
    assert dexa.source is Source.EMAR and dexa.status == "given"
    assert dexa.source_id == "MSH-10 EMAR-9001 / order ADM-DEXA-1"
    assert (dexa.code, dexa.code_system) == ("H02AB02", "ATC")
    assert given[2].end is None
    # The window bounds: only what starts in it, or is running into it.
    with engine.connect() as conn:
        later = administrations(
            conn, PatientRef.parse(PATIENT), since_ms=int(ts("2025-11-27T08:10:00") * 1000)
        )
        before = administrations(
            conn, PatientRef.parse(PATIENT), until_ms=int(ts("2025-11-27T08:10:00") * 1000)
        )
        other = administrations(conn, PatientRef("SOMEONE", "ELSE"))
    assert [a.drug for a in later] == ["Paracetamol", "Pantoprazole 40 mg"]
    assert [a.drug for a in before] == ["Dexamethasone"]
    assert other == []


def test_the_study_product_in_the_same_ras_stays_a_dose(engine, pipeline) -> None:
    result = pipeline.handle((SYNTHETIC / "ras_o17_gravity_dose.hl7").read_bytes(), "10.0.0.9:1")
    assert result.ack_code == "CA"
    with engine.connect() as conn:
        assert administrations(conn) == []
        products = conn.execute(select(t.infusion_episode.c.product)).scalars().all()
    assert products == ["AT-MSC 1.0x10^6/kg (gravity)"]


def test_rde_order_is_stored_as_ordered_with_its_timing(engine, pipeline) -> None:
    result = pipeline.handle((PHARMACY / "rde_o11_enoxaparin.hl7").read_bytes(), "10.0.0.9:1")
    assert (result.ack_code, result.quarantine_reason) == ("CA", None)
    assert result.whose == PatientRef.parse(PATIENT)
    with engine.connect() as conn:
        [order] = administrations(conn, PatientRef.parse(PATIENT))
    assert order.drug_class is DrugClass.ANTICOAGULANT
    assert order.status == "ordered" and order.source is Source.ORDER
    assert (order.start, order.end) == (ts("2025-11-26T22:00:00"), ts("2025-12-03T22:00:00"))
    assert (order.dose, order.unit, order.route, order.dose_as_sent) == (40.0, "mg", "SC", "40 mg Q24H")


@pytest.mark.parametrize(
    ("name", "reason", "err"),
    [
        ("ras_o17_no_start.hl7", "RXA-3 (start of administration) is empty", "101"),
        ("ras_o17_bad_time.hl7", "RXA-3:", "102"),
    ],
)
def test_malformed_administrations_are_quarantined_with_the_reason(
    engine, pipeline, name, reason, err
) -> None:
    raw = (PHARMACY / name).read_bytes()
    result = pipeline.handle(raw, "10.0.0.9:1")
    assert result.ack_code == "CE"
    assert result.quarantine_reason is not None and result.quarantine_reason.startswith(reason)
    assert f"ERR|||{err}^" in result.ack.decode()
    with engine.connect() as conn:
        reason = conn.execute(select(t.inbound_message.c.quarantine_reason)).scalar_one()
        assert administrations(conn) == []
    frame = read_frame(engine, result.message_id)
    assert frame is not None and frame.raw == raw and reason == result.quarantine_reason


def test_co_medication_without_a_patient_is_quarantined(engine, pipeline) -> None:
    text = (PHARMACY / "ras_o17_co_medication.hl7").read_bytes().replace(b"SIM4417^^^BEDSIDE_DEMO^MR", b"")
    result = pipeline.handle(text, "10.0.0.9:1")
    assert result.ack_code == "CE"
    assert "without a patient" in (result.quarantine_reason or "")


def test_a_resent_message_is_stored_once(engine, pipeline) -> None:
    raw = (PHARMACY / "ras_o17_co_medication.hl7").read_bytes()
    first, again = pipeline.handle(raw, "10.0.0.9:1"), pipeline.handle(raw, "10.0.0.9:1")
    assert again.duplicate and again.ack_code == first.ack_code == "CA"
    with engine.connect() as conn:
        assert len(administrations(conn, PatientRef.parse(PATIENT))) == 3
