"""The ward overview on a real SQLite file filled with the `ward` scenario (three beds, the real
ingest pipeline, the real rule engine): tiles, their order, and a click or Enter opening the bed."""

from __future__ import annotations

import os
import re
from datetime import UTC
from pathlib import Path

import pytest
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.queries import SqlWardQueries, sql_ports
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.course_run import WardFeed
from bedside_ui.alert_sound import AlertSound as AlertPlayer
from bedside_ui.i18n import install_language
from bedside_ui.main_window import MainWindow
from bedside_ui.theme import SEVERITY_STYLE
from bedside_ui.ward_window import WardOverview, WardWindow
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel

from bedside.course_spec import HOUR
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet

START = 1_790_000_000.0
NOW = START + 20 * HOUR + 55 * 60  # 55 min into the `reaction` bed's 60-min dose: its reaction is HIGH
REACTING = "SIM5102^BEDSIDE_DEMO"
RULES = RuleSet.load()


@pytest.fixture
def ward_db(sqlite_engine):
    clock = {"now": START}
    pipeline = IngestPipeline(IngestStore(sqlite_engine), ParameterCatalog.load(), lambda: clock["now"], UTC)
    for m in WardFeed("ward", START).messages(NOW - 3 * HOUR, NOW, 60.0):
        clock["now"] = m.at + 1.0
        assert pipeline.handle(m.text.encode(), "127.0.0.1:9").ack_code in ("AA", "CA")
    service = AlertingService(sqlite_engine, RULES)
    for mrn in ("SIM5101", "SIM5102", "SIM5103"):
        service.evaluate_patient(PatientRef(mrn, "BEDSIDE_DEMO"), NOW)
    return sqlite_engine


def ward_for(qtbot, engine, now: float, size: tuple[int, int] = (1366, 768)) -> WardWindow:
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    clock = lambda: now  # noqa: E731
    # A player without an audio output: what it was asked to play is recorded, nothing is heard.
    nurse = MainWindow(
        sql_ports(engine),
        ParameterCatalog.load(),
        clock=clock,
        refresh_ms=100,
        settings=settings,
        player=AlertPlayer(output_available=lambda: False),
    )
    ward = WardWindow(SqlWardQueries(engine), nurse, clock=clock, refresh_ms=100, rules=RULES)
    qtbot.addWidget(ward)
    ward.resize(*size)
    ward.show()
    return ward


def close(ward: WardWindow) -> None:
    ward.shutdown()
    ward.nurse.shutdown()


def test_every_bed_ranked_and_a_click_opens_it(qtbot, ward_db) -> None:
    ward = ward_for(qtbot, ward_db, NOW + 2)
    try:
        overview = ward.overview
        qtbot.waitUntil(lambda: len(overview.tiles) == 3 and overview.columns > 0, timeout=15_000)
        tiles = overview.tiles_in_order()
        # The reacting bed first: an unacknowledged HIGH problem; its composite counted once.
        assert tiles[0].ref == REACTING
        assert tiles[0].reason_label.text().startswith("HIGH not acknowledged")
        assert "14 open (6 high, 7 medium, 1 low), 1 to acknowledge" in tiles[0].alerts_label.text()
        assert "INFUSING" in tiles[0].dose_label.text()
        assert tiles[0].numeric_labels["hr"][1].text() not in ("", "—")
        assert "base" in tiles[0].numeric_labels["hr"][2].text()
        # A blood pressure's baseline as sys/dia (mean), as the nurse's tile gives it, never sys alone.
        abp_base = tiles[0].numeric_labels["abp_sys"][2].text().split("\n")[0]
        assert re.fullmatch(r"base \d+/\d+ \(\d+\)( [-+−]\d+)?", abp_base), abp_base
        names = {t.patient_label.text().split("   ")[0] for t in tiles}
        assert names == {"SYNTHETIC, Patient B", "SYNTHETIC, Patient C", "SYNTHETIC, Patient D"}
        # Three across 1366 px, nothing clipped.
        assert overview.columns == 3
        qtbot.waitUntil(lambda: all(t.minimumSizeHint().width() <= t.width() for t in tiles), timeout=5_000)
        assert overview.canvas.width() <= overview.scroll.viewport().width()
        # The rule engine's heartbeat is not written here: the screen says nobody is being checked.
        assert overview.system.isVisible() and "alerting is not running" in overview.system.text()
        assert "Secondary display" in overview.notice.text()
        # The unacknowledged HIGH sounds on the overview as on the nurse's screen, through its player;
        # without an audio output the overview says no bed can sound.
        qtbot.waitUntil(lambda: ward.cues >= 1, timeout=5_000)
        assert ward.nurse.player.requests.count("high") >= ward.cues
        assert overview.sound_note.isVisible() and "Sound unavailable" in overview.sound_note.text()

        second = tiles[1]
        qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ward.stack.currentWidget() is ward.nurse, timeout=15_000)
        assert str(ward.nurse.snapshot.patient.ref) == second.ref  # type: ignore[union-attr]
        ward.show_overview()
        assert ward.stack.currentWidget() is overview
        assert overview.tiles[second.ref].hasFocus() or not ward.isActiveWindow()

        first = overview.tiles_in_order()[0]
        first.setFocus()
        qtbot.keyClick(first, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: ward.stack.currentWidget() is ward.nurse, timeout=15_000)
        assert str(ward.nurse.snapshot.patient.ref) == REACTING  # type: ignore[union-attr]
        assert "HIGH" in ward.nurse.banner.text()
    finally:
        close(ward)


def test_silent_feeds_are_loud_and_the_grid_reflows(qtbot, ward_db) -> None:
    ward = ward_for(qtbot, ward_db, NOW + 120, size=(1920, 1080))
    try:
        overview = ward.overview
        qtbot.waitUntil(lambda: len(overview.tiles) == 3 and overview.columns > 0, timeout=15_000)
        tiles = overview.tiles_in_order()
        assert tiles[0].ref == REACTING  # an unacknowledged HIGH still comes first
        # The calm bed in its dose window, which Bedside cannot see, now outranks the bed without a dose.
        assert tiles[1].reason_label.text() == "no data during the dose window"
        for t in tiles:
            assert "no&nbsp;data&nbsp;for" in t.feeds_label.text()
            assert "No open infusion-reaction alert" not in t.alerts_label.text()
        assert "3</b> without data" in overview.summary.text()
        # The infusing bed with its HIGH alert: its values greyed with their age, the feed's "no data
        # for" the same age, and it says it cannot see the bed beside the alert.
        reacting = tiles[0]
        assert reacting.reason_label.text() == "HIGH not acknowledged (1) · no data"
        assert reacting.blind_label.isVisibleTo(reacting) and "cannot see" in reacting.blind_label.text()
        _name, hr, hr_note = reacting.numeric_labels["hr"]
        assert f"color:{ward.theme.quiet}" in hr.styleSheet()
        age = hr_note.text().split("\n")[-1].removesuffix(" old")
        assert age.endswith(" s") or age.endswith(" min")
        assert f"no&nbsp;data&nbsp;for&nbsp;{age.replace(' ', '&nbsp;')}" in reacting.feeds_label.text()
        big = tiles[0].value_px
        assert big > 22  # wider tiles, bigger numbers
        ward.resize(900, 700)
        qtbot.waitUntil(lambda: overview.columns == 2, timeout=5_000)
        qtbot.waitUntil(lambda: all(t.minimumSizeHint().width() <= t.width() for t in tiles), timeout=5_000)
        # Nothing cut at the bottom: each tile as tall as its wrapped lines need (the reason, the
        # alert line and "cannot see this bed" take two or three lines in a narrow tile).
        qtbot.waitUntil(lambda: all(t.height() >= t.heightForWidth(t.width()) for t in tiles), timeout=5_000)

        # The same bed on the nurse's screen: HR no longer filled red, its flag names the alert and
        # gives the age the feed line gives.
        qtbot.keyClick(reacting, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: ward.stack.currentWidget() is ward.nurse, timeout=15_000)
        hr_tile = ward.nurse.numerics.tiles["hr"]
        qtbot.waitUntil(lambda: "old" in hr_tile.flag.text(), timeout=5_000)
        assert "HIGH" in hr_tile.flag.text() and hr_tile.flag.text().endswith(f"{age} old")
        assert SEVERITY_STYLE["high"] not in hr_tile.styleSheet()
        assert f"no data for {age}" in ward.nurse.feeds_label.text().replace("&nbsp;", " ")
    finally:
        close(ward)


def test_a_bed_opened_from_the_ward_keeps_the_window_on_the_screen(qtbot, ward_db) -> None:
    # A bed's screen asks for more height than the overview: the window is brought back within the
    # screen's free area, so the bottom row with the way back to the ward stays in view.
    ward = ward_for(qtbot, ward_db, NOW + 2)
    try:
        free = ward.screen().availableGeometry()
        ward.resize(free.width(), free.height() + 200)
        overview = ward.overview
        qtbot.waitUntil(lambda: len(overview.tiles) == 3, timeout=15_000)
        qtbot.mouseClick(overview.tiles_in_order()[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ward.stack.currentWidget() is ward.nurse, timeout=15_000)
        # (Height only: the test screen is narrower than the nurse's screen's least width.)
        qtbot.waitUntil(lambda: ward.frameGeometry().bottom() <= free.bottom(), timeout=5_000)
        back = ward.back_button
        assert back.isVisible()
        corner = back.mapTo(ward, back.rect().bottomRight())
        assert ward.rect().contains(corner)
    finally:
        close(ward)


def test_no_line_of_a_narrow_tile_is_cut_in_spanish(qtbot, qapp) -> None:
    # Three across 1366 px, the infusing bed with a HIGH problem and a stopped feed wraps its reason,
    # its alert line and "cannot see this bed" to two or three lines: the tile grows to hold them.
    from bedside.feeds import FeedActivity
    from bedside.ward import WardFacts, ward_view
    from tests.unit.test_ward import NOW as T
    from tests.unit.test_ward import H, alert, dose, facts

    monitor = FeedActivity("SIM_MON^0001", T - 78, T - 78, 100)
    vent = FeedActivity("SIM_VENT^0001", T - 84, T - 84, 100)
    latest = {
        "hr": (T - 78, 130.0),
        "spo2": (T - 78, 85.0),
        "abp_sys": (T - 78, 72.0),
        "temp": (T - 78, 39.2),
    }
    members = tuple(alert(i, "high" if i < 5 else "medium", folded_into=1) for i in range(2, 12))
    beds = (
        facts("2", (dose(T - H, None),), (alert(1, "high", rule="C1"), *members), (monitor, vent), latest),
        facts("3", (dose(T - 2 * H, T - 600),), (), (monitor, vent), latest),
        facts("1", (), (), (monitor, vent), latest),
    )
    view = ward_view(WardFacts(beds, T, "r", T), T, 15.0, {"C1": frozenset({"hr"})})
    install_language(qapp, "es")
    try:
        overview = WardOverview()
        qtbot.addWidget(overview)
        overview.resize(1366, 700)
        overview.show()
        overview.show_view(view)
        qtbot.waitUntil(lambda: overview.columns == 3, timeout=5_000)

        def cut() -> list[str]:
            return [
                label.text()
                for tile in overview.tiles_in_order()
                for label in tile.findChildren(QLabel)
                if label.isVisibleTo(tile)
                and label.wordWrap()
                and label.height() < label.heightForWidth(label.width())
            ]

        qtbot.waitUntil(lambda: not cut(), timeout=5_000)
        assert "Bedside no ve esta cama" in overview.tiles_in_order()[0].blind_label.text()
    finally:
        install_language(qapp, "en")


def test_a_mute_on_the_nurses_screen_silences_the_overview_until_it_ends(qtbot, ward_db) -> None:
    ward = ward_for(qtbot, ward_db, NOW + 2)
    try:
        ward.nurse.sound.mute_for("AB", NOW + 2)  # before the first read comes back
        qtbot.waitUntil(lambda: ward.reads >= 3, timeout=15_000)
        assert ward.cues == 0
        ward.nurse.sound.unmute()
        qtbot.waitUntil(lambda: ward.cues == 1, timeout=5_000)  # the HIGH still waiting sounds at once
    finally:
        close(ward)


def test_closing_the_ward_with_a_high_alert_unacknowledged_asks_first(qtbot, ward_db) -> None:
    """Once closed, no bed is watched: the person's own close asks, as the nurse's screen does."""
    from tests.ui.test_nurse_screen import press_in_next_box

    ward = ward_for(qtbot, ward_db, NOW + 2)
    ward.nurse.confirm_close = True  # as the app sets it for the person's own close
    try:
        qtbot.waitUntil(lambda: ward.last_view is not None and len(ward.overview.tiles) == 3, timeout=15_000)
        said: list[str] = []
        press_in_next_box("Cancel", said)
        assert not ward.close() and ward.isVisible()
        assert len(said) == 1 and "not acknowledged. Once closed" in said[0]
        press_in_next_box("Close anyway", said)
        assert ward.close() and not ward.isVisible()
    finally:
        ward.nurse.confirm_close = False
        close(ward)
