"""What the rule engine forwards to an alarm manager (python-hl7's MLLP server) when an alert ends: an
alert Bedside resolves is ended at the alarm manager too, also one raised and resolved in the same
evaluation (a course caught up at once after a gateway outage or a failover)."""

from __future__ import annotations

from datetime import UTC, datetime

from bedside_adapters.alerting.outbound import AlarmForwarder
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db.alert_store import alerts
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.pcd01 import SimulatedMonitor

from bedside.alerts import AlertState
from bedside.commands import StartDose
from bedside.handlers import start_dose
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from tests.acting import acts
from tests.pyhl7_receiver import Receiver, pyhl7_receiver

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).timestamp()
MIN = 60.0
MONITOR = SimulatedMonitor(eui64="PHASES0000000001", mrn="PHASES1", room="41")
PATIENT = f"{MONITOR.mrn}^{MONITOR.authority}"
TACHYCARDIC = (T0 + 10 * MIN, T0 + 20 * MIN)
"""Heart rate 125/min (H1, tachycardia) for ten minutes after the dose starts; 88/min around it."""


def _monitor_course(engine, until: float) -> None:  # type: ignore[no-untyped-def]
    """The monitor's values from an hour before the dose to `until`, every 10 s, stored as the
    listener stores them (all at once, as a gateway catching up sends them)."""
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: until, UTC)
    accepted = ("AA", "CA")
    assert pipeline.handle(MONITOR.admit_message("A1", T0 - 3 * 3600).encode(), "gw").ack_code in accepted
    at, i = T0 - 60 * MIN, 0
    while at <= until:
        hr = 125.0 if TACHYCARDIC[0] <= at < TACHYCARDIC[1] else 88.0
        values = {"hr": hr, "pr_spo2": hr, "spo2": 97.0, "abp_sys": 118.0, "abp_dia": 70.0, "abp_mean": 86.0}
        assert pipeline.handle(MONITOR.message(f"V{i}", at, values).encode(), "gw").ack_code in accepted
        at, i = at + 10.0, i + 1


def _dose(engine) -> None:  # type: ignore[no-untyped-def]
    start = StartDose(
        patient=PatientRef(MONITOR.mrn, MONITOR.authority), dose=1, start=T0, **acts("RN Ada"), recorded_at=T0
    )
    start_dose(SqlUnitOfWork(engine), start)


def _forwarding(engine, receiver: Receiver) -> AlertingService:  # type: ignore[no-untyped-def]
    service = AlertingService(engine, RuleSet.load())
    service.forwarder = AlarmForwarder("127.0.0.1", receiver.port, backoff=0.01)
    service.forwarder.start()
    return service


def _phases(receiver: Receiver, rule_id: str) -> list[str]:
    """The phases the alarm manager accepted for `rule_id`'s alert, in arrival order."""
    return [
        "start" if "|start|" in text else "end" if "|end|" in text else "?"
        for text in receiver.texts("AA")
        if f"|{rule_id} " in text
    ]


def test_an_alert_raised_and_resolved_in_one_evaluation_is_started_then_ended(engine) -> None:
    _dose(engine)
    now = TACHYCARDIC[1] + 45 * MIN  # past the re-arm period: H1 is over when first seen
    _monitor_course(engine, now)
    with pyhl7_receiver() as receiver:
        service = _forwarding(engine, receiver)
        assert service.forwarder is not None
        (result,) = service.evaluate_patient(PatientRef.parse(PATIENT), now)
        assert service.forwarder.wait_idle(60)
        service.forwarder.stop()
    (h1,) = [f for f in result.evaluation.findings if f.rule_id == "H1"]
    assert h1.cleared, "the course must show H1 over by the time it is evaluated"
    assert _phases(receiver, "H1") == ["start", "end"]
    (end,) = [text for text in receiver.texts("AA") if "|H1 " in text and "|end|" in text]
    assert "|inactive|" in end
    assert service.forwarder.failed == 0


def test_an_alert_resolved_in_a_later_evaluation_is_ended(engine) -> None:
    _dose(engine)
    during = TACHYCARDIC[0] + 6 * MIN
    now = TACHYCARDIC[1] + 45 * MIN
    _monitor_course(engine, now)
    with pyhl7_receiver() as receiver:
        service = _forwarding(engine, receiver)
        assert service.forwarder is not None
        service.evaluate_patient(PatientRef.parse(PATIENT), during)
        assert service.forwarder.wait_idle(60)
        assert _phases(receiver, "H1") == ["start"]
        service.evaluate_patient(PatientRef.parse(PATIENT), now)
        assert service.forwarder.wait_idle(60)
        service.forwarder.stop()
    assert _phases(receiver, "H1") == ["start", "end"]
    (h1,) = [a for a in alerts(engine, PatientRef.parse(PATIENT)) if a.rule_id == "H1"]
    assert h1.state is AlertState.RESOLVED
