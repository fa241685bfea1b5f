"""A plot's unit along its left axis never runs into the next plot's."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui.plot_frame import TitledPlot


def test_the_unit_is_shown_only_where_the_plot_is_tall_enough(qtbot) -> None:
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    item = view.addPlot()
    frame = TitledPlot(item)
    item.setLabel("left", "cmH₂O")
    axis = item.getAxis("left")
    view.resize(400, 300)
    view.show()
    qtbot.waitUntil(lambda: item.getViewBox().height() > 200)
    frame.fit()
    assert axis.label.isVisible()
    need = axis.label.boundingRect().width()
    view.resize(400, int(need * 0.6))  # shorter than the unit written along it
    qtbot.waitUntil(lambda: item.getViewBox().height() < need)
    frame.fit()
    assert not axis.label.isVisible()
    view.resize(400, 300)
    qtbot.waitUntil(lambda: item.getViewBox().height() > 200)
    frame.fit()
    assert axis.label.isVisible()
