"""A cohort plot without any result says so in words, never a bare 0-1 axis read as values."""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui import review_plots
from bedside_ui.theme import DARK


def test_each_cohort_plot_without_results_says_so(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    plots = review_plots.draw_cohort(view.ci, [], DARK)
    assert set(plots) == {"crp", "pf", "lymphocytes"}
    for key, item in plots.items():
        notes = [i.toPlainText() for i in item.items if isinstance(i, pg.TextItem)]
        assert notes == ["no results in this window"], (key, notes)
        assert not item.getAxis("left").style["showValues"]
