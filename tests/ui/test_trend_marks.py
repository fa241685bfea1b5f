"""Alert markers on the trends show the most severe alert they stand for, at every zoom: its severity's
colour, technical or not, and a diamond rather than a triangle for a technical alert."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui.alert_marks import CLINICAL_SYMBOL, TECHNICAL_SYMBOL
from bedside_ui.theme import SEVERITY_COLOUR
from bedside_ui.trends import HOUR, TrendPanel

from bedside.alerts import Alert
from bedside.parameters import ParameterCatalog
from tests.helpers import shown_alert

NOW = 1_790_000_000.0
T = NOW - 2 * HOUR
RED, YELLOW, GREY = SEVERITY_COLOUR["high"], SEVERITY_COLOUR["medium"], SEVERITY_COLOUR["low"]


def alert(i: int, rule: str, severity: str, at: float) -> Alert:
    return shown_alert(i, 1, rule, f"rule {rule}", severity, "open", at, "")


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


def triangles(panel: TrendPanel) -> list[tuple[float, str, str, str]]:
    """Every marker on the top plot, in drawing order: time, colour, tooltip text, symbol."""
    out = []
    for item in panel.plots[0].item.items:
        if isinstance(item, pg.ScatterPlotItem):
            for spot in item.points():
                out.append((spot.pos().x(), spot.brush().color().name(), str(spot.data()), spot.symbol()))
    return out


def near(
    marks: list[tuple[float, str, str, str]], at: float, within: float
) -> list[tuple[float, str, str, str]]:
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
    assert [m[1] for m in cluster] == [RED] and cluster[0][3] == CLINICAL_SYMBOL
    assert all(rule in cluster[0][2] for rule in ("B1", "O3", "V1", "STALE", "H2"))
    assert cluster[0][2].startswith("HIGH")
    # A technical Medium alert alone: yellow as the banner shows Medium, a diamond as it is technical.
    assert [(m[1], m[3]) for m in near(marks, T - 3 * HOUR, 600)] == [(YELLOW, TECHNICAL_SYMBOL)]
    assert [m[1] for m in near(marks, T - 1.5 * HOUR, 600)] == [YELLOW]  # medium over low

    # Zoomed in to 30 min, the alerts stand apart, each in its own colour.
    panel.set_x_range(T - 10 * 60, T + 20 * 60)
    marks = triangles(panel)
    apart = near(marks, T + 150, 600)
    assert sorted((m[1], m[3]) for m in apart) == sorted(
        [(RED, CLINICAL_SYMBOL)] * 3 + [(YELLOW, TECHNICAL_SYMBOL), (GREY, CLINICAL_SYMBOL)]
    )


def _label_rects(panel: TrendPanel, labels: list[pg.TextItem]) -> list:
    """Each label's text as the screen shows it (the view's and the labels' transforms brought up to
    date, as a paint would)."""
    panel.plots[0].item.getViewBox().updateMatrix()
    for label in labels:
        label.updateTransform(force=True)
    return [label.textItem.mapRectToScene(label.textItem.boundingRect()) for label in labels]


def test_dose_labels_never_overlap_and_are_never_cut_at_any_zoom(qtbot) -> None:
    from bedside.status import DoseInfo

    panel = TrendPanel(ParameterCatalog.load())
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    # Three doses 40 min apart, the last one started 5 min ago and still running.
    starts = [NOW - 85 * 60, NOW - 45 * 60, NOW - 5 * 60]
    doses = tuple(
        DoseInfo(i, i, at, None if i == 3 else at + 1800, "confirmed", "manual", "AT-MSC", 2.5e6)
        for i, at in enumerate(starts, start=1)
    )
    panel.show_doses(doses, NOW)
    labels = [i for i in panel.plots[0].dose_items if isinstance(i, pg.TextItem)]
    assert len(labels) == 3
    view = panel.plots[0].item.getViewBox()
    for span in (30 * 60, 2 * HOUR, 6 * HOUR, 24 * HOUR, 7 * 24 * HOUR):
        panel.set_x_range(NOW - span, NOW)
        rects = _label_rects(panel, labels)
        plot = view.sceneBoundingRect()
        for a, rect in enumerate(rects):
            if doses[a].start >= NOW - span or doses[a].end is None or doses[a].end > NOW - span:
                # Shown: whole, inside the plot.
                assert plot.left() - 0.5 <= rect.left() and rect.right() <= plot.right() + 0.5, (span, a)
            for b in range(a + 1, 3):
                assert not rects[a].intersects(rects[b]), (span, a, b)
    # Zoomed in so that the first two stand apart: one line.
    panel.set_x_range(NOW - 100 * 60, NOW - 20 * 60)
    rects = _label_rects(panel, labels)
    assert round(rects[0].bottom()) == round(rects[1].bottom())


def test_the_pf_plot_titles_its_newest_ratio_whole(qtbot) -> None:
    from bedside_ui.marker_plot import MarkerPlot
    from bedside_ui.theme import DARK

    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    pf = MarkerPlot(view.addPlot(), "P/F ratio", "mm[Hg]", (0.0, 500.0), DARK)
    # PaO2 67 on FiO2 0.6: 111.666... is read as 112, as the tables and the report write it.
    pf.show([NOW], [67 / 0.6], "P/F ratio", "mm[Hg]", (0.0, 500.0), None, "", parameter="pf")
    text = pf.title_item.toPlainText()
    assert "112 mmHg" in text and "111.6" not in text
    lab = MarkerPlot(view.addPlot(), "Lab", "mg/L", (0.0, 300.0), DARK)
    lab.show([NOW], [161.7], "CRP", "mg/L", (0.0, 300.0), None, "", parameter="crp")
    assert "161.7 mg/L" in lab.title_item.toPlainText()  # a lab result keeps its reported digits
