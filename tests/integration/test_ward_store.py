"""The ward overview's read on both databases (SQLite file and the PostgreSQL ward server): every
bed with its own feeds, numerics, dose and open problems, ranked as the screen shows them."""

from __future__ import annotations

from datetime import UTC

from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.ward_store import read_ward
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.course_run import WardFeed

from bedside.course_spec import HOUR
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from bedside.ward import DoseState, ward_view

START = 1_790_000_000.0
NOW = START + 20 * HOUR + 55 * 60  # the `reaction` bed 55 min into its dose, the calm bed's dose over


def test_the_ward_read_on_both_databases(engine) -> None:
    clock = {"now": START}
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: clock["now"], UTC)
    for m in WardFeed("ward", START).messages(NOW - 100 * 60, NOW, 60.0):
        clock["now"] = m.at + 1.0
        assert pipeline.handle(m.text.encode(), "127.0.0.1:9").ack_code in ("AA", "CA")
    rules = RuleSet.load()
    AlertingService(engine, rules).evaluate_patient(PatientRef("SIM5102", "BEDSIDE_DEMO"), NOW)

    facts = read_ward(SqlSeriesStore(engine), NOW + 2)
    assert sorted(b.patient.ref.identifier for b in facts.beds) == ["SIM5101", "SIM5102", "SIM5103"]
    for b in facts.beds:
        # Each bed sees its own monitor, not the neighbours'.
        monitors = [f for f in b.feeds if f.sender.startswith("SIM_MON")]
        assert len(monitors) == 1
        assert {"hr", "spo2"} <= set(b.latest)
    view = ward_view(facts, NOW + 2, 15.0, rules.signals_of())
    first = view.beds[0]
    assert first.patient.ref.identifier == "SIM5102"
    assert first.dose_state is DoseState.INFUSING
    assert first.count("high", unacknowledged=True) >= 1
    # Many alerts, folded under the composite: the tile counts problems.
    assert len(first.problems) < len(
        next(b for b in facts.beds if b.patient.ref.identifier == "SIM5102").alerts
    )
    states = {b.patient.ref.identifier: b.dose_state for b in view.beds}
    assert states == {
        "SIM5102": DoseState.INFUSING,
        "SIM5103": DoseState.WINDOW_6H,
        "SIM5101": DoseState.NONE,
    }
    assert [b.patient.ref.identifier for b in view.beds] == ["SIM5102", "SIM5103", "SIM5101"]
    assert not view.alerting_live  # evaluated here by hand: no engine beats on this database
