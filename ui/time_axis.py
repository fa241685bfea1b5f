"""The trend stack's time axis, laid out at the cost of a pan or zoom step.

pyqtgraph's AxisItem lays out its ticks and labels again on every change of the view: for each label it
formats the date and asks the painter to measure the text. While a nurse pans or zooms, the same
labels ("14:00", "Tue 08") come back frame after frame, so `TimeAxis` keeps each label's text and size
once formatted and measured, and builds the same drawing specification as pyqtgraph (the same ticks,
tick lengths and alphas, the same label rectangles and the same rule for leaving out a crowded level:
tests compare the two) for the one case the stack uses: a bottom axis without a grid.
"""

from __future__ import annotations

import pyqtgraph as pg
from bedside_ui.plot_frame import LocalDateAxis
from pyqtgraph.graphicsItems.DateAxisItem import YEAR_MONTH_ZOOM_LEVEL
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from bedside.i18n import language

CACHE_LIMIT = 4096
"""Labels kept per axis; a long session of panning through weeks fills it, and it starts again."""

_MEASURE = QRectF(0, 0, 100, 100)
_LEVEL_PADDING = 10
"""pyqtgraph's room around a zoom level's example label when it picks the level."""
_TEXT_FLAGS = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip


class TimeAxis(LocalDateAxis):
    """A bottom time axis whose labels are formatted and measured once, not on every frame."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom")
        self._texts: dict[tuple, str] = {}
        self._sizes: dict[tuple[str, str], tuple[float, float]] = {}
        self._font_key = ""
        self._example_widths: dict[tuple[str, str], float] = {}

    def tickStrings(self, values, scale, spacing):  # type: ignore[no-untyped-def]
        # A label depends on its value, the level's format (zoom level and spacing), the UTC offset and
        # the language: all in the key.
        level = (id(self.zoomLevel), spacing, scale, self.utcOffset, language())
        missing = [v for v in values if (level, v) not in self._texts]
        if missing:
            if len(self._texts) > CACHE_LIMIT:
                self._texts.clear()
                missing = list(values)
            for value, text in zip(missing, super().tickStrings(missing, scale, spacing), strict=True):
                self._texts[(level, value)] = text
        return [self._texts[(level, v)] for v in values]

    def setZoomLevelForDensity(self, density):  # type: ignore[no-untyped-def]
        # pyqtgraph's choice of zoom level, with each level's example label measured once per font
        # rather than every level measured on every frame.
        if not self._font_key:
            return super().setZoomLevelForDensity(density)
        self.zoomLevel = YEAR_MONTH_ZOOM_LEVEL
        for maximal_spacing, level in self.zoomLevels.items():
            if maximal_spacing / self._example_width(level.exampleText) < density:
                break
            self.zoomLevel = level
        self.zoomLevel.utcOffset = self.utcOffset
        self.minSpacing = density * self._example_width(self.zoomLevel.exampleText)

    def _example_width(self, text: str) -> float:
        """A zoom level's example label's width plus pyqtgraph's padding, as the date axis takes it."""
        key = (self._font_key, text)
        width = self._example_widths.get(key)
        if width is None:
            width = self._example_widths[key] = self.fontMetrics.boundingRect(text).width() + _LEVEL_PADDING
        return width

    def _size(self, painter: QPainter, text: str) -> tuple[float, float]:
        """A label's width and height as pyqtgraph takes them (the painter's measure, its height at
        0.8: Qt's rectangle is a little taller than the glyphs)."""
        key = (painter.font().key(), text)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > CACHE_LIMIT:
                self._sizes.clear()
            rect = painter.boundingRect(_MEASURE, Qt.AlignmentFlag.AlignCenter, text)
            size = self._sizes[key] = (rect.width(), rect.height() * 0.8)
        return size

    def _tick_pen(self, level: int) -> QPen:
        """pyqtgraph's tick pen for a level: the axis's tick colour, fainter for each finer level."""
        pen = self.tickPen()
        alpha = self.style["tickAlpha"]
        if alpha is None:
            alpha = 255 / (level + 1)
        elif isinstance(alpha, float):
            alpha = min(255, max(0, round(alpha * 255)))
        if pen.brush().style() == Qt.BrushStyle.SolidPattern:
            pen = QPen(pen)
            colour = QColor(pen.color())
            colour.setAlpha(int(alpha))
            pen.setColor(colour)
        return pen

    def generateDrawSpecs(self, p):  # type: ignore[no-untyped-def]
        if (
            self.orientation != "bottom"
            or self.grid is not False
            or self._tickLevels is not None
            or not self.style["showValues"]
        ):
            return super().generateDrawSpecs(p)
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        self.fontMetrics = p.fontMetrics()  # what the date axis picks its zoom level by
        self._font_key = p.font().key()
        bounds = self.mapRectFromParent(self.geometry())
        start = bounds.topLeft() + QPointF(-1.0, 1.0)
        end = bounds.topRight() + QPointF(1.0, 1.0)
        ends = (self.mapToDevice(start), self.mapToDevice(end))
        if None in ends:
            return None
        length = pg.Point(ends[1] - ends[0]).length()
        if length == 0:
            return None
        low, high = self.range
        levels = self.tickValues(low, high, length)
        dif = high - low
        scale = bounds.width() / dif if dif else 1.0
        offset = low * scale if dif else 0.0
        x_min, x_max = sorted((low * scale - offset, high * scale - offset))
        top = bounds.top()
        tick_length = self.style["tickLength"]

        ticks = []
        positions: list[list[float | None]] = []
        for i, (_spacing, values) in enumerate(levels):
            pen = self._tick_pen(i)
            reach = top + tick_length / (i * 0.5 + 1.0)
            shown: list[float | None] = []
            for v in values:
                x = v * scale - offset
                if x < x_min or x > x_max:
                    shown.append(None)
                    continue
                shown.append(x)
                ticks.append((pen, QPointF(x, top), QPointF(x, reach)))
            positions.append(shown)
        axis = (self.pen(), start, end)

        texts: list[tuple[QRectF, Qt.AlignmentFlag, str]] = []
        measured: list[tuple[float, float]] = []
        last_height = 0.0
        text_top = top + max(0, tick_length) + self.style["tickTextOffset"][1]
        own = self.boundingRect()
        for i in range(min(len(levels), self.style["maxTextLevel"] + 1)):
            spacing, values = levels[i]
            if not values:
                continue
            strings = self.tickStrings(values, self.autoSIPrefixScale * self.scale, spacing)
            sizes = [
                None if x is None else self._size(p, s) for x, s in zip(positions[i], strings, strict=True)
            ]
            measured += [s for s in sizes if s is not None]
            if i > 0 and self._crowded(measured, len(texts), length):
                break
            last_height = max((h for _w, h in measured), default=0.0)
            for x, text, size in zip(positions[i], strings, sizes, strict=True):
                if x is None or size is None:
                    continue
                width, height = size
                rect = QRectF(x - width / 2.0, text_top, width, height)
                if own & rect != rect:  # a label only partly on the axis is left out, as pyqtgraph does
                    continue
                texts.append((rect, _TEXT_FLAGS, text))
        self._updateMaxTextSize(last_height)
        return axis, ticks, texts

    def _crowded(self, measured: list[tuple[float, float]], drawn: int, length: float) -> bool:
        """pyqtgraph's rule for a finer level's labels: left out once the labels so far fill too much
        of the axis for the number already drawn."""
        fill = sum(w for w, _h in measured) / length
        return any(drawn >= n and fill >= limit for n, limit in self.style["textFillLimits"])
