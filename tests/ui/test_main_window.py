"""The window over a real SQLite file filled by the real ingest pipeline (pytest-qt, offscreen)."""

from __future__ import annotations

import os
import time
from datetime import UTC
from pathlib import Path

import numpy as np
import pytest
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.pcd01 import SimulatedMonitor
from bedside_ui.main_window import SECONDARY_NOTICE, MainWindow
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from tests.acting import acts

NOW = 1_764_000_000.0  # a fixed "now": the window is told the time, it never reads the wall clock here


@pytest.fixture
def filled(engine):
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: NOW, UTC)
    monitor = SimulatedMonitor()
    assert (
        pipeline.handle(monitor.admit_message("ADT-1", NOW - 7200).encode(), "127.0.0.1:2").ack_code == "AA"
    )
    for i in range(120):  # 20 minutes at one message per 10 s, ending 5 s ago
        t = NOW - 1200 + i * 10 - 5
        values = {"hr": 80 + i % 7, "spo2": 96, "abp_sys": 120, "abp_dia": 60, "abp_mean": 80, "temp": 37.1}
        assert pipeline.handle(monitor.message(f"M{i}", t, values).encode(), "127.0.0.1:1").ack_code == "CA"
    return engine


def settings_in(tmp_path) -> QSettings:
    """Each test its own settings file: nothing read from or written to the user's."""
    return QSettings(str(tmp_path / "bedside.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, engine, now: float = NOW, **kw) -> MainWindow:
    kw.setdefault("settings", settings_in(Path(os.environ["BEDSIDE_DATA_DIR"])))
    window = MainWindow(sql_ports(engine), ParameterCatalog.load(), clock=lambda: now, refresh_ms=100, **kw)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_curves_hold_the_stored_points(qtbot, filled) -> None:
    window = make_window(qtbot, filled)
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=10_000)
    hr = window.trends.plot("Heart rate")
    qtbot.waitUntil(lambda: hr.points() == 120, timeout=10_000)
    curve = next(iter(hr.curves.values()))
    assert curve.yData[-1] == 80 + 119 % 7
    assert np.isclose(curve.xData[-1], NOW - 15)
    assert window.trends.plot("SpO2").points() == 120
    assert window.trends.plot("Blood pressure").points() == 3 * 120
    assert window.trends.plot("Temperature").points() == 120
    assert window.patient_label.text() == "SYNTHETIC, Patient A"
    assert "MRN SIM4417" in window.details_label.text()
    # the last hour, explicitly (clipToView is skipped under x auto-range)
    x0, x1 = hr.item.getViewBox().viewRange()[0]
    assert abs(x1 - NOW) < 60 and abs((x1 - x0) - 3600) < 120
    window.shutdown()


def test_a_silent_feed_says_so(qtbot, filled) -> None:
    window = make_window(qtbot, filled, now=NOW + 60, stale_after=15.0)
    qtbot.waitUntil(lambda: "no data for" in window.feeds_label.text(), timeout=10_000)
    # Silent for 60 s, and its last value was measured 15 s before it arrived: the newest value is
    # 75 s old, the one age the feed line and the values it left behind both give.
    assert "SIM_MON: no data for 75 s" in window.feeds_label.text()
    window.shutdown()


def test_live_feed_and_secondary_notice(qtbot, filled) -> None:
    window = make_window(qtbot, filled, stale_after=30.0)
    qtbot.waitUntil(lambda: "● SIM_MON 0 s" in window.feeds_label.text(), timeout=10_000)
    assert "clock +15 s" in window.feeds_label.text()  # received at NOW, measured 15 s before
    # the ADT system speaks when something happens: quiet, never "no data"
    assert "SIM_ADT @ HOSP: last message 0 s ago" in window.feeds_label.text()
    assert SECONDARY_NOTICE in [w.text() for w in window.findChildren(QLabel)]
    window.shutdown()


def test_empty_database_shows_no_patient_and_no_feed(qtbot, engine) -> None:
    window = make_window(qtbot, engine)
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=10_000)
    assert window.patient_label.text() == "No patient yet"
    assert "No device feed" in window.feeds_label.text()
    assert (
        window.trends.plot("Heart rate").no_data.textItem.toPlainText()
        == "Heart rate: no values in this view"
    )
    # Names as clinicians write them, never lowered into a code ("spo2").
    assert window.trends.plot("SpO2").no_data.textItem.toPlainText() == "SpO2: no values in this view"
    window.shutdown()


def test_missing_schema_is_shown_not_crashed(qtbot, sqlite_url) -> None:
    from bedside_adapters.db.engine import make_engine

    engine = make_engine(sqlite_url)
    window = make_window(qtbot, engine)
    qtbot.waitUntil(lambda: window.status_label.isVisible(), timeout=10_000)
    assert "Waiting for the ingest service" in window.status_label.text()
    window.shutdown()
    engine.dispose()


def test_new_values_appear_on_the_next_refresh(qtbot, filled) -> None:
    clock = {"now": NOW}
    window = MainWindow(
        sql_ports(filled),
        ParameterCatalog.load(),
        clock=lambda: clock["now"],
        refresh_ms=100,
        settings=settings_in(Path(os.environ["BEDSIDE_DATA_DIR"])),
    )
    qtbot.addWidget(window)
    hr = window.trends.plot("Heart rate")
    qtbot.waitUntil(lambda: hr.points() == 120, timeout=10_000)
    pipeline = IngestPipeline(IngestStore(filled), ParameterCatalog.load(), time.time, UTC)
    msg = SimulatedMonitor().message("NEW", NOW + 1, {"hr": 150})
    pipeline.handle(msg.encode(), "127.0.0.1:1")
    clock["now"] = NOW + 2
    qtbot.waitUntil(lambda: hr.points() == 121, timeout=10_000)
    assert next(iter(hr.curves.values())).yData[-1] == 150
    window.shutdown()


def test_a_gap_in_the_data_is_drawn_as_a_gap(qtbot, engine) -> None:
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: NOW, UTC)
    monitor = SimulatedMonitor()
    pipeline.handle(monitor.admit_message("ADT-1", NOW - 7200).encode(), "127.0.0.1:2")
    stamps = [NOW - 1800 + i * 5 for i in range(60)] + [NOW - 600 + i * 5 for i in range(60)]  # 15 min off
    for i, t in enumerate(stamps):
        pipeline.handle(monitor.message(f"G{i}", t, {"hr": 90}).encode(), "127.0.0.1:1")
    window = make_window(qtbot, engine)
    hr = window.trends.plot("Heart rate")
    qtbot.waitUntil(lambda: hr.points() == 120, timeout=10_000)
    y = next(iter(hr.curves.values())).yData
    assert np.isnan(y).sum() == 1 and np.isnan(y[60])  # one break, exactly where the feed was silent
    window.shutdown()


def test_doses_alerts_and_whether_alerting_is_live(qtbot, filled) -> None:
    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db import schema as t
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork
    from sqlalchemy import insert

    from bedside.commands import StartDose
    from bedside.handlers import start_dose
    from bedside.rules.ruleset import RuleSet

    start = StartDose(
        patient=PatientRef("SIM4417", "BEDSIDE_DEMO"),
        dose=1,
        start=NOW - 1800,
        **acts("RN Ada"),
        recorded_at=NOW - 1800,
    )
    start_dose(SqlUnitOfWork(filled), start)
    # Nobody is evaluating the rules yet: the screen must say so, not look calm.
    window = make_window(qtbot, filled)
    try:
        qtbot.waitUntil(lambda: "not running" in window.technical.text(), timeout=10_000)
        assert window.technical.isVisible()
        assert window.dose_label.text() == "Dose 1"
        assert "<b>INFUSING</b> 00:30:00" in window.infusion_label.text()
        band = window.trends.plot("Heart rate").dose_items[0]
        assert band.getRegion()[0] == pytest.approx(NOW - 1800)
        # The engine runs (its heartbeat) and has raised an alert (the monitor stopped 5 s ago: no; the
        # values before the dose are too few for baselines, the stale-feed rule has nothing to say): force a
        # silent feed by evaluating 3 min later.
        AlertingService(filled, RuleSet.load()).evaluate_patient(
            PatientRef("SIM4417", "BEDSIDE_DEMO"), NOW + 180
        )
        with filled.begin() as conn:
            conn.execute(
                insert(t.alerting_heartbeat).values(
                    name="alerting", instance="x", beat_ms=int(NOW * 1000), ruleset="r 1"
                )
            )
        qtbot.waitUntil(lambda: "Alerting live (r 1)" in window.alerting_label.text(), timeout=10_000)
        qtbot.waitUntil(lambda: "MEDIUM&nbsp; Feed stopped" in window.banner.text(), timeout=10_000)
        assert "not acknowledged" in window.banner.text()
        assert not window.technical.isVisible()
    finally:
        window.shutdown()
