"""One plot of the trend stack for values that arrive a few times a day (P/F ratios, one lab analyte):
markers joined by a thin dotted line, with the reference band behind them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from bedside_ui.plot_frame import TitledPlot
from bedside_ui.plot_rules import add_rules
from bedside_ui.theme import Theme
from PySide6.QtCore import QCoreApplication, Qt

from bedside.units import display_unit, format_value

UNIT_STYLE = {"font-size": "8pt"}
"""The unit along the left axis, as the trend plots write theirs."""


class MarkerPlot:
    """P/F ratios or one lab analyte: values as markers joined thinly, with a reference band."""

    def __init__(
        self, item: pg.PlotItem, title: str, unit: str, y_range: tuple[float, float], theme: Theme
    ) -> None:
        self.item = item
        self.theme = theme
        self.title = title
        self.unit = unit
        item = self.item
        item.disableAutoRange()
        self.frame = TitledPlot(item)
        self.frame.set_range(*_padded(y_range))
        item.setMouseEnabled(x=True, y=False)
        # As small as the other plots' units, without the label's own margin: at the axis's default
        # size no unit fitted along a plot as short as these are at 1366x768, and none was shown.
        item.setLabel("left", display_unit(unit), **UNIT_STYLE)
        item.getAxis("left").label.document().setDocumentMargin(0)
        item.getAxis("left").setWidth(52)
        item.hideButtons()
        self.band = pg.LinearRegionItem(
            (0, 1),
            orientation="horizontal",
            movable=False,
            brush=pg.mkBrush(120, 144, 156, 40),
            pen=pg.mkPen(None),
        )
        self.band.setZValue(-20)
        self.band.hide()
        item.addItem(self.band, ignoreBounds=True)
        self.curve = item.plot(
            pen=pg.mkPen(theme.traces["lab"], width=1, style=Qt.PenStyle.DotLine),
            symbol="o",
            symbolSize=7,
            symbolBrush=theme.traces["lab"],
            symbolPen=None,
        )
        self.title_item = self.frame.title
        self._shown: object = None
        self.alert_lines = add_rules(item, -5)
        self.dose_items: list = []
        self.alert_items: list = []
        self.note = ""

    def points(self) -> int:
        return 0 if self.curve.yData is None else len(self.curve.yData)

    def apply_theme(self, theme: Theme) -> None:
        """The markers and their dotted line in the theme's lab colour."""
        self.theme = theme
        self.curve.setPen(pg.mkPen(theme.traces["lab"], width=1, style=Qt.PenStyle.DotLine))
        self.curve.setSymbolBrush(theme.traces["lab"])

    def show(
        self,
        times: list[float],
        values: list[float],
        title: str,
        unit: str,
        y_range: tuple[float, float],
        band: tuple[float, float] | None,
        note: str,
        parameter: str = "",
    ) -> None:
        """`parameter`: what the values are ("pf", a lab's key), for the newest value's precision
        (P/F 112, not 111.667); a lab result otherwise keeps the digits it was reported with."""
        key = (tuple(times), tuple(values), title, unit, y_range, band, note, self.theme.name)
        if key == self._shown:  # labs change a few times a day: nothing to redraw on most ticks
            return
        self._shown = key
        self.curve.setData(np.asarray(times, dtype=float), np.asarray(values, dtype=float))
        self.item.setLabel("left", display_unit(unit), **UNIT_STYLE)
        self.frame.set_range(*_padded(y_range))
        if band is not None:
            lo, hi = band
            self.band.setRegion((lo, min(hi, y_range[1] * 2)))
            self.band.show()
        else:
            self.band.hide()
        newest = (
            f"   <b>{format_value(parameter, values[-1], unit)}</b> {display_unit(unit)}"
            if values
            else "   " + QCoreApplication.translate("MarkerPlot", "no result in this view")
        )
        self.note = note
        extra = f"   <i>{note}</i>" if note else ""
        self.frame.set_html(
            f'<span style="color:{self.theme.text}; font-size:10pt">{title}{newest}{extra}</span>'
        )


def _padded(y_range: tuple[float, float]) -> tuple[float, float]:
    """5 % of the range on each side: a marker at the edge is drawn whole."""
    lo, hi = y_range
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad
