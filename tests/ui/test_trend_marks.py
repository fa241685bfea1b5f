"""Alert triangles on the trends show the most severe alert they stand for, at every zoom."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui.alert_marks import TECHNICAL_COLOUR
from bedside_ui.theme import SEVERITY_COLOUR
from bedside_ui.trends import HOUR, TrendPanel

from bedside.parameters import ParameterCatalog
from bedside.status import AlertInfo

NOW = 1_790_000_000.0
T = NOW - 2 * HOUR
RED, YELLOW, GREY = SEVERITY_COLOUR["high"], SEVERITY_COLOUR["medium"], SEVERITY_COLOUR["low"]


def alert(i: int, rule: str, severity: str, at: float) -> AlertInfo:
    return AlertInfo(i, 1, rule, f"rule {rule}", severity, "open", at, "")


ALERTS = [  # as the window passes them: open alerts most severe first
    alert(1, "B1", "high", T),
    alert(2, "O3", "high", T + 120),
    alert(3, "V1", "high", T + 300),
    alert(4, "STALE", "medium", T + 240),
    alert(5, "H2", "low", T + 200),
    alert(6, "TECH_SPO2", "medium", T - 3 * HOUR),
    alert(7, "R2", "medium", T - 1.5 * HOUR),
    alert(8, "R4", "low", T - 1.5 * HOUR + 60),
]


def triangles(panel: TrendPanel) -> list[tuple[float, str, str]]:
    """Every triangle on the top plot, in drawing order: time, colour, tooltip text."""
    out = []
    for item in panel.plots[0].item.items:
        if isinstance(item, pg.ScatterPlotItem):
            for spot in item.points():
                out.append((spot.pos().x(), spot.brush().color().name(), str(spot.data())))
    return out


def near(marks: list[tuple[float, str, str]], at: float, within: float) -> list[tuple[float, str, str]]:
    return [m for m in marks if abs(m[0] - at) <= within]


def test_a_triangle_has_the_colour_of_its_most_severe_alert(qtbot) -> None:
    panel = TrendPanel(ParameterCatalog.load())
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_x_range(NOW - 6 * HOUR, NOW)
    panel.show_alerts(ALERTS)
    marks = triangles(panel)
    # At 6 h a triangle is ~5 min wide: the reaction's five alerts are one red triangle naming all.
    cluster = near(marks, T + 150, 600)
    assert [m[1] for m in cluster] == [RED]
    assert all(rule in cluster[0][2] for rule in ("B1", "O3", "V1", "STALE", "H2"))
    assert cluster[0][2].startswith("HIGH")
    assert [m[1] for m in near(marks, T - 3 * HOUR, 600)] == [TECHNICAL_COLOUR]  # technical alone: cyan
    assert [m[1] for m in near(marks, T - 1.5 * HOUR, 600)] == [YELLOW]  # medium over low

    # Zoomed in to 30 min, the alerts stand apart, each in its own colour.
    panel.set_x_range(T - 10 * 60, T + 20 * 60)
    marks = triangles(panel)
    assert sorted(m[1] for m in near(marks, T + 150, 600)) == sorted([RED, RED, RED, TECHNICAL_COLOUR, GREY])
