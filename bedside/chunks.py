"""Chunked numerics: one row per series-hour holding 3,600 float32 slots, NaN where no value came.

Why: reading a week of 1 Hz values as one row per sample costs 318-558 ms however it is indexed;
as chunks it costs milliseconds and ~4 bytes a sample (architecture-research.md §3.2). Ingest still
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


def break_gaps(
    times: npt.NDArray[np.float64], values: npt.NDArray[np.float64], max_gap: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Insert a NaN wherever consecutive values are more than `max_gap` s apart, so a plot drawn with
    connect="finite" shows the gap instead of a straight line across missing data."""
    if times.size < 2:
        return times, values
    gaps = np.flatnonzero(np.diff(times) > max_gap)
    if gaps.size == 0:
        return times, values
    t = np.insert(times, gaps + 1, times[gaps] + max_gap / 2)
    v = np.insert(values, gaps + 1, np.nan)
    return t, v


def min_max_envelope(
    times: npt.NDArray[np.float64], values: npt.NDArray[np.float64], start: float, end: float, bins: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per bin of [start, end): bin centre, minimum and maximum (NaN for empty bins). `times` sorted.

    Two points per pixel column are all a zoomed-out plot needs: 16.5 ms per frame for a week of 12
    curves instead of 47 ms with pyqtgraph's own downsampling on raw arrays (ARCHITECTURE.md §7).
    """
    if bins <= 0 or end <= start:
        raise ValueError("need bins > 0 and end > start")
    width = (end - start) / bins
    centres = start + width * (np.arange(bins) + 0.5)
    lo = np.full(bins, np.nan)
    hi = np.full(bins, np.nan)
    keep = (times >= start) & (times < end) & np.isfinite(values)
    t, v = times[keep], values[keep]
    if t.size:
        # Times are sorted, so each bin is one contiguous run: reduceat over the run starts.
        b = np.minimum(((t - start) / width).astype(np.int64), bins - 1)
        starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
        lo[b[starts]] = np.minimum.reduceat(v, starts)
        hi[b[starts]] = np.maximum.reduceat(v, starts)
    return centres, lo, hi
