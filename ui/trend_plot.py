"""One plot of the trend stack: the stored numeric series of one TrendGroup (heart rate, blood
pressure, ...) as lines, or as unjoined markers where readings are sparse or entered by hand, under a
title that gives the newest value and its age."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from bedside_ui.plot_frame import TitledPlot
from bedside_ui.plot_rules import Rule, add_rules
from bedside_ui.theme import Theme
from bedside_ui.trend_line import TrendLine, value_bounds
from PySide6.QtCore import QCoreApplication

from bedside.feeds import describe_silence
from bedside.i18n import _, localize_number
from bedside.live import LiveSnapshot, TrendGroup, drawn_as_markers, trend_line
from bedside.parameters import ParameterCatalog
from bedside.units import display_unit, format_value
from bedside.vitals import MANUAL_DEVICE, site_name

ONE_MEASUREMENT = frozenset({"temp", "temp_peripheral"})
"""Parameters that are one measurement taken at different sites: a title gives the newest of them,
named by its site, never an older reading from another site beside (or instead of) it."""
VALUE_LABELS = 24
"""Hand-entered points written with their values, the newest ones: a few a shift."""
STALE_TITLE_AFTER = 120.0
"""A trend title's newest value older than this says how old it is."""


def _pen(theme: Theme, parameter: str) -> pg.QtGui.QPen:
    """1 px, solid, told apart by colour: a dashed or wider pen makes pyqtgraph draw each segment on its
    own, many times the cost of one path per frame (docs/performance.md)."""
    return pg.mkPen(theme.traces.get(parameter, theme.traces["default"]), width=1)


class TrendPlot:
    """One PlotItem of the stack, for one TrendGroup of stored numeric series."""

    def __init__(self, item: pg.PlotItem, group: TrendGroup, catalog: ParameterCatalog, theme: Theme) -> None:
        self.group = group
        self.item = item
        self._catalog = catalog
        self.theme = theme
        item = self.item
        # No clipping or downsampling by pyqtgraph: a window longer than the screen has pixels arrives
        # as a min/max envelope (bedside.live), so each curve holds a few thousand points at most and
        # its path is built once per new data, not again on every pan, zoom and tick.
        item.disableAutoRange()
        self.frame = TitledPlot(item)
        self.frame.set_range(*group.y_range)
        item.setMouseEnabled(x=True, y=False)
        # No grid from the axes: pyqtgraph draws it through every axis on every frame, the costliest
        # part of a frame of the stack (docs/performance.md). Fixed horizontal guides instead.
        self.guide_values = _guide_values(group.y_range)
        self.guides = add_rules(item, -30)
        self.alert_lines = add_rules(item, -5)
        # Small enough to fit along a short plot (eight plots under a banner on a 1366x768 screen):
        # at the tick numbers' size the longest units (mmHg, cmH₂O) were taller than their plot.
        item.setLabel("left", display_unit(group.unit), **{"font-size": "8pt"})
        item.getAxis("left").label.document().setDocumentMargin(0)  # its 4 px a side are a plot's room
        item.getAxis("left").setWidth(52)
        item.hideButtons()
        self.curves: dict[int, TrendLine | pg.PlotDataItem] = {}
        """Per series, the item drawing it now: a TrendLine, or markers (a PlotDataItem with symbols)."""
        self._lines: dict[int, TrendLine] = {}
        self._marks: dict[int, pg.PlotDataItem] = {}
        self.curve_parameter: dict[int, str] = {}
        self.curve_style: dict[int, str] = {}
        """Per series: "line", "markers" (sparse values) or "manual" (entered by hand)."""
        self._drawn: object = None
        self.no_data = pg.TextItem("", color="#80deea", anchor=(0.5, 0.5))
        item.addItem(self.no_data, ignoreBounds=True)
        self.title_item = self.frame.title
        # Translated once: the title is rebuilt whenever the values change, up to every tick.
        self._title = _(group.title)
        self._title_body = ""
        self._manual_shown = False
        """The title as last shown (name, values, unit), without its colour."""
        self._old = QCoreApplication.translate("TrendPlot", " ({age} old)")
        self._site_name = QCoreApplication.translate("TrendPlot", "Temp {site}")
        self._sites: dict[str, set[str]] = {}
        self._newest_site: dict[str, tuple[float, str | None]] = {}
        """Per parameter, its newest value's time and, entered by hand, its site."""
        self._value_labels: dict[int, list[pg.TextItem]] = {}
        """Per hand-entered series, the value written beside each of its points."""
        """Per parameter, the sites of its series with values (a temperature's, for its name)."""
        self._manual = QCoreApplication.translate("TrendPlot", "   ◆ manual")
        self._no_values = QCoreApplication.translate("TrendPlot", "{title}: no values in this view")
        self.dose_items: list = []
        self.alert_items: list = []

    def points(self) -> int:
        """Values the curves hold, not counting the NaN breaks drawn at gaps (what tests check)."""
        return sum(
            int(np.isfinite(c.yData).sum()) if c.yData is not None else 0 for c in self.curves.values()
        )

    def apply_theme(self, theme: Theme) -> None:
        """Curves, guides and the no-data note in the theme's colours."""
        self.theme = theme
        for sid in self.curves:
            self.restyle(sid)
        guide = pg.mkPen(_guide_colour(theme), width=1)
        self.guides.set_rules([Rule(v, guide, vertical=False) for v in self.guide_values])
        self.no_data.setColor("#80deea" if theme.name == "dark" else "#006064")
        # The title's text is in the theme's colour: written again now, not at the next new value
        # (a paused view may get none for a long time, and its title would stay unreadable).
        self._show_title()

    def _show_title(self) -> None:
        body = self._title_body or self._title
        self.frame.set_html(f'<span style="color:{self.theme.text}; font-size:10pt">{body}</span>')

    def show_snapshot(
        self, snapshot: LiveSnapshot, newest: Mapping[str, tuple[float, float]] | None = None
    ) -> None:
        """Draw the view's values, and write the title with the newest value of each parameter:
        `newest` (time, value) where the view ends now (what the tiles show: a long view's values
        are re-read less often, and zoomed out, a column's last point is its minimum or maximum),
        else the view's own last value."""
        if snapshot.windows is not self._drawn:  # else the same values as last tick: kept
            self._drawn = snapshot.windows
            self._draw_windows(snapshot)
        latest: list[str] = []
        given = newest or {}
        values = {
            p: v for p in self.group.parameters if (v := given.get(p) or snapshot.latest(p)) is not None
        }
        one = bool(values) and set(self.group.parameters) <= ONE_MEASUREMENT
        if one:
            newest_parameter = max(values, key=lambda p: values[p][0])
            values = {newest_parameter: values[newest_parameter]}
        for parameter, value in values.items():
            # The same text as the tile (one precision rule), and an old value says its age: a
            # title never shows a value as current beside a tile that has none.
            name = self._name(parameter) if len(self.group.parameters) > 1 or one else ""
            text = f"{name} {format_value(parameter, value[1], self.group.unit)}".strip()
            age = snapshot.now - value[0]
            if age > STALE_TITLE_AFTER:
                text += self._old.format(age=describe_silence(age))
            latest.append(text)
        values = localize_number("   ".join(latest))
        unit = display_unit(self.group.unit)
        title = f"{self._title}   <b>{values}</b> {unit}" if values else self._title
        if self._manual_shown:
            title += self._manual
        self._title_body = title
        self._show_title()

    def _name(self, parameter: str) -> str:
        """A parameter's short name in the title; a peripheral temperature by its site where all its
        values in view come from one (a monitor's is tympanic, MDC_TEMP_TYMP; one entered by hand
        says where it was taken)."""
        sites = self._sites.get(parameter, set())
        newest_site = self._newest_site.get(parameter, (0.0, None))[1]
        if parameter in ONE_MEASUREMENT and newest_site is not None:
            return self._site_name.format(site=site_name(newest_site))
        if parameter == "temp_peripheral" and len(sites) == 1:
            (site,) = sites
            return self._site_name.format(site=site_name(site))
        return self._catalog.get(parameter).short

    def _draw_windows(self, snapshot: LiveSnapshot) -> None:
        seen: set[int] = set()
        self._sites = {}
        self._newest_site = {}
        manual_shown = False
        # The clinical range, widened to any value beyond it: every stored value is drawn.
        lo, hi = self.group.y_range
        for parameter in self.group.parameters:
            for window in snapshot.windows_for(parameter):
                sid = window.series.id
                seen.add(sid)
                self.curve_parameter[sid] = parameter
                manual = window.series.key.device == MANUAL_DEVICE
                manual_shown = manual_shown or (manual and len(window) > 0)
                if len(window) > 0:
                    site = window.series.key.instance if manual else "tympanic"
                    self._sites.setdefault(parameter, set()).add(site)
                    at = float(window.times[-1])
                    if at >= self._newest_site.get(parameter, (-math.inf, None))[0]:
                        self._newest_site[parameter] = (at, window.series.key.instance if manual else None)
                if sid in snapshot.enveloped:  # already a line to draw, its gaps broken (off this thread)
                    style, times, values = "line", window.times, window.values
                elif manual or drawn_as_markers(window):
                    # Readings far apart are points, never a line inventing the course between them.
                    style, times, values = ("manual" if manual else "markers"), window.times, window.values
                else:
                    style = "line"
                    times, values = trend_line(window, snapshot.start, snapshot.view_end)
                bounds = value_bounds(window.values)
                if bounds is not None:
                    lo, hi = min(lo, bounds[0]), max(hi, bounds[1])
                self._draw(sid, style, times, values, bounds)
        self._manual_shown = manual_shown
        for sid, curve in self.curves.items():
            if sid not in seen:
                curve.setData(np.empty(0), np.empty(0))
                curve.hide()
                self._label_values(sid, np.empty(0), np.empty(0))
        self.frame.set_range(lo, hi)
        # Values inside the view: the ones read before its left edge only carry the line in.
        has_points = any(
            bool(np.any((w.times >= snapshot.start) & (w.times <= snapshot.view_end)))
            for p in self.group.parameters
            for w in snapshot.windows_for(p)
        )
        # Hidden while empty: a visible text item is placed again on every pan and zoom.
        self.no_data.setVisible(not has_points)
        if has_points:
            self.no_data.setText("")
        else:
            # The title as written (SpO2, FiO2): lowered, a unit or a name reads as a raw code.
            self.no_data.setText(self._no_values.format(title=self._title))
            self.no_data.setPos((snapshot.start + snapshot.view_end) / 2, sum(self.group.y_range) / 2)

    def _draw(
        self, sid: int, style: str, times: np.ndarray, values: np.ndarray, bounds: tuple[float, float] | None
    ) -> None:
        """Hand the values to the item of their style (a line, or markers), the other one emptied."""
        parameter = self.curve_parameter[sid]
        if style == "line":
            line = self._lines.get(sid)
            if line is None:
                line = self._lines[sid] = TrendLine(_pen(self.theme, parameter))
                self.item.addItem(line)
            line.show_values(times, values, bounds)
            other: pg.GraphicsObject | None = self._marks.get(sid)
            shown: pg.GraphicsObject = line
        else:
            marks = self._marks.get(sid)
            if marks is None:
                marks = self._marks[sid] = self.item.plot(name=self._catalog.get(parameter).short)
            marks.setData(times, values)
            other, shown = self._lines.get(sid), marks
        # A value entered by hand is one reading a nurse took: written beside its point, as a diamond
        # alone does not say what was entered.
        if style == "manual":
            self._label_values(sid, times, values)
        else:
            self._label_values(sid, np.empty(0), np.empty(0))
        if other is not None and other.isVisible():
            other.setData(np.empty(0), np.empty(0))
            other.hide()
        shown.show()
        self.curves[sid] = shown  # type: ignore[assignment]
        if self.curve_style.get(sid) != style:  # restyling costs: only when it changes
            self.curve_style[sid] = style
            self.restyle(sid)

    def _label_values(self, sid: int, times: np.ndarray, values: np.ndarray) -> None:
        """The values of a hand-entered series written above its points (the newest few)."""
        labels = self._value_labels.setdefault(sid, [])
        shown = list(zip(times[-VALUE_LABELS:], values[-VALUE_LABELS:], strict=True))
        while len(labels) > len(shown):
            self.item.removeItem(labels.pop())
        while len(labels) < len(shown):
            label = pg.TextItem("", color=self.theme.text, anchor=(0.5, 1.0))
            self.item.addItem(label, ignoreBounds=True)
            labels.append(label)
        parameter = self.curve_parameter[sid]
        for label, (at, value) in zip(labels, shown, strict=True):
            label.setText(localize_number(format_value(parameter, float(value), self.group.unit)))
            label.setColor(self.theme.text)
            label.setPos(float(at), float(value))

    def value_labels(self) -> list[str]:
        """The values written beside hand-entered points (what tests read)."""
        return [label.toPlainText() for labels in self._value_labels.values() for label in labels]

    def _look(self, parameter: str, style: str) -> dict:
        colour = self.theme.traces.get(parameter, self.theme.traces["default"])
        if style == "line":
            return {"pen": _pen(self.theme, parameter), "symbol": None}
        # Hand-entered values are hollow diamonds, sparse device values filled dots: both unjoined.
        if style == "manual":
            return {
                "pen": None,
                "symbol": "d",
                "symbolSize": 10,
                "symbolBrush": None,
                "symbolPen": pg.mkPen(colour, width=2),
            }
        return {"pen": None, "symbol": "o", "symbolSize": 6, "symbolBrush": colour, "symbolPen": None}

    def restyle(self, sid: int) -> None:
        """Draw a series in its style's colours of the current theme."""
        curve = self.curves[sid]
        look = self._look(self.curve_parameter[sid], self.curve_style.get(sid, "line"))
        curve.setPen(look["pen"])
        if isinstance(curve, TrendLine):
            return
        curve.setSymbol(look["symbol"])
        if look["symbol"] is not None:
            curve.setSymbolSize(look["symbolSize"])
            curve.setSymbolBrush(look["symbolBrush"])
            curve.setSymbolPen(look["symbolPen"])


def _guide_values(y_range: tuple[float, float]) -> list[float]:
    """Horizontal guides at the y ticks. The clinical y-ranges are fixed, so the lines never move."""
    lo, hi = y_range
    step = _nice_step((hi - lo) / 4)
    values = []
    value = math.ceil(lo / step) * step
    while value <= hi:
        values.append(value)
        value += step
    return values


def _guide_colour(theme: Theme) -> pg.QtGui.QColor:
    colour = pg.mkColor(theme.grid)
    colour.setAlpha(38)
    return colour


def _nice_step(raw: float) -> float:
    exponent = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * exponent:
            return m * exponent
    return 10 * exponent
