"""The review's co-medication tab on the simulated `reaction` course, whose eMAR sends dexamethasone
and enoxaparin daily, a noradrenaline infusion and one paracetamol before the dose (RAS^O17)."""

from __future__ import annotations

import pytest
from bedside_adapters.db.co_medication_store import administrations
from bedside_adapters.db.queries import sql_ports
from bedside_ui.review_window import ReviewWindow

from bedside.co_medication import DrugClass, around_dose
from bedside.model import PatientRef
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT
from tests.ui.signing import GH, acting_as


@pytest.fixture
def engine(reaction_engine):  # type: ignore[no-untyped-def]
    return reaction_engine


def test_the_review_shows_co_medication_around_the_dose(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    acting = acting_as(GH)
    w = ReviewWindow(sql_ports(engine), PatientRef.parse(PATIENT), clock=lambda: NOW, acting=acting)
    acting.setParent(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
        with engine.connect() as conn:
            stored = administrations(conn, PatientRef.parse(PATIENT))
        assert {a.drug_class for a in stored} >= {
            DrugClass.CORTICOSTEROID,
            DrugClass.ANTIPYRETIC,
            DrugClass.ANTICOAGULANT,
            DrugClass.VASOPRESSOR,
        }
        assert w.data is not None and w.data.co_medication == stored
        view = w.co_medication
        w.tabs.setCurrentWidget(view)
        dose = w.data.doses[0]
        expected = around_dose(stored, dose.start)
        table = view.table
        assert table.rowCount() == len(expected) > 0
        drugs = [table.item(r, 4).text() for r in range(table.rowCount())]
        assert drugs == [e.administration.drug for e in expected]
        pcm = drugs.index("Paracetamol")
        assert table.item(pcm, 1).text() == "2 h before"
        assert table.item(pcm, 8).text() == "Antipyretic given 2 h before: fever may be masked"
        assert table.item(pcm, 5).text() == "1 g" and table.item(pcm, 6).text() == "intravenous"
        assert table.item(pcm, 7).text() == "eMAR"
        # One lane per class present, each with its marks; the x axis is hours from the dose.
        assert set(view.lane_items) == {a.drug_class for a in stored}
        assert all(view.lane_items[c] for c in view.lane_items)
        assert "Antipyretic" in [
            label for _, label in view.lanes.getPlotItem().getAxis("left")._tickLevels[0]
        ]
    finally:
        w.shutdown()
