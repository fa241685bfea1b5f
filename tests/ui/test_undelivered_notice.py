"""The nurse's screen says when alerts could not be delivered to the alarm manager (dead letters in
the database, written by the outbound forwarder)."""

from __future__ import annotations

import time

from bedside_adapters.db.dead_letters import DeadLetter, SqlDeadLetters

from bedside.model import PatientRef
from tests.ui.test_nurse_screen import window_for


def test_the_screen_shows_alerts_the_alarm_manager_never_acknowledged(qtbot, sqlite_engine) -> None:
    now = time.time()
    letter = DeadLetter(
        "BSA1",
        7,
        PatientRef("SIM9001", "BEDSIDE_DEMO"),
        "start",
        "127.0.0.1:1",
        8,
        "refused (AR)",
        now - 60,
        now - 5,
        "MSH|",
    )
    SqlDeadLetters(sqlite_engine).add(letter)
    SqlDeadLetters(sqlite_engine).add(letter)
    window = window_for(qtbot, sqlite_engine, now)
    try:
        qtbot.waitUntil(lambda: "alarm manager" in window.technical.text(), timeout=15_000)
        assert window.technical.isVisible()
        assert "2 Bedside alerts" in window.technical.text()
    finally:
        window.shutdown()


def test_a_day_old_dead_letter_is_no_longer_shown(qtbot, sqlite_engine) -> None:
    now = time.time()
    old = DeadLetter(
        "BSA1", 7, PatientRef("P", "A"), "start", "h:1", 8, "no reply", now - 90_000, now - 87_000, "MSH|"
    )
    SqlDeadLetters(sqlite_engine).add(old)
    window = window_for(qtbot, sqlite_engine, now)
    try:
        qtbot.waitUntil(lambda: window.refreshes >= 2, timeout=15_000)
        assert "alarm manager" not in window.technical.text()
    finally:
        window.shutdown()
