"""Alerts sent to an alarm manager as IHE PCD-04 ORU^R40 (built with hl7apy) over a real MLLP socket."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC

import pytest
from bedside_adapters.alerting.outbound import AlarmForwarder, build_pcd04
from bedside_adapters.db import schema as t
from bedside_adapters.hl7.alarm import read_alarms
from bedside_adapters.hl7.er7 import read_er7
from bedside_adapters.hl7.validate import validate
from bedside_ui.supervisor import free_port
from sqlalchemy import select

from bedside.alerts import Alert, AlertState
from bedside.model import PatientRef
from tests.acting import acts
from tests.conftest import running_ingest

ALERT = Alert(
    id=42,
    episode_id=1,
    patient=PatientRef("SIM9001", "BEDSIDE_DEMO"),
    rule_id="H1",
    title="Tachycardia",
    message="Heart rate 127/min for 5 min | above 100/min",
    severity="medium",
    state=AlertState.RAISED,
    ruleset="bedside-infusion-reaction 2026.11.25-1",
    onset=1_780_000_000.0,
    fired_at=1_780_000_000.0,
    last_true=1_780_000_000.0,
    raised_at=1_780_000_000.0,
)


def test_the_pcd04_message_reads_back_as_an_alarm() -> None:
    text = build_pcd04(ALERT, "BSA1", 1_780_000_060.0, "start")
    msg = read_er7(text)
    assert msg.message_type == "ORU^R40"
    (alarm,) = read_alarms(msg, UTC)
    assert (alarm.phase, alarm.state, alarm.priority) == ("start", "active", "medium")
    assert alarm.event_refid == "MDC_EVT_ALARM" and "H1 Tachycardia" in alarm.event_text
    assert "| above" in alarm.event_text  # escaped on the way out, unescaped on the way in
    assert validate(text.encode()).readable


def test_forwarded_to_a_real_listener(engine) -> None:
    """The alarm manager here is a second Bedside ingest service: it stores what it receives."""
    url = engine.url.render_as_string(hide_password=False)
    with running_ingest(engine, url, alerting="off") as manager:
        forwarder = AlarmForwarder("127.0.0.1", manager.port)
        forwarder.start()
        forwarder.forward(ALERT, "start")
        forwarder.forward(ALERT, "end")
        forwarder.wait_idle()
        forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (2, 0)
    with engine.connect() as conn:
        phases = [r[0] for r in conn.execute(select(t.device_alarm.c.phase).order_by(t.device_alarm.c.id))]
    assert phases == ["start", "end"]


def test_an_absent_alarm_manager_is_retried_logged_and_never_blocks(caplog) -> None:
    forwarder = AlarmForwarder("127.0.0.1", free_port(), max_attempts=3, backoff=0.01)
    forwarder.start()
    with caplog.at_level(logging.WARNING, logger="bedside.alerting.outbound"):
        forwarder.forward(ALERT, "start")  # returns at once: the sending is on the forwarder's thread
        forwarder.wait_idle()
    forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (0, 1)
    retries = [r for r in caplog.records if "pcd04_retry" in r.getMessage()]
    assert len(retries) == 3 and any("pcd04_failed" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("phase", ["start", "end"])
def test_priority_and_phase_follow_the_alert(phase: str) -> None:
    (alarm,) = read_alarms(read_er7(build_pcd04(replace(ALERT, severity="high"), "X", 0.0, phase)), UTC)
    assert alarm.phase == phase and alarm.priority == "high"


def test_the_rule_engine_forwards_what_it_raises(engine) -> None:
    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside.commands import StartDose
    from bedside.handlers import start_dose
    from bedside.rules.ruleset import RuleSet

    t0 = 1_780_000_000.0
    start = StartDose(
        patient=PatientRef("SIM9001", "BEDSIDE_DEMO"), dose=1, start=t0, **acts("RN Ada"), recorded_at=t0
    )
    start_dose(SqlUnitOfWork(engine), start)
    url = engine.url.render_as_string(hide_password=False)
    with running_ingest(engine, url, alerting="off") as manager:
        service = AlertingService(engine, RuleSet.load())
        service.forwarder = AlarmForwarder("127.0.0.1", manager.port)
        service.forwarder.start()
        service.evaluate_patient(
            PatientRef("SIM9001", "BEDSIDE_DEMO"), t0 + 300
        )  # no monitor values: STALE raised
        service.forwarder.wait_idle()
        service.forwarder.stop()
    with engine.connect() as conn:
        texts = [r[0] for r in conn.execute(select(t.device_alarm.c.event_text))]
    assert len(texts) == 1 and texts[0].startswith("STALE Feed stopped: No monitor values")
