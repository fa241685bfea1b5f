"""Every stored value is drawn, in every view: a course sent at mixed intervals (a report a minute for
days, every 5 s for an hour, every second for the last hour), stored as Bedside stores it (hour chunks
and the newest rows) in a SQLite file, shown by the real window."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.streams import stream_of
from bedside_ui.main_window import MainWindow
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from sqlalchemy import insert

from bedside.chunks import CHUNK_MS, CHUNK_SECONDS, encode_grid, summarise
from bedside.live import BINS
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog

PATIENT = PatientRef("MIXED", "TEST")
DEVICE = "MONITOR^0001"
T0_MS = 1_790_000_000_000 // CHUNK_MS * CHUNK_MS
DAYS = 8
END = T0_MS / 1000 + DAYS * 86400 - 1800.0  # the last half hour still as rows, not yet compacted
HOT_FROM = END - 600.0
GAP = (END - 4 * 3600.0, END - 4 * 3600.0 + 20 * 60)  # a probe off for 20 min in the minute reports
LONE = END - 3 * 3600.0 + 30 * 60  # one reading alone between two silent quarter hours
VIEWS = {"1 h": 3600.0, "6 h": 6 * 3600.0, "24 h": 86400.0, "7 d": 7 * 86400.0}
SERIES = {"hr": (70.0, "/min"), "spo2": (95.0, "%"), "abp_sys": (120.0, "mm[Hg]")}


def course_times() -> np.ndarray:
    """Whole seconds: every 60 s until 2 h before the end, every 5 s for the hour after, every 1 s for
    the last hour; a 20-min gap and a lone value in the minute reports."""
    start = T0_MS / 1000
    slow = np.arange(start, END - 2 * 3600.0, 60.0)
    slow = slow[(slow < GAP[0]) | (slow >= GAP[1])]
    slow = slow[(np.abs(slow - LONE) >= 15 * 60) | (slow == LONE)]
    medium = np.arange(END - 2 * 3600.0, END - 3600.0, 5.0)
    fast = np.arange(END - 3600.0, END + 1.0, 1.0)
    return np.concatenate([slow, medium, fast])


def store_course(engine) -> dict[str, tuple[np.ndarray, np.ndarray]]:  # type: ignore[no-untyped-def]
    times = course_times()
    rng = np.random.default_rng(21)
    stored = {}
    with engine.begin() as conn:
        conn.execute(
            insert(t.patient),
            {"identifier": PATIENT.identifier, "authority": PATIENT.authority, "updated_ms": 0},
        )
        sender_id = conn.execute(insert(t.message_sender).values(name=DEVICE)).inserted_primary_key[0]
        message = conn.execute(
            insert(t.inbound_message),
            {
                "received_ms": 0,
                "peer": "-",
                "sender_id": sender_id,
                "digest": b"-",
                "raw": b"-",
                "raw_size": 1,
            }
            | {"ack_code": "AA", "ack": "-"},
        ).inserted_primary_key[0]
        for sid, (parameter, (mean, unit)) in enumerate(SERIES.items(), start=1):
            conn.execute(
                insert(t.series),
                {"id": sid, "patient_ref": str(PATIENT), "patient_id": 1, "parameter": parameter}
                | {"unit": unit, "device": DEVICE, "instance": ""},
            )
            values = np.round(mean + 5 * np.sin(times / 1800.0) + rng.normal(0, 2, times.size), 1)
            stored[parameter] = (times, values.astype(np.float32))
            cold = times < HOT_FROM
            grid = np.full(DAYS * 86400, np.nan, dtype=np.float32)
            grid[(times[cold] - T0_MS / 1000).astype(np.int64)] = values[cold]
            chunks = []
            for h in range(DAYS * 24):
                g = grid[h * CHUNK_SECONDS : (h + 1) * CHUNK_SECONDS]
                s = summarise(g)
                if s.count:
                    chunks.append(
                        {"series_id": sid, "start_ms": T0_MS + h * CHUNK_MS, "count": s.count}
                        | {"vmin": s.minimum, "vmax": s.maximum, "grid": encode_grid(g), "updated_ms": 0}
                    )
            conn.execute(insert(t.series_chunk), chunks)
            conn.execute(
                insert(t.observation),
                [
                    {"series_id": sid, "observed_ms": int(at * 1000), "received_ms": int(at * 1000)}
                    | {"value": float(v), "message_id": message, "stream": stream_of(DEVICE)}
                    for at, v in zip(times[~cold], values[~cold], strict=True)
                ],
            )
    return stored


def drawn_segments(curve: pg.PlotDataItem | pg.PlotCurveItem) -> tuple[np.ndarray, np.ndarray]:
    """The segments pyqtgraph strokes for a curve (after any clipping and downsampling of its own), as
    (x0, x1) and (y0, y1) arrays: consecutive finite points that are not the same point (Qt draws
    nothing for a line of zero length)."""
    if isinstance(curve, pg.PlotDataItem):
        ds = curve._getDisplayDataset()
        shown = (None, None) if ds is None else (ds.x, ds.y)
    else:  # a bare curve strokes the arrays it holds
        shown = curve.getData()
    if shown[0] is None or len(shown[0]) < 2:
        return np.empty((0, 2)), np.empty((0, 2))
    x, y = np.asarray(shown[0], dtype=float), np.asarray(shown[1], dtype=float)
    ok = np.isfinite(y[:-1]) & np.isfinite(y[1:]) & ((x[:-1] != x[1:]) | (y[:-1] != y[1:]))
    return np.c_[x[:-1], x[1:]][ok], np.c_[y[:-1], y[1:]][ok]


def undrawn(times: np.ndarray, values: np.ndarray, xs: np.ndarray, ys: np.ndarray, tol: float) -> np.ndarray:
    """The stored values that no drawn segment covers: none spans their time (within `tol` s) and
    their value."""
    if xs.size == 0:
        return times
    first = np.searchsorted(xs[:, 1], times - tol, side="left")
    stop = np.searchsorted(xs[:, 0], times + tol, side="right")
    covered = np.zeros(times.size, dtype=bool)
    lo, hi = ys.min(axis=1), ys.max(axis=1)
    for j in range(int((stop - first).max(initial=0))):
        k = np.minimum(first + j, len(xs) - 1)
        inside = (first + j < stop) & (lo[k] - 1e-6 <= values) & (values <= hi[k] + 1e-6)
        covered |= inside
    return times[~covered]


def course_window(qtbot, engine) -> MainWindow:  # type: ignore[no-untyped-def]
    """The nurse's screen on the stored course, its clock at the course's end."""
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(engine), ParameterCatalog.load(), clock=lambda: END, refresh_ms=100, settings=settings
    )
    qtbot.addWidget(window)
    return window


@pytest.fixture
def mixed_window(qtbot, sqlite_engine):
    stored = store_course(sqlite_engine)
    window = course_window(qtbot, sqlite_engine)
    window.resize(1366, 768)
    window.show()
    yield window, stored
    window.shutdown()


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_stored_value_is_drawn_in_every_view(qtbot, mixed_window, view) -> None:
    window, stored = mixed_window
    span = VIEWS[view]
    window.trends.choose_preset(view)
    qtbot.waitUntil(
        lambda: (
            window.snapshot is not None and abs(window.snapshot.view_end - window.snapshot.start - span) < 1
        ),
        timeout=15_000,
    )
    qtbot.waitUntil(lambda: abs(np.diff(window.trends.items[0].getViewBox().viewRange()[0])[0] - span) < 1)
    for parameter, (times, values) in stored.items():
        plot = next(p for p in window.trends.plots if parameter in p.group.parameters)
        sid = list(SERIES).index(parameter) + 1
        curve = plot.curves[sid]
        assert plot.curve_style[sid] == "line"
        vb = plot.item.getViewBox()
        x0, x1 = vb.viewRange()[0]
        pixel = (x1 - x0) / vb.width()
        assert span / BINS < 1.5 * pixel  # a column is about a pixel
        inside = (times >= x0) & (times <= x1)
        xs, ys = drawn_segments(curve)
        missing = undrawn(times[inside], values[inside], xs, ys, tol=max(pixel, span / BINS / 2) + 1e-3)
        assert missing.size == 0, f"{view} {parameter}: {missing.size} stored values not drawn"
        # Broken only where the data have a gap: the 20-min probe-off, each side of the lone value.
        data = np.asarray(curve.yData, dtype=float)
        x = np.asarray(curve.xData, dtype=float)
        breaks = x[~np.isfinite(data)]
        expected = [g for g in ((GAP[0] + GAP[1]) / 2, LONE - 450, LONE + 450) if x0 < g < x1]
        assert breaks.size == len(expected), f"{view} {parameter}: breaks at {breaks - END}"
        for b, e in zip(np.sort(breaks), expected, strict=True):
            assert abs(b - e) < 600


def test_a_paused_views_titles_take_the_new_theme_at_once(qtbot, mixed_window) -> None:  # type: ignore[no-untyped-def]
    # Paused, the view gets no new values: the titles must still be written in the new theme's
    # colour, not stay in the old one (light text on a light background).
    from bedside_ui.theme import DARK, LIGHT

    window, _stored = mixed_window
    qtbot.waitUntil(lambda: any(c.isdigit() for c in window.trends.plots[0].title_item.toPlainText()))
    window.trends.set_following(False)
    for theme in (LIGHT, DARK, LIGHT):
        window.apply_theme(theme)
        for plot in window.trends.plots:
            html = plot.title_item.toHtml()
            assert QColor(theme.text).name() in html.lower(), (plot.group.title, theme.name)
            assert plot.title_item.toPlainText().startswith(plot.group.title)  # its values kept


@pytest.mark.parametrize("view", ["24 h", "7 d"])
def test_a_long_views_titles_give_the_newest_value_as_the_tiles_do(qtbot, mixed_window, view) -> None:  # type: ignore[no-untyped-def]
    # Zoomed out, a column's last point is its minimum or maximum and a long view's values are re-read
    # less often: the titles still give each parameter's newest stored value, not an old column's.
    from bedside.units import format_value

    window, stored = mixed_window
    window.trends.choose_preset(view)
    span = VIEWS[view]
    qtbot.waitUntil(
        lambda: (
            window.snapshot is not None and abs(window.snapshot.view_end - window.snapshot.start - span) < 1
        ),
        timeout=15_000,
    )
    reads = window.refreshes
    qtbot.waitUntil(lambda: window.refreshes >= reads + 2, timeout=15_000)  # a tick that reuses the values
    for parameter, (_times, values) in stored.items():
        plot = next(p for p in window.trends.plots if parameter in p.group.parameters)
        title = plot.title_item.toPlainText()
        assert format_value(parameter, float(values[-1]), plot.group.unit) in title, (parameter, title)
        assert "old)" not in title
