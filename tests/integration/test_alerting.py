"""Episodes, alerts and the safety log in a real database (SQLite file and PostgreSQL server)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from bedside_adapters.alerting.notices import Bed, Whose
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import log_guard
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import delete, insert, select, text, update

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from bedside.users import Action
from tests.acting import signs
from tests.signed_in import PROVISIONER, signed_in

RULES = RuleSet.load()
SIM9001 = PatientRef("SIM9001", "BEDSIDE_DEMO")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).timestamp()


def dtm(t_: float) -> str:
    return datetime.fromtimestamp(t_, UTC).strftime("%Y%m%d%H%M%S+0000")


def iso(t_: float) -> str:
    return datetime.fromtimestamp(t_, UTC).isoformat()


def lab_message(control: str, drawn: float, crp: float, status: str = "F", order: str = "F-1") -> bytes:
    return (
        f"MSH|^~\\&|LIS|HOSP_LAB|BEDSIDE|ICU|{dtm(drawn + 3600)}||ORU^R01^ORU_R01|{control}|P|2.5.1\r"
        "PID|1||SIM9001^^^BEDSIDE_DEMO^MR||SYNTHETIC^Patient Z\r"
        f"ORC|RE|O-{order}|{order}\rOBR|1|O-{order}|{order}|CRP^CRP^L|||{dtm(drawn)}\r"
        f"OBX|1|NM|1988-5^C reactive protein^LN||{crp:g}|mg/L^mg/L^UCUM|<8|H|||{status}|||{dtm(drawn)}\r"
    ).encode()


@pytest.fixture
def pipeline(engine):
    return IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: T0, UTC)


def cli(url: str, *args: str) -> int:
    return cli_main(["--db", url, *args])


def out_json(capsys):  # type: ignore[no-untyped-def]
    return json.loads(capsys.readouterr().out)


def logged_json(capsys):  # type: ignore[no-untyped-def]
    """`log --json`'s entries without the test accounts' own `user.added` entries."""
    return [e for e in out_json(capsys) if e["actor"] != PROVISIONER]


@pytest.fixture
def url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def start_dose(url: str, capsys, at: float = T0) -> dict:  # type: ignore[no-untyped-def]
    assert (
        cli(
            url,
            "episode",
            "start",
            "--json",
            "--patient",
            "SIM9001^BEDSIDE_DEMO",
            "--dose",
            "1",
            "--at",
            iso(at),
            *signed_in(url, "RN Ada"),
            "--product",
            "AT-MSC lot 24-117",
            "--cells",
            "7.8e7",
            "--weight-kg",
            "78",
        )
        == 0
    )
    return out_json(capsys)


def stop_dose(url: str, by: str) -> int:
    return cli(
        url,
        "episode",
        "stop",
        "--json",
        "--patient",
        "SIM9001",
        "--dose",
        "1",
        "--at",
        iso(T0 + 2700),
        *signed_in(url, by),
    )


def test_manual_episode_start_stop_edit_and_their_log(url, capsys) -> None:  # type: ignore[no-untyped-def]
    ep = start_dose(url, capsys)
    assert (
        ep["state"] == "confirmed"
        and ep["confirmed_by"] == "RN Ada"
        and ep["cells_per_kg"] == pytest.approx(1e6)
    )
    assert stop_dose(url, "RN Ada") == 0
    assert out_json(capsys)["end"] == T0 + 2700
    assert (
        cli(
            url,
            "episode",
            "edit",
            "--json",
            "--patient",
            "SIM9001",
            "--dose",
            "1",
            "--start",
            iso(T0 + 120),
            *signed_in(url, "Dr Lee", meaning=True),
            "--reason",
            "pump clock 2 min fast",
        )
        == 0
    )
    assert out_json(capsys)["start"] == T0 + 120
    assert (
        cli(
            url,
            "episode",
            "stop",
            "--json",
            "--patient",
            "SIM9001",
            "--dose",
            "2",
            "--at",
            iso(T0),
            *signed_in(url, "x"),
        )
        == 2
    )
    assert "no dose 2" in capsys.readouterr().err
    assert (
        cli(
            url,
            "episode",
            "cancel",
            "--json",
            "--patient",
            "SIM9001",
            "--dose",
            "1",
            *signed_in(url, "Dr Lee", meaning=True),
            "--reason",
            "wrong patient",
        )
        == 0
    )
    assert out_json(capsys)["state"] == "cancelled"
    assert cli(url, "log", "--json") == 0
    log = logged_json(capsys)
    assert [e["kind"] for e in log] == ["episode.start", "episode.stop", "episode.edit", "episode.cancel"]
    assert log[2]["actor"] == "Dr Lee" and log[2]["payload"]["start"] == {"from": T0, "to": T0 + 120}
    assert cli(url, "verify-log") == 0


def test_a_manual_start_confirms_and_re_anchors_the_pump_candidate(engine, url, capsys) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.db.device_episodes import record_device_event

    from bedside.infusion import EventKind, EventSource, InfusionEvent
    from bedside.model import PatientRef

    with engine.begin() as conn:
        record_device_event(
            conn,
            InfusionEvent(
                PatientRef("SIM9001", "BEDSIDE_DEMO"), EventSource.PUMP_EVENT, EventKind.START, T0 + 180
            ),
            T0 + 181,
        )
    assert cli(url, "episodes", "--json") == 0
    (candidate,) = out_json(capsys)
    assert candidate["state"] == "candidate" and candidate["start"] == T0 + 180
    ep = start_dose(url, capsys, at=T0)  # the nurse: it started at T0, the pump was started 3 min late
    assert (ep["id"], ep["state"], ep["start"], ep["start_source"]) == (
        candidate["id"],
        "confirmed",
        T0,
        "manual",
    )
    assert cli(url, "log", "--json") == 0
    assert [e["kind"] for e in logged_json(capsys)] == [
        "episode.candidate",
        "episode.confirm",
        "episode.edit",
    ]


def alerts(url: str, capsys) -> list[dict]:  # type: ignore[no-untyped-def]
    assert cli(url, "alerts", "--json") == 0
    return out_json(capsys)


def test_lab_alert_is_re_evaluated_after_a_correction(engine, pipeline, url, capsys) -> None:  # type: ignore[no-untyped-def]
    start_dose(url, capsys)
    assert stop_dose(url, "RN") == 0
    capsys.readouterr()
    assert pipeline.handle(lab_message("L1", T0 - 6 * 3600, 40.0, order="F-0"), "lab").ack_code == "AA"
    assert pipeline.handle(lab_message("L2", T0 + 24 * 3600, 75.0), "lab").ack_code == "AA"
    service = AlertingService(engine, RULES)
    service.evaluate_patient(SIM9001, T0 + 26 * 3600)
    (alert,) = [x for x in alerts(url, capsys) if x["rule_id"] == "L3"]
    assert (alert["rule_id"], alert["severity"], alert["state"]) == ("L3", "low", "raised")
    assert alert["observations"][0].startswith("lab:") and alert["ruleset"] == RULES.label
    # Evaluating again changes nothing: no duplicate while the alert is open.
    service.evaluate_patient(SIM9001, T0 + 26 * 3600 + 5)
    assert len([x for x in alerts(url, capsys) if x["rule_id"] == "L3"]) == 1
    # The lab corrects the value (OBX-11 C) below the rule's threshold: annotated and resolved, kept.
    assert pipeline.handle(lab_message("L3", T0 + 24 * 3600, 52.0, status="C"), "lab").ack_code == "AA"
    service.evaluate_patient(SIM9001, T0 + 28 * 3600)
    (alert,) = [x for x in alerts(url, capsys) if x["rule_id"] == "L3"]
    assert (
        alert["state"] == "resolved"
        and alert["resolved_reason"] == "corrected result no longer meets the rule"
    )
    assert "lab correction" in alert["annotation"]
    assert cli(url, "verify-log") == 0


def test_escalation_acknowledgement_and_the_log(engine, url, capsys) -> None:  # type: ignore[no-untyped-def]
    start_dose(url, capsys)
    # No monitor values at all during the window: the stale-feed alert (medium).
    service = AlertingService(engine, RULES)
    service.evaluate_patient(SIM9001, T0 + 5 * 60)
    (stale,) = alerts(url, capsys)
    assert stale["rule_id"] == "STALE" and stale["state"] == "raised" and stale["start_unconfirmed"] is False
    service.evaluate_patient(SIM9001, T0 + 5 * 60 + 14 * 60)  # 14 min: not yet
    assert alerts(url, capsys)[0]["escalated_at"] is None
    service.evaluate_patient(SIM9001, T0 + 5 * 60 + 16 * 60)  # medium: 15 min
    escalated = alerts(url, capsys)[0]
    assert escalated["escalated_at"] == pytest.approx(T0 + 21 * 60)
    assert (
        cli(
            url,
            "ack",
            "--json",
            str(stale["id"]),
            *signed_in(url, "RN Ada"),
            "--comment",
            "monitor cable replugged",
        )
        == 0
    )
    acked = out_json(capsys)
    assert acked["state"] == "acknowledged" and acked["acknowledged_by"] == "RN Ada"
    assert cli(url, "log", "--json") == 0
    kinds = [e["kind"] for e in logged_json(capsys)]
    assert kinds == ["episode.start", "alert.raised", "alert.escalated", "alert.acknowledged"]


def test_adverse_event_linked_to_an_alert(engine, url, capsys) -> None:  # type: ignore[no-untyped-def]
    start_dose(url, capsys)
    AlertingService(engine, RULES).evaluate_patient(SIM9001, T0 + 300)
    (a,) = alerts(url, capsys)
    assert (
        cli(
            url,
            "adverse-event",
            "--json",
            "--patient",
            "SIM9001",
            "--dose",
            "1",
            "--term",
            "Infusion related reaction",
            "--grade",
            "2",
            "--relatedness",
            "possible",
            "--onset",
            "now",
            "--alerts",
            str(a["id"]),
            *signed_in(url, "Dr Lee", meaning=True),
        )
        == 0
    )
    ae = out_json(capsys)
    assert ae["grade"] == 2 and ae["alert_ids"] == [a["id"]]
    assert (
        cli(
            url,
            "adverse-event",
            "--json",
            "--patient",
            "SIM9001",
            "--term",
            "x",
            "--grade",
            "7",
            "--relatedness",
            "possible",
            "--onset",
            "now",
            *signed_in(url, "x", meaning=True),
        )
        == 2
    )
    capsys.readouterr()
    assert cli(url, "log", "--json") == 0
    assert logged_json(capsys)[-1]["kind"] == "adverse_event.recorded"


@pytest.mark.parametrize("tamper", ["edit", "delete", "insert", "truncate"])
def test_verify_log_finds_the_first_broken_entry(engine, url, capsys, tamper: str) -> None:  # type: ignore[no-untyped-def]
    start_dose(url, capsys)
    for k in range(4):
        assert (
            cli(
                url,
                "episode",
                "edit",
                "--json",
                "--patient",
                "SIM9001",
                "--dose",
                "1",
                "--start",
                iso(T0 + 60 * (k + 1)),
                *signed_in(url, f"user{k}", meaning=True),
            )
            == 0
        )
    capsys.readouterr()
    assert cli(url, "verify-log") == 0
    log = t.safety_log.c
    with engine.begin() as conn:
        log_guard.uninstall(conn)  # an insider who can run DDL drops the append-only triggers first
        if tamper == "edit":
            conn.execute(update(t.safety_log).where(log.seq == 3).values(actor="someone else"))
        elif tamper == "delete":
            conn.execute(delete(t.safety_log).where(log.seq == 3))
        elif tamper == "insert":  # a forged entry in the middle: later rows renumbered to make room
            rows = conn.execute(select(t.safety_log).where(log.seq >= 3).order_by(log.seq.desc())).all()
            for r in rows:
                conn.execute(update(t.safety_log).where(log.seq == r.seq).values(seq=r.seq + 1))
            forged = {**rows[-1]._mapping, "seq": 3, "actor": "forger"}
            conn.execute(insert(t.safety_log).values(**forged))
            conn.execute(text("UPDATE safety_log_head SET seq = seq + 1"))
        else:
            conn.execute(delete(t.safety_log).where(log.seq == 5))
    assert cli(url, "verify-log") == 1
    err = capsys.readouterr().err
    expected = {"edit": 3, "delete": 3, "insert": 3, "truncate": 5}[tamper]
    assert f"BROKEN at entry {expected}:" in err


def test_import_raises_the_alerts_of_the_course_on_its_own_time(engine, url, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.sim.course_run import write_scenario

    start = T0 - 30 * 3600
    write_scenario("reaction", tmp_path, start)
    files = sorted(str(p) for p in tmp_path.glob("*.hl7"))
    assert cli(url, "import", *files) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    listed = alerts(url, capsys)
    fired = {a["rule_id"]: a for a in listed}
    assert summary["alerts_raised"] == len(listed)
    assert {"F1", "H1", "B2", "O1", "C1"} <= set(fired)
    assert all(a["raised_on_import"] and a["raised_at"] == a["fired_at"] for a in listed)
    assert fired["H1"]["onset"] >= truth["reaction_onset"]
    # Importing the same files again stores nothing new and raises nothing new.
    assert cli(url, "import", *files) == 0
    capsys.readouterr()
    assert len(alerts(url, capsys)) == len(listed)
    assert cli(url, "verify-log") == 0


def test_documentation_reaches_the_rules_and_raises_a_documented_cardioversion(engine, url, capsys) -> None:  # type: ignore[no-untyped-def]
    """An adverse event and a signed check's findings, written by a screen, are read by the engine's
    loader; a documented cardioversion after the dose is a high START event (H4C)."""
    from bedside_adapters.alerting.loader import load_patient_data
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside.commands import RecordAdverseEvent, SignCheck
    from bedside.handlers import record_adverse_event, sign_check
    from bedside.model import PatientRef

    ep = start_dose(url, capsys)
    event = RecordAdverseEvent(
        patient=PatientRef.parse(ep["patient"]),
        term="Atrial fibrillation",
        grade=3,
        relatedness="possible",
        **signs("Dr Lee", Action.RECORD_ADVERSE_EVENT),
        recorded_at=T0 + 3 * 3600,
        onset=T0 + 2 * 3600,
        notes="cardioverted with 120 J",
    )
    record_adverse_event(SqlUnitOfWork(engine), event)
    check = SignCheck(
        patient=PatientRef.parse(ep["patient"]),
        episode_id=ep["id"],
        check="p60",
        label="+60 min",
        values="",
        findings="skin: urticaria",
        **signs("RN Ash", Action.SIGN_CHECK),
        recorded_at=T0 + 1800,
    )
    sign_check(SqlUnitOfWork(engine), check)
    data = load_patient_data(engine, RULES, PatientRef.parse(ep["patient"]), T0 - 7200, T0 + 4 * 3600)
    texts = sorted((d.ref.split(":")[0], d.text) for d in data.documented)
    assert texts == [
        ("adverse", "Atrial fibrillation. cardioverted with 120 J"),
        ("check", "skin: urticaria"),
    ]
    service = AlertingService(engine, RULES)
    (result,) = service.evaluate_patient(PatientRef.parse(ep["patient"]), T0 + 4 * 3600)
    raised = {f.rule_id for f in result.evaluation.findings}
    assert "H4C" in raised and "S1" not in raised  # S1 is a component: no alert of its own
    with engine.connect() as conn:
        rules = {r[0] for r in conn.execute(select(t.alert.c.rule_id))}
    assert {"H4C", "C3"} <= rules


def pump_status(control: str, at: float, rate: float, conc: float, unit: str, label: str) -> bytes:
    """A PCD-01 infusion pump status report: drug label, programmed rate and drug concentration."""
    ts = dtm(at)
    return (
        f"MSH|^~\\&|PUMP_GW^0012211839000001^EUI-64|ICU_PUMPS|BEDSIDE|ICU|{ts}||ORU^R01^ORU_R01|{control}|P|2.6"
        "|||AL|NE||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.1^ISO\r"
        "PID|||SIM9001^^^BEDSIDE_DEMO^MR||SYNTHETIC^Patient Z\rPV1||I|ICU^12^1\r"
        f"OBR|1|||182777000^monitoring of patient^SNOMED-CT|||{ts}\r"
        "OBX|1||69985^MDC_DEV_PUMP_INFUS_MDS^MDC|1.0.0.0|||||||X|||||||PUMP-7^^0012211839000001^EUI-64\r"
        f"OBX|2|ST|184514^MDC_DRUG_NAME_LABEL^MDC|1.1.1.184514|{label}||||||R|||{ts}\r"
        f"OBX|3|NM|157784^MDC_FLOW_FLUID_PUMP^MDC|1.1.1.157784|{rate:g}|265266^MDC_DIM_MILLI_L_PER_HR^MDC"
        f"|||||R|||{ts}\r"
        f"OBX|4|NM|157760^MDC_CONC_DRUG^MDC|1.1.1.157760|{conc:g}|{unit}^{unit}^UCUM|||||R|||{ts}\r"
    ).encode()


def test_a_vasopressor_dose_from_pump_reports_raises_b3(engine, url, capsys) -> None:  # type: ignore[no-untyped-def]
    """Pump status messages through ingest into the database: noradrenaline 4 mg/50 mL (reported as
    0.08 mg/mL, converted to 80 µg/mL) at 3 mL/h = 4 µg/min before the dose, 9 mL/h = 12 µg/min from
    40 min after it: B3 (and C3) with the rate and concentration samples that fired it."""
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: T0 + 5 * 3600, UTC)
    admit = (
        f"MSH|^~\\&|ADT|HOSP|BEDSIDE|ICU|{dtm(T0 - 5 * 3600)}||ADT^A01^ADT_A01|ADT-1|P|2.5\r"
        f"EVN|A01|{dtm(T0 - 5 * 3600)}\rPID|||SIM9001^^^BEDSIDE_DEMO^MR||SYNTHETIC^Patient Z\r"
        "PV1||I|ICU^12^1\r"
    ).encode()
    assert p.handle(admit, "10.0.0.1:1").ack_code == "AA"
    for i in range(60):  # a report every 5 min from 2 h before the dose
        at = T0 - 2 * 3600 + i * 300
        rate = 9.0 if at >= T0 + 2400 else 3.0
        raw = pump_status(f"P{i}", at, rate, 0.08, "mg/mL", "Noradrenaline 4 mg/50 mL")
        assert p.handle(raw, "10.0.0.2:1").ack_code == "CA"  # enhanced mode (MSH-15 AL)
    ep = start_dose(url, capsys)
    service = AlertingService(engine, RULES)
    (result,) = service.evaluate_patient(PatientRef.parse(ep["patient"]), T0 + 4 * 3600)
    (b3,) = [f for f in result.evaluation.findings if f.rule_id == "B3"]
    assert b3.onset == T0 + 2400 and "norepinephrine 12 µg/min" in b3.message
    assert cli(url, "alerts", "--json") == 0
    alerts = {a["rule_id"]: a for a in out_json(capsys)}
    assert {"B3", "C3"} <= set(alerts)
    with engine.connect() as conn:
        series = dict(conn.execute(select(t.series.c.id, t.series.c.parameter)).all())
    fired_by = {series[int(ref.split(":")[1])] for ref in alerts["B3"]["observations"]}
    assert fired_by == {"pump_rate", "pump_drug_conc"}


def test_triage_puts_a_reacting_bed_before_calm_ones(engine, url, capsys) -> None:  # type: ignore[no-untyped-def]
    """Two beds report for 70 min; one reacts from 6 min before `now`. After evaluating both, only
    the reacting patient is urgent (a STALE finding from a backfill, or a cleared one, is not), and
    the runner picks it before a calm bed that has waited a little longer (its alert latency)."""
    from bedside_adapters.alerting.runner import URGENT_AHEAD, AlertingRunner
    from bedside_adapters.sim.pcd01 import SimulatedMonitor

    now = T0 + 10 * 60
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: now, UTC)
    patients = []
    for k, ill in ((0, True), (1, False)):
        mon = SimulatedMonitor(eui64=f"TRIAGE0000000{k:03d}", mrn=f"TRIAGE{k}", room=str(k + 40))
        assert p.handle(mon.admit_message(f"A{k}", T0 - 3 * 3600).encode(), "10.0.0.3:1").ack_code in (
            "AA",
            "CA",
        )
        for i in range(420):
            at = T0 - 60 * 60 + i * 10.0
            sick = ill and at >= now - 6 * 60
            values = {"hr": 142.0 if sick else 88.0, "pr_spo2": 142.0 if sick else 88.0, "spo2": 95.0}
            values |= {
                "abp_sys": 78.0 if sick else 118.0,
                "abp_dia": 50.0,
                "abp_mean": 60.0 if sick else 80.0,
            }
            assert p.handle(mon.message(f"T{k}-{i}", at, values).encode(), "10.0.0.3:1").ack_code in (
                "AA",
                "CA",
            )
        ref = f"TRIAGE{k}^{mon.authority}"
        assert (
            cli(
                url,
                "episode",
                "start",
                "--json",
                "--patient",
                ref,
                "--dose",
                "1",
                "--at",
                iso(T0),
                *signed_in(url, "RN"),
            )
            == 0
        )
        capsys.readouterr()
        patients.append(PatientRef.parse(ref))
    service = AlertingService(engine, RULES, clock=lambda: now)
    for ref in patients:
        service.evaluate_patient(ref, now)
    reacting, calm = patients
    assert reacting in service.watching and calm not in service.watching
    runner = AlertingRunner(service)
    queue = {Bed("calm"): (100.0, None, False), Bed("ill"): (100.0 + URGENT_AHEAD / 2, None, False)}
    whose: dict[Whose, PatientRef | None] = {Bed("calm"): calm, Bed("ill"): reacting}
    assert runner._pick(queue, whose) == Bed("ill")
    queue[Bed("calm")] = (100.0 - URGENT_AHEAD, None, False)  # waited longer than triage may overtake
    assert runner._pick(queue, whose) == Bed("calm")
    # Later, calm everywhere: the reacting patient's findings have cleared and it is no longer urgent.
    service.evaluate_patient(reacting, now + 3 * 3600)
    assert reacting not in service.watching
