"""docs/performance.md's generated block, from a small build/bench.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bench.perf_page import BEGIN, END, render, update_page, write_page

SAMPLE = [
    {
        "name": "ui.frame_ms_max",
        "value": 12.24,
        "unit": "ms",
        "baseline": 247.0,
        "ratio": 20.2,
        "target": 16.0,
        "target_is": "max",
        "note": "worst pan/zoom frame",
    },
    {
        "name": "ingest.msgs_per_s_1conn",
        "value": 2538.4,
        "unit": "msg/s",
        "baseline": 794.0,
        "ratio": 3.2,
        "target": 5.0,
        "note": "baseline: python-hl7",
    },
    {
        "name": "storage.bytes_per_sample",
        "value": 4.7,
        "unit": "B",
        "baseline": None,
        "ratio": None,
        "target": 5.0,
    },
    {
        "name": "ingest.listener_cpu_us_per_msg_16conn",
        "value": 209.0,
        "unit": "us",
        "baseline": None,
        "ratio": None,
        "target": None,
    },
]


def test_each_figure_is_a_row_with_its_target_and_whether_it_is_met() -> None:
    text = render(SAMPLE)
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows == [
        "| `ingest.msgs_per_s_1conn` | 2,538 | msg/s | 794 | 3.2× | ≥ 5× | **not met** |",
        "| `ingest.listener_cpu_us_per_msg_16conn` | 209 | µs |  |  |  |  |",
        "| `storage.bytes_per_sample` | 4.7 | B |  |  | < 5 B | met |",
        "| `ui.frame_ms_max` | 12.2 | ms | 247 | 20.2× | < 16 ms | met |",
    ]
    assert "4 figures from `build/bench.json`; 2 of 3 targets met." in text
    assert "- `ui.frame_ms_max`: worst pan/zoom frame" in text
    assert "- `ingest.msgs_per_s_1conn`: baseline: python-hl7" in text
    assert text.startswith(BEGIN) and text.endswith(END)


def test_groups_missing_from_the_file_are_named() -> None:
    text = render([r for r in SAMPLE if r["name"].startswith("ui.")])
    assert (
        "Not in this file (run `make bench ONLY=<group>` or `make bench`): "
        "`ingest`, `connections`, `storage`, `alerts`." in text
    )
    every = [*SAMPLE, dict(SAMPLE[0], name="alerts.latency_p99_ms"), dict(SAMPLE[0], name="connections.x")]
    assert "Not in this file" not in render(every)


def test_the_hand_written_text_around_the_block_is_kept(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text(f"# Speed\n\nHow it is measured.\n\n{BEGIN}\nold figures\n{END}\n\n## Ingest\n\nprose\n")
    bench = tmp_path / "bench.json"
    bench.write_text(json.dumps(SAMPLE))
    write_page(bench, page)
    text = page.read_text()
    assert text.startswith("# Speed\n\nHow it is measured.\n\n" + BEGIN)
    assert text.endswith(END + "\n\n## Ingest\n\nprose\n")
    assert "old figures" not in text
    assert "| `ui.frame_ms_max` | 12.2 |" in text


def test_a_page_without_the_block_is_refused() -> None:
    with pytest.raises(ValueError, match="no generated block"):
        update_page("# Speed\n", SAMPLE)


def test_the_committed_page_has_the_block() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
    text = page.read_text(encoding="utf-8")
    assert text.index(BEGIN) < text.index(END)
