"""The straight lines of one plot in one item: horizontal guides at fixed values and vertical lines at
alert times.

A pyqtgraph InfiniteLine is an item of its own that recomputes its bounding rectangle on every change
of the view; a stack of plots with four guides each and one line per alert per plot spent a
noticeable share of every pan, zoom and live tick on that alone. This item draws them all from one
paint call, across whatever the view shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen


@dataclass(frozen=True)
class Rule:
    """One line: `at` is a y value (horizontal) or an x value (vertical); lines of a higher `rank`
    are drawn over lower ones where they cross."""

    at: float
    pen: QPen
    vertical: bool
    rank: float = 0.0


class PlotRules(pg.GraphicsObject):
    """Added to a PlotItem with `ignoreBounds=True`: the lines never widen the plot's range."""

    def __init__(self) -> None:
        super().__init__()
        self._rules: list[Rule] = []
        self._rect = QRectF()

    def set_rules(self, rules: Sequence[Rule]) -> None:
        self._rules = sorted(rules, key=lambda r: r.rank)
        self.update()

    @property
    def rules(self) -> list[Rule]:
        return list(self._rules)

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF()

    def boundingRect(self) -> QRectF:
        if self._rect.isNull():
            view = self.getViewBox()
            if view is None:
                return QRectF()
            self._rect = QRectF(view.viewRect())
        return self._rect

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange: object = None) -> None:
        del axis, frac, orthoRange
        return None

    def paint(self, painter: QPainter, *args: object) -> None:
        del args
        rect = self.boundingRect()
        if rect.isNull():
            return
        for rule in self._rules:
            pen = QPen(rule.pen)
            pen.setCosmetic(True)  # 1 px on screen whatever the data's scale
            painter.setPen(pen)
            if rule.vertical:
                if rect.left() <= rule.at <= rect.right():
                    painter.drawLine(QLineF(rule.at, rect.top(), rule.at, rect.bottom()))
            elif rect.top() <= rule.at <= rect.bottom():
                painter.drawLine(QLineF(rect.left(), rule.at, rect.right(), rule.at))


def add_rules(item: pg.PlotItem, z: float) -> PlotRules:
    """A new, empty PlotRules on `item`, drawn at depth `z` (guides behind the data, alert lines nearer)."""
    rules = PlotRules()
    rules.setZValue(z)
    item.addItem(rules, ignoreBounds=True)
    return rules
