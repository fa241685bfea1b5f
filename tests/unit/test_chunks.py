import numpy as np
import pytest

from bedside.chunks import (
    CHUNK_MS,
    CHUNK_SECONDS,
    chunk_start_ms,
    decode_grid,
    empty_grid,
    encode_grid,
    envelope_line,
    gaps,
    line_with_gaps,
    min_max_envelope,
    place,
    samples,
    summarise,
)


def test_chunk_start_is_the_hour_also_before_1970() -> None:
    assert chunk_start_ms(1_735_732_800_123) == 1_735_732_800_000
    assert chunk_start_ms(CHUNK_MS - 1) == 0
    assert chunk_start_ms(-1) == -CHUNK_MS


def test_grid_round_trips_bytes_with_nan_gaps() -> None:
    grid = empty_grid()
    place(grid, 0, [0, 1500, 3_599_999], [1.0, 2.5, 3.0])
    blob = encode_grid(grid)
    assert len(blob) == CHUNK_SECONDS * 4
    back = decode_grid(blob)
    assert back[0] == 1.0 and back[1] == 2.5 and back[-1] == 3.0
    assert np.isnan(back[2:-1]).all()
    assert summarise(back).count == 3 and summarise(back).maximum == 3.0
    with pytest.raises(ValueError):
        decode_grid(blob[:-4])


def test_last_value_of_a_second_wins_and_outside_values_are_refused() -> None:
    grid = empty_grid()
    place(grid, 0, [1000, 1999, 1000], [1.0, 2.0, 3.0])
    assert grid[1] == 3.0
    with pytest.raises(ValueError):
        place(grid, 0, [CHUNK_MS], [1.0])


def test_samples_cut_by_a_window() -> None:
    grid = empty_grid()
    place(grid, 0, np.arange(0, 60_000, 1000), np.arange(60.0))
    t, v = samples(0, grid, 10_500, 20_000)
    assert t.tolist() == [float(s) for s in range(11, 21)]
    assert v.tolist() == [float(s) for s in range(11, 21)]
    t, v = samples(0, grid, 100_000, 200_000)
    assert t.size == 0 and v.size == 0


def test_a_line_is_broken_only_at_gaps_and_a_lone_value_is_a_dash() -> None:
    t = np.array([0.0, 1.0, 2.0, 100.0, 101.0])
    bt, bv = line_with_gaps(t, np.ones(5), dash=4.0)
    assert bt.size == 6 and np.isnan(bv[3]) and 2.0 < bt[3] < 100.0
    same_t, _ = line_with_gaps(t[:3], np.ones(3), 4.0)
    assert same_t.size == 3
    lone = np.array([0.0, 60.0, 120.0, 1000.0, 2000.0, 2060.0])
    lt, lv = line_with_gaps(lone, np.arange(6.0), dash=4.0)
    at = np.flatnonzero(lv == 3.0)
    assert lt[at].tolist() == [998.0, 1002.0] and np.isnan(lv[at[0] - 1]) and np.isnan(lv[at[1] + 1])
    assert (np.diff(lt) >= 0).all()


def test_a_gap_is_judged_by_the_cadence_around_it() -> None:
    minutes = np.arange(0.0, 3600.0, 60.0)
    seconds = np.arange(3600.0, 7200.0, 1.0)
    assert not gaps(np.concatenate([minutes, seconds])).any()  # slower is no gap, nor the change
    probe_off = np.concatenate([seconds[:100], seconds[200:]])  # 101 s without the 1 s values
    assert np.flatnonzero(gaps(probe_off)).tolist() == [99]
    assert np.flatnonzero(gaps(np.delete(minutes, [10, 11, 12]))).tolist() == [9]  # 4 min in minutes
    assert not gaps(np.delete(minutes, [10])).any()  # one report missed
    assert gaps(np.array([0.0, 40.0])).tolist() == [True]  # two values: the floor alone


def test_an_envelope_line_keeps_sparse_values_joined() -> None:
    t = np.arange(0.0, 6 * 3600.0, 60.0)  # a report a minute in 21.6 s columns: most are empty
    x, y = envelope_line(t, np.full(t.size, 80.0), 0.0, 6 * 3600.0, 1000)
    assert not np.isnan(y).any() and x.size == t.size and (np.diff(x) >= 0).all()


def test_envelope_keeps_the_peaks() -> None:
    t = np.arange(0.0, 1000.0)
    v = np.zeros(1000)
    v[123] = 50.0
    v[800] = -7.0
    centres, lo, hi = min_max_envelope(t, v, 0.0, 1000.0, 10)
    assert centres[0] == 50.0
    assert hi[1] == 50.0 and lo[8] == -7.0
    _, lo2, hi2 = min_max_envelope(t[:100], v[:100], 0.0, 1000.0, 10)
    assert np.isnan(lo2[5]) and np.isnan(hi2[5])
