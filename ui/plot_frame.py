"""What frames each plot of the stack: its left axis, whose tick labels stay within the plot's own
height, and its title, drawn in a strip kept free of data at the top of the plot.

The plots are stacked 1 px apart: a tick label at a plot's edge (SpO2's "100") was drawn half over the
plot above (over heart rate's "50"), and the title, drawn inside the plot, covered the values near the
top of the range (SpO2 at 100 %).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import adjustTimestampToPreferredUtcOffset
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem

from bedside.i18n import SOURCE, language, localize_number
from bedside.i18n import strftime as local_strftime

TITLE_GAP_PX = 2
"""Between the title's strip and the highest value drawn."""


class StackAxis(pg.AxisItem):
    """A left axis that draws only the tick labels that fit, whole, within its own height, and none
    over another: in a plot a few lines tall (a 1366x768 screen with a long alert above the stack),
    pyqtgraph's labels "800", "600", "400" and "200" were drawn into one another."""

    def generateDrawSpecs(self, p):  # type: ignore[no-untyped-def]
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        own = self.mapRectFromParent(self.geometry())
        height = p.fontMetrics().height()
        # pyqtgraph measures a label at 0.8 of its font's height; Qt draws it whole, centred. Its
        # labels come coarsest level first, so where two collide the coarser one stays.
        kept: list = []
        taken: list[tuple[float, float]] = []
        for spec in texts:
            top = spec[0].center().y() - height / 2
            bottom = top + height
            if top < own.top() or bottom > own.bottom():
                continue
            if any(top < other_bottom and other_top < bottom for other_top, other_bottom in taken):
                continue
            kept.append(spec)
            taken.append((top, bottom))
        return axis, ticks, kept

    def tickValues(self, minVal, maxVal, size):  # type: ignore[no-untyped-def]
        """The coarsest round step at which at least two numbers are drawn whole, apart: pyqtgraph's
        major level left a short plot one number it could draw (SpO2's "90", CRP's "100") and drew
        no text at its finer one, and a reader needs two numbers to read a scale."""
        if not (maxVal > minVal and size > 0):
            return super().tickValues(minVal, maxVal, size)
        height = QFontMetricsF(self.style.get("tickFont") or self.font()).height()
        # The axis's own height: the length pyqtgraph passes runs past the view (its tick bounds).
        size = self.geometry().height() or size
        per_px = size / (maxVal - minVal)
        top = math.floor(math.log10(maxVal - minVal))
        for step in (m * 10.0**e for e in range(top, top - 3, -1) for m in (5, 2.5, 2, 1)):
            values = [k * step for k in range(math.ceil(minVal / step), math.floor(maxVal / step) + 1)]
            drawn = _drawn(values, minVal, per_px, size, height)
            if len(drawn) >= 2:
                # Only those: pyqtgraph stops writing numbers once they fill much of a short axis.
                return [(step, drawn)]
        return super().tickValues(minVal, maxVal, size)

    def tickStrings(self, values, scale, spacing):  # type: ignore[no-untyped-def]
        """The values with the language's decimal separator (37,5)."""
        strings = super().tickStrings(values, scale, spacing)
        if language() == SOURCE:
            return strings
        return [localize_number(s) for s in strings]


def _drawn(values: list[float], lo: float, per_px: float, size: float, height: float) -> list[float]:
    """The values whose labels `StackAxis` draws: whole within the axis, none over another."""
    kept: list[float] = []
    for v in values:
        centre = (v - lo) * per_px
        if centre - height / 2 < 0 or centre + height / 2 > size:
            continue
        if any(abs(centre - (k - lo) * per_px) < height for k in kept):
            continue
        kept.append(v)
    return kept


WEEKDAYS = (
    QT_TRANSLATE_NOOP("LocalDateAxis", "Mon"),
    QT_TRANSLATE_NOOP("LocalDateAxis", "Tue"),
    QT_TRANSLATE_NOOP("LocalDateAxis", "Wed"),
    QT_TRANSLATE_NOOP("LocalDateAxis", "Thu"),
    QT_TRANSLATE_NOOP("LocalDateAxis", "Fri"),
    QT_TRANSLATE_NOOP("LocalDateAxis", "Sat"),
    QT_TRANSLATE_NOOP("LocalDateAxis", "Sun"),
)
"""Weekday abbreviations of the time axis's day ticks (strftime's %a follows the process's C
locale, which a desktop session may set to anything)."""


class LocalDateAxis(pg.DateAxisItem):
    """The time axis in the language chosen: pyqtgraph's ticks in English, else the same ticks with
    the language's weekday and month names and decimal separator, in the language's order."""

    def tickStrings(self, values, scale, spacing):  # type: ignore[no-untyped-def]
        if language() == SOURCE:
            return super().tickStrings(values, scale, spacing)
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        if spec is None:
            return super().tickStrings(values, scale, spacing)
        out = []
        for value in values:
            try:
                shifted = adjustTimestampToPreferredUtcOffset(value, self.utcOffset)
                moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=shifted)
            except (OverflowError, ValueError, OSError):
                out.append("")
                continue
            out.append(local_tick(moment, spec.format))
        return out


def local_tick(moment: datetime, fmt: str) -> str:
    """One tick label of pyqtgraph's formats (%Y, %b, %d, %a %d, %H:%M, %H:%M:%S, %S.%f) in the
    language chosen: "lun 07", "dic", "05,250"."""
    if "%a" in fmt:
        day = QCoreApplication.translate("LocalDateAxis", WEEKDAYS[moment.weekday()])
        fmt = fmt.replace("%a", day.replace("%", "%%"))
    text = local_strftime(moment, fmt)
    if "%f" in fmt:
        text = localize_number(text[:-3])  # milliseconds, as pyqtgraph shows them
    elif "%Y" in fmt:
        text = text.lstrip("0")
    return text


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
        # A plain text item on the view box (whose coordinates are pixels), not pyqtgraph's TextItem:
        # that one works out its transform again before every frame, which a title that never moves
        # or scales does not need.
        self.title = QGraphicsTextItem(item.getViewBox())
        self.title.document().setDocumentMargin(0)
        self.title.setPos(4, 0)
        self.title.setZValue(50)
        # Drawn once into a pixmap and copied on each frame until its text changes: a pan or zoom
        # moves the data under it, not the title.
        self.title.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.wanted: tuple[float, float] = (0.0, 1.0)
        self._set: tuple[float, float] | None = None
        self._html = ""
        self._strip = 0.0
        item.getViewBox().sigResized.connect(lambda *_: self.fit())

    def set_html(self, html: str) -> None:
        # Compared with the last HTML set rather than the document's own HTML: serialising the document
        # back costs more than laying out the new one. The title's top-left corner is its position, so
        # where it sits never depends on its size.
        if html == self._html:
            return
        self._html = html
        self.title.setHtml(html)
        height = self.strip_px()
        if height != self._strip:
            self._strip = height
            self.fit()

    def set_range(self, lo: float, hi: float) -> None:
        self.wanted = (lo, hi)
        self.fit()

    def strip_px(self) -> float:
        return self.title.boundingRect().height() + TITLE_GAP_PX

    def fit(self) -> None:
        lo, hi = self.wanted
        height = self.item.getViewBox().height()
        self._fit_unit(height)
        strip = self.strip_px()
        top = hi + (hi - lo) * strip / (height - strip) if height > 2 * strip else hi
        if self._set != (lo, top):  # a new range re-lays the axis: only when it changes
            self._set = (lo, top)
            self.item.setYRange(lo, top, padding=0)

    def _fit_unit(self, height: float) -> None:
        """The unit along the left axis only where the plot is tall enough for it: in a short plot (a
        1366x768 screen with a banner and notices above the stack) it ran into the next plot's unit
        ("mmHgcmH₂O"). The title gives the unit too, so nothing is lost."""
        axis = self.item.getAxis("left")
        if not axis.labelText:
            return
        # The label is drawn turned a quarter: its width is its height on the screen.
        fits = axis.label.boundingRect().width() + 2 <= height
        if fits != axis.label.isVisible():
            axis.showLabel(fits)
