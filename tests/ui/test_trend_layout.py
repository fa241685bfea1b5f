"""The stacked plots at the screen sizes the ward uses: no tick label drawn over the next plot's, and
no title over a value, in English and in Spanish (the language set before the window is built)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from bedside_ui.plot_frame import label_rects
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QPainter

from tests.ui.test_layout import language  # noqa: F401  (the fixture: each test in both languages)
from tests.ui.test_trend_values import course_window, store_course


@pytest.mark.usefixtures("language")
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_tick_labels_and_titles_keep_to_their_own_plot(qtbot, sqlite_engine, size) -> None:
    store_course(sqlite_engine)
    window = course_window(qtbot, sqlite_engine)
    try:
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.refreshes >= 2, timeout=15_000)
        trends = window.trends
        image = QImage(8, 8, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            labels = [label_rects(item.getAxis("left"), painter) for item in trends.items]
        finally:
            painter.end()
        assert all(labels), "every plot has tick labels"
        for own, item in zip(labels, trends.items, strict=True):  # none over another of its own axis
            for i, a in enumerate(own):
                for b in own[i + 1 :]:
                    assert not a.intersects(b), f"{item.getAxis('left').labelText}: {a} over {b}"
        for upper, lower, item in zip(labels, labels[1:], trends.items, strict=False):
            for a in upper:
                for b in lower:
                    assert not a.intersects(b), f"{item.getAxis('left').labelText}: {a} over {b}"
        # Each title sits above every value its plot can draw (the range and the values in view).
        for plot in trends.all_plots():
            vb = plot.item.getViewBox()
            title = plot.title_item.mapRectToScene(plot.title_item.boundingRect())
            assert plot.title_item.toPlainText()
            hi = plot.frame.wanted[1]
            curves = getattr(plot, "curves", {}).values()
            for c in curves:
                if c.yData is not None and np.isfinite(c.yData).any():
                    hi = max(hi, float(np.nanmax(c.yData)))
            top_value = vb.mapViewToScene(QPointF(vb.viewRange()[0][0], hi)).y()
            assert title.bottom() <= top_value, f"{plot.title_item.toPlainText()} covers values"
            assert title.top() >= vb.mapRectToScene(vb.boundingRect()).top() - 0.5
    finally:
        window.shutdown()


@pytest.mark.parametrize("height", [34, 45, 60, 90])
def test_a_short_plots_tick_labels_never_overlap(qtbot, height) -> None:  # type: ignore[no-untyped-def]
    import pyqtgraph as pg
    from bedside_ui.plot_frame import StackAxis

    # A plot a few lines tall, as the P/F plot is at 1366x768 under a long alert.
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    item = view.addPlot(axisItems={"left": StackAxis("left")})
    item.setYRange(0, 800, padding=0)
    view.resize(600, height + 30)
    view.show()
    qtbot.waitExposed(view)
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        rects = label_rects(item.getAxis("left"), painter)
    finally:
        painter.end()
    assert rects, "at least one value on the axis"
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b), f"{a} over {b} at {height} px"


@pytest.mark.parametrize("height", [300, 360, 480])
def test_the_time_axis_and_every_plot_stay_in_view_when_the_stack_is_short(qtbot, height) -> None:  # type: ignore[no-untyped-def]
    # A 1366x768 screen under a window manager with a two-line alert title leaves the stack ~300 px.
    from bedside_ui.trends import TrendPanel

    from bedside.parameters import ParameterCatalog

    panel = TrendPanel(ParameterCatalog.load())
    qtbot.addWidget(panel)
    panel.resize(1100, height + 40)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.view.viewport().height() > 0, timeout=5_000)
    view = panel.view
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    axis = panel.items[-1].getAxis("bottom")
    assert axis.isVisible()
    rect = axis.sceneBoundingRect()
    assert seen.top() - 0.5 <= rect.top() and rect.bottom() <= seen.bottom() + 0.5, (rect, seen)
    for item in panel.items:
        box = item.getViewBox().sceneBoundingRect()
        assert box.height() > 0 and seen.top() - 0.5 <= box.top() and box.bottom() <= seen.bottom() + 0.5


@pytest.fixture
def shown_panel(qtbot):  # type: ignore[no-untyped-def]
    """The trend stack alone, shown at a laptop's size."""
    from bedside_ui.trends import TrendPanel

    from bedside.parameters import ParameterCatalog

    panel = TrendPanel(ParameterCatalog.load())
    qtbot.addWidget(panel)
    panel.resize(1300, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_stacks_shown_axes_follow_a_pan_and_its_hidden_parts_take_no_part(shown_panel) -> None:  # type: ignore[no-untyped-def]
    panel = shown_panel
    panel.set_x_range(1_796_000_000.0, 1_796_003_600.0)
    panel.view.viewport().repaint()
    time_axis = panel.items[-1].getAxis("bottom")
    before = list(time_axis.range)
    panel.set_x_range(1_796_000_360.0, 1_796_003_960.0)
    panel.view.viewport().repaint()
    assert list(time_axis.range) != before and time_axis.range[0] == pytest.approx(1_796_000_360.0)
    for item in panel.items:
        assert item.getAxis("left").linkedView() is item.getViewBox()  # the shown axes follow
        for name in ("top", "right", *(("bottom",) if item is not panel.items[-1] else ())):
            axis = item.getAxis(name)
            assert not axis.isVisible() and axis.linkedView() is None, name
        assert not item.getViewBox().background.isVisible()
    painted = [
        i
        for i in panel.view.scene().items()
        if i.isVisible()
        and type(i).__name__ == "QGraphicsRectItem"
        and i.pen().style().name == "NoPen"
        and i.brush().style().name == "NoBrush"
    ]
    assert painted == []  # no empty rectangle is visited on every frame


def test_a_kept_title_and_value_axis_are_drawn_again_when_they_change(shown_panel) -> None:  # type: ignore[no-untyped-def]
    # The titles and value axes are kept as pixmaps between frames: what is shown must still follow
    # a new value in the title and a new range on the axis.
    panel = shown_panel
    plot = panel.plots[0]
    view = panel.view

    def pixels(item) -> QImage:  # type: ignore[no-untyped-def]
        rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        view.viewport().repaint()
        return view.viewport().grab(rect).toImage()

    plot.frame.set_html('<span style="color:#ffffff">Heart rate <b>72</b> /min</span>')
    title_before = pixels(plot.frame.title)
    plot.frame.set_html('<span style="color:#ffffff">Heart rate <b>138</b> /min</span>')
    assert pixels(plot.frame.title) != title_before
    axis = plot.item.getAxis("left")
    plot.frame.set_range(0.0, 50.0)
    axis_before = pixels(axis)
    plot.frame.set_range(100.0, 250.0)
    assert pixels(axis) != axis_before


def test_a_long_view_note_never_widens_the_stack(qtbot, shown_panel) -> None:  # type: ignore[no-untyped-def]
    # "vista reducida ×3 (mín/máx por píxel)" beside the presets widened the window past 1366 px.
    panel = shown_panel
    least = panel.minimumSizeHint().width()
    note = "view downsampled ×3 (min/max per pixel) " * 20
    panel.view_label.set_note(note)
    qtbot.waitUntil(lambda: panel.view_label.text() != "")
    assert panel.minimumSizeHint().width() == least
    assert panel.view_label.toolTip() == note  # the whole note on hovering
    assert panel.view_label.text().endswith("…") and len(panel.view_label.text()) < len(note)


def test_a_doses_name_is_drawn_above_the_alert_marks_on_the_plots_background(shown_panel) -> None:  # type: ignore[no-untyped-def]
    from bedside.status import DoseInfo

    panel = shown_panel
    start = 1_796_000_000.0
    panel.set_x_range(start - 600.0, start + 3000.0)
    panel.show_doses((DoseInfo(7, 1, start, None, "confirmed", "manual", "AT-MSC", 1e6),), start + 1800.0)
    (label,) = [i for i in panel.plots[0].dose_items if isinstance(i, pg.TextItem)]
    assert label.zValue() > panel.alert_marks.scatter.zValue()
    assert label.fill.style() != Qt.BrushStyle.NoBrush and label.fill.color().alpha() > 200
