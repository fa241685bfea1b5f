"""Stacked trend plots sharing one time axis, fed by LiveSnapshots (ARCHITECTURE.md §7 settings)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from bedside.chunks import break_gaps
from bedside.live import TREND_GROUPS, LiveSnapshot, TrendGroup, gap_limit
from bedside.parameters import ParameterCatalog
from bedside.units import display_unit

# Neutral, distinguishable trace colours. Red, yellow and cyan are kept for alerts and technical
# problems (IEC 60601-1-8 conventions, SCREENS.md), so no trace uses them.
TRACE_PENS = {
    "hr": pg.mkPen("#66bb6a", width=1),
    "pr_spo2": pg.mkPen("#a5d6a7", width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
    "spo2": pg.mkPen("#64b5f6", width=1),
    "abp_sys": pg.mkPen("#ce93d8", width=1),
    "abp_dia": pg.mkPen("#ce93d8", width=1),
    "abp_mean": pg.mkPen("#f3e5f5", width=2),
    "nibp_sys": pg.mkPen("#b0bec5", width=1),
    "nibp_dia": pg.mkPen("#b0bec5", width=1),
    "nibp_mean": pg.mkPen("#eceff1", width=2),
    "temp": pg.mkPen("#bcaaa4", width=2),
}
DEFAULT_PEN = pg.mkPen("#e0e0e0", width=1)


class TrendPlot:
    """One PlotItem of the stack, for one TrendGroup."""

    def __init__(self, widget: pg.PlotWidget, group: TrendGroup, catalog: ParameterCatalog) -> None:
        self.group = group
        self.widget = widget
        self.item: pg.PlotItem = widget.getPlotItem()
        self._catalog = catalog
        item = self.item
        # Both on the PlotItem, not as plot() keywords (PlotItem.addItem resets those).
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.disableAutoRange()
        item.setYRange(*group.y_range, padding=0)
        item.setMouseEnabled(x=True, y=False)
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("left", display_unit(group.unit))
        item.getAxis("left").setWidth(48)
        self.curves: dict[int, pg.PlotDataItem] = {}
        self.no_data = pg.TextItem("", color="#80deea", anchor=(0.5, 0.5))
        item.addItem(self.no_data, ignoreBounds=True)
        self._title = group.title

    def points(self) -> int:
        """Values the curves hold, not counting the NaN breaks drawn at gaps (what tests check)."""
        return sum(
            int(np.isfinite(c.yData).sum()) if c.yData is not None else 0 for c in self.curves.values()
        )

    def show_snapshot(self, snapshot: LiveSnapshot) -> None:
        seen: set[int] = set()
        latest: list[str] = []
        for parameter in self.group.parameters:
            for window in snapshot.windows_for(parameter):
                sid = window.series.id
                seen.add(sid)
                curve = self.curves.get(sid)
                if curve is None:
                    curve = self.item.plot(
                        pen=TRACE_PENS.get(parameter, DEFAULT_PEN), name=self._catalog.get(parameter).short
                    )
                    self.curves[sid] = curve
                times, values = break_gaps(window.times, window.values, gap_limit(window.times))
                curve.setData(times, values, connect="finite")
            newest = snapshot.latest(parameter)
            if newest is not None:
                name = self._catalog.get(parameter).short if len(self.group.parameters) > 1 else ""
                latest.append(f"{name} {newest[1]:g}".strip())
        for sid, curve in self.curves.items():
            if sid not in seen:
                curve.setData(np.empty(0), np.empty(0))
        self.item.setXRange(snapshot.start, snapshot.now, padding=0)
        values = "   ".join(latest)
        unit = display_unit(self.group.unit)
        self.item.setTitle(f"{self._title}   <b>{values}</b> {unit}" if values else self._title, size="11pt")
        has_points = any(len(w) for p in self.group.parameters for w in snapshot.windows_for(p))
        if has_points:
            self.no_data.setText("")
        else:
            self.no_data.setText(f"No {self._title.lower()} values in this window")
            self.no_data.setPos((snapshot.start + snapshot.now) / 2, sum(self.group.y_range) / 2)

    def is_downsampled(self) -> bool:
        for curve in self.curves.values():
            ds = curve._getDisplayDataset()  # pyqtgraph's own view of what it draws
            if ds is not None and curve.xData is not None and len(ds.x) < len(curve.xData):
                return True
        return False


class TrendPanel(QWidget):
    def __init__(
        self,
        catalog: ParameterCatalog,
        groups: tuple[TrendGroup, ...] = TREND_GROUPS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=False, background="#101418", foreground="#cfd8dc")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.plots: list[TrendPlot] = []
        for i, group in enumerate(groups):
            is_last = i == len(groups) - 1
            axis = {"bottom": pg.DateAxisItem(orientation="bottom")}
            widget = pg.PlotWidget(axisItems=axis)
            plot = TrendPlot(widget, group, catalog)
            if self.plots:
                plot.item.setXLink(self.plots[0].item)
            if not is_last:
                plot.item.getAxis("bottom").setStyle(showValues=False)
            layout.addWidget(widget, stretch=1)
            self.plots.append(plot)

    def plot(self, title: str) -> TrendPlot:
        return next(p for p in self.plots if p.group.title == title)

    def show_snapshot(self, snapshot: LiveSnapshot) -> None:
        for plot in self.plots:
            plot.show_snapshot(snapshot)

    def downsampled(self) -> bool:
        return any(p.is_downsampled() for p in self.plots)

    def show_doses(self, doses: list[dict], now: float) -> None:
        """Every dose as a shaded band from its start to its end (to now while it runs), not movable,
        not part of the auto-range; the top plot names it."""
        for plot in self.plots:
            for item in getattr(plot, "dose_items", []):
                plot.item.removeItem(item)
            plot.dose_items = []
            for d in doses:
                end = d["end"] if d["end"] is not None else now
                band = pg.LinearRegionItem(
                    (d["start"], max(end, d["start"] + 1)),
                    movable=False,
                    brush=pg.mkBrush(255, 255, 255, 28),
                    pen=pg.mkPen("#b0bec5", width=1),
                )
                band.setZValue(-10)
                plot.item.addItem(band, ignoreBounds=True)
                plot.dose_items.append(band)
                if plot is self.plots[0]:
                    label = pg.TextItem(f"Dose {d['dose']}", color="#eceff1", anchor=(0, 0))
                    label.setPos(d["start"], plot.group.y_range[1])
                    plot.item.addItem(label, ignoreBounds=True)
                    plot.dose_items.append(label)
