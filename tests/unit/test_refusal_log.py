"""Refusals are logged once per address per window, then summed up."""

from __future__ import annotations

import logging

from bedside_adapters.mllp.refusals import RefusalLog


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "refusal-test"]


def test_one_line_per_address_per_window_then_a_summary(caplog) -> None:
    clock = FakeClock()
    refusals = RefusalLog(logging.getLogger("refusal-test"), clock, window=60.0)
    caplog.set_level(logging.WARNING, "refusal-test")
    logged = [refusals.refused("10.0.0.9", "per-address limit") for _ in range(300)]
    assert logged == [True] + [False] * 299
    assert refusals.refused("10.0.0.7", "not in the allow-list")  # another address: its own line
    clock.now = 30.0
    refusals.tick()  # the window has not passed: nothing yet
    assert len(lines(caplog)) == 2
    clock.now = 60.0
    refusals.tick()
    got = lines(caplog)
    assert len(got) == 3
    assert "refused 299 more connections from 10.0.0.9" in got[2]
    assert "299 per-address limit" in got[2]
    refusals.tick()  # nothing more held: no line
    clock.now = 200.0
    refusals.tick()  # quiet for a window: forgotten, so the next refusal is logged at once
    assert refusals.refused("10.0.0.9", "per-address limit")
    assert len(lines(caplog)) == 4


def test_held_refusals_are_logged_when_the_listener_stops(caplog) -> None:
    refusals = RefusalLog(logging.getLogger("refusal-test"), FakeClock())
    caplog.set_level(logging.WARNING, "refusal-test")
    for _ in range(3):
        refusals.refused("10.0.0.9", "connection limit reached")
    refusals.flush()
    assert "refused 2 more connections from 10.0.0.9" in lines(caplog)[-1]
