"""Chunked numerics: one row per series-hour holding 3,600 float32 slots, NaN where no value came.

Why: reading a week of 1 Hz values as one row per sample is slow however it is indexed (per-row
overhead dominates), while a week of chunks is 168 rows per series and under 5 bytes a sample on disk
(`make bench`, docs/performance.md). Ingest still
writes one small row per value (cheap, commit before ACK), and a compactor folds those rows into the
hour chunks: small writes, large reads.

Numerics are kept at 1 s resolution: a value's slot is the whole second of its observation time, and
a later value for the same second replaces an earlier one (a resent or corrected sample).
Everything here is pure numpy: the database adapters only move bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

CHUNK_SECONDS = 3600
CHUNK_MS = CHUNK_SECONDS * 1000
_DTYPE = np.dtype("<f4")  # little-endian float32 on every platform


def chunk_start_ms(t_ms: int) -> int:
    """Start (epoch ms) of the chunk holding a time; floor division also works before 1970."""
    return (t_ms // CHUNK_MS) * CHUNK_MS


def empty_grid() -> npt.NDArray[np.float32]:
    return np.full(CHUNK_SECONDS, np.nan, dtype=_DTYPE)


def decode_grid(blob: bytes) -> npt.NDArray[np.float32]:
    grid = np.frombuffer(blob, dtype=_DTYPE)
    if grid.shape[0] != CHUNK_SECONDS:
        raise ValueError(f"a chunk holds {CHUNK_SECONDS} values, this one {grid.shape[0]}")
    return grid


def encode_grid(grid: npt.NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(grid, dtype=_DTYPE).tobytes()


def place(
    grid: npt.NDArray[np.float32], start_ms: int, times_ms: npt.ArrayLike, values: npt.ArrayLike
) -> None:
    """Write values into their slots, in the order given (so the last of a second wins)."""
    t = np.asarray(times_ms, dtype=np.int64)
    slots = (t - start_ms) // 1000
    if slots.size and (slots.min() < 0 or slots.max() >= CHUNK_SECONDS):
        raise ValueError("a value outside the chunk's hour")
    grid[slots] = np.asarray(values, dtype=np.float64).astype(_DTYPE)


@dataclass(frozen=True, slots=True)
class ChunkSummary:
    count: int
    minimum: float | None
    maximum: float | None


def summarise(grid: npt.NDArray[np.float32]) -> ChunkSummary:
    finite = grid[np.isfinite(grid)]
    if finite.size == 0:
        return ChunkSummary(0, None, None)
    return ChunkSummary(int(finite.size), float(finite.min()), float(finite.max()))


def samples(
    start_ms: int, grid: npt.NDArray[np.float32], lo_ms: int, hi_ms: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float32]]:
    """The present values of a grid (one chunk or several in a row) inside [lo_ms, hi_ms], as
    (times in float64 s, values in float32: the precision they were stored with)."""
    first = max(0, -(-(lo_ms - start_ms) // 1000))  # ceil: the first whole second at or after lo
    last = min(grid.shape[0] - 1, (hi_ms - start_ms) // 1000)
    if last < first:
        return np.empty(0, dtype=np.float64), np.empty(0, dtype=_DTYPE)
    part = grid[first : last + 1]
    present = ~np.isnan(part)
    times = np.arange(part.shape[0], dtype=np.float64)
    times += start_ms / 1000.0 + first
    return times[present], part[present]


GAP_FLOOR = 30.0
"""Values up to this far apart are always joined: feeds report every 1-60 s, and a probe off for
minutes must show."""


def gaps(times: npt.NDArray[np.float64], floor: float = GAP_FLOOR) -> npt.NDArray[np.bool_]:
    """For each interval between consecutive values: whether it is a gap in the data, i.e. longer than
    `floor` and than three times the signal's own cadence there (the median of the two intervals on
    each side). Local, because one series may be sent every second for an hour and once a minute for
    the days before: a single limit for the whole view either breaks the slow part at every value or
    hides a minutes-long dropout in the fast part."""
    d = np.diff(times)
    out = d > floor
    cand = np.flatnonzero(out)
    if cand.size:
        padded = np.concatenate(([np.nan, np.nan], d, [np.nan, np.nan]))
        around = padded[cand[:, None] + np.array([0, 1, 3, 4])]
        # An interval with no neighbours (two values in view) is judged by the floor alone.
        rows = ~np.isnan(around).all(axis=1)
        local = np.zeros(cand.size)
        local[rows] = np.nanmedian(around[rows], axis=1)
        out[cand] = d[cand] > 3.0 * local
    return out


def line_with_gaps(
    times: npt.NDArray[np.float64],
    values: npt.ArrayLike,
    dash: float,
    floor: float = GAP_FLOOR,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The values as a line to draw with connect="finite": a NaN inside each gap, and each value with a
    gap on both sides drawn as a dash `dash` s wide (a lone point joins nothing and would not show)."""
    v = np.asarray(values, dtype=np.float64)
    if times.size == 0:
        return times.astype(np.float64), v
    brk = np.append(gaps(times, floor), False)
    return _assemble(times, v, times, v, brk, dash)


def envelope_line(
    times: npt.NDArray[np.float64],
    values: npt.ArrayLike,
    start: float,
    end: float,
    bins: int,
    floor: float = GAP_FLOOR,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Min and max per bin of [start, end] for a zoomed-out view, as a line to draw with
    connect="finite". Only bins holding values are drawn, and two of them are joined unless the data
    have a gap between them (`gaps`): an empty bin is no gap when the values come less often than
    the bins (a report a minute in 20 s bins). A bin with a gap on both sides is drawn across its
    width, so a lone value still shows."""
    if bins <= 0 or end <= start:
        raise ValueError("need bins > 0 and end > start")
    v_all = np.asarray(values, dtype=np.float64)
    keep = (times >= start) & (times <= end) & np.isfinite(v_all)
    t, v = times[keep], v_all[keep]
    if t.size == 0:
        return np.empty(0), np.empty(0)
    width = (end - start) / bins
    b = np.minimum(((t - start) / width).astype(np.int64), bins - 1)
    runs = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])  # times are sorted: one run per bin
    lo = np.minimum.reduceat(v, runs)
    hi = np.maximum.reduceat(v, runs)
    centres = start + width * (b[runs] + 0.5)
    brk = np.append(gaps(t, floor)[runs[1:] - 1], False)  # the interval between two bins' runs
    return _assemble(centres, lo, centres, hi, brk, width)


def _assemble(
    t_first: npt.NDArray[np.float64],
    v_first: npt.NDArray[np.float64],
    t_second: npt.NDArray[np.float64],
    v_second: npt.NDArray[np.float64],
    brk: npt.NDArray[np.bool_],
    dash: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Item i as its first point, its second point unless it is the same point and joined to a
    neighbour, then a NaN when `brk[i]` (a gap follows). An item with a gap on both sides spreads its
    two points `dash` s apart around its time."""
    before = np.r_[True, brk[:-1]]  # the view's edges count as gaps: nothing is known beyond
    after = brk.copy()
    after[-1] = True
    lone = before & after
    single = (t_first == t_second) & (v_first == v_second) & ~lone
    size = 2 - single.astype(np.int64) + brk.astype(np.int64)
    last = np.cumsum(size) - 1
    first = last - size + 1
    total = int(last[-1]) + 1
    t = np.empty(total)
    v = np.empty(total)
    t[first], v[first] = t_first, v_first
    two = np.flatnonzero(~single)
    t[first[two] + 1], v[first[two] + 1] = t_second[two], v_second[two]
    # Never past half way to a neighbour: the times stay sorted, which clipping to the view needs.
    room_left = np.r_[np.inf, (t_first[1:] - t_second[:-1]) / 2]
    room_right = np.r_[(t_first[1:] - t_second[:-1]) / 2, np.inf]
    spread = np.flatnonzero(lone)
    t[first[spread]] -= np.minimum(dash / 2, room_left[spread])
    t[first[spread] + 1] += np.minimum(dash / 2, room_right[spread])
    gap = np.flatnonzero(brk)
    v[last[gap]] = np.nan
    t[last[gap]] = (t[last[gap] - 1] + t[np.minimum(last[gap] + 1, total - 1)]) / 2
    return t, v


def min_max_envelope(
    times: npt.NDArray[np.float64], values: npt.NDArray[np.float64], start: float, end: float, bins: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per bin of [start, end]: bin centre, minimum and maximum (NaN for empty bins). `times` sorted.

    Two points per pixel column are all a zoomed-out plot needs, and, unlike decimation, the envelope
    keeps every spike visible. Computed off the GUI thread, it spares the plot library from reducing a
    week of raw arrays on every frame.
    """
    if bins <= 0 or end <= start:
        raise ValueError("need bins > 0 and end > start")
    width = (end - start) / bins
    centres = start + width * (np.arange(bins) + 0.5)
    lo = np.full(bins, np.nan)
    hi = np.full(bins, np.nan)
    keep = (times >= start) & (times <= end) & np.isfinite(values)  # closed, as windows are
    t, v = times[keep], values[keep]
    if t.size:
        # Times are sorted, so each bin is one contiguous run: reduceat over the run starts.
        b = np.minimum(((t - start) / width).astype(np.int64), bins - 1)
        starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
        lo[b[starts]] = np.minimum.reduceat(v, starts)
        hi[b[starts]] = np.maximum.reduceat(v, starts)
    return centres, lo, hi
