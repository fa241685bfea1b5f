"""A stored series drawn as a line, at the cost a 1 Hz screen can pay on every tick.

pyqtgraph's PlotDataItem runs every new array through a pipeline (log and FFT modes, downsampling,
clipping to the view) that this screen never uses: the window arrives already reduced to what the
plot can show (bedside.live). Its curve also forgets its data's bounds whenever the view moves, which
in follow mode is every second, and finds them again with nanmin/nanmax over every value. A TrendLine
is the curve alone, told its bounds by the caller, who has them already.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


def value_bounds(values: np.ndarray) -> tuple[float, float] | None:
    """The lowest and highest finite value, or None when there is none."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    return float(finite.min()), float(finite.max())


class TrendLine(pg.PlotCurveItem):
    """One series as one path, gaps broken where its values are NaN (connect="finite")."""

    def __init__(self, pen: pg.QtGui.QPen) -> None:
        super().__init__(pen=pen, connect="finite")
        self._bounds: tuple[tuple[float, float], tuple[float, float]] | None = None

    def show_values(self, times: np.ndarray, values: np.ndarray, bounds: tuple[float, float] | None) -> None:
        """`times` ascending; `bounds`: of the finite `values` (value_bounds), None when none is."""
        given = None if bounds is None or times.size == 0 else ((float(times[0]), float(times[-1])), bounds)
        self._bounds = given
        super().setData(times, values, connect="finite")

    def setData(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._bounds = None  # values from elsewhere: pyqtgraph finds their bounds itself
        super().setData(*args, **kwargs)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # type: ignore[no-untyped-def]
        if frac >= 1.0 and orthoRange is None and self._bounds is not None and ax in (0, 1):
            return self._bounds[ax]
        return super().dataBounds(ax, frac, orthoRange)

    def viewTransformChanged(self) -> None:
        # The padding of the bounding rectangle is in pixels and follows the view; the data's bounds
        # do not, and are kept.
        self._boundingRect = None
        self.prepareGeometryChange()
