"""The review read at 1366x768 and on paper: no clipped cell, plots that say when they are empty, axis
numbers on every plot (at least 7 pt in the PDF), a legend on the overlay, units as written."""

from __future__ import annotations

import csv
import dataclasses

import pyqtgraph as pg
import pytest
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.review_store import load_review
from bedside_ui import review_plots
from bedside_ui.report import DPI, PLOT_W, plot_font_px
from bedside_ui.review_window import ReviewWindow
from bedside_ui.theme import LIGHT

from bedside.model import PatientRef
from bedside.review import DAY, Samples
from bedside.review_text import export_csv
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT


@pytest.fixture
def engine(reaction_engine):  # type: ignore[no-untyped-def]
    return reaction_engine


def test_the_before_after_table_fits_its_cells_at_1366x768(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    w = ReviewWindow(sql_ports(engine), PatientRef.parse(PATIENT), clock=lambda: NOW)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.data is not None and w.table.rowCount() > 0, timeout=20_000)
        assert w.width() <= 1366 and w.height() <= 768
        table = w.table
        metrics = table.fontMetrics()
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                lines = table.item(r, c).text().split("\n")
                widest = max(metrics.horizontalAdvance(line) for line in lines)
                assert widest <= table.columnWidth(c), (r, c, lines)
                assert len(lines) * metrics.lineSpacing() <= table.rowHeight(r), (r, c, lines)
        # More rows than the space shows: the table scrolls rather than squeezing them.
        assert table.verticalScrollBar().maximum() > 0
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert headers[:2] == ["Marker", "Pre-dose value"] and "+7 d (change)" in headers
        labels = [table.item(r, 0).text() for r in range(table.rowCount())]
        assert "Ferritin (µg/L)" in labels and "Lymphocytes (10⁹/L)" in labels and "CD19 (/µL)" in labels
        # The plots fit the course's 3 days after the dose, not the empty rest of a 7-day axis.
        left, right = w.plots["crp"].viewRange()[0]
        assert right < 80 and left < 0
    finally:
        w.shutdown()


def test_plots_say_when_empty_and_show_their_numbers(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(engine, PatientRef.parse(PATIENT), NOW)
    data = dataclasses.replace(data, streams={**data.streams, "cd19_abs": Samples()})
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    view.resize(PLOT_W, 620)
    font_px = plot_font_px()
    plots = review_plots.draw(view.ci, data, 1, -24.0, 168.0, LIGHT, font_px=font_px)
    view.show()
    qtbot.waitExposed(view)
    notes = [i for i in plots["cd19_abs"].items if isinstance(i, pg.TextItem)]
    assert [n.toPlainText().split("\n")[0] for n in notes] == ["no results in this window"]
    assert not [i for i in plots["crp"].items if isinstance(i, pg.TextItem)]
    # On paper: tick numbers of at least 7 pt (the image is printed at one pixel per dot).
    assert font_px / DPI * 72 >= 7.0
    for key in ("ferritin", "crp", "pf", "ldh"):
        axis = plots[key].getAxis("left")
        assert axis.style["tickFont"].pixelSize() == font_px
        assert axis.autoSIPrefix is False
        lo, hi = plots[key].viewRange()[1]
        ticks = [v for level in axis.tickValues(lo, hi, axis.height()) for v in level[1]]
        strings = axis.tickStrings(ticks, 1.0, (hi - lo) / 4)
        assert strings, key
        room = axis.width() - 6
        metrics = pg.QtGui.QFontMetrics(axis.style["tickFont"])
        assert max(metrics.horizontalAdvance(s) for s in strings) <= room, (key, strings)


def test_a_plot_with_a_single_value_still_shows_axis_numbers(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(engine, PatientRef.parse(PATIENT), NOW)
    ferritin = data.streams["ferritin"]
    dose = data.doses[0].start
    after = [i for i in range(len(ferritin)) if ferritin.times[i] >= dose]
    one = Samples(ferritin.times[after[:1]], ferritin.values[after[:1]])
    data = dataclasses.replace(data, streams={**data.streams, "ferritin": one})
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    view.resize(1366, 620)
    plots = review_plots.draw(view.ci, data, 1, -24.0, 168.0, LIGHT)
    view.show()
    qtbot.waitExposed(view)
    item = plots["ferritin"]
    lo, hi = item.viewRange()[1]
    assert lo < float(one.values[0]) < hi
    axis = item.getAxis("left")
    ticks = [v for level in axis.tickValues(lo, hi, axis.height()) for v in level[1] if lo <= v <= hi]
    assert len(set(ticks)) >= 2, (lo, hi, ticks)


def test_the_overlay_has_a_legend_per_dose(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(engine, PatientRef.parse(PATIENT), NOW)
    (first,) = data.doses
    second = dataclasses.replace(first, dose=2, id=first.id + 1, start=first.start + DAY, end=None)
    data = dataclasses.replace(data, doses=[first, second])
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    plots = review_plots.draw(view.ci, data, None, -24.0, 168.0, LIGHT)
    legend = plots["pf"].legend
    assert legend is not None
    assert [label.text for _sample, label in legend.items] == ["Dose 1", "Dose 2"]


def test_csv_keeps_the_ucum_code_and_says_the_unit_as_written(engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = load_review(engine, PatientRef.parse(PATIENT), NOW)
    path = tmp_path / "review.csv"
    export_csv(data, path)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ferritin = next(r for r in rows if r["marker"] == "ferritin")
    assert ferritin["unit"] == "ug/L" and ferritin["unit_display"] == "µg/L"
    lymph = next(r for r in rows if r["marker"] == "lymphocytes")
    assert lymph["unit"] == "10*9/L" and lymph["unit_display"] == "10⁹/L"


def test_every_label_on_a_plot_is_drawn_above_the_alerts_lines_on_the_plots_background(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(engine, PatientRef.parse(PATIENT), NOW)
    (first,) = data.doses
    second = dataclasses.replace(first, dose=2, id=first.id + 1, start=first.start + 3600.0, end=None)
    data = dataclasses.replace(data, doses=[first, second], streams={**data.streams, "cd19_abs": Samples()})
    assert data.alerts
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    plots = review_plots.draw(view.ci, data, 1, -24.0, 168.0, LIGHT)
    for key in ("pf", "cd19_abs"):
        items = plots[key].items
        lines = [i for i in items if isinstance(i, pg.InfiniteLine)]
        alert_lines = [
            i
            for i in lines
            if getattr(i, "label", None) is None and i.pen.style() == pg.QtCore.Qt.PenStyle.DotLine
        ]
        labelled = [i for i in lines if getattr(i, "label", None) is not None]
        notes = [i for i in items if isinstance(i, pg.TextItem)]
        assert alert_lines and (labelled or notes), key
        top = max(i.zValue() for i in alert_lines)
        for label in [line.label for line in labelled] + notes:
            owner = label.parentItem() if label.parentItem() in labelled else label
            assert owner.zValue() > top, (key, label.toPlainText())
            assert label.fill.style() != pg.QtCore.Qt.BrushStyle.NoBrush and label.fill.color().alpha() > 200


def test_the_review_says_the_history_is_still_arriving_and_reads_it_again_once_caught_up(
    qtbot, engine
) -> None:  # type: ignore[no-untyped-def]
    w = ReviewWindow(sql_ports(engine), PatientRef.parse(PATIENT), clock=lambda: NOW)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.data is not None and not w.loading, timeout=20_000)
        assert not w.arriving.isVisible()
        w.show_catching_up(24 * 3600.0)
        assert w.arriving.isVisible()
        assert w.arriving.text().startswith("The history is still arriving (catching up: 24 h behind)")
        first = w.data
        w.show_catching_up(None)  # caught up: the notice goes and the review is read again
        assert not w.arriving.isVisible()
        qtbot.waitUntil(lambda: w.data is not first and not w.loading, timeout=20_000)
    finally:
        w.shutdown()
