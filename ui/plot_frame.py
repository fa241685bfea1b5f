"""What frames each plot of the stack: its left axis, whose tick labels stay within the plot's own
height, and its title, drawn in a strip kept free of data at the top of the plot.

The plots are stacked 1 px apart: a tick label at a plot's edge (SpO2's "100") was drawn half over the
plot above (over heart rate's "50"), and the title, drawn inside the plot, covered the values near the
top of the range (SpO2 at 100 %).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF

TITLE_GAP_PX = 2
"""Between the title's strip and the highest value drawn."""


class StackAxis(pg.AxisItem):
    """A left axis that draws only the tick labels that fit, whole, within its own height."""

    def generateDrawSpecs(self, p):  # type: ignore[no-untyped-def]
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        own = self.mapRectFromParent(self.geometry())
        height = p.fontMetrics().height()
        # pyqtgraph measures a label at 0.8 of its font's height; Qt draws it whole, centred.
        kept = [
            s
            for s in texts
            if own.top() <= s[0].center().y() - height / 2 and s[0].center().y() + height / 2 <= own.bottom()
        ]
        return axis, ticks, kept


def label_rects(axis: pg.AxisItem, painter: pg.QtGui.QPainter) -> list[QRectF]:
    """The tick labels an axis draws, as scene rectangles of their whole text (what tests compare)."""
    specs = axis.generateDrawSpecs(painter)
    if specs is None:
        return []
    height = painter.fontMetrics().height()
    out = []
    for rect, _flags, _text in specs[2]:
        whole = QRectF(rect.x(), rect.center().y() - height / 2, rect.width(), height)
        out.append(axis.mapRectToScene(whole))
    return out


class TitledPlot:
    """A plot's title in its top-left corner (in pixels, so it stays put while the user pans), and the
    y range: the range wanted, with a strip above it as tall as the title. A title row above each of
    eight plots would cost the height a 1366x768 screen lacks; the strip costs only the title's line."""

    def __init__(self, item: pg.PlotItem) -> None:
        self.item = item
        self.title = pg.TextItem("", anchor=(0, 0))
        self.title.textItem.document().setDocumentMargin(0)
        self.title.setParentItem(item.getViewBox())
        self.title.setPos(4, 0)
        self.title.setZValue(50)
        self.wanted: tuple[float, float] = (0.0, 1.0)
        self._set: tuple[float, float] | None = None
        self._html = ""
        self._strip = 0.0
        item.getViewBox().sigResized.connect(lambda *_: self.fit())

    def set_html(self, html: str) -> None:
        # Straight to the QGraphicsTextItem: pyqtgraph's TextItem.setHtml first serialises the current
        # document back to HTML to compare, which cost more than laying out the new one. The anchor is
        # the top-left corner, so the text's position never depends on its size.
        if html == self._html:
            return
        self._html = html
        self.title.textItem.setHtml(html)
        height = self.strip_px()
        if height != self._strip:
            self._strip = height
            self.fit()

    def set_range(self, lo: float, hi: float) -> None:
        self.wanted = (lo, hi)
        self.fit()

    def strip_px(self) -> float:
        return self.title.textItem.boundingRect().height() + TITLE_GAP_PX

    def fit(self) -> None:
        lo, hi = self.wanted
        height = self.item.getViewBox().height()
        strip = self.strip_px()
        top = hi + (hi - lo) * strip / (height - strip) if height > 2 * strip else hi
        if self._set != (lo, top):  # a new range re-lays the axis: only when it changes
            self._set = (lo, top)
            self.item.setYRange(lo, top, padding=0)
