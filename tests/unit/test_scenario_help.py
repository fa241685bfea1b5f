"""`bedside --help` and `bedside-cli simulate --help` name every scenario the demo can run."""

from __future__ import annotations

from bedside_ui.app import build_parser

from bedside.resources import resource_path, scenario_names


def test_every_scenario_file_is_named() -> None:
    files = sorted(p.stem for p in resource_path("scenarios").glob("*.toml"))
    assert {"reintubated", "died"} <= set(files)
    assert scenario_names() == files


def test_help_lists_every_scenario(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "400")  # argparse wraps at hyphens otherwise
    text = " ".join(build_parser().format_help().split())
    for name in scenario_names():
        assert name in text, name
