"""The trend stack's time axis keeps its labels' texts and sizes between frames: what it draws must be
what pyqtgraph's own layout of the same axis draws, tick for tick and label for label, at every zoom
level a nurse reaches, in both languages, and after the language changes."""

from __future__ import annotations

from collections.abc import Iterator

import pyqtgraph as pg
import pytest
from bedside_ui.i18n import install_language
from bedside_ui.plot_frame import LocalDateAxis
from bedside_ui.time_axis import TimeAxis
from PySide6.QtGui import QImage, QPainter

END = 1_796_560_000.0  # 2026-12-06 in the evening, UTC
SPANS = [20.0, 600.0, 3600.0, 6 * 3600.0, 86400.0, 3 * 86400.0, 7 * 86400.0, 60 * 86400.0, 800 * 86400.0]


def _plain(specs):  # type: ignore[no-untyped-def]
    """The drawing specification as plain numbers and texts, to compare two of them."""
    assert specs is not None
    axis, ticks, texts = specs
    return (
        (axis[1].x(), axis[1].y(), axis[2].x(), axis[2].y(), axis[0].color().name()),
        [(pen.color().name(), pen.color().alpha(), a.x(), a.y(), b.x(), b.y()) for pen, a, b in ticks],
        [(r.x(), r.y(), r.width(), r.height(), int(flags), text) for r, flags, text in texts],
    )


@pytest.fixture
def axis(qtbot) -> Iterator[TimeAxis]:  # type: ignore[no-untyped-def]
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    time_axis = TimeAxis()
    view.addPlot(axisItems={"bottom": time_axis})
    view.resize(1700, 300)
    view.show()
    qtbot.waitExposed(view)
    yield time_axis
    view.close()


@pytest.fixture
def painter() -> Iterator[QPainter]:
    image = QImage(2000, 200, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(image)
    yield p
    p.end()


def _compare(axis: TimeAxis, painter: QPainter) -> list[str]:
    labels: list[str] = []
    view = axis.linkedView()
    for span in SPANS:
        view.setXRange(END - span, END, padding=0)
        # Twice: the second layout is the one built from the kept labels.
        for _ in range(2):
            ours = _plain(axis.generateDrawSpecs(painter))
            theirs = _plain(LocalDateAxis.generateDrawSpecs(axis, painter))
            assert ours == theirs, span
        # A pan by a tenth of the span: new labels beside kept ones.
        view.setXRange(END - 1.1 * span, END - 0.1 * span, padding=0)
        assert _plain(axis.generateDrawSpecs(painter)) == _plain(
            LocalDateAxis.generateDrawSpecs(axis, painter)
        )
        labels += [text for *_rest, text in ours[2]]
    return labels


def test_the_time_axis_draws_what_pyqtgraph_draws(qapp, axis, painter) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, "en")
    labels = _compare(axis, painter)
    assert len(labels) > 40  # every span drew labels: the comparison compared something


def test_the_time_axis_follows_a_change_of_language(qapp, axis, painter) -> None:  # type: ignore[no-untyped-def]
    install_language(qapp, "en")
    english = _compare(axis, painter)
    install_language(qapp, "es")
    try:
        spanish = _compare(axis, painter)
    finally:
        install_language(qapp, "en")
    # Kept English labels are not shown once the screen is in Spanish (weekdays and months differ).
    assert english != spanish
    assert any(label.startswith(("lun", "mar", "mié", "jue", "vie", "sáb", "dom")) for label in spanish)


@pytest.mark.parametrize("point_size", [8, 11, 16])
def test_the_time_axis_picks_the_zoom_level_pyqtgraph_picks(qapp, axis, painter, point_size) -> None:  # type: ignore[no-untyped-def]
    font = painter.font()
    font.setPointSize(point_size)
    painter.setFont(font)
    axis.linkedView().setXRange(END - 3600.0, END, padding=0)
    axis.generateDrawSpecs(painter)  # as a frame does: the axis now knows the painter's font
    levels = set()
    # Seconds per pixel from a 20 s view to an 800-day view on a wide screen, and beyond both ends.
    for density in [0.001, 0.01, 0.05, 0.2, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1e3, 5e3, 2e4, 1e5, 1e6]:
        axis.setZoomLevelForDensity(density)
        ours = (axis.zoomLevel, axis.minSpacing)
        pg.DateAxisItem.setZoomLevelForDensity(axis, density)
        assert ours == (axis.zoomLevel, axis.minSpacing), density
        levels.add(id(axis.zoomLevel))
    assert len(levels) >= 5  # the densities reached most levels: the comparison compared something
