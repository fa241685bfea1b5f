"""PCD-04 to a third-party alarm manager (python-hl7's MLLP server, real sockets): the charset is
declared, what the receiver keeps refusing becomes a dead letter that holds back no later alert, and
what we send conforms to the PCD-04 profile."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from bedside_adapters.alerting.outbound import AlarmForwarder, AlarmManagerLink, build_pcd04
from bedside_adapters.alerting.pcd04_profile import pcd04_problems
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db.dead_letters import SqlDeadLetters, list_dead_letters

from bedside.alerts import Alert
from bedside.model import PatientRef
from tests.integration.test_outbound_alerts import ALERT
from tests.pyhl7_receiver import ascii_only, pyhl7_receiver, strict_charset

FEVER = replace(ALERT, id=7, rule_id="T1", title="Fever", message="Temperature 38.9 °C | above 38.0 °C")


def _alerts(n: int) -> list[Alert]:
    """The trial's 13 alerts: every third one says °C, like the one the receiver refused."""
    return [
        replace(FEVER, id=100 + i)
        if i % 3 == 0
        else replace(ALERT, id=100 + i, message=f"Heart rate {120 + i}/min")
        for i in range(n)
    ]


@pytest.mark.parametrize("phase", ["start", "end"])
@pytest.mark.parametrize(
    "alert", [ALERT, FEVER, replace(ALERT, severity="high", patient=PatientRef.parse("X1^^"))]
)
def test_what_we_send_conforms_to_the_pcd04_profile(alert: Alert, phase: str) -> None:
    assert pcd04_problems(build_pcd04(alert, "BSA1", 1_780_000_060.0, phase)) == []


def test_the_profile_check_finds_what_a_strict_receiver_refuses() -> None:
    text = build_pcd04(FEVER, "BSA1", 1_780_000_060.0, "start")
    undeclared = text.replace("|UNICODE UTF-8|", "||", 1)
    assert any("MSH-18" in p for p in pcd04_problems(undeclared))
    unnamed = text.replace("MR||^^^^^^U\r", "MR\r", 1)
    assert any("PID_5" in p for p in pcd04_problems(unnamed))
    phase = text.replace("|start|", "|begin|", 1)
    assert pcd04_problems(phase) == [
        "MDC_ATTR_EVENT_PHASE is 'begin', not one of "
        + repr(
            sorted(
                [
                    "start",
                    "start_only",
                    "continue",
                    "end",
                    "present",
                    "update",
                    "escalate",
                    "inactivate",
                    "deescalate",
                    "reset",
                ]
            )
        )
    ]


def test_a_strict_receiver_takes_every_alert_with_its_degree_sign() -> None:
    """The trial: no MSH-18 made "°C" undecodable as ASCII; the receiver refused it (AR)."""
    with pyhl7_receiver(strict_charset) as receiver:
        forwarder = AlarmForwarder("127.0.0.1", receiver.port, max_attempts=2, backoff=0.01)
        forwarder.start()
        for alert in _alerts(13):
            forwarder.forward(alert, "start")
        forwarder.wait_idle()
        forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (13, 0)
    accepted = receiver.texts("AA")
    assert len(accepted) == 13 and sum("Temperature 38.9 °C" in text for text in accepted) == 5


def test_a_message_refused_every_time_becomes_a_dead_letter_and_holds_back_nothing(engine) -> None:
    alerts = _alerts(13)
    with pyhl7_receiver(ascii_only) as receiver:
        forwarder = AlarmForwarder(
            "127.0.0.1", receiver.port, max_attempts=3, backoff=2.0, dead_letters=SqlDeadLetters(engine)
        )
        for alert in alerts:  # all queued before sending starts, as in a burst of alerts
            forwarder.forward(alert, "start")
        forwarder.start()
        assert forwarder.wait_idle(60)
        forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (8, 5)
    # Each ASCII alert reached the receiver at its first try, before any refused message was tried
    # again (13 tries take far less than the 2 s backoff): the refusals held back nothing.
    controls = [text.split("|")[9] for text, _ in receiver.received]
    first_retry = next(i for i, c in enumerate(controls) if c in controls[:i])
    assert [code for _, code in receiver.received[:first_retry]].count("AA") == 8
    assert [code for _, code in receiver.received].count("AR") == 5 * 3

    letters = list_dead_letters(engine)
    assert sorted(d.alert_id for d in letters) == [a.id for a in alerts if "°C" in a.message]
    letter = letters[0]
    assert (letter.attempts, letter.phase, letter.patient_ref) == (3, "start", ALERT.patient)
    assert letter.reason.startswith("refused (AR)") and letter.destination == f"127.0.0.1:{receiver.port}"
    assert "°C" in letter.message and letter.message.startswith("MSH|")


def test_a_message_never_answered_becomes_a_dead_letter(engine) -> None:
    """No ACK at all for one message: each try waits out the ACK timeout on a fresh connection."""
    silent = replace(ALERT, id=9, message="Heart rate SILENT")

    def policy(raw: str) -> str | None:
        return None if "SILENT" in raw else "AA"

    with pyhl7_receiver(policy) as receiver:
        forwarder = AlarmForwarder(
            "127.0.0.1",
            receiver.port,
            max_attempts=2,
            backoff=0.01,
            dead_letters=SqlDeadLetters(engine),
            ack_timeout=0.5,
        )
        forwarder.start()
        forwarder.forward(silent, "start")
        forwarder.forward(ALERT, "start")
        forwarder.forward(silent, "end")  # waits for its own start only
        assert forwarder.wait_idle(30)
        forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (1, 2)
    (alert_9_end, alert_9_start) = list_dead_letters(engine)
    assert (alert_9_start.phase, alert_9_end.phase) == ("start", "end")
    assert alert_9_start.reason.startswith("no reply") and alert_9_start.attempts == 2
    (delivered,) = receiver.texts("AA")
    assert "Heart rate 127/min" in delivered


def _silent(raw: str) -> str | None:
    """An alarm manager that never answers a message whose text says SILENT, and accepts the rest."""
    return None if "SILENT" in raw else "AA"


def test_a_message_awaiting_its_reply_holds_back_no_other_alert() -> None:
    """One alert's messages are never answered: each of the other twelve alerts reaches the alarm
    manager while that message still waits for its first reply (twelve messages take far less than
    the ACK timeout), and the silent alert's end still waits for its own start."""
    silent = replace(ALERT, id=9, message="Heart rate SILENT")
    with pyhl7_receiver(_silent) as receiver:
        forwarder = AlarmForwarder("127.0.0.1", receiver.port, max_attempts=2, backoff=0.01, ack_timeout=2.0)
        forwarder.forward(silent, "start")
        for alert in _alerts(12):
            forwarder.forward(alert, "start")
        forwarder.forward(silent, "end")
        forwarder.start()
        assert forwarder.wait_idle(60)
        forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (12, 2)
    tries = [(text, code) for text, code in receiver.received if "SILENT" in text]
    assert [("|start|" in text, code) for text, code in tries] == [(True, None)] * 2 + [(False, None)] * 2
    second_try = [i for i, (text, _) in enumerate(receiver.received) if "SILENT" in text][1]
    assert [code for _, code in receiver.received[:second_try]].count("AA") == 12


def test_every_fourth_message_unanswered_holds_back_no_other_alert() -> None:
    """Several messages awaiting their replies at the same time: the others still go at once."""
    alerts = [
        replace(ALERT, id=100 + i, message="Heart rate SILENT" if i % 4 == 0 else f"Heart rate {120 + i}/min")
        for i in range(13)
    ]
    with pyhl7_receiver(_silent) as receiver:
        forwarder = AlarmForwarder("127.0.0.1", receiver.port, max_attempts=1, ack_timeout=2.0)
        for alert in alerts:
            forwarder.forward(alert, "start")
        forwarder.start()
        assert forwarder.wait_idle(60)
        forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (9, 4)
    # Every message was sent before any reply timed out: no unanswered message held another back.
    assert len(receiver.received) == 13 and {a.alert_id for a in forwarder.given_up} == {100, 104, 108, 112}
    first_letter = min(letter.dead_at for letter in forwarder.given_up)
    assert all(letter.first_try < first_letter for letter in forwarder.given_up)


def test_an_alerts_end_waits_for_its_start() -> None:
    """Only a message about the same alert waits behind one being retried: the alarm manager never
    hears an alert end before it started."""
    refused_once: set[str] = set()

    def policy(raw: str) -> str | None:
        control = raw.split("\r", 1)[0].split("|")[9]
        if "38.9" in raw and "|start|" in raw and control not in refused_once:
            refused_once.add(control)
            return "AE"
        return "AA"

    with pyhl7_receiver(policy) as receiver:
        forwarder = AlarmForwarder("127.0.0.1", receiver.port, max_attempts=3, backoff=2.0)
        forwarder.forward(FEVER, "start")
        forwarder.forward(FEVER, "end")
        forwarder.forward(ALERT, "start")
        forwarder.start()
        forwarder.wait_idle()
        forwarder.stop()
    assert (forwarder.sent, forwarder.failed) == (3, 0)
    first, start, end = receiver.texts("AA")
    assert "Heart rate 127/min" in first  # the other alert went at once
    assert "38.9" in start and "|start|" in start and "38.9" in end and "|end|" in end


def test_dead_letters_in_stats_and_listed(engine, capsys) -> None:
    url = engine.url.render_as_string(hide_password=False)
    with pyhl7_receiver(ascii_only) as receiver:
        forwarder = AlarmForwarder(
            "127.0.0.1", receiver.port, max_attempts=1, dead_letters=SqlDeadLetters(engine)
        )
        forwarder.start()
        forwarder.forward(FEVER, "start")
        assert forwarder.wait_idle(30)
        forwarder.stop()
    capsys.readouterr()
    assert cli_main(["--db", url, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["alarm_manager_undelivered"] == 1 and stats["alarm_manager_last_undelivered_ms"] > 0
    assert cli_main(["--db", url, "stats"]) == 0
    assert "alerts not delivered to the alarm manager 1" in capsys.readouterr().out
    assert cli_main(["--db", url, "dead-letters"]) == 0
    out = capsys.readouterr().out
    assert "refused (AR)" in out and f"127.0.0.1:{receiver.port}" in out and "alert 7" in out
    assert cli_main(["--db", url, "dead-letters", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["alert_id"] == 7 and "°C" in row["message"]
    assert row["patient_ref"] == str(FEVER.patient)  # the patient as text in JSON, as every listing


def test_the_rule_engine_keeps_what_the_alarm_manager_refused(engine) -> None:
    """The link as `bedside-ingest --alarm-manager HOST:PORT --alarm-manager-attempts 2` builds it."""
    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside.commands import StartDose
    from bedside.handlers import start_dose
    from bedside.model import PatientRef
    from bedside.rules.ruleset import RuleSet
    from tests.acting import acts

    t0 = 1_780_000_000.0
    start = StartDose(
        patient=PatientRef("SIM9001", "BEDSIDE_DEMO"), dose=1, start=t0, **acts("RN Ada"), recorded_at=t0
    )
    start_dose(SqlUnitOfWork(engine), start)
    with pyhl7_receiver(lambda raw: "AE") as receiver:
        service = AlertingService(engine, RuleSet.load())
        service.forwarder = AlarmManagerLink("127.0.0.1", receiver.port, attempts=2).forwarder(engine)
        service.forwarder.backoff = 0.01
        service.forwarder.start()
        service.evaluate_patient(
            PatientRef("SIM9001", "BEDSIDE_DEMO"), t0 + 300
        )  # no monitor values: STALE raised
        service.forwarder.wait_idle()
        service.forwarder.stop()
    (letter,) = list_dead_letters(engine)
    assert (letter.attempts, letter.reason, letter.patient_ref) == (
        2,
        "refused (AE)",
        PatientRef("SIM9001", "BEDSIDE_DEMO"),
    )
    assert "STALE Feed stopped" in letter.message


def test_attempts_below_one_are_a_start_up_error(capsys) -> None:
    from bedside_adapters.ingest.main import main as ingest_main

    assert ingest_main(["--alarm-manager", "127.0.0.1:1", "--alarm-manager-attempts", "0"]) == 2
    assert "--alarm-manager-attempts must be at least 1" in capsys.readouterr().err
