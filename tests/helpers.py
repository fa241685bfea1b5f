"""Paths and small helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
SYNTHETIC = DATA / "synthetic"
PCD01_20OBX = SYNTHETIC / "pcd01_gateway_20obx.hl7"


def pcd01(control_id: str = "GW000123", hr: str = "112") -> bytes:
    """The synthetic 20-OBX gateway message with another control id and heart rate."""
    text = PCD01_20OBX.read_bytes().decode()
    text = text.replace("GW000123", control_id).replace("|112|264864", f"|{hr}|264864")
    return text.encode()


def adt_a01(control: str, name: str, charset: str = "") -> str:
    """An ADT^A01 (the tests use it where a message must name a patient)."""
    return (
        f"MSH|^~\\&|GW|HOSP|BEDSIDE|ICU|20250101120000+0000||ADT^A01^ADT_A01|{control}|P|2.5||||||{charset}\r"
        f"EVN|A01|20250101120000+0000\rPID|||MRN1^^^HOSP^MR||{name}\rPV1||I|ICU^07^1\r"
    )


COURSE_START = 1_790_000_000.0
COURSE_STEP = 60.0
"""History thinned to a report a minute, as the demo sends it (the dose windows keep 5 s)."""


def build_course_db(path, scenario: str, until: float) -> None:  # type: ignore[no-untyped-def]
    """A SQLite file with a simulated course from 2 h before its start until `until`, through the real
    ingest pipeline, and the rule engine run over it as on import."""
    from datetime import UTC

    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db.engine import make_engine
    from bedside_adapters.db.ingest_store import IngestStore
    from bedside_adapters.db.migrate import upgrade
    from bedside_adapters.ingest.pipeline import IngestPipeline
    from bedside_adapters.sim.course_run import WardFeed

    from bedside.course_spec import HOUR
    from bedside.parameters import ParameterCatalog
    from bedside.rules.ruleset import RuleSet

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    clock = {"now": COURSE_START}
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: clock["now"], UTC)
    for m in WardFeed(scenario, COURSE_START).messages(COURSE_START - 2 * HOUR, until, COURSE_STEP):
        clock["now"] = m.at + 1.0
        assert pipeline.handle(m.text.encode(), "127.0.0.1:9").ack_code in ("AA", "CA")
    AlertingService(engine, RuleSet.load()).evaluate_import()
    engine.dispose()


def shown_alert(  # type: ignore[no-untyped-def]
    id: int,
    episode_id: int,
    rule_id: str,
    title: str,
    severity: str,
    state: str,
    fired_at: float,
    message: str,
    escalated: bool = False,
    **kw,
):
    """A stored `bedside.alerts.Alert` as the screens read it, in the order the screen tests name
    its fields (onset, last true and raised at its firing; escalated then too when `escalated`)."""
    from bedside.alerts import Alert, AlertState

    shown = AlertState(state) if state in AlertState.__members__.values() else state
    return Alert(
        id=id,
        episode_id=episode_id,
        rule_id=rule_id,
        title=title,
        severity=severity,
        state=shown,
        onset=fired_at,
        fired_at=fired_at,
        last_true=fired_at,
        raised_at=fired_at,
        message=message,
        escalated_at=fired_at if escalated else None,
        **kw,
    )
