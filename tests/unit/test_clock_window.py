"""The clock window (which times are believed) and the minute-close rule's guard against a clock
far ahead: a value in year 9999 must not hold a bed's newest minute."""

from __future__ import annotations

import math

import pytest
from bedside_adapters.alerting.notices import Bed, MinuteCloses

from bedside.clock_window import DAY, ClockWindow

NOW = 1_796_000_000.0
Y9999 = 253_402_300_799.0  # 9999-12-31 23:59:59 UTC
Y1800 = -5_364_662_400.0  # 1800-01-01 00:00:00 UTC


def test_the_default_window_is_a_day_ahead_and_a_year_behind() -> None:
    w = ClockWindow()
    assert w.fault([("MSH-7", NOW + DAY)], NOW) is None
    assert w.fault([("MSH-7", NOW - 365 * DAY)], NOW) is None
    assert w.fault([("MSH-7", NOW + DAY + 1)], NOW) == (
        "clock fault: MSH-7 2026-12-01 00:53:21 UTC is 24.0 h ahead of the receive time 2026-11-30 00:53:20 UTC"
    )
    assert "365 days behind" in (w.fault([("OBX-14", NOW - 365 * DAY - 1)], NOW) or "")


def test_the_first_time_outside_is_named() -> None:
    why = ClockWindow().fault([("MSH-7", NOW), ("OBX-14", Y1800), ("OBX-14", Y9999)], NOW)
    assert why is not None and why.startswith(
        "clock fault: OBX-14 1800-01-01 00:00:00 UTC is 82,878 days behind"
    )


def test_an_unlimited_side_and_a_window_that_is_not_one() -> None:
    assert ClockWindow(ahead=math.inf).fault([("MSH-7", Y9999)], NOW) is None
    assert ClockWindow(ahead=math.inf).fault([("MSH-7", Y1800)], NOW) is not None
    for ahead, behind in ((0.0, DAY), (DAY, -1.0), (math.nan, DAY)):
        with pytest.raises(ValueError, match="positive"):
            ClockWindow(ahead, behind)


def test_a_value_in_year_9999_does_not_stop_a_beds_minutes_from_closing() -> None:
    minutes = MinuteCloses()
    assert not minutes.closes(Bed("ICU^07^1"), Y9999, NOW)  # never the bed's newest minute
    assert minutes.closes(Bed("ICU^07^1"), NOW, NOW)  # the bed's minutes close on time
    assert not minutes.closes(Bed("ICU^07^1"), NOW + 5, NOW + 5)
    assert minutes.closes(Bed("ICU^07^1"), NOW + 60, NOW + 60)
    assert minutes.closes(Bed("ICU^07^1"), NOW + 3600, NOW + 60)  # an hour ahead still closes one
