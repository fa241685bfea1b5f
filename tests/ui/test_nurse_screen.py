"""The nurse's screen driven through its real widgets, on a SQLite file the simulator's `reaction`
course was ingested into (the real pipeline), with the real rule engine evaluating it."""

from __future__ import annotations

import json
import os
from datetime import UTC
from pathlib import Path

import numpy as np
import pytest
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.course_run import WardFeed
from bedside_ui.dialogs import StartDoseDialog
from bedside_ui.main_window import MainWindow
from PySide6.QtCore import QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from bedside.course_spec import HOUR
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.engine import parse_baselines
from bedside.rules.ruleset import RuleSet
from bedside.users import User
from tests.ui.signing import AB, CD, EF, Accounts, sign_when_asked, signed_in

PATIENT = "SIM1729^BEDSIDE_DEMO"
START = 1_790_000_000.0  # the course's start: the dose begins 20 h later, the reaction 25 min into it
DOSE = START + 20 * HOUR
RULES = RuleSet.load()


def fill(engine, until: float, step: float = 60.0) -> float:
    """The course from 2 h before its start until `until`, through the ingest pipeline; returns the
    time of the last message."""
    clock = {"now": START}
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: clock["now"], UTC)
    last = START
    for m in WardFeed("reaction", START).messages(START - 2 * HOUR, until, step):
        clock["now"] = m.at + 1.0
        assert pipeline.handle(m.text.encode(), "127.0.0.1:9").ack_code in ("AA", "CA")
        last = m.at
    return last


def window_for(qtbot, engine, now: float, user: User | None = None) -> MainWindow:
    """The screen, signed in as `user` when one is given (it starts locked)."""
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(engine),
        ParameterCatalog.load(),
        clock=lambda: now,
        refresh_ms=100,
        settings=settings,
        authenticator=Accounts(),
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window if user is None else signed_in(window, user)


def answer_dialog(fill_in) -> None:  # type: ignore[no-untyped-def]
    """Fill and accept the next modal dialog the window opens (it runs its own event loop)."""

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, go)
            return
        fill_in(dialog)
        dialog.accept()

    QTimer.singleShot(0, go)


def press_in_next_box(label: str, said: list[str], then=None) -> None:  # type: ignore[no-untyped-def]
    """Press the button labelled `label` in the next question the window asks (its text goes to
    `said`); `then`: what to do with the dialog that opens after it, if any."""

    def go() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, go)
            return
        said.append(box.text())
        if then is not None:
            QTimer.singleShot(0, then)
        next(b for b in box.buttons() if b.text() == label).click()

    QTimer.singleShot(0, go)


@pytest.fixture
def reacting(sqlite_engine):
    """40 min into the dose (15 min into the reaction), the rules evaluated up to then."""
    now = DOSE + 40 * 60
    fill(sqlite_engine, now, step=30.0)
    AlertingService(sqlite_engine, RULES).evaluate_patient(PatientRef.parse(PATIENT), now)
    return sqlite_engine, now


def test_values_baselines_and_the_alert_they_raised(qtbot, reacting) -> None:
    engine, now = reacting
    window = window_for(qtbot, engine, now)
    try:
        qtbot.waitUntil(
            lambda: bool(window.status.alerts) and window.numerics.tiles["hr"].reading is not None,
            timeout=15_000,
        )
        with engine.connect() as conn:
            baselines = parse_baselines(conn.execute(select(t.infusion_episode.c.baselines)).scalar_one())
            hr_ids = [
                s.id
                for s in SqlSeriesStore(engine).series_for(window.snapshot.patient.ref, ["hr"])  # type: ignore[union-attr]
            ]
            newest = conn.execute(
                select(t.observation.c.value)
                .where(t.observation.c.series_id.in_(hr_ids))
                .order_by(t.observation.c.observed_ms.desc())
                .limit(1)
            ).scalar_one()
        hr = window.numerics.tiles["hr"]
        assert hr.value.text() == f"{newest:.0f}"
        assert f"base {baselines['hr'].value:.0f}" in hr.base.text()
        assert f"{newest - baselines['hr'].value:+.0f}" in hr.base.text()
        # Each value is coloured by the open alerts whose rule reads it, and only by those.
        reads = RULES.signals_of()
        rank = {"low": 1, "medium": 2, "high": 3}
        for key, tile in window.numerics.tiles.items():
            signals = {key, *tile.reading.spec.companions}
            severities = [a.severity for a in window.status.alerts if reads.get(a.rule_id, set()) & signals]
            expected = max(severities, key=rank.__getitem__) if severities else None
            assert tile.reading.severity == expected, key
        assert any(tile.reading.severity for tile in window.numerics.tiles.values())
        top = window.status.alerts[0]
        assert top.title in window.banner.text() and top.severity.upper() in window.banner.text()
        assert window.dose_label.text().startswith("Dose 1")
        assert "INFUSING" in window.infusion_label.text() and "00:40:" in window.infusion_label.text()
        assert "start not confirmed (from the pump)" in window.infusion_label.text()
        # The dose band, and the alerts as markers on the shared time axis.
        band = window.trends.plots[0].dose_items[0]
        assert band.getRegion()[0] == pytest.approx(DOSE, abs=60)
        assert len(window.trends.plots[0].alert_items) >= len(window.status.alerts)
    finally:
        window.shutdown()


def test_an_alert_is_acknowledged_through_the_ui_and_logged(qtbot, reacting) -> None:
    engine, now = reacting
    window = window_for(qtbot, engine, now, AB)
    try:
        qtbot.waitUntil(lambda: bool(window.status.alerts) and window.ack_button.isEnabled(), timeout=15_000)
        top = window.status.alerts[0]

        def sign(dialog) -> None:  # type: ignore[no-untyped-def]
            dialog.comment.setText("patient seen, infusion paused")

        answer_dialog(sign)
        sign_when_asked(AB)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: "acknowledged by AB" in window.banner.text() or window.status.alerts[0].id != top.id,
            timeout=15_000,
        )
        with engine.connect() as conn:
            row = conn.execute(select(t.alert).where(t.alert.c.id == top.id)).one()
            log = conn.execute(
                select(t.safety_log).where(
                    t.safety_log.c.kind == "alert.acknowledged", t.safety_log.c.alert_id == top.id
                )
            ).one()
        assert row.state == "acknowledged" and row.acked_by == "AB"
        assert log.actor == "AB" and json.loads(log.payload)["comment"] == "patient seen, infusion paused"
        assert window.session.user == AB  # signed in once for the session
    finally:
        window.shutdown()


def test_a_dose_started_from_the_ui_anchors_the_rules(qtbot, sqlite_engine) -> None:
    now = START + 10 * HOUR  # long before the pump's dose: no episode yet
    fill(sqlite_engine, now)
    t0 = now - 600.0
    window = window_for(qtbot, sqlite_engine, now, CD)
    try:
        qtbot.waitUntil(
            lambda: window.snapshot is not None and window.snapshot.patient is not None, timeout=15_000
        )
        assert window.dose_label.text() == "No dose recorded"

        def dose(dialog) -> None:  # type: ignore[no-untyped-def]
            from PySide6.QtCore import QDateTime

            # The pre-dose check warns (never blocks) about what is missing, as computed from the data.
            assert dialog.warning.isVisible() == bool(window.pre_dose_gaps)
            assert all(gap in dialog.warning.text() for gap in window.pre_dose_gaps)
            dialog.product.setText("AT-MSC lot 24-117")
            dialog.cells_per_kg.setValue(1.0)
            dialog.weight.setValue(82)
            dialog.of.setValue(2)
            dialog.at.setDateTime(QDateTime.fromSecsSinceEpoch(int(t0)))

        answer_dialog(dose)
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.status.doses != (), timeout=15_000)
        (ep,) = window.status.doses
        assert (ep.dose, ep.start, ep.source, ep.state) == (1, t0, "manual", "confirmed")
        assert ep.cells_per_kg == pytest.approx(1e6) and ep.course_doses == 2 and ep.weight_kg == 82
        # The engine anchors on it: baselines from [T0-60, T0-5] min, which the screen then shows.
        (result,) = AlertingService(sqlite_engine, RULES).evaluate_patient(PatientRef.parse(PATIENT), now)
        assert result.episode.start == t0
        hr_base = result.evaluation.baselines["hr"]
        assert hr_base.method == "median" and hr_base.minutes >= 20
        qtbot.waitUntil(
            lambda: f"base {hr_base.value:.0f}" in window.numerics.tiles["hr"].base.text(), timeout=15_000
        )
        assert window.dose_label.text() == "Dose 1 of 2 · AT-MSC lot 24-117 · 1.0 × 10⁶ cells/kg"
        assert "82 kg" in window.details_label.text()
        with sqlite_engine.connect() as conn:
            kinds = [
                r.kind
                for r in conn.execute(select(t.safety_log.c.kind, t.safety_log.c.actor))
                if r.actor == "CD"
            ]
        assert kinds == ["episode.start"]

        # Dose 1 is infusing: a second start asks first, naming it, and Cancel starts nothing.
        said: list[str] = []
        press_in_next_box("Cancel", said)
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        assert said[0].startswith("Dose 1 is still infusing (started ") and "start dose 2 only if" in said[0]
        assert not isinstance(window.dialog, StartDoseDialog)
        # Only "Start dose 2 anyway…" goes on to the dose's own dialog.
        opened: list[QDialog] = []

        def cancel_the_dose_dialog() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, StartDoseDialog):
                QTimer.singleShot(20, cancel_the_dose_dialog)
                return
            opened.append(dialog)
            dialog.reject()

        press_in_next_box("Start dose 2 anyway…", said, cancel_the_dose_dialog)
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        assert len(said) == 2 and opened and len(window.status.doses) == 1
    finally:
        window.shutdown()


def test_a_stopped_feed_turns_stale_and_is_loud_during_the_dose(qtbot, reacting) -> None:
    engine, now = reacting
    window = window_for(qtbot, engine, now + 180)  # nothing received for 3 min
    try:
        qtbot.waitUntil(
            lambda: window.technical.isVisible() and "no data for" in window.technical.text(), timeout=15_000
        )
        assert "during the dose 1 observation window" in window.technical.text()
        hr = window.numerics.tiles["hr"]
        assert hr.reading.stale and "min old" in hr.flag.text()  # the age stands beside the alert flag
        assert "SIM_MON: no data for" in window.feeds_label.text()
    finally:
        window.shutdown()


def test_sound_is_off_by_default_and_cues_only_new_alerts(qtbot, reacting) -> None:
    engine, now = reacting
    window = window_for(qtbot, engine, now)
    try:
        qtbot.waitUntil(lambda: bool(window.status.alerts), timeout=15_000)
        assert not window.sound_button.isChecked() and window.cues == 0
        window.sound_button.click()
        # Ten minutes later the reaction has tripped more rules: each new alert is one cue.
        before = {a.id for a in window.status.alerts}
        AlertingService(engine, RULES).evaluate_patient(PatientRef.parse(PATIENT), now + 600)
        qtbot.waitUntil(lambda: {a.id for a in window.status.alerts} != before, timeout=15_000)
        new = {a.id for a in window.status.alerts} - before
        assert window.cues == len(new) > 0
    finally:
        window.shutdown()


def _drag(view, item, dx: int) -> None:  # type: ignore[no-untyped-def]
    """A left-button drag across a plot, as a hand on the mouse would do it."""
    viewport = view.viewport()
    centre = view.mapFromScene(item.getViewBox().sceneBoundingRect().center())
    x0, y = centre.x(), centre.y()
    for kind, x, buttons in (
        (QMouseEvent.Type.MouseButtonPress, x0, Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseMove, x0 + dx // 2, Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseMove, x0 + dx, Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseButtonRelease, x0 + dx, Qt.MouseButton.NoButton),
    ):
        pos = QPointF(x, y)
        event = QMouseEvent(
            kind,
            pos,
            viewport.mapToGlobal(pos),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)


def test_panning_stops_follow_mode_and_one_click_brings_it_back(qtbot, reacting) -> None:
    engine, now = reacting
    window = window_for(qtbot, engine, now)
    try:
        qtbot.waitUntil(lambda: window.refreshes >= 2, timeout=15_000)
        vb = window.trends.plots[0].item.getViewBox()
        assert window.trends.following and vb.viewRange()[0][1] == pytest.approx(now, abs=1)
        _drag(window.trends.view, window.trends.items[0], 300)  # drag right: look back in time
        qtbot.waitUntil(lambda: not window.trends.following, timeout=5_000)
        assert "paused" in window.trends.follow_button.text()
        x1 = vb.viewRange()[0][1]
        assert x1 < now - 60
        refreshes = window.refreshes
        qtbot.waitUntil(lambda: window.refreshes >= refreshes + 3, timeout=15_000)
        assert vb.viewRange()[0][1] == pytest.approx(x1, abs=1)  # live data does not pull the view back
        qtbot.mouseClick(window.trends.follow_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: abs(vb.viewRange()[0][1] - now) < 1, timeout=15_000)
        assert window.trends.following
        # A preset: 6 h ending now.
        qtbot.mouseClick(window.trends.preset_buttons["6 h"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: abs(np.diff(vb.viewRange()[0])[0] - 6 * HOUR) < 60, timeout=15_000)
    finally:
        window.shutdown()


def test_check_signed_and_adverse_event_recorded_from_the_screen(qtbot, reacting) -> None:
    engine, now = reacting
    window = window_for(qtbot, engine, now, EF)
    try:
        qtbot.waitUntil(
            lambda: "Checks, dose 1" in window.checks_label.text() and window.sign_button.isEnabled(),
            timeout=15_000,
        )
        assert window.sign_button.isEnabled()

        def sign(dialog) -> None:  # type: ignore[no-untyped-def]
            i = dialog.check.findData("during+45")
            assert i >= 0
            dialog.check.setCurrentIndex(i)
            dialog.comment.setText("rash on the chest, line site clean")

        answer_dialog(sign)
        sign_when_asked(EF)
        qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: "+45 min" in window.checks_label.text() and "signed EF" in window.checks_label.text(),
            timeout=15_000,
        )

        def event(dialog) -> None:  # type: ignore[no-untyped-def]
            dialog.term.setCurrentText("Infusion related reaction")
            dialog.grade.setCurrentIndex(dialog.grade.findData(2))
            dialog.dose.setCurrentIndex(dialog.dose.findData(1))
            dialog.relatedness.setCurrentText("probable")
            dialog.onset.set(now - 15 * 60)
            dialog.alert.setCurrentIndex(1)

        answer_dialog(event)
        sign_when_asked(EF, "Documented: I saw the reaction at the bedside")
        qtbot.mouseClick(window.ae_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.last_action is not None and window.last_action[0] == "Adverse event",
            timeout=15_000,
        )
        with engine.connect() as conn:
            check = conn.execute(select(t.safety_log).where(t.safety_log.c.kind == "check.done")).one()
            ae = conn.execute(select(t.adverse_event)).one()
        payload = json.loads(check.payload)
        assert check.actor == "EF" and payload["check"] == "during+45"
        # The check's own name as stored, never the list's text with its state ("+45 min (due)").
        assert payload["label"] == "+45 min"
        assert "HR " in payload["values"] and payload["findings"].startswith("rash")
        assert (ae.term, ae.grade, ae.relatedness, ae.reported_by) == (
            "Infusion related reaction",
            2,
            "probable",
            "EF",
        )
        assert json.loads(ae.alert_ids) == [window.status.alerts[0].id] or len(json.loads(ae.alert_ids)) == 1
    finally:
        window.shutdown()


def test_theme_preset_and_layout_are_remembered(qtbot, reacting) -> None:
    engine, now = reacting
    window = window_for(qtbot, engine, now)
    qtbot.waitUntil(lambda: window.refreshes >= 1, timeout=15_000)
    assert window.theme.name == "dark"
    qtbot.mouseClick(window.theme_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.trends.preset_buttons["24 h"], Qt.MouseButton.LeftButton)
    window.close()
    again = window_for(qtbot, engine, now)
    try:
        assert again.theme.name == "light"
        assert again.trends.preset_buttons["24 h"].isChecked()
        assert again.trends.span == 24 * HOUR
    finally:
        again.shutdown()


def test_bed_switcher_on_a_ward_database_shows_each_bed_and_only_its_feeds(qtbot, sqlite_engine) -> None:
    clock = {"now": START}
    pipeline = IngestPipeline(IngestStore(sqlite_engine), ParameterCatalog.load(), lambda: clock["now"], UTC)
    now = START + HOUR
    for m in WardFeed("ward", START).messages(START - 2 * HOUR, now, 60.0):
        clock["now"] = m.at + 1.0
        assert pipeline.handle(m.text.encode(), "127.0.0.1:9").ack_code in ("AA", "CA")
    window = window_for(qtbot, sqlite_engine, now)
    try:
        qtbot.waitUntil(
            lambda: window.bed_choice.isVisible() and window.bed_choice.count() == 3, timeout=15_000
        )
        shown = window.patient_label.text()
        others = [
            window.bed_choice.itemData(i) for i in range(3) if window.bed_choice.itemText(i).find(shown) < 0
        ]
        assert len(others) == 2
        target = others[0]
        window.bed_choice.setCurrentIndex(window.bed_choice.findData(target))
        window.bed_choice.activated.emit(window.bed_choice.currentIndex())
        qtbot.waitUntil(
            lambda: window.snapshot is not None and str(window.snapshot.patient.ref) == target, timeout=15_000
        )  # type: ignore[union-attr]
        assert window.patient_label.text() != shown
        # The feeds line names this bed's monitor only: the other beds' bound devices are hidden.
        monitors = [f for f in window.snapshot.feeds if f.sender.startswith("SIM_MON")]  # type: ignore[union-attr]
        assert len(monitors) == 1
        before = str(window.snapshot.patient.ref)  # type: ignore[union-attr]
        qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: str(window.snapshot.patient.ref) != before, timeout=15_000)  # type: ignore[union-attr]
    finally:
        window.shutdown()


def test_after_a_recorded_death_start_dose_is_disabled_and_no_check_is_due(qtbot, reacting) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside.commands import RecordCourseEvent
    from bedside.handlers import record_course_event
    from bedside.model import PatientRef
    from tests.acting import acts

    engine, now = reacting
    window = window_for(qtbot, engine, now, AB)
    qtbot.waitUntil(lambda: window.status is not None and window.start_button.isEnabled(), timeout=15_000)
    qtbot.waitUntil(lambda: bool(window._signable), timeout=15_000)
    died = RecordCourseEvent(
        patient=PatientRef.parse(PATIENT), kind="death", at=now - 60, **acts("EF"), recorded_at=now
    )
    record_course_event(SqlUnitOfWork(engine), died)
    qtbot.waitUntil(lambda: window.status.deceased_at is not None, timeout=15_000)
    qtbot.waitUntil(lambda: not window.start_button.isEnabled(), timeout=15_000)
    assert window._signable == ()
    window._gate_actions()  # as a sign-in or an unlock does: still no dose after the death
    assert not window.start_button.isEnabled()
