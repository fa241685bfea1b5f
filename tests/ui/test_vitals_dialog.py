"""Vital signs recorded by hand from the nurse's screen: the dialog's checks, the write through the
database thread, and the values on the tiles and trends marked as manual (never joined by a line)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_ui.actions import record_vitals
from bedside_ui.dialogs import RecordVitalsDialog
from bedside_ui.main_window import MainWindow
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.users import Role
from bedside.vitals import RecordVitals
from tests.helpers import adt_a01
from tests.ui.signing import AB, CD, EF, sign_when_asked
from tests.ui.test_nurse_screen import answer_dialog
from tests.ui.test_nurse_screen import window_for as nurse_window

NOW = 1_790_000_000.0
REF = "MRN1^HOSP"


@pytest.fixture
def admitted(sqlite_engine):
    """A patient admitted by ADT, with no device feed: what a ward without continuous monitoring has."""
    pipeline = IngestPipeline(IngestStore(sqlite_engine), ParameterCatalog.load(), lambda: NOW, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    return sqlite_engine


def window_for(qtbot, engine) -> MainWindow:  # type: ignore[no-untyped-def]
    return nurse_window(qtbot, engine, NOW, AB)


def hhmm(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%H:%M")


def test_vitals_recorded_from_the_screen_show_as_manual_on_tiles_and_trends(qtbot, admitted) -> None:
    engine = admitted
    earlier = NOW - 55 * 60
    record_vitals(
        partial(SqlUnitOfWork, engine),
        RecordVitals(PatientRef.parse(REF), earlier, "CD", temp=37.9, temp_site="tympanic", role=Role.NURSE),
        NOW,
    )
    window = window_for(qtbot, engine)
    try:
        qtbot.waitUntil(lambda: window.vitals_button.isEnabled(), timeout=15_000)
        at = NOW - 5 * 60

        def enter(dialog) -> None:  # type: ignore[no-untyped-def]
            assert isinstance(dialog, RecordVitalsDialog)
            assert str(dialog.patient) == REF and dialog.at.dateTime().toSecsSinceEpoch() == int(NOW)
            dialog.at.setDateTime(QDateTime.fromSecsSinceEpoch(int(at)))  # set back to when it was taken
            dialog.temp.setText("38.4")
            dialog.temp_site.setCurrentIndex(dialog.temp_site.findData("tympanic"))
            dialog.sys.setText("85")
            dialog.dia.setText("50")
            dialog.spo2.setText("91")

        answer_dialog(enter)
        qtbot.mouseClick(window.vitals_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.numerics.tiles["temp"].value.text() == "38.4", timeout=15_000)
        assert window.last_action is not None and window.last_action[0] == "Record vitals"
        temp = window.numerics.tiles["temp"]
        assert f"(manual {hhmm(at)})" in temp.name.text() and "tympanic" in temp.base.text()
        assert temp.reading is not None and temp.reading.manual and not temp.reading.stale
        bp = window.numerics.tiles["abp_sys"]
        assert bp.name.text().startswith("NIBP") and f"(manual {hhmm(at)})" in bp.name.text()
        assert bp.value.text() == "85/50 (62)"
        assert f"(manual {hhmm(at)})" in window.numerics.tiles["spo2"].name.text()
        assert "manual" not in window.numerics.tiles["hr"].name.text()

        # The trend: both readings, 50 min apart, as markers and never joined into a line.
        plot = window.trends.plot("Temperature")
        qtbot.waitUntil(lambda: plot.points() == 2, timeout=15_000)
        (sid,) = [s for s, style in plot.curve_style.items() if style == "manual"]
        curve = plot.curves[sid]
        assert curve.opts["pen"].style() == Qt.PenStyle.NoPen and curve.opts["symbol"] == "d"
        assert "◆ manual" in plot.title_item.toPlainText()
        # Named by the site it was taken at, not as a "peripheral" temperature.
        assert "Temp tympanic 38.4" in plot.title_item.toPlainText()
        assert plot.curve_style.get(sid) == "manual"

        with engine.connect() as conn:
            (entry,) = conn.execute(
                select(t.safety_log).where(
                    t.safety_log.c.kind == "vitals.recorded", t.safety_log.c.actor == "AB"
                )
            ).all()
        payload = json.loads(entry.payload)
        assert payload["values"] == {
            "temp_peripheral": 38.4,  # a tympanic reading: a core value is preferred where both exist
            "nibp_sys": 85.0,
            "nibp_dia": 50.0,
            "nibp_mean": 61.7,
            "spo2": 91.0,
        }
        assert payload["observed_at"] == at and entry.patient_ref == REF
        assert window.session.user == AB  # signed in once for the session, like the other dialogs
    finally:
        window.shutdown()


def test_the_dialog_refuses_implausible_values_with_a_message_and_stays_open(qtbot) -> None:
    dialog = RecordVitalsDialog(PatientRef.parse(REF), NOW, EF)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled()  # who enters it is the user signed in
    dialog.accept()
    assert dialog.isVisible() and dialog.command is None
    assert dialog.error.isVisible() and dialog.error.text().startswith("Enter at least one value")

    dialog.temp.setText("384")
    assert not dialog.error.isVisible()  # typing clears the old message
    dialog.temp_site.setCurrentIndex(dialog.temp_site.findData("core"))
    dialog.accept()
    assert (
        dialog.isVisible()
        and dialog.error.text() == "Temperature 384 °C is outside 25-45 °C: check the value."
    )

    dialog.temp.setText("38,4")
    dialog.sys.setText("85")
    dialog.accept()
    assert dialog.isVisible() and "needs both systolic and diastolic" in dialog.error.text()

    dialog.dia.setText("50")
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.command == RecordVitals(
        PatientRef.parse(REF),
        NOW,
        "EF",
        temp=38.4,
        temp_site="core",
        sys=85.0,
        dia=50.0,
        role=Role.INTENSIVIST,
    )


def test_a_signed_check_captures_a_manual_value_as_manual(qtbot, admitted) -> None:
    from bedside_ui import actions

    engine = admitted
    at = NOW - 10 * 60
    record_vitals(
        partial(SqlUnitOfWork, engine),
        RecordVitals(
            PatientRef.parse(REF), at, "CD", temp=38.2, temp_site="axillary", hr=104, role=Role.NURSE
        ),
        NOW,
    )
    actions.start_dose(partial(SqlUnitOfWork, engine), PatientRef.parse(REF), 1, NOW - 20 * 60, CD)
    window = window_for(qtbot, engine)
    try:
        qtbot.waitUntil(lambda: window.sign_button.isEnabled(), timeout=15_000)
        captured: list[str] = []

        def sign(dialog) -> None:  # type: ignore[no-untyped-def]
            captured.append(dialog.values)

        answer_dialog(sign)
        sign_when_asked(AB)
        qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.last_action is not None, timeout=15_000)
        assert f"Temp 38.2 (manual {hhmm(at)})" in captured[0]
        assert f"HR 104 (manual {hhmm(at)})" in captured[0]
    finally:
        window.shutdown()
