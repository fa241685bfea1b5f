"""Infusion events from the pump (PCD-10 ORU^R42) and the eMAR (RAS^O17) → candidate episodes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline

from bedside.infusion import EventKind, EventSource, InfusionEvent, candidate_episodes
from bedside.parameters import ParameterCatalog
from tests.helpers import SYNTHETIC


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.fixture
def pipeline(engine):
    return IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: 1_764_000_000.0, UTC)


def test_pump_pair_and_emar_record_become_candidate_episodes(engine, pipeline, capsys) -> None:
    names = [
        "pcd10_pump_delivery_start.hl7",
        "pcd10_pump_delivery_complete.hl7",
        "ras_o17_gravity_dose.hl7",
        "ras_o17_refused.hl7",
    ]
    codes = [pipeline.handle((SYNTHETIC / n).read_bytes(), "10.0.0.9:1").ack_code for n in names]
    assert codes == ["CA"] * 4
    url = engine.url.render_as_string(hide_password=False)
    assert cli_main(["--db", url, "episodes", "--patient", "SIM4417", "--events", "--json"]) == 0
    episodes = json.loads(capsys.readouterr().out)
    assert episodes == [
        {
            "patient": "SIM4417^BEDSIDE_DEMO",
            "source": "pcd10",
            "start": ts("2025-11-24T10:00:00"),
            "end": ts("2025-11-24T10:45:00"),
            "device": "PUMP-0042",
            "product": "AT-MSC 1.0x10^6/kg",
            "amount": "98 mL",
            "end_reason": "pump-stopped-completed",
            "confirmed": False,
        },
        {
            "patient": "SIM4417^BEDSIDE_DEMO",
            "source": "ras",
            "start": ts("2025-11-27T09:00:00"),
            "end": ts("2025-11-27T09:30:00"),
            "device": "",
            "product": "AT-MSC 1.0x10^6/kg (gravity)",
            "amount": "100 mL",
            "end_reason": "",
            "confirmed": False,
        },
    ]  # the refused administration (RXA-20 RE) started nothing
    # The same events made two stored candidate doses, each logged in the safety log.
    assert cli_main(["--db", url, "episodes", "--patient", "SIM4417", "--json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert [(e["dose"], e["start_source"], e["state"], e["start"], e["end"]) for e in stored] == [
        (1, "pcd10", "candidate", ts("2025-11-24T10:00:00"), ts("2025-11-24T10:45:00")),
        (2, "ras", "candidate", ts("2025-11-27T09:00:00"), ts("2025-11-27T09:30:00")),
    ]
    assert cli_main(["--db", url, "log", "--json"]) == 0
    kinds = [e["kind"] for e in json.loads(capsys.readouterr().out)]
    assert kinds == ["episode.candidate", "episode.stop", "episode.candidate", "episode.stop"]


def test_pairing_rules() -> None:
    def ev(kind: EventKind, at: float, device: str = "P1") -> InfusionEvent:
        return InfusionEvent(None, EventSource.PUMP_EVENT, kind, at, device=device)

    episodes = candidate_episodes(
        [
            ev(EventKind.STOP, 5.0),  # a stop whose start never arrived: kept, start unknown
            ev(EventKind.START, 10.0),
            ev(EventKind.START, 12.0, "P2"),
            ev(EventKind.STOP, 20.0),
            ev(EventKind.START, 30.0),  # still running
        ]
    )
    assert [(e.device, e.start, e.end) for e in episodes] == [
        ("P1", None, 5.0),
        ("P1", 10.0, 20.0),
        ("P2", 12.0, None),
        ("P1", 30.0, None),
    ]


def pump_status(control: str, at: str, status: str) -> bytes:
    """A pump's PCD-01 status report (synthetic): infusing status and programmed rate."""
    return (
        f"MSH|^~\\&|PUMP_GW^0012211839000001^EUI-64|ICU_PUMPS|BEDSIDE|ICU|{at}||ORU^R01^ORU_R01|{control}|P|2.6|||AL|NE"
        "||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
        "PID|||SIM4417^^^BEDSIDE_DEMO^MR||SYNTHETIC^Patient A\rPV1||I|ICU^12^1\r"
        f"OBR|1|{control}|{control}|182777000^monitoring of patient^SCT|||{at}\r"
        "OBX|1||69985^MDC_DEV_PUMP_INFUS_MDS^MDC|1.0.0.0|||||||X|||||||PUMP-0042^^0012211839000001^EUI-64\r"
        f"OBX|2|CWE|184519^MDC_PUMP_INFUSING_STATUS^MDC|1.1.1.184519|{status}^{status}^MDC||||||R|||{at}\r"
        f"OBX|3|ST|184514^MDC_DRUG_NAME_LABEL^MDC|1.1.1.184514|AT-MSC||||||R|||{at}\r"
        f"OBX|4|NM|157784^MDC_FLOW_FLUID_PUMP^MDC|1.1.1.157784|120|265266^MDC_DIM_MILLI_L_PER_HR^MDC^mL/h^mL/h^UCUM"
        f"|||||R|||{at}\r"
    ).encode()


def test_pump_status_changes_are_states_and_candidate_episodes(engine, pipeline, capsys) -> None:
    sequence = [
        ("20251124095900+0000", "pump-status-not-infusing"),
        ("20251124100000+0000", "pump-status-infusing"),
        ("20251124100100+0000", "pump-status-infusing"),  # no change: not stored again
        ("20251124104500+0000", "pump-status-not-infusing"),
    ]
    for i, (at, status) in enumerate(sequence):
        assert pipeline.handle(pump_status(f"PS-{i}", at, status), "10.0.0.9:2").ack_code == "CA"
    from bedside_adapters.db import schema as t
    from sqlalchemy import select

    with engine.connect() as conn:
        states = conn.execute(select(t.device_state.c.value).order_by(t.device_state.c.at_ms)).scalars().all()
    assert states == [
        "pump-status-not-infusing",
        "AT-MSC",
        "pump-status-infusing",
        "pump-status-not-infusing",
    ]
    with engine.connect() as conn:
        rates = conn.execute(select(t.observation.c.value)).scalars().all()
    assert rates == [120.0] * 4  # the programmed rate, a numeric series of the pump
    url = engine.url.render_as_string(hide_password=False)
    assert cli_main(["--db", url, "episodes", "--events", "--json"]) == 0
    (episode,) = json.loads(capsys.readouterr().out)
    assert (episode["source"], episode["device"]) == ("pcd01-status", "PUMP-0042")
    assert (episode["start"], episode["end"]) == (ts("2025-11-24T10:00:00"), ts("2025-11-24T10:45:00"))
    assert episode["end_reason"] == "pump-status-not-infusing"


def test_device_alarm_start_and_end_are_kept_as_one_alarm(engine, pipeline) -> None:
    from bedside_adapters.db import schema as t
    from sqlalchemy import select

    for name in ("pcd04_alarm_start.hl7", "pcd04_alarm_end.hl7"):
        assert pipeline.handle((SYNTHETIC / name).read_bytes(), "10.0.0.3:1").ack_code == "CA"
    a = t.device_alarm.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                a.alarm_id,
                a.phase,
                a.state,
                a.priority,
                a.event_refid,
                a.source_refid,
                a.source_value,
                a.device,
            ).order_by(a.at_ms)
        ).all()
    assert [tuple(r) for r in rows] == [
        (
            "ALM-000731",
            "start",
            "active",
            "high",
            "MDC_EVT_LO_GT_LIM",
            "MDC_PRESS_BLD_ART_SYS",
            "78 MDC_DIM_MMHG",
            "MON01",
        ),
        (
            "ALM-000731",
            "end",
            "inactive",
            "high",
            "MDC_EVT_LO_GT_LIM",
            "MDC_PRESS_BLD_ART_SYS",
            "78 MDC_DIM_MMHG",
            "MON01",
        ),
    ]
