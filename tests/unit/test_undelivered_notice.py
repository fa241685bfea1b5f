"""The notice that alerts did not reach the alarm manager: plain, counted, and modest (Bedside is a
secondary alarm system)."""

from __future__ import annotations

import time
from dataclasses import replace

from bedside import nurse_screen as screen
from bedside.status import EMPTY_STATUS


def test_no_notice_while_every_alert_was_delivered() -> None:
    now = time.time()
    status = replace(EMPTY_STATUS, beat=now)
    assert screen.technical_warnings([], status, None, now) == []


def test_undelivered_alerts_are_counted_and_timed_with_the_primary_alarms_named() -> None:
    now = time.time()
    (one,) = screen.technical_warnings([], replace(EMPTY_STATUS, beat=now, undelivered=1), None, now)
    assert one.startswith("■ 1 Bedside alert could not be delivered to the alarm manager")
    assert "own alarms are not affected" in one
    (three,) = screen.technical_warnings(
        [], replace(EMPTY_STATUS, beat=now, undelivered=3, undelivered_at=now), None, now
    )
    assert three.startswith("■ 3 Bedside alerts (latest ") and time.strftime("%H:%M") in three
