"""The severity trends drawn dose-aligned (hours from the first dose on the axis): the P/F ratio of each
blood gas, driving pressure and static compliance per plateau reading, each dose marked. For the review
screen and the report."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from bedside_ui.review_plots import DOSE_COLOURS, _empty, _style_axes, _thin
from bedside_ui.theme import Theme
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from bedside.review import HOUR, Samples
from bedside.severity import Severity
from bedside.status import DoseInfo

TRENDS: tuple[tuple[str, str], ...] = (
    ("pf", QT_TRANSLATE_NOOP("severity_plots", "P/F ratio (mmHg)")),
    ("driving", QT_TRANSLATE_NOOP("severity_plots", "Driving pressure (cmH₂O)")),
    ("compliance", QT_TRANSLATE_NOOP("severity_plots", "Static compliance (mL/cmH₂O)")),
)


def trend_series(severity: Severity) -> dict[str, Samples]:
    m = severity.mechanics
    return {
        "pf": severity.pf,
        "driving": Samples(m.times, m.driving),
        "compliance": Samples(m.times, m.compliance),
    }


def draw_trends(
    layout: pg.GraphicsLayout,
    severity: Severity,
    doses: list[DoseInfo],
    theme: Theme,
    font_px: int = 11,
    columns: int = 3,
) -> dict[str, pg.PlotItem]:
    """Fill `layout` with the three trend plots, t = 0 at the severity's anchor (the first dose)."""
    layout.clear()
    plots: dict[str, pg.PlotItem] = {}
    series = trend_series(severity)
    times = [float(t) for s in series.values() if len(s) for t in (s.times.min(), s.times.max())]
    left = (min(times) - severity.anchor) / HOUR if times else -24.0
    right = (max(times) - severity.anchor) / HOUR if times else 24.0
    for i, (key, title) in enumerate(TRENDS):
        item = layout.addPlot(row=i // columns, col=i % columns)
        shown = QCoreApplication.translate("severity_plots", title)
        item.setTitle(f'<span style="color:{theme.text}">{shown}</span>', size=f"{font_px + 1}px")
        _style_axes(item, theme, font_px)
        item.setLabel(
            "bottom",
            QCoreApplication.translate("severity_plots", "hours from dose 1"),
            color=theme.text,
            **{"font-size": f"{font_px}px"},
        )
        item.setXRange(left, right, padding=0.02)
        item.setMouseEnabled(x=True, y=False)
        item.hideButtons()
        s = _thin(series[key])
        ok = np.isfinite(s.values) if len(s) else np.zeros(0, dtype=bool)
        if not ok.any():
            _empty(item, left, right, theme, font_px)
        else:
            x = (s.times[ok] - severity.anchor) / HOUR
            pen = pg.mkPen(theme.text, width=1)
            if key == "pf":  # one point per blood gas: each drawn, joined only to read the trend
                item.plot(
                    x, s.values[ok], pen=pen, symbol="o", symbolSize=5, symbolBrush=theme.text, symbolPen=None
                )
            else:
                item.plot(
                    x,
                    s.values[ok],
                    pen=None,
                    symbol="o",
                    symbolSize=2,
                    symbolBrush=theme.text,
                    symbolPen=None,
                )
        for d in doses:
            if d.state == "cancelled":
                continue
            colour = DOSE_COLOURS[(d.dose - 1) % len(DOSE_COLOURS)]
            mark = pg.InfiniteLine(
                pos=(d.start - severity.anchor) / HOUR,
                angle=90,
                pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                label=QCoreApplication.translate("severity_plots", "dose {n}").format(n=d.dose),
                # Doses a day apart on a course of weeks: each name on a line of its own.
                labelOpts={"position": 0.92 - 0.1 * ((d.dose - 1) % 3), "color": colour},
            )
            item.addItem(mark, ignoreBounds=True)
        plots[key] = item
    return plots
