"""bedside-ingest's limit options: defaults, and settings that cannot work together refused at start."""

from __future__ import annotations

import pytest
from bedside_adapters.ingest.main import build_parser, main
from bedside_adapters.mllp.limits import ConnectionLimits


def test_the_defaults_are_the_shipped_limits() -> None:
    args = build_parser().parse_args([])
    limits = ConnectionLimits(args.max_connections_per_address, args.frame_deadline, args.buffer_budget)
    assert limits == ConnectionLimits()
    assert (limits.per_address, limits.frame_deadline, limits.buffer_budget) == (32, 60.0, 64 * 1024 * 1024)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--buffer-budget", "1000"], "must hold at least one frame"),
        (["--frame-deadline", "-1"], "cannot be negative"),
    ],
)
def test_limits_that_cannot_work_stop_the_service_at_start(tmp_path, capsys, options, message) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert main(["--db", db, "--listen", "127.0.0.1:0", "--no-alerting", *options]) == 2
    assert message in capsys.readouterr().err
