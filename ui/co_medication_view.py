"""The review's co-medication tab: one lane per drug class on the dose-aligned timeline (hours from
the chosen dose's start; a bar for an infusion or a period, a mark for a single dose), and a table of
what was given from 24 h before to 72 h after each dose, with what it may mask. Unknown drugs are
shown by name under "Other"; orders not confirmed as given are marked as ordered."""

from __future__ import annotations

from datetime import datetime

import pyqtgraph as pg
from bedside_ui.review_plots import localize_ticks
from bedside_ui.theme import Theme
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from bedside import i18n
from bedside.co_medication import (
    HOUR,
    ROUTE_LABELS,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    CoMedicationCatalogue,
    DrugClass,
    around_dose,
    dose_text,
    when_text,
)
from bedside.log_text import people_of, who_text
from bedside.review_data import ReviewData
from bedside.units import display_unit

COLUMNS = (
    QT_TRANSLATE_NOOP("CoMedicationView", "Dose"),
    QT_TRANSLATE_NOOP("CoMedicationView", "When"),
    QT_TRANSLATE_NOOP("CoMedicationView", "Time"),
    QT_TRANSLATE_NOOP("CoMedicationView", "Class"),
    QT_TRANSLATE_NOOP("CoMedicationView", "Drug"),
    QT_TRANSLATE_NOOP("CoMedicationView", "Amount"),
    QT_TRANSLATE_NOOP("CoMedicationView", "Route"),
    QT_TRANSLATE_NOOP("CoMedicationView", "Source"),
    QT_TRANSLATE_NOOP("CoMedicationView", "May affect"),
)
LANE_COLOURS = {
    DrugClass.CORTICOSTEROID: "#8e24aa",
    DrugClass.IMMUNOMODULATOR: "#5e35b1",
    DrugClass.ANTIPYRETIC: "#fb8c00",
    DrugClass.ANTICOAGULANT: "#6d4c41",
    DrugClass.VASOPRESSOR: "#1e88e5",
    DrugClass.ANTIHISTAMINE: "#00897b",
    DrugClass.OTHER: "#78909c",
}
"""Neutral hues: red, yellow and cyan stay for alerts and technical problems."""
SOURCES = {
    "ras": QT_TRANSLATE_NOOP("CoMedicationView", "eMAR"),
    "rde": QT_TRANSLATE_NOOP("CoMedicationView", "pharmacy order"),
    "entered": QT_TRANSLATE_NOOP("CoMedicationView", "entered by"),
}


def local(at: float) -> str:
    return i18n.strftime(datetime.fromtimestamp(at), "%d %b %H:%M")


def entered_by(data: ReviewData, account: str) -> str:
    """Who entered a co-medication by hand as a person reads it: the printed name and role of their
    signature in the patient's log, the account as stored where they never signed."""
    return who_text(account, people_of(data.log))


class CoMedicationView(QWidget):
    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.catalogue = CoMedicationCatalogue.load()
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 4, 6, 4)
        self.summary = QLabel(self.tr("No review loaded."))
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        self.lanes = pg.PlotWidget()
        self.lanes.setMinimumHeight(120)
        self.lanes.setBackground(theme.background)
        split.addWidget(self.lanes)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        self.table.horizontalHeader().setStretchLastSection(True)
        # A note wraps rather than being cut: the rows follow the columns' widths.
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        split.addWidget(self.table)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        root.addWidget(split, stretch=1)
        self.data: ReviewData | None = None
        self.lane_items: dict[DrugClass, list[pg.GraphicsObject]] = {}

    def show_co_medication(
        self, data: ReviewData, dose: int | None, lo_hours: float, hi_hours: float
    ) -> None:
        """`dose`: the dose the timeline is aligned on (None: all doses, aligned on the first)."""
        self.data = data
        doses = [d for d in data.doses if d.state != "cancelled"] or list(data.doses)
        given = data.co_medication
        if not doses:
            self.summary.setText(self.tr("No dose recorded: co-medication is shown around doses."))
            self.table.setRowCount(0)
            self.lanes.clear()
            return
        anchor = next((d for d in doses if d.dose == dose), doses[0])
        shown = [d for d in doses if dose is None or d.dose == dose]
        rows = [(d, r) for d in shown for r in around_dose(given, d.start)]
        window = self.tr("{before} h before to {after} h after").format(
            before=f"{WINDOW_BEFORE / HOUR:.0f}", after=f"{WINDOW_AFTER / HOUR:.0f}"
        )
        if not given:
            self.summary.setText(
                self.tr(
                    "No co-medication recorded for this patient "
                    "(none from the eMAR, the pharmacy or entered)."
                )
            )
        else:
            which = self.tr("dose {n}").format(n=anchor.dose) if dose is not None else self.tr("each dose")
            self.summary.setText(
                self.tr(
                    "%n administration(s) from {window} {which}; {total} recorded in all. "
                    "Notes say what a drug may mask; they are not a judgement of the course.",
                    "",
                    len(rows),
                ).format(window=window, which=which, total=len(given))
            )
        self._fill_table(rows)
        self._draw_lanes(anchor.start, [d.start for d in doses], lo_hours, hi_hours)

    def _provenance(self, source_id: str) -> str:
        """Where an administration came from as stored ("MSH-10 <id> / order <id>"): the message's
        and the order's identifiers as sent, the word between them in the screen's language."""
        return source_id.replace(" / order ", " / " + self.tr("order") + " ")

    def _fill_table(self, rows: list) -> None:  # type: ignore[type-arg]
        self.table.setRowCount(len(rows))
        for r, (dose, around) in enumerate(rows):
            a = around.administration
            source = self.tr(SOURCES[a.source.value]) if a.source.value in SOURCES else a.source.value
            if a.source.value == "entered" and self.data is not None:
                source = f"{source} {entered_by(self.data, a.source_id)}"
            elif a.status == "ordered":
                source = self.tr("{source} (not confirmed as given)").format(source=source)
            end = ""
            if a.end is not None:
                begun, ended = datetime.fromtimestamp(a.start), datetime.fromtimestamp(a.end)
                same_day = begun.date() == ended.date()
                end = (
                    "–" + i18n.strftime(ended, "%H:%M")
                    if same_day
                    else self.tr(" to {end}").format(end=local(a.end))
                )
            cells = (
                str(dose.dose),
                when_text(around.offset_hours),
                local(a.start) + end,  # a period on one day: "21 Sep 16:13–16:18"
                i18n._(self.catalogue.label(a.drug_class)),
                a.label,
                dose_text(a, display_unit(a.unit) if a.unit else ""),
                (i18n._(ROUTE_LABELS[a.route]) if a.route in ROUTE_LABELS else a.route)
                or self.tr("not stated"),
                source,
                around.note,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{a.label}: {self._provenance(a.source_id)}" if c == 7 else text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()

    def _draw_lanes(self, anchor: float, dose_starts: list[float], lo: float, hi: float) -> None:
        assert self.data is not None
        plot = self.lanes.getPlotItem()
        plot.clear()
        self.lane_items = {}
        classes = [c for c in DrugClass if any(a.drug_class is c for a in self.data.co_medication)]
        font = QFont()
        font.setPixelSize(12)
        axis = plot.getAxis("left")
        axis.setTicks([[(-i, i18n._(self.catalogue.label(c))) for i, c in enumerate(classes)]])
        axis.setStyle(tickFont=font)
        axis.setTextPen(pg.mkPen(self.theme.text))
        bottom = plot.getAxis("bottom")
        bottom.setTextPen(pg.mkPen(self.theme.text))
        bottom.setStyle(tickFont=font)
        plot.setLabel("bottom", self.tr("hours from the dose's start"))
        localize_ticks(bottom)
        for start in dose_starts:
            x = (start - anchor) / HOUR
            plot.addItem(
                pg.InfiniteLine(x, angle=90, pen=pg.mkPen(self.theme.quiet, style=Qt.PenStyle.DashLine))
            )
        for i, c in enumerate(classes):
            colour = LANE_COLOURS[c]
            items: list[pg.GraphicsObject] = []
            singles = []
            for a in self.data.co_medication:
                if a.drug_class is not c:
                    continue
                x0 = (a.start - anchor) / HOUR
                if a.end is not None and a.end - a.start >= HOUR:  # shorter: a mark, as a bar would not show
                    bar = pg.PlotDataItem(
                        [x0, (a.end - anchor) / HOUR], [-i, -i], pen=pg.mkPen(colour, width=6)
                    )
                    plot.addItem(bar)
                    items.append(bar)
                else:
                    singles.append(x0)
            if singles:
                marks = pg.ScatterPlotItem(
                    singles, [-i] * len(singles), symbol="t1", size=12, brush=pg.mkBrush(colour), pen=None
                )
                plot.addItem(marks)
                items.append(marks)
            self.lane_items[c] = items
        plot.setXRange(lo, hi, padding=0.01)
        plot.setYRange(-max(len(classes) - 1, 0) - 0.6, 0.6, padding=0)
        plot.setMouseEnabled(x=True, y=False)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        # A wrapped note needs its row's height once the widths settle: the last column is stretched
        # after this event, so the rows are measured again when the event loop comes back.
        self.table.resizeRowsToContents()
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.lanes.setBackground(theme.background)
