"""Standalone mode for real: the window starts ingest and the simulated monitor as child processes,
the monitor's PCD-01 goes over MLLP into SQLite, and the curves grow."""

from __future__ import annotations

import os
import signal

import pytest
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.queries import sql_ports
from bedside_ui.main_window import MainWindow
from bedside_ui.supervisor import Supervisor

from bedside.parameters import ParameterCatalog


@pytest.mark.e2e
def test_demo_processes_feed_the_window_and_ingest_is_restarted(qtbot, sqlite_url) -> None:
    supervisor = Supervisor(sqlite_url, demo=True, demo_history_hours=2)
    engine = make_engine(sqlite_url)
    window = MainWindow(sql_ports(engine), ParameterCatalog.load(), supervisor=supervisor, refresh_ms=200)
    qtbot.addWidget(window)
    supervisor.start()
    try:
        hr = window.trends.plot("Heart rate")
        qtbot.waitUntil(lambda: hr.points() > 0, timeout=60_000)
        first = hr.points()
        qtbot.waitUntil(lambda: hr.points() > first, timeout=30_000)  # live: it keeps growing
        assert window.patient_label.text() == "SYNTHETIC, Patient A"
        # A crashed ingest is restarted, on the same port, and the monitor reconnects.
        os.kill(supervisor.ingest.pid, signal.SIGKILL)
        qtbot.waitUntil(lambda: supervisor.ingest.restarts == 1, timeout=30_000)
        qtbot.waitUntil(lambda: supervisor.ingest.state == "running", timeout=60_000)
        after_restart = hr.points()
        qtbot.waitUntil(lambda: hr.points() > after_restart, timeout=60_000)
        assert "restarted 1×" in supervisor.describe()
    finally:
        window.shutdown()
        supervisor.stop()
        engine.dispose()
    assert supervisor.ingest.state == "stopped"
