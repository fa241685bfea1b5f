"""`bedside-cli raw show ID`: the stored frame as received, whatever its storage; `raw prune`."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.raw_training import train_due
from bedside_adapters.sim.pcd01 import SimulatedMonitor
from bedside_ui.cli import main as cli_main

from bedside.clock import to_ms
from tests.integration.test_raw_frames import T0, Feed

LATIN1 = SimulatedMonitor(eui64="00000000000B0001", given_name="Zoé")


def latin1_frame(control: str) -> bytes:
    """A frame in ISO 8859-1 (MSH-18 8859/1): its bytes are not UTF-8, so nothing may decode them."""
    text = LATIN1.message(control, T0, {"hr": 88, "spo2": 95}).replace("UNICODE UTF-8", "8859/1")
    return text.encode("latin-1")


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, dict[str, tuple[int, bytes]]]:
    """A database with a frame stored before its sender's dictionary, one with it, and one pruned."""
    path = tmp_path / "raw.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    feed = Feed(engine)
    frames = {"plain zstd": feed.send(latin1_frame("L-0"))[:2]}
    for k in range(60):
        feed.send(latin1_frame(f"L-{k + 1}"))
    train_due(engine, feed.store.raw, to_ms(T0), min_frames=50)
    frames["dictionary"] = feed.send(latin1_frame("L-DICT"))[:2]
    engine.dispose()
    return path, frames


@pytest.mark.parametrize("which", ["plain zstd", "dictionary"])
def test_raw_show_bytes_writes_the_frame_exactly(stored, which: str) -> None:
    path, frames = stored
    message_id, frame = frames[which]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    # A real process and a real pipe: nothing between the stored bytes and the reader changes one.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bedside_ui.cli",
            "--db",
            str(path),
            "raw",
            "show",
            str(message_id),
            "--bytes",
        ],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == frame
    assert b"Zo\xe9" in done.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # read-only


def test_raw_show_puts_one_segment_on_a_line(stored, capsysbinary) -> None:
    path, frames = stored
    message_id, frame = frames["dictionary"]
    assert cli_main(["--db", str(path), "raw", "show", str(message_id)]) == 0
    out = capsysbinary.readouterr().out
    assert out == frame.replace(b"\r", b"\n")
    assert out.splitlines()[0].startswith(b"MSH|") and out.count(b"\n") == frame.count(b"\r")


def test_raw_show_says_what_it_cannot_show(stored, capsys) -> None:
    path, frames = stored
    assert cli_main(["--db", str(path), "raw", "show", "999999"]) == 2
    assert "no message 999999" in capsys.readouterr().err
    # Pruned by raw retention (every vital-sign frame here is older than a day before now).
    assert cli_main(["--db", str(path), "raw", "prune", "--older-than-days", "1"]) == 0
    assert "dropped the received bytes of 62 vital-sign frames" in capsys.readouterr().out
    message_id, _ = frames["dictionary"]
    assert cli_main(["--db", str(path), "raw", "show", str(message_id)]) == 2
    assert "dropped by raw retention" in capsys.readouterr().err
