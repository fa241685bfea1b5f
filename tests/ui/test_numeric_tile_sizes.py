"""The blood pressure's value (three numbers, sys/dia (mean)) is drawn as large as its tile allows,
not a third of the size of the other values beside a baseline as long as itself; nothing clipped."""

from __future__ import annotations

import pytest
from bedside_ui.numerics_panel import NumericsPanel

from bedside.numerics import NUMERICS, NumericReading

VALUES = {"hr": 112.0, "spo2": 91.0, "abp_sys": 114.0, "temp": 38.4, "rr": 28.0, "fio2": 60.0}


def reading(key: str) -> NumericReading:
    spec = next(s for s in NUMERICS if s.key == key)
    value = VALUES.get(key, 30.0)
    bp = key == "abp_sys"
    return NumericReading(
        spec, value, 0.0, 5.0, False, key, value - 11.0, "", None,
        (62.0, 79.0) if bp else (), (58.0, 76.0) if bp else (),
    )  # fmt: skip


@pytest.mark.parametrize("size", [(210, 480), (300, 900)])
def test_the_blood_pressure_value_is_as_large_as_its_tile_allows(qtbot, size: tuple[int, int]) -> None:
    """The panel's size at 1366x768 and at 1920x1080."""
    panel = NumericsPanel()
    qtbot.addWidget(panel)
    panel.show_readings([reading(s.key) for s in NUMERICS])
    panel.resize(*size)
    panel.show()
    bp, hr = panel.tiles["abp_sys"], panel.tiles["hr"]
    qtbot.waitUntil(lambda: bp.value.width() > 0 and hr.value.font().pixelSize() > 0)
    assert bp.value.text() == "114/62 (79)" and bp.base.text() == "base 103/58 (76)  +11"
    bp_px, hr_px = bp.value.font().pixelSize(), hr.value.font().pixelSize()
    assert bp_px >= 0.4 * hr_px and bp_px >= 19, (bp_px, hr_px)
    for label in (bp.value, bp.base, bp.name):
        assert label.minimumSizeHint().width() <= label.width(), label.text()
