"""Every trend plot keeps its unit along its axis when the stack is short (eight plots under a banner
and notices on a 1366x768 screen), the longest units (mmHg, cmH₂O) included."""

from __future__ import annotations

from bedside_ui.trends import TrendPanel
from PySide6.QtGui import QImage, QPainter

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


def test_every_plot_shows_its_unit_and_two_numbers_at_1366x768(qtbot) -> None:
    """The P/F and lab plots too, with no value in view and with one; a scale needs two numbers to
    be read (SpO2 had "90" alone, CRP "200" alone, the P/F plot no unit)."""
    panel = TrendPanel(ParameterCatalog.load())
    qtbot.addWidget(panel)
    panel.resize(1100, 420)  # the stack's size at 1366x768 under a two-line banner
    panel.show()
    qtbot.waitExposed(panel)
    crp = ([1.0, 2.0], [120.0, 164.3], "CRP", "mg/L", (0.0, 189.0), (0.0, 5.0), "")
    for values in ((), crp):
        if values:
            panel.lab_plot.show(*values, parameter="crp")
        image = QImage(8, 8, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            for item in panel.items:
                axis = item.getAxis("left")
                assert axis.labelText, "a plot without a unit"
                qtbot.waitUntil(axis.label.isVisible, timeout=5_000)
                numbers = [text for _rect, _flags, text in axis.generateDrawSpecs(painter)[2]]
                assert len(numbers) >= 2, (axis.labelText, numbers)
        finally:
            painter.end()
