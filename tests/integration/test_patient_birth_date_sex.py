"""The birth date (PID-7) and administrative sex (PID-8) ADT and result messages send are kept for
the trial's demographics: the latest sent stands, and a message that sends none (a lab's, a pump's)
leaves them as they were; through the real ingest, on both databases, and through the prepared
messages' compact codec the ingest processes hand each other."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.patient_store import birth_date_and_sex
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.ingest import prepared_codec
from bedside_adapters.ingest.pipeline import IngestPipeline

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog

T0 = 1_780_000_000.0


def adt(event: str, control: str, pid_7_8: str) -> bytes:
    ts = format_dtm(T0)
    return (
        f"MSH|^~\\&|ADT|HOSP|BEDSIDE|ICU|{ts}||ADT^{event}^ADT_A01|{control}|P|2.5\r"
        f"EVN|{event}|{ts}||||{ts}\rPID|||P7^^^HOSP^MR||DOE^Jan||{pid_7_8}\rPV1||I|ICU^1^1\r"
    ).encode()


def lab(control: str) -> bytes:
    ts = format_dtm(T0 + 600)
    return (
        f"MSH|^~\\&|LIS|LAB|BEDSIDE|ICU|{ts}||ORU^R01^ORU_R01|{control}|P|2.5.1\r"
        "PID|1||P7^^^HOSP^MR||DOE^Jan\rPV1|1|I|ICU^1^1\rOBR|1|O1|F1|24331-1^panel^LN|||" + ts + "\r"
        f"OBX|1|NM|1988-5^CRP^LN||12|mg/L^mg/L^UCUM|||||F|||{ts}\r"
    ).encode()


def test_the_latest_birth_date_and_sex_sent_are_kept(engine) -> None:
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: T0 + 3600, UTC)
    patient = PatientRef("P7", "HOSP")

    def send(raw: bytes) -> None:
        assert pipeline.handle(raw, "10.1.1.1:1").ack_code == "AA", raw[:60]

    def stored() -> tuple[str, str]:
        with engine.connect() as conn:
            return birth_date_and_sex(conn, patient)

    send(adt("A01", "1", "19610230|f"))  # not a calendar date: kept as sent, judged where it is used
    assert stored() == ("19610230", "F")
    send(adt("A08", "2", "19610203|M"))  # the ADT system corrected both
    assert stored() == ("19610203", "M")
    send(lab("3"))  # a result that sends neither says nothing about them
    assert stored() == ("19610203", "M")
    with engine.connect() as conn:
        assert birth_date_and_sex(conn, PatientRef("NOBODY", "HOSP")) == ("", "")


def test_the_compact_codec_carries_the_birth_date_and_sex() -> None:
    pipeline = IngestPipeline(None, ParameterCatalog.load(), lambda: T0 + 3600, UTC)  # type: ignore[arg-type]
    prepared = pipeline.prepare(adt("A01", "9", "19580101|A"), "10.1.1.1:1")
    # Without its ADT event the message takes the compact (marshal) path, patient and all.
    compact = replace(prepared, message=replace(prepared.message, adt=None))
    kind, payload = prepared_codec.encode(compact)
    assert kind == prepared_codec.FAST
    back = prepared_codec.decode(kind, prepared_codec.loads(prepared_codec.dumps([payload]))[0], b"")
    assert back.message.patient == prepared.message.patient
    assert back.message.patient is not None and back.message.patient.sex == "A"
    assert back.message.patient.birth_date == "19580101"
