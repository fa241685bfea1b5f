"""Infusion events from the pump (PCD-10 ORU^R42) and the eMAR (RAS^O17) → candidate episodes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.cli import main as cli_main
from adapters.db.ingest_store import IngestStore
from adapters.ingest.pipeline import IngestPipeline
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
    assert cli_main(["--db", url, "episodes", "--patient", "SIM4417", "--json"]) == 0
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
