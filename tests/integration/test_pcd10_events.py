"""IHE PCD-10 event reports as the framework writes them (tests/data/pcd10, see its PROVENANCE) through
the real parser and ingest path: the event in an MDC_ATTR_EVT_COND row, and what it does to the dose."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import select

from bedside.parameters import ParameterCatalog

PCD10 = Path(__file__).resolve().parents[1] / "data" / "pcd10"
SAMPLE = "ipec_sample_delivery_start.hl7"
INFUSION = [
    SAMPLE,  # 13:21:06 delivery start
    "ipec_pause.hl7",  # 14:00 paused by the clinician
    "ipec_restart.hl7",  # 14:50 restarted, 50 min later
    "ipec_rate_change_stop.hl7",  # 15:10 titration: a transitioning stop ...
    "ipec_rate_change_start.hl7",  # ... and a start at the new rate
    "ipec_complete.hl7",  # 23:00 the programmed volume is in
    "ipec_kvo_start.hl7",  # 23:00 keep vein open
    "ipec_kvo_stop.hl7",  # 23:15 the pump stopped
]


def at(text: str) -> float:
    return datetime.fromisoformat(f"2015-10-15T{text}-05:00").timestamp()


@pytest.fixture
def pipeline(engine):
    return IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: at("23:30:00"), UTC)


def cli_json(engine, capsys, *args: str) -> list[dict]:
    assert cli_main(["--db", engine.url.render_as_string(hide_password=False), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_framework_sample_delivery_start_starts_a_dose(engine, pipeline, capsys) -> None:
    result = pipeline.handle((PCD10 / SAMPLE).read_bytes(), "10.0.0.9:1")
    assert result.ack_code == "CA"
    (dose,) = cli_json(engine, capsys, "episodes", "--patient", "HO2009002")
    assert (dose["dose"], dose["start_source"], dose["state"]) == (1, "pcd10", "candidate")
    assert (dose["start"], dose["end"]) == (at("13:21:06"), None)  # OBR-7: the event row has no OBX-14
    (event,) = cli_json(engine, capsys, "episodes", "--patient", "HO2009002", "--events")
    assert (event["device"], event["product"], event["source"]) == ("E0002", "Dopamine", "pcd10")


def test_a_paused_restarted_titrated_infusion_is_one_dose_ending_at_completion(
    engine, pipeline, capsys
) -> None:
    acks = [pipeline.handle((PCD10 / name).read_bytes(), "10.0.0.9:1").ack_code for name in INFUSION]
    assert acks == ["CA"] * len(INFUSION)
    with engine.connect() as conn:
        e = t.infusion_event.c
        rows = conn.execute(select(e.kind, e.reason, e.device, e.order_id).order_by(e.id)).all()
    assert [(r.kind, r.reason) for r in rows] == [
        ("start", ""),
        ("pause", "pump-stopped-by-clinician"),
        ("resume", ""),
        ("change", "delivery settings changed"),
        ("resume", ""),
        ("stop", ""),
        ("change", "keep vein open"),
        ("pause", "pump-stopped-by-clinician"),
    ]
    assert {(r.device, r.order_id) for r in rows} == {("E0002", "CD12345")}
    # One dose: the pause ended it, the restart 50 minutes later took that end back, the rate change
    # and the keep-vein-open flow changed nothing, the completion ended it.
    (dose,) = cli_json(engine, capsys, "episodes", "--patient", "HO2009002")
    assert (dose["dose"], dose["start"], dose["end"], dose["end_source"]) == (
        1,
        at("13:21:06"),
        at("23:00:00"),
        "pcd10",
    )
    log = cli_json(engine, capsys, "log")
    assert [(x["kind"], x["payload"].get("end")) for x in log] == [
        ("episode.candidate", None),
        ("episode.stop", at("14:00:00")),
        ("episode.edit", {"from": at("14:00:00"), "to": None}),
        ("episode.stop", at("23:00:00")),
    ]
    assert log[1]["payload"]["reason"] == "delivery paused: pump-stopped-by-clinician"
    # The same events read as candidate episodes (bedside-cli episodes --events): one delivery.
    (candidate,) = cli_json(engine, capsys, "episodes", "--patient", "HO2009002", "--events")
    assert (candidate["start"], candidate["end"], candidate["amount"]) == (
        at("13:21:06"),
        at("23:00:00"),
        "250.0 mL",
    )


def test_a_report_from_a_pump_with_no_patient_is_kept_as_the_pumps_event(engine, pipeline, capsys) -> None:
    text = (
        (PCD10 / SAMPLE)
        .read_text()
        .replace(
            "PID|||HO2009002^^^IHE^PI||Hon^Charles^^^^^L", "PID|||Unknown Patient^Unknown Patient||^^^^^^U"
        )
    )
    assert pipeline.handle(text.encode(), "10.0.0.9:1").ack_code == "CA"
    with engine.connect() as conn:
        e = t.infusion_event.c
        rows = conn.execute(select(e.patient_ref, e.kind, e.device)).all()
    assert [tuple(r) for r in rows] == [("", "start", "E0002")]  # no patient guessed, no dose made
    assert cli_json(engine, capsys, "episodes") == []


def test_the_delivery_events_read_as_words_and_local_times(engine, pipeline, capsys) -> None:
    from bedside_adapters.cli_alerts import _event_product

    from bedside.i18n import format_datetime, set_language

    pipeline.handle((PCD10 / SAMPLE).read_bytes(), "10.0.0.9:1")
    url = engine.url.render_as_string(hide_password=False)
    try:
        assert cli_main(["--lang", "es", "--db", url, "episodes", "--patient", "HO2009002", "--events"]) == 0
        (line,) = capsys.readouterr().out.strip().splitlines()
        started = format_datetime(datetime.fromtimestamp(at("13:21:06")).astimezone())
        assert f"  bomba  {started} → en curso  Dopamine" in line, line
        assert str(int(at("13:21:06"))) not in line
        assert _event_product("AT-MSC dose 1 1.0e6/kg") == "AT-MSC, dosis 1, 1,0 × 10⁶ células/kg"
        set_language("en")
        assert _event_product("AT-MSC dose 1 1.0e6/kg") == "AT-MSC, dose 1, 1.0 × 10⁶ cells/kg"
    finally:
        set_language("en")
