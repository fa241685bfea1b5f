"""`bedside-cli simulate --scenario NAME --out DIR --start ISO`: an export anchored at a fixed start is the
same, byte for byte, every time it is made (so a course can be shared, diffed and cited)."""

from __future__ import annotations

import json
from pathlib import Path

from bedside_adapters.cli import main


def _export(out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["simulate", "--scenario", "calm-with-artefacts", "--out", str(out), *extra]) == 0
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_two_exports_with_the_same_start_are_identical(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = _export(tmp_path / "a", "--start", "2026-03-02T00:00:00")
    second = _export(tmp_path / "b", "--start", "2026-03-02T00:00:00Z")  # no zone means UTC
    assert first == second
    assert len(first) > 3 and "ground_truth.json" in first
    truth = json.loads(first["ground_truth.json"])
    assert truth["start"] == 1_772_409_600.0  # 2026-03-02T00:00:00Z
    other = _export(tmp_path / "c", "--start", "2026-03-03T00:00:00")
    assert other != first  # the anchor is what makes it the same, not a constant
    capsys.readouterr()
