"""The review's severity tab on the simulated `reaction` course, at 1366x768, and the report's severity
section read back with pdftotext."""

from __future__ import annotations

import dataclasses
import subprocess
import unicodedata

import numpy as np
import pytest
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.review_store import load_review
from bedside_ui.report import export_pdf
from bedside_ui.review_window import ReviewWindow
from PySide6.QtCore import Qt

from bedside.model import PatientRef
from bedside.review import DAY, HOUR, Samples
from bedside.severity import Severity, latest_text
from bedside.sofa import SofaInputs, sofa_day
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT
from tests.ui.signing import GH, acting_as


@pytest.fixture
def engine(reaction_engine):  # type: ignore[no-untyped-def]
    return reaction_engine


def test_severity_tab_shows_each_day_its_sources_and_what_is_missing(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    acting = acting_as(GH)
    w = ReviewWindow(sql_ports(engine), PatientRef.parse(PATIENT), clock=lambda: NOW, acting=acting)
    acting.setParent(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
    try:
        w.tabs.setCurrentWidget(w.severity)
        view = w.severity
        severity = load_review(engine, PatientRef.parse(PATIENT), NOW).severity
        assert severity is not None and severity.days
        assert view.table.rowCount() == len(severity.days)
        newest = severity.days[-1]
        assert view.table.item(0, 1).text() == newest.total_text().replace(" (", "\n(")
        assert latest_text(severity.days, NOW) in view.summary.text()
        assert f"So far on day {newest.index:+d}: {newest.total_text()}" in view.summary.text()
        # Every component cell: its score and value, or a dash with the reason; the source on hover.
        for r, day in enumerate(reversed(severity.days)):
            for c, component in enumerate(day.components, start=2):
                item = view.table.item(r, c)
                if component.score is None:
                    assert item.text() == f"—\n{component.missing}"
                else:
                    assert item.text().startswith(f"{component.score}\n{component.value}")
                assert component.source in item.toolTip()
        # A day without some components: a dash and the reason, the total says what it sums.
        t0 = severity.days[-1].start
        few = SofaInputs(platelets=Samples.of([(t0 + HOUR, 90.0)]))
        partial = Severity(
            severity.anchor, [sofa_day(few, 0, t0, t0 + DAY, NOW)], severity.pf, severity.mechanics
        )
        view.show_severity(dataclasses.replace(w.data, severity=partial))
        assert view.table.item(0, 1).text() == "SOFA 2\n(1 of 6 components)"
        assert view.table.item(0, 4).text() == "—\nno bilirubin result this day"
        assert view.table.item(0, 3).text().startswith("2\nplatelets 90 10⁹/L")
        assert (
            "SOFA 2 (1 of 6 components)" in view.summary.text() and "So far on day 0" in view.summary.text()
        )
        view.show_severity(w.data)
        # The trends: P/F per blood gas, driving pressure and compliance, hours from dose 1, doses marked.
        pf_items = view.plots["pf"].listDataItems()
        assert len(pf_items) == 1
        expected = (severity.pf.times - severity.anchor) / HOUR
        assert list(pf_items[0].xData) == pytest.approx(list(expected))
        (dp,) = view.plots["driving"].listDataItems()
        assert np.nanmax(dp.yData) == pytest.approx(float(np.nanmax(severity.mechanics.driving)))
        marks = [i for i in view.plots["driving"].items if getattr(i, "label", None) is not None]
        assert any("dose 1" in m.label.format for m in marks)
        # It fits the 1366x768 screen: no horizontal scroll bar on the table, the window no wider.
        qtbot.waitUntil(lambda: view.table.viewport().width() > 0, timeout=5_000)
        assert not view.table.horizontalScrollBar().isVisible()
        assert w.width() <= 1366 and w.height() <= 768
        assert view.table.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOn
    finally:
        w.shutdown()


def test_report_has_the_severity_section(qapp, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = load_review(engine, PatientRef.parse(PATIENT), NOW)
    assert data.severity is not None
    pdf = tmp_path / "report.pdf"
    export_pdf(data, pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    assert "Severity over time: daily SOFA, P/F, driving pressure and compliance" in text
    assert "Vincent et al., Intensive Care Med 1996" in text and "Amato et al., N Engl J Med 2015" in text
    for system in ("Respiration", "Coagulation", "Liver", "Cardiovascular", "CNS", "Renal"):
        assert system in text
    newest = data.severity.days[-1]
    assert newest.total_text().split(" (")[0] in text
    assert "…" not in text  # every cell wrapped to its column, none cut
    assert "urine output not recorded" in text
    assert "Driving pressure (cmH" in text or "plateau readings" in text
