"""`bedside-cli stats | head`: a reader that goes away ends the command quietly, with no traceback."""

from __future__ import annotations

import os
import sys

import pytest
from bedside_adapters.cli import main


def test_a_closed_pipe_ends_the_command_quietly(monkeypatch: pytest.MonkeyPatch, capsys, data_dir) -> None:  # type: ignore[no-untyped-def]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before a byte is written
    with os.fdopen(write_end, "w") as closed_pipe:
        monkeypatch.setattr(sys, "stdout", closed_pipe)
        assert main(["codes"]) == 141  # 128 + SIGPIPE, as a tool killed by the signal
        monkeypatch.undo()
    assert "Traceback" not in capsys.readouterr().err
