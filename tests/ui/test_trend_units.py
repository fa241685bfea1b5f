"""Every trend plot keeps its unit along its axis when the stack is short (eight plots under a banner
and notices on a 1366x768 screen), the longest units (mmHg, cmH₂O) included."""

from __future__ import annotations

from bedside_ui.trends import TrendPanel

from bedside.parameters import ParameterCatalog


def test_each_unit_fits_along_a_short_plot(qtbot) -> None:
    panel = TrendPanel(ParameterCatalog.load())
    qtbot.addWidget(panel)
    panel.resize(1100, 420)  # the stack's size at 1366x768 under a two-line banner
    panel.show()
    qtbot.waitExposed(panel)
    units = []
    for plot in panel.plots:
        axis = plot.item.getAxis("left")
        if not axis.labelText:
            continue
        height = plot.item.getViewBox().height()
        assert height < 60  # short plots: what this test is about
        qtbot.waitUntil(axis.label.isVisible, timeout=5_000)
        assert axis.label.boundingRect().width() <= height, axis.labelText
        units.append(axis.labelText)
    assert {"mmHg", "cmH₂O"} <= set(units)
