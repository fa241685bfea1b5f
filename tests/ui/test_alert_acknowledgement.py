"""Acknowledging any alert from the Alerts list, the banner moving on to the next unacknowledged
problem, escalation on screen, High alerts sounding with a logged mute that expires, and the check
due now preselected: the real window on a SQLite file the `reaction` course was ingested into, with
the real rule engine."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.queries import sql_ports
from bedside_ui.alert_list import MAX_HEIGHT
from bedside_ui.alert_sound import HIGH, AlertSound
from bedside_ui.main_window import SECONDARY_NOTICE, MainWindow
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.users import User
from tests.ui.signing import AB, CD, EF, LUIS, Accounts, sign_when_asked, signed_in
from tests.ui.test_nurse_screen import DOSE, PATIENT, RULES, fill, press_in_next_box

TWO_PROBLEMS = DOSE + 42 * 60
"""Desaturation (O1, from 40 min) and a monitor feed that stopped (STALE): two medium problems."""
REACTION = DOSE + 50 * 60
"""The reaction in full: one High composite (C1) with a dozen alerts folded under it."""


def _template(root: Path, name: str, until: float, evaluations: tuple[float, ...]) -> Path:
    path = root / f"{name}.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    fill(engine, until, step=30.0)
    service = AlertingService(engine, RULES)
    for at in evaluations:
        service.evaluate_patient(PatientRef.parse(PATIENT), at)
    engine.dispose()  # the last connection checkpoints the WAL: one file to copy
    return path


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each course ingested once per module; each test gets its own copy of the file."""
    root = tmp_path_factory.mktemp("alert-db")
    return {
        "two": _template(root, "two", DOSE + 40 * 60, (DOSE + 40 * 60, TWO_PROBLEMS)),
        "reaction": _template(root, "reaction", REACTION, (REACTION,)),
    }


def _engine(templates: dict[str, Path], which: str, data_dir: Path):  # type: ignore[no-untyped-def]
    path = data_dir / "bedside.sqlite3"
    shutil.copy(templates[which], path)
    return make_engine(f"sqlite:///{path}")


@pytest.fixture
def two_problems(templates, data_dir):  # type: ignore[no-untyped-def]
    engine = _engine(templates, "two", data_dir)
    yield engine
    engine.dispose()


@pytest.fixture
def reaction(templates, data_dir):  # type: ignore[no-untyped-def]
    engine = _engine(templates, "reaction", data_dir)
    yield engine
    engine.dispose()


def window_for(
    qtbot, engine, clock: dict[str, float], user: User | None = None, audio: bool = False
) -> MainWindow:  # type: ignore[no-untyped-def]
    """The screen, signed in as `user` when one is given (it starts locked); `audio`: whether the
    computer has an audio output (the test machines have none: the sound falls back to the bell)."""
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(engine),
        ParameterCatalog.load(),
        clock=lambda: clock["now"],
        refresh_ms=100,
        settings=settings,
        authenticator=Accounts(),
        player=AlertSound(output_available=lambda: audio),
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window if user is None else signed_in(window, user)


def answer_dialog(fill_in, accept: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Fill and close the next modal dialog the window opens (it runs its own event loop)."""

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, go)
            return
        fill_in(dialog)
        dialog.accept() if accept else dialog.reject()

    QTimer.singleShot(0, go)


def acked(engine, alert_id: int):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        row = conn.execute(select(t.alert).where(t.alert.c.id == alert_id)).one()
        log = conn.execute(
            select(t.safety_log).where(
                t.safety_log.c.kind == "alert.acknowledged", t.safety_log.c.alert_id == alert_id
            )
        ).all()
    return row, log


def open_list(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.alerts_button, Qt.MouseButton.LeftButton)
    dialog = window.alert_list
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    return dialog


def test_any_alert_is_acknowledged_from_the_list_not_only_the_banners(qtbot, two_problems) -> None:
    clock = {"now": TWO_PROBLEMS}
    window = window_for(qtbot, two_problems, clock, AB)
    try:
        qtbot.waitUntil(lambda: len(window.status.alerts) == 2, timeout=15_000)
        stale, desat = window.status.alerts  # same severity: the newest first
        assert (stale.rule_id, desat.rule_id) == ("STALE", "O1")
        assert "Feed stopped" in window.banner.text() and "not acknowledged" in window.banner.text()
        assert "1 more open, 1 not acknowledged" in window.banner.text()
        dialog = open_list(qtbot, window)
        assert dialog.table.rowCount() == 2 and dialog.height() <= MAX_HEIGHT
        assert SECONDARY_NOTICE in dialog.findChildren(type(window.banner))[0].text()
        # Not the banner's alert: the other one, the desaturation.
        dialog.select_alert(desat.id)
        dialog.comment.setText("FiO2 up, SpO2 recovering")
        assert dialog.ack_button.isEnabled() and dialog.ack_button.text() == "Acknowledge selected (1)"
        sign_when_asked(AB)
        qtbot.mouseClick(dialog.ack_button, Qt.MouseButton.LeftButton)
        row = dialog.row_of(desat.id)
        qtbot.waitUntil(lambda: dialog.table.item(row, 6).text() == "AB", timeout=15_000)
        assert dialog.table.item(row, 8).text() == "FiO2 up, SpO2 recovering"
        assert dialog.table.item(row, 4).text() == "open, acknowledged"
        db, log = acked(two_problems, desat.id)
        assert (db.state, db.acked_by, db.ack_comment) == ("acknowledged", "AB", "FiO2 up, SpO2 recovering")
        assert len(log) == 1 and log[0].actor == "AB"
        assert json.loads(log[0].payload)["comment"] == "FiO2 up, SpO2 recovering"
        # The banner's alert still waits, and says so.
        assert "Feed stopped" in window.banner.text() and window.ack_button.isEnabled()
        assert acked(two_problems, stale.id)[0].acked_by == ""
        assert window.session.user == AB  # signed in for the session, as the other dialogs act
    finally:
        window.shutdown()


def test_after_an_acknowledgement_the_banner_moves_to_the_next_unacknowledged_problem(
    qtbot, two_problems
) -> None:
    clock = {"now": TWO_PROBLEMS}
    window = window_for(qtbot, two_problems, clock, CD)
    try:
        qtbot.waitUntil(
            lambda: len(window.status.alerts) == 2 and window.ack_button.isEnabled(), timeout=15_000
        )
        stale, desat = window.status.alerts
        answer_dialog(lambda d: None)
        sign_when_asked(CD)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Desaturation" in window.banner.text(), timeout=15_000)
        # The next problem, with its own button, not the acknowledged one with a disabled button.
        assert window.ack_button.isEnabled() and "not acknowledged" in window.banner.text()
        assert "Feed stopped" not in window.banner.text()
        assert acked(two_problems, stale.id)[0].acked_by == "CD"
        answer_dialog(lambda d: d.comment.setText("seen"))
        sign_when_asked(CD)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.ack_button.isEnabled(), timeout=15_000)
        assert acked(two_problems, desat.id)[0].acked_by == "CD"  # the user kept for the session
        assert "acknowledged by CD" in window.banner.text()  # open until the values recover
    finally:
        window.shutdown()


def test_several_selected_alerts_are_acknowledged_at_once(qtbot, two_problems) -> None:
    clock = {"now": TWO_PROBLEMS}
    window = window_for(qtbot, two_problems, clock)
    try:
        qtbot.waitUntil(lambda: len(window.status.alerts) == 2, timeout=15_000)
        dialog = open_list(qtbot, window)
        ids = [a.id for a in window.status.alerts]
        for alert_id in ids:
            dialog.select_alert(alert_id)
        assert dialog.ack_button.text() == "Acknowledge selected (2)"
        assert not dialog.ack_button.isEnabled()  # who acknowledges is required
        signed_in(window, CD)
        dialog.comment.setText("both seen, probe reseated")
        sign_when_asked(CD)
        qtbot.mouseClick(dialog.ack_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: all(a.acked_by for a in window.status.alerts), timeout=15_000)
        for alert_id in ids:
            db, log = acked(two_problems, alert_id)
            assert (db.acked_by, db.ack_comment, len(log)) == ("CD", "both seen, probe reseated", 1)
        assert not window.ack_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.table.item(0, 6).text() == "CD", timeout=15_000)
        assert dialog.targets() == [] and not dialog.ack_button.isEnabled()
    finally:
        window.shutdown()


def test_a_problem_and_its_folded_alerts_are_listed_indented_and_acknowledged_together(
    qtbot, reaction
) -> None:
    clock = {"now": REACTION}
    window = window_for(qtbot, reaction, clock, EF)
    try:
        qtbot.waitUntil(lambda: len(window.status.alerts) > 5, timeout=15_000)
        (c1,) = [a for a in window.status.alerts if a.folded_into is None]
        dialog = open_list(qtbot, window)
        assert dialog.table.rowCount() == len(window.status.alerts)
        assert dialog.table.item(0, 1).text() == c1.rule_id
        assert all(
            dialog.table.item(i, 1).text().startswith("    ↳ ") for i in range(1, dialog.table.rowCount())
        )
        # The dialog fits a 1366x768 screen with its buttons visible; the table scrolls.
        assert dialog.height() <= MAX_HEIGHT
        assert dialog.table.verticalScrollBar().maximum() > 0
        bottom = dialog.ack_button.mapTo(dialog, dialog.ack_button.rect().bottomLeft()).y()
        assert 0 < bottom <= dialog.height()
        # A part and its problem selected: one acknowledgement of the problem covers the part.
        part = next(a for a in window.status.alerts if a.folded_into == c1.id)
        dialog.select_alert(part.id)
        dialog.select_alert(c1.id)
        assert dialog.targets() == [c1.id]
        sign_when_asked(EF)
        qtbot.mouseClick(dialog.ack_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: all(a.state == "acknowledged" for a in window.status.alerts), timeout=15_000)
        assert [r.actor for r in acked(reaction, part.id)[1]] == ["EF"]
        assert acked(reaction, part.id)[0].ack_comment == f"acknowledged with alert {c1.id}"
    finally:
        window.shutdown()


def test_escalation_is_shown_and_high_alerts_sound_by_default(qtbot, reaction) -> None:
    clock = {"now": REACTION}
    window = window_for(qtbot, reaction, clock)
    try:
        qtbot.waitUntil(lambda: window.cues >= 1, timeout=15_000)  # High: sounds without being asked
        assert not window.sound_button.isChecked() and window.mute_button.isVisible()
        assert window.player.requests[0] == HIGH  # the High alert's sound, not the X bell alone
        assert "ESCALATED" not in window.banner.text()
        # Five minutes later nobody has acknowledged it: the engine escalates it, the screen says so.
        later = REACTION + 6 * 60
        assert AlertingService(reaction, RULES).escalate_due(later) >= 1
        clock["now"] = later
        qtbot.waitUntil(
            lambda: "ESCALATED: not acknowledged for 5 min" in window.banner.text(), timeout=15_000
        )
        (c1,) = [a for a in window.status.alerts if a.folded_into is None]
        assert c1.escalated
        dialog = open_list(qtbot, window)
        assert dialog.table.item(dialog.row_of(c1.id), 5).text() == "ESCALATED: not acknowledged for 5 min"
        # The unacknowledged High alerts grouped under it are shown escalated with it; the others not.
        members = [a for a in window.status.alerts if a.folded_into == c1.id]
        high = [a for a in members if a.severity == "high" and a.state == "raised"]
        assert high and all(
            dialog.table.item(dialog.row_of(a.id), 5).text() == f"ESCALATED with {c1.rule_id}" for a in high
        )
        assert all(
            dialog.table.item(dialog.row_of(a.id), 5).text() == "" for a in members if a.severity != "high"
        )
        assert window.notice_label.text() == SECONDARY_NOTICE  # still a secondary alarm system
    finally:
        window.shutdown()


def test_closing_with_an_unacknowledged_high_alert_asks_first(qtbot, reaction) -> None:
    clock = {"now": REACTION}
    window = window_for(qtbot, reaction, clock)
    window.confirm_close = True  # as the app sets it for the person's own close
    try:
        qtbot.waitUntil(lambda: window.cues >= 1, timeout=15_000)
        said: list[str] = []
        press_in_next_box("Cancel", said)
        assert not window.close() and window.isVisible()
        # One problem (its folded alerts with it); "(s)" is resolved by the app's English plurals.
        assert len(said) == 1 and said[0].startswith("1 High or escalated alert")
        assert said[0].endswith(
            "not acknowledged. Once closed, Bedside no longer shows or sounds any alert; the monitor and "
            "the pump keep their own alarms."
        )
        press_in_next_box("Close anyway", said)
        assert window.close() and not window.isVisible()
    finally:
        window.confirm_close = False  # the test's own teardown closes it without asking
        window.shutdown()


# Told there is an audio output, on a test machine that has none, Qt Multimedia says it cannot play.
@pytest.mark.qt_log_ignore("PulseAudioService", "QSoundEffect: playback")
@pytest.mark.parametrize("audio", [False, True])
def test_the_screen_says_when_it_cannot_sound(qtbot, reaction, audio: bool) -> None:
    clock = {"now": REACTION}
    window = window_for(qtbot, reaction, clock, audio=audio)
    try:
        qtbot.waitUntil(lambda: window.refreshes >= 1, timeout=15_000)
        assert window.sound_note.isVisible() is not audio
        if not audio:
            assert window.sound_note.text().startswith("Sound unavailable: this computer has no audio output")
    finally:
        window.shutdown()


def test_a_mute_is_logged_and_expires_after_two_minutes(qtbot, reaction) -> None:
    clock = {"now": REACTION}
    window = window_for(qtbot, reaction, clock, LUIS)
    try:
        qtbot.waitUntil(lambda: window.cues >= 1 and window.mute_button.isVisible(), timeout=15_000)
        c1 = next(a for a in window.status.alerts if a.folded_into is None)

        def mute(dialog) -> None:  # type: ignore[no-untyped-def]
            assert (
                "the bedside monitor and the infusion pump keep the primary alarms"
                in dialog.findChild(type(window.banner)).text()
            )
            dialog.reason.setText("at the bedside, infusion stopped")

        answer_dialog(mute)
        qtbot.mouseClick(window.mute_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.last_action is not None and window.last_action[0] == "Mute", timeout=15_000
        )
        # The button names the person (printed name); the log keeps the account.
        assert (
            window.mute_button.text().startswith("Muted until")
            and "(Luis Ortega)" in window.mute_button.text()
        )
        with reaction.connect() as conn:
            entry = conn.execute(select(t.safety_log).where(t.safety_log.c.kind == "alerts.muted")).one()
        payload = json.loads(entry.payload)
        assert entry.actor == "luis" and entry.at_ms == int(REACTION * 1000)
        assert payload["until"] == REACTION + 120 and payload["minutes"] == 2
        assert c1.id in payload["alerts"] and payload["reason"] == "at the bedside, infusion stopped"
        # Muted: past the 30 s repeat, still silent.
        cues, played = window.cues, len(window.player.requests)
        clock["now"] = REACTION + 90
        refreshes = window.refreshes
        qtbot.waitUntil(lambda: window.refreshes >= refreshes + 3, timeout=15_000)
        assert window.cues == cues and len(window.player.requests) == played
        # Two minutes after it began, the mute is over and the unacknowledged alert sounds again.
        clock["now"] = REACTION + 121
        qtbot.waitUntil(lambda: window.cues > cues, timeout=15_000)
        assert window.mute_button.text() == "Mute 2 min…"
        assert window.player.requests[played:] == [HIGH]
    finally:
        window.shutdown()


def test_sign_check_preselects_the_check_due_now(qtbot, two_problems) -> None:
    clock = {"now": DOSE + 53 * 60}
    window = window_for(qtbot, two_problems, clock, CD)
    try:
        qtbot.waitUntil(
            lambda: window.check_due is not None and window.sign_button.isEnabled(), timeout=15_000
        )
        chosen: list[str] = []
        assert window.check_due == "during+45"  # overdue; the +60 one is not open yet
        answer_dialog(lambda d: chosen.append(d.check.currentData()), accept=False)
        qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(chosen), timeout=5_000)
        assert chosen == ["during+45"]
        # 55 min into the dose: the +60 min check is due now; never the pre-dose baseline.
        clock["now"] = DOSE + 55 * 60
        qtbot.waitUntil(lambda: window.check_due == "during+60", timeout=15_000)
        answer_dialog(lambda d: chosen.append(d.check.currentData()), accept=False)
        qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(chosen) == 2, timeout=5_000)
        assert chosen[1] == "during+60"
    finally:
        window.shutdown()


def test_the_check_signed_after_a_high_alert_is_named_once_without_its_state(qtbot, reaction) -> None:  # type: ignore[no-untyped-def]
    # The list shows the check's state beside its name ("late"); what is signed is the check itself,
    # and "check" is said once.
    clock = {"now": REACTION + 20 * 60}
    window = window_for(qtbot, reaction, clock, CD)
    signing: list[str] = []
    window._sign = lambda action, what: signing.append(what)  # type: ignore[method-assign]
    try:
        qtbot.waitUntil(lambda: window.sign_button.isEnabled(), timeout=15_000)
        shown: list[str] = []

        def choose_the_alerts_check(dialog) -> None:  # type: ignore[no-untyped-def]
            i = next(
                i for i in range(dialog.check.count()) if str(dialog.check.itemData(i)).startswith("alert")
            )
            dialog.check.setCurrentIndex(i)
            shown.append(dialog.check.currentText())

        answer_dialog(choose_the_alerts_check)
        qtbot.mouseClick(window.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(signing), timeout=5_000)
        assert "(" in shown[0]  # the list says the check's state
        assert signing == ["the check after a HIGH alert of dose 1"]
    finally:
        window.shutdown()
