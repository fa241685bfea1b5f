"""The local time zone as the screens and the report write it: UTC alone, not "UTC (UTC+0000)"."""

from __future__ import annotations

import time

import pytest

from bedside.nurse_screen import time_zone


@pytest.fixture
def zone(monkeypatch):  # type: ignore[no-untyped-def]
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("tz", "shown"),
    [("UTC", "UTC"), ("Etc/UTC", "UTC"), ("Etc/GMT-3", "UTC+0300"), ("America/Bogota", "UTC-0500")],
)
def test_a_zone_is_written_once(zone, tz: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    zone(tz)
    assert time_zone() == shown


def test_a_named_zone_keeps_its_name_and_offset(zone) -> None:  # type: ignore[no-untyped-def]
    zone("Europe/Madrid")
    assert time_zone() in ("CET (UTC+0100)", "CEST (UTC+0200)")
