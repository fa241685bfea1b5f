"""The trend panel: the stack of plots sharing one time axis (a TrendPlot per group of numeric series,
then P/F ratios and one lab analyte as MarkerPlots), every dose as a band and every alert as a line
through the stack, with its controls: view presets, "follow live" and the lab shown."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from bedside_ui.alert_marks import AlertMarks, alert_rule
from bedside_ui.fit import NoteLabel
from bedside_ui.marker_plot import MarkerPlot
from bedside_ui.plot_frame import StackAxis
from bedside_ui.plot_rules import Rule, add_rules
from bedside_ui.theme import DARK, Theme
from bedside_ui.time_axis import TimeAxis
from bedside_ui.trend_plot import TrendPlot
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGraphicsItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bedside.alerts import Alert
from bedside.i18n import _, language, localize_number
from bedside.labs import LabCatalog, reference_band
from bedside.live import TREND_GROUPS, LiveSnapshot, TrendGroup
from bedside.oxygenation import pf_ratios
from bedside.parameters import ParameterCatalog
from bedside.review import STUDY_LABS
from bedside.status import DoseInfo, PatientStatus
from bedside.units import cells_text

HOUR = 3600.0
DOSE_LABEL_GAP_PX = 8
"""Between two dose labels on one line."""
DOSE_LABEL_Z = 50
"""Above the alert marks (`bedside_ui.alert_marks`)."""
PLOT_MIN_HEIGHT = 22
"""A plot of the stack never shorter than this (its title's line and a little of its data)."""
PRESETS: tuple[tuple[str, float | None], ...] = (
    (QT_TRANSLATE_NOOP("TrendPanel", "1 h"), HOUR),
    (QT_TRANSLATE_NOOP("TrendPanel", "6 h"), 6 * HOUR),
    (QT_TRANSLATE_NOOP("TrendPanel", "24 h"), 24 * HOUR),
    (QT_TRANSLATE_NOOP("TrendPanel", "7 d"), 7 * 24 * HOUR),
    (QT_TRANSLATE_NOOP("TrendPanel", "Course"), None),
)
"""Span of each preset; Course = from 24 h before the first dose to now. The names are the presets'
keys (settings, shortcuts); the buttons show them translated."""
LAB_CHOICES = STUDY_LABS
BERLIN_PF = (100.0, 200.0, 300.0)
"""P/F cut-offs of the Berlin definition of ARDS (JAMA 2012;307:2526), drawn as faint guides."""


def _style_plot(item: pg.PlotItem, theme: Theme) -> None:
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(theme.grid))
        axis.setTextPen(pg.mkPen(theme.text))


def _drop_hidden_parts(item: pg.PlotItem) -> None:
    """Stop the parts of a plot nobody sees from taking part in every frame: a hidden axis still
    follows its view (it lays itself out again on each pan), and an empty frame or background rectangle
    is still visited and painted with no pen and no brush."""
    view = item.getViewBox()
    for name in ("left", "bottom", "top", "right"):
        axis = item.getAxis(name)
        if not axis.isVisible():
            axis.unlinkFromView()
    if view.state["background"] is None:
        view.background.hide()
    if view.borderRect.pen().style() == Qt.PenStyle.NoPen:
        view.borderRect.hide()


class TrendPanel(QWidget):
    """The stack plus its controls. `view_changed(span, end)` tells the window what to load: end None
    means follow live."""

    view_changed = Signal(object, object)
    lab_changed = Signal(str)

    def __init__(
        self,
        catalog: ParameterCatalog,
        groups: tuple[TrendGroup, ...] = TREND_GROUPS,
        parent: QWidget | None = None,
        theme: Theme = DARK,
        labs: LabCatalog | None = None,
    ) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=False)
        self.theme = theme
        self._labs = labs or LabCatalog.load()
        self.following = True
        self.span: float | None = HOUR
        self._setting_range = False
        self._course_start: float | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)

        controls = QHBoxLayout()
        self.controls = controls  # the window adds its own buttons (review, sound, theme) here
        self.preset_buttons: dict[str, QPushButton] = {}
        self._presets = QButtonGroup(self)
        self._presets.setExclusive(True)
        for i, (name, _span) in enumerate(PRESETS):
            shown = QCoreApplication.translate("TrendPanel", name)
            b = QPushButton(shown)
            b.setCheckable(True)
            b.setToolTip(
                QCoreApplication.translate("TrendPanel", "Show {span} (Alt+{key})").format(
                    span=shown, key=i + 1
                )
            )
            b.clicked.connect(lambda _=False, n=name: self.choose_preset(n))
            self._presets.addButton(b)
            controls.addWidget(b)
            self.preset_buttons[name] = b
        self.preset_buttons["1 h"].setChecked(True)
        controls.addSpacing(12)
        # Translated once here: the follow button's text changes with every pan, the view label every tick.
        self._following_text = QCoreApplication.translate("TrendPanel", "● Follow live")
        self._paused_text = QCoreApplication.translate("TrendPanel", "○ Follow live (paused)")
        self._downsampled_text = QCoreApplication.translate(
            "TrendPanel", "view downsampled ×{factor} (min/max per pixel)"
        )
        self._pf_title = QCoreApplication.translate("TrendPanel", "P/F ratio (PaO2 / FiO2)")
        self._pf_note = QCoreApplication.translate("TrendPanel", "PaO2 without a FiO2 in view: no ratio")
        self._band_note = QCoreApplication.translate(
            "TrendPanel", "band: typical adult range (example; the lab sent none)"
        )
        self.follow_button = QPushButton(self._following_text)
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.follow_button.setToolTip(
            QCoreApplication.translate("TrendPanel", "Keep the newest values in view (F)")
        )
        self.follow_button.clicked.connect(self.set_following)
        controls.addWidget(self.follow_button)
        self.view_label = NoteLabel()
        controls.addSpacing(12)
        controls.addWidget(self.view_label, 1)  # takes the row's free room, and no more
        controls.addWidget(QLabel(QCoreApplication.translate("TrendPanel", "Lab:")))
        self.lab_choice = QComboBox()
        for key in LAB_CHOICES:
            self.lab_choice.addItem(_(self._labs.get(key).label), key)
        self.lab_choice.currentIndexChanged.connect(lambda _i: self.lab_changed.emit(self.lab))
        controls.addWidget(self.lab_choice)
        layout.addLayout(controls)

        # One graphics view for the whole stack: a view per plot costs its own paint pass each frame.
        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.layout.setVerticalSpacing(1)
        self.view.ci.setContentsMargins(0, 0, 4, 0)
        # The view fills every pixel with its background brush: marked opaque, Qt skips painting the
        # window's background beneath it first on every frame.
        self.view.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        # The background is one colour: filling it costs less than copying pyqtgraph's cached pixmap of it.
        self.view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        layout.addWidget(self.view, stretch=1)
        self.widgets = [self.view]
        self.items: list[pg.PlotItem] = []
        self.plots: list[TrendPlot] = []
        for group in groups:
            self.plots.append(TrendPlot(self._item(), group, catalog, theme))
        self.pf_plot = MarkerPlot(
            self._item(), QCoreApplication.translate("TrendPanel", "P/F ratio"), "mm[Hg]", (0.0, 500.0), theme
        )
        self.pf_guides = add_rules(self.pf_plot.item, -30)  # the Berlin ARDS cut-offs
        self.lab_plot = MarkerPlot(
            self._item(), QCoreApplication.translate("TrendPanel", "Lab"), "mg/L", (0.0, 300.0), theme
        )
        first = self.items[0]
        for item in self.items[1:]:
            item.setXLink(first)
        for item in self.items[:-1]:
            item.hideAxis("bottom")  # one time axis, at the bottom
        for item in self.items:
            _drop_hidden_parts(item)
        for border in self.view.ci.itemBorders.values():  # the layout draws no cell borders here
            if border.pen().style() == Qt.PenStyle.NoPen:
                border.hide()
        for item in self.items:
            item.getViewBox().sigRangeChangedManually.connect(self._user_moved)
        self.items[0].getViewBox().sigXRangeChanged.connect(lambda *_: self._stack_dose_labels())
        self.alert_marks = AlertMarks(self.items[0])
        self.apply_theme(theme)

    def _item(self) -> pg.PlotItem:
        row = len(self.items)
        item = self.view.addPlot(
            row=row,
            col=0,
            axisItems={"bottom": TimeAxis(), "left": StackAxis("left")},
        )
        # Short enough that the whole stack and its time axis stay in view when the screen is small
        # (1366x768 under a window manager, a two-line alert above): below the stack's minimum the
        # layout ran past the view's foot and cut off the last plot and the time axis.
        item.setMinimumHeight(PLOT_MIN_HEIGHT)
        # The value axis changes only with the plot's range or size, not with a pan or zoom in time:
        # kept as a pixmap, it is copied on each frame rather than drawn again.
        item.getAxis("left").setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        for axis in ("left", "bottom", "top", "right"):  # hidden axes follow the view too
            # Units are fixed per plot: no SI prefix to work out (and a label to re-lay) per frame.
            item.getAxis(axis).enableAutoSIPrefix(False)
        self.view.ci.layout.setRowStretchFactor(row, 1)
        self.items.append(item)
        return item

    @property
    def lab(self) -> str:
        # The choice's index into LAB_CHOICES, in the order the items were added: reading the item's
        # data back from the combo's model converts a variant on every refresh.
        i = self.lab_choice.currentIndex()
        return str(LAB_CHOICES[i]) if 0 <= i < len(LAB_CHOICES) else str(self.lab_choice.currentData())

    def all_plots(self) -> list:
        return [*self.plots, self.pf_plot, self.lab_plot]

    def plot(self, title: str) -> TrendPlot:
        return next(p for p in self.plots if p.group.title == title)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.view.setBackground(theme.background)
        for item in self.items:
            _style_plot(item, theme)
        for p in self.all_plots():
            p.apply_theme(theme)
        berlin = pg.mkPen(theme.quiet, width=1, style=Qt.PenStyle.DotLine)
        self.pf_guides.set_rules([Rule(v, berlin, vertical=False) for v in BERLIN_PF])

    # ---- view control ------------------------------------------------------------------------------

    def choose_preset(self, name: str) -> None:
        self.preset_buttons[name].setChecked(True)
        self.span = dict(PRESETS)[name]
        self.set_following(True)

    def set_following(self, on: bool = True) -> None:
        self.following = bool(on)
        self.follow_button.setChecked(self.following)
        self.follow_button.setText(self._following_text if self.following else self._paused_text)
        if self.following:
            self.view_changed.emit(self.current_span(), None)

    def current_span(self) -> float:
        if self.span is not None:
            return self.span
        return 7 * 24 * HOUR if self._course_start is None else max(HOUR, self._now - self._course_start)

    _now = 0.0

    def _user_moved(self, *_args: object) -> None:
        """A pan or zoom by the user: stop following so the view stays where they put it."""
        if self._setting_range:
            return
        x0, x1 = self.items[0].getViewBox().viewRange()[0]
        if self.following:
            self.following = False
            self.follow_button.setChecked(False)
            self.follow_button.setText(self._paused_text)
        self._presets.setExclusive(False)
        for b in self.preset_buttons.values():
            b.setChecked(False)
        self._presets.setExclusive(True)
        self.span = x1 - x0
        self.view_changed.emit(x1 - x0, x1)

    def set_x_range(self, x0: float, x1: float) -> None:
        self._setting_range = True
        try:
            self.items[0].setXRange(x0, x1, padding=0)
        finally:
            self._setting_range = False

    # ---- data ----------------------------------------------------------------------------------------

    def show_snapshot(
        self, snapshot: LiveSnapshot, newest: Mapping[str, tuple[float, float]] | None = None
    ) -> None:
        """`newest`: each parameter's newest (time, value), as the tiles show it, for the titles of a
        view that ends now."""
        self._now = snapshot.now
        for plot in self.plots:
            plot.show_snapshot(snapshot, newest if snapshot.end is None else None)
        if self.following:
            self.set_x_range(snapshot.now - self.current_span(), snapshot.now)
        elif snapshot.end is not None:
            x0, x1 = self.items[0].getViewBox().viewRange()[0]
            if abs(x1 - snapshot.end) > 1.0 and abs((x1 - x0) - (snapshot.end - snapshot.start)) > 1.0:
                self.set_x_range(snapshot.start, snapshot.end)

    def show_status(self, status: PatientStatus, snapshot: LiveSnapshot) -> None:
        doses = status.doses
        self._course_start = doses[0].start - 24 * HOUR if doses else None
        self._show_pf(status, snapshot)
        self._show_lab(status)
        self.show_doses(doses, snapshot.now)
        self.show_alerts([*status.alerts, *status.recent])
        factor = 1
        for sid, stored in snapshot.enveloped.items():
            shown = next((len(w) for w in snapshot.windows if w.series.id == sid), 0)
            factor = max(factor, round(stored / max(1, shown)))
        self.downsampling = factor
        self.view_label.set_note(self._downsampled_text.format(factor=factor) if factor > 1 else "")

    def _show_pf(self, status: PatientStatus, snapshot: LiveSnapshot) -> None:
        fio2 = [w for p in ("fio2_set", "fio2") for w in snapshot.windows_for(p)]
        times = np.concatenate([w.times for w in fio2]) if fio2 else np.empty(0)
        values = np.concatenate([w.values.astype(float) for w in fio2]) if fio2 else np.empty(0)
        pao2 = [
            (v.at, v.value)
            for v in status.labs.get("pao2", [])
            if snapshot.start <= v.at <= snapshot.view_end
        ]
        ratios = pf_ratios(pao2, times, values)
        note = "" if ratios or not pao2 else self._pf_note
        self.pf_plot.show(
            [r[0] for r in ratios],
            [r[1] for r in ratios],
            self._pf_title,
            "mm[Hg]",
            (0.0, 500.0),
            None,
            note,
            parameter="pf",
        )

    def _show_lab(self, status: PatientStatus) -> None:
        analyte = self._labs.get(self.lab)
        values = status.labs.get(analyte.key, [])
        band = next((reference_band(v.reference_range) for v in reversed(values) if v.reference_range), None)
        note = ""
        if band is None and analyte.example_reference is not None:
            band = analyte.example_reference
            note = self._band_note
        hi = max([analyte.display_max / 2] + [v.value * 1.15 for v in values])
        self.lab_plot.show(
            [v.at for v in values],
            [v.value for v in values],
            self.lab_choice.currentText(),
            analyte.unit,
            (analyte.display_min, min(analyte.display_max, hi) if values else analyte.display_max),
            None if band is None else (band[0], band[1] if math.isfinite(band[1]) else analyte.display_max),
            note,
            parameter=analyte.key,
        )

    downsampling = 1
    _doses_key: object = None
    _alerts_key: object = None

    def downsampled(self) -> bool:
        return self.downsampling > 1

    def show_doses(self, doses: tuple[DoseInfo, ...], now: float) -> None:
        """Every dose as a shaded band from its start to its end (to now while it runs), not movable,
        not part of the auto-range; the top plot names it ("Dose 2 · 1.0×10⁶/kg")."""
        key = (
            self.theme.name,
            tuple((d.dose, d.start, d.end, dose_label(d)) for d in doses),
        )
        if key == self._doses_key:  # the same doses: only a running one's band grows with the clock
            for plot in self.all_plots():
                bands = [i for i in plot.dose_items if isinstance(i, pg.LinearRegionItem)]
                for d, band in zip(doses, bands, strict=False):
                    if d.end is None:
                        band.setRegion((d.start, max(now, d.start + 1)))
            return
        self._doses_key = key
        for plot in self.all_plots():
            for item in plot.dose_items:
                plot.item.removeItem(item)
            plot.dose_items = []
            for d in doses:
                start = d.start
                end = d.end if d.end is not None else now
                band = pg.LinearRegionItem(
                    (start, max(end, start + 1)),
                    movable=False,
                    brush=pg.mkBrush(*self.theme.dose_brush),
                    pen=pg.mkPen(self.theme.quiet, width=1),
                )
                band.setZValue(-10)
                plot.item.addItem(band, ignoreBounds=True)
                plot.dose_items.append(band)
                if plot is self.plots[0]:
                    # Above the alert marks and on the plot's background: a marker at the dose's
                    # start never hides a letter of its name.
                    fill = QColor(self.theme.background)
                    fill.setAlpha(230)
                    label = pg.TextItem(dose_label(d), color=self.theme.text, anchor=(0, 1), fill=fill)
                    label.setZValue(DOSE_LABEL_Z)
                    label.setPos(start, self.plots[0].group.y_range[0])
                    label.band_end = end  # type: ignore[attr-defined]  # read when the labels are laid out
                    plot.item.addItem(label, ignoreBounds=True)
                    plot.dose_items.append(label)
        self._stack_dose_labels()

    def _stack_dose_labels(self) -> None:
        """Dose labels a line above one another where they would overlap at this zoom (two doses an
        hour apart in a week's view), and pulled inside the plot where one would run past its edge
        (a dose started just before now): every label is read whole, none over another, none cut."""
        labels = [i for i in self.plots[0].dose_items if isinstance(i, pg.TextItem)]
        if not labels:
            return
        view = self.plots[0].item.getViewBox()
        x0, x1 = view.viewRange()[0]
        width = view.width()
        if width <= 0 or x1 <= x0:  # not laid out yet: stacked once it is
            return
        scale = width / (x1 - x0)
        row_ends: list[float] = []  # per row, the right edge in pixels of its last label
        for label in sorted(labels, key=lambda i: i.pos().x()):
            size = label.textItem.boundingRect().width()
            left = (label.pos().x() - x0) * scale
            # Past the right edge: the text ends at the edge. Before the left edge, while its band is
            # still in view: it starts at the edge.
            shift = max(0.0, left + size - width)
            band_end = getattr(label, "band_end", label.pos().x())
            if left < 0 < (band_end - x0) * scale:
                shift = left
            left -= shift
            row = next(
                (r for r, right in enumerate(row_ends) if left >= right + DOSE_LABEL_GAP_PX), len(row_ends)
            )
            if row == len(row_ends):
                row_ends.append(left + size)
            else:
                row_ends[row] = left + size
            anchor = (shift / size if size else 0.0, 1.0 + row)
            if (label.anchor.x(), label.anchor.y()) != anchor:  # re-lays the text: only on a change
                label.setAnchor(anchor)

    def show_alerts(self, alerts: Sequence[Alert]) -> None:
        """Each alert as a faint line through the stack, and on the top plot a marker per cluster of
        alerts in the colour of the most severe, a diamond if that one is technical (ui/alert_marks.py)."""
        key = (self.theme.name, tuple((a.id, a.fired_at, a.severity, a.rule_id) for a in alerts))
        if key == self._alerts_key:
            return
        self._alerts_key = key
        rules = [alert_rule(a) for a in alerts]
        for plot in self.all_plots():
            plot.alert_lines.set_rules(rules)
            plot.alert_items = list(alerts)
        top = self.plots[0]
        self.alert_marks.set_alerts(alerts, top.group.y_range[1] - 8)


_DOSE_TEXTS: dict[str, tuple[str, str]] = {}
"""Per language, the dose band's two texts: translated once, not on every tick that compares them."""


def dose_label(d: DoseInfo) -> str:
    texts = _DOSE_TEXTS.get(language())
    if texts is None:
        texts = _DOSE_TEXTS[language()] = (
            QCoreApplication.translate("TrendPanel", "Dose {dose}"),
            QCoreApplication.translate("TrendPanel", " · {cells} cells/kg"),
        )
    dose, cells = texts
    label = dose.format(dose=d.dose)
    return label + (cells.format(cells=localize_number(cells_text(d.cells_per_kg))) if d.cells_per_kg else "")
