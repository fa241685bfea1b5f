"""Dose-aligned plots (t = 0 at a dose's start, hours on the axis) for the review screen and the report:
one small plot per marker, every dose overlaid in its own colour, the other doses, alerts and adverse
events marked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from bedside_ui.theme import SEVERITY_COLOUR, Theme
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.i18n import localize_number
from bedside.review import HOUR, MARKERS, Samples, aligned, marker_heading, view_span
from bedside.review_data import ReviewData
from bedside.units import format_hours, format_value

PLOTTED = ("pf", "fio2", "peep", "crp", "ferritin", "ddimer_feu", "ldh", "lymphocytes", "cd19_abs")
DOSE_COLOURS = ("#1e88e5", "#fb8c00", "#43a047", "#8e24aa", "#6d4c41")
"""Dose 1, 2, 3…: neutral hues; red, yellow and cyan stay for alerts and technical problems."""
COLUMNS = 3


def _thin(s: Samples, most: int = 4000) -> Samples:
    """Settings arrive every few seconds for days: keep at most `most` points (every k-th) for the
    overview; the table uses the stored values themselves."""
    if len(s) <= most:
        return s
    step = int(np.ceil(len(s) / most))
    return Samples(s.times[::step], s.values[::step])


def _style_axes(item: pg.PlotItem, theme: Theme, font_px: int) -> None:
    font = QFont()
    font.setPixelSize(font_px)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(theme.grid))
        axis.setTextPen(pg.mkPen(theme.text))
        axis.setStyle(tickFont=font, tickTextOffset=3)
        # Numbers as they are (ferritin 1200, not 1.2 with a "k" nobody sees on an unlabelled axis).
        axis.enableAutoSIPrefix(False)
        localize_ticks(axis)
    # Room for "1500" at this size: a value axis without its numbers cannot be read.
    item.getAxis("left").setWidth(int(font_px * 3.4))


def localize_ticks(axis: pg.AxisItem) -> None:
    """The axis's numbers with the language's decimal separator (0,5 in Spanish): pyqtgraph writes
    them with a point whatever the locale."""
    plain = axis.tickStrings

    def localized(values, scale, spacing):  # type: ignore[no-untyped-def]
        return [localize_number(text) for text in plain(values, scale, spacing)]

    axis.tickStrings = localized


LABEL_Z = 30
"""Labels (a dose's, an adverse event's, an empty plot's note) above the alerts' dotted lines, on
the plot's own background: an alert's line never runs through a word."""


def _label_fill(theme: Theme) -> QBrush:
    colour = QColor(theme.background)
    colour.setAlpha(230)
    return QBrush(colour)


def _empty(
    item: pg.PlotItem, left: float, right: float, theme: Theme, font_px: int, earlier: str = ""
) -> None:
    """A plot with no results in view says so, rather than showing an empty frame, and names the
    last result before the view (a daily lab's pre-dose value, when the view is the last hours)."""
    item.setYRange(0.0, 1.0, padding=0)
    item.getAxis("left").setStyle(showValues=False)
    text = QCoreApplication.translate("review_plots", "no results in this window")
    if earlier:
        last = QCoreApplication.translate("review_plots", "last before it: {value}")
        text += "\n" + last.format(value=earlier)
    note = pg.TextItem(text, color=theme.quiet, anchor=(0.5, 0.5), fill=_label_fill(theme))
    note.setZValue(LABEL_Z)
    font = QFont()
    font.setPixelSize(font_px)
    note.setFont(font)
    note.setPos((left + right) / 2, 0.5)
    item.addItem(note, ignoreBounds=True)


def draw(
    layout: pg.GraphicsLayout,
    data: ReviewData,
    align: int | None,
    lo_hours: float,
    hi_hours: float,
    theme: Theme,
    font_px: int = 11,
) -> dict[str, pg.PlotItem]:
    """Fill `layout` with the marker plots. `align`: the dose number whose start is t = 0, or None for
    all doses overlaid (each on its own start). The x axis fits the values and the time there are
    (view_span). Returns the plots by marker key."""
    layout.clear()
    specs = {m.key: m for m in MARKERS}
    plots: dict[str, pg.PlotItem] = {}
    doses = data.doses if align is None else [d for d in data.doses if d.dose == align]
    anchor = doses[0] if doses else None
    curves = {
        key: [
            (d, _thin(aligned(data.streams.get(key, Samples()), d.start, lo_hours, hi_hours))) for d in doses
        ]
        for key in PLOTTED
    }
    present = [
        float(rel.times[i]) for parts in curves.values() for _d, rel in parts for i in (0, -1) if len(rel)
    ]
    now = max(((data.now - d.start) / HOUR for d in doses), default=0.0)
    left, right = view_span(lo_hours, hi_hours, now, min(present, default=None), max(present, default=None))
    rows = (len(PLOTTED) + COLUMNS - 1) // COLUMNS
    for i, key in enumerate(PLOTTED):
        m = specs[key]
        item = layout.addPlot(row=i // COLUMNS, col=i % COLUMNS)
        item.setTitle(
            f'<span style="color:{theme.text}">{marker_heading(m.label, m.unit)}</span>',
            size=f"{font_px + 1}px",
        )
        item.setXRange(left, right, padding=0.02)
        item.setMouseEnabled(x=True, y=False)
        item.hideButtons()
        _style_axes(item, theme, font_px)
        if i // COLUMNS == rows - 1:  # one axis title per column, under the last row
            item.setLabel(
                "bottom",
                QCoreApplication.translate("review_plots", "hours from the dose start"),
                color=theme.text,
                **{"font-size": f"{font_px}px"},
            )
        drawn = 0
        for d, rel in curves[key]:
            if not len(rel):
                continue
            colour = DOSE_COLOURS[(d.dose - 1) % len(DOSE_COLOURS)]
            symbol = None if m.kind == "setting" else "o"
            item.plot(
                rel.times,
                rel.values,
                pen=pg.mkPen(colour, width=1),
                symbol=symbol,
                symbolSize=6,
                symbolBrush=colour,
                symbolPen=None,
                name=QCoreApplication.translate("review_plots", "Dose {n}").format(n=d.dose),
            )
            drawn += int(np.count_nonzero((rel.times >= left) & (rel.times <= right)))
        values = [float(v) for _d, rel in curves[key] for v in rel.values]
        if drawn and max(values) == min(values):
            # One value (a lab taken once) has no height: pyqtgraph's range around it is too narrow
            # for the axis to print a number. A range of ±10 % (at least ±1) gives it its numbers.
            half = max(abs(values[0]) * 0.1, 1.0)
            item.setYRange(values[0] - half, values[0] + half, padding=0)
        if not drawn:
            before = [
                (float(rel.times[i]), float(rel.values[i]))
                for _d, rel in curves[key]
                for i in range(len(rel))
            ]
            before = [p for p in before if p[0] < left]
            earlier = ""
            if before:
                at, value = max(before)
                earlier = QCoreApplication.translate("review_plots", "{value} at {time}").format(
                    value=format_value(key, value, m.unit), time=format_hours(at)
                )
            _empty(item, left, right, theme, font_px, earlier)
        zero = pg.InfiniteLine(0.0, angle=90, pen=pg.mkPen(theme.text, width=1))
        item.addItem(zero, ignoreBounds=True)
        if anchor is not None and align is not None:
            for other in data.doses:
                if other.dose != anchor.dose:
                    x = (other.start - anchor.start) / HOUR
                    if lo_hours <= x <= hi_hours:
                        line = pg.InfiniteLine(
                            x,
                            angle=90,
                            pen=pg.mkPen(theme.quiet, width=1, style=Qt.PenStyle.DashLine),
                            label=QCoreApplication.translate("review_plots", "dose {n}").format(n=other.dose),
                            # Doses a day apart in a week's view: their names on lines of their own.
                            labelOpts={
                                "position": 0.92 - 0.08 * (other.dose % 2),
                                "color": theme.quiet,
                                "fill": _label_fill(theme),
                            },
                        )
                        line.setZValue(LABEL_Z)
                        item.addItem(line, ignoreBounds=True)
            for a in data.alerts:
                x = (a.fired_at - anchor.start) / HOUR
                if lo_hours <= x <= hi_hours:
                    tick = pg.InfiniteLine(
                        x,
                        angle=90,
                        pen=pg.mkPen(
                            SEVERITY_COLOUR.get(a.severity, "#78909c"), width=1, style=Qt.PenStyle.DotLine
                        ),
                    )
                    item.addItem(tick, ignoreBounds=True)
            for x, grades in ae_clusters(data.adverse_events, anchor.start, lo_hours, hi_hours):
                if len(grades) == 1:
                    text = QCoreApplication.translate("review_plots", "AE G{grade}").format(grade=grades[0])
                else:
                    text = QCoreApplication.translate("review_plots", "{n} AEs, up to G{grade}").format(
                        n=len(grades), grade=max(grades)
                    )
                star = pg.InfiniteLine(
                    x,
                    angle=90,
                    pen=pg.mkPen("#d32f2f", width=2),
                    label=text,
                    labelOpts={"position": 0.7, "color": "#d32f2f", "fill": _label_fill(theme)},
                )
                star.setZValue(LABEL_Z)
                item.addItem(star, ignoreBounds=True)
        plots[key] = item
    first = plots[PLOTTED[0]]
    for key in PLOTTED[1:]:
        plots[key].setXLink(first)
    if align is None and len(data.doses) > 1:
        # Every dose named with its colour, whether or not the first plot has its values (a legend
        # fills only with items added after it, so its entries are given here, one per dose).
        legend = first.addLegend(
            offset=(-4, 4),
            labelTextSize=f"{font_px}px",
            brush=pg.mkBrush(theme.background),
            pen=pg.mkPen(theme.grid),
        )
        legend.setLabelTextColor(theme.text)
        for d in data.doses:
            colour = DOSE_COLOURS[(d.dose - 1) % len(DOSE_COLOURS)]
            sample = pg.PlotDataItem(
                [0.0], [0.0], pen=pg.mkPen(colour, width=2), symbol="o", symbolBrush=colour, symbolPen=None
            )
            legend.addItem(sample, QCoreApplication.translate("review_plots", "Dose {n}").format(n=d.dose))
    return plots


def draw_cohort(
    layout: pg.GraphicsLayout, courses: list[tuple[str, ReviewData]], theme: Theme
) -> dict[str, pg.PlotItem]:
    """Every treated patient's CRP and P/F on one axis from their first dose (days)."""
    layout.clear()
    plots = {}
    names: list[tuple[str, str]] = []
    for col, (key, label) in enumerate(
        (
            ("crp", QT_TRANSLATE_NOOP("review_plots", "CRP (mg/L)")),
            ("pf", QT_TRANSLATE_NOOP("review_plots", "P/F ratio (mmHg)")),
            ("lymphocytes", QT_TRANSLATE_NOOP("review_plots", "Lymphocytes (10⁹/L)")),
        )
    ):
        item = layout.addPlot(row=0, col=col)
        title = QCoreApplication.translate("review_plots", "{marker}, from the first dose").format(
            marker=QCoreApplication.translate("review_plots", label)
        )
        item.setTitle(f'<span style="color:{theme.text}">{title}</span>', size="9pt")
        item.setLabel("bottom", QCoreApplication.translate("review_plots", "days from the first dose"))
        for name in ("left", "bottom"):
            # Days and marker units as written: an SI prefix would turn -0.8 days into "-800 (x0.001)".
            item.getAxis(name).enableAutoSIPrefix(False)
            localize_ticks(item.getAxis(name))
        item.hideButtons()
        drawn = 0
        for i, (name, data) in enumerate(courses):
            if not data.doses:
                continue
            rel = aligned(data.streams.get(key, Samples()), data.doses[0].start, -24.0, 28 * 24.0)
            drawn += len(rel.times)
            colour = DOSE_COLOURS[i % len(DOSE_COLOURS)]
            item.plot(
                rel.times / 24.0,
                rel.values,
                pen=pg.mkPen(colour, width=1),
                symbol="o",
                symbolSize=5,
                symbolBrush=colour,
                symbolPen=None,
            )
            if col == 0:
                names.append((name, colour))
        if not drawn:  # a bare 0-1 axis read as values: say there are none, as the review's plots do
            item.setXRange(-1.0, 28.0, padding=0)
            _empty(item, -1.0, 28.0, theme, 11)
        item.addItem(pg.InfiniteLine(0.0, angle=90, pen=pg.mkPen(theme.text, width=1)), ignoreBounds=True)
        plots[key] = item
    # The patients named in a row of their own below the plots, never over their points.
    legend = pg.LegendItem(colCount=max(1, min(len(names), 4)), labelTextColor=theme.text)
    for name, colour in names:
        sample = pg.PlotDataItem([0.0], [0.0], pen=pg.mkPen(colour, width=1), symbol="o", symbolBrush=colour)
        legend.addItem(sample, name)
    layout.addItem(legend, row=1, col=0, colspan=3)
    layout.layout.setRowStretchFactor(0, 1)
    layout.layout.setRowStretchFactor(1, 0)
    return plots


AE_CLUSTER_FRACTION = 0.03
"""Adverse events whose onsets are closer than this share of the plot's span are one mark: several
onsets at a dose's start stacked their labels into one illegible pile."""


def ae_clusters(
    events: Sequence[ListedAdverseEvent], zero: float, lo_hours: float, hi_hours: float
) -> list[tuple[float, list[int]]]:
    """The adverse events' onsets in view as marks: (hours from `zero`, the grades it stands for)."""
    onsets = sorted(
        ((ae.latest.onset - zero) / HOUR, ae.latest.grade) for ae in events if ae.latest.onset is not None
    )
    near = (hi_hours - lo_hours) * AE_CLUSTER_FRACTION
    marks: list[tuple[float, list[int]]] = []
    for x, grade in onsets:
        if not lo_hours <= x <= hi_hours:
            continue
        if marks and x - marks[-1][0] <= near:
            marks[-1][1].append(grade)
        else:
            marks.append((x, [grade]))
    return marks
