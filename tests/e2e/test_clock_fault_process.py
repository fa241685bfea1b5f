"""`bedside-ingest` as a real process with its default clock window: a monitor whose clock says 9999
is refused as a clock fault, the next message on time is stored; a window that is not one is a
start-up error."""

from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.mllp.client import MllpClient, ack_fields

from tests.e2e.test_ingest_process import BIN, start_ingest, stats
from tests.helpers import PCD01_20OBX

TIMES = re.compile(r"2025010111\d{4}\+0000|20250101120000\+0000")


def message(control_id: str, at: float, msh7: str | None = None) -> bytes:
    text = TIMES.sub(format_dtm(at), PCD01_20OBX.read_bytes().decode().replace("GW000123", control_id))
    if msh7 is not None:
        text = text.replace(f"|{format_dtm(at)}||ORU^R01", f"|{msh7}||ORU^R01", 1)
    return text.encode()


@pytest.mark.e2e
def test_year_9999_is_refused_and_the_next_message_stored(sqlite_url: str) -> None:
    proc, port = start_ingest(sqlite_url)  # --clock-behind inf; ahead: the default 24 h
    try:
        with MllpClient("127.0.0.1", port) as client:
            future = client.send(message("CF-9999", time.time(), msh7="99991231235959+0000"))
            assert ack_fields(future) == ("AE", "CF-9999")
            assert b"clock fault: MSH-7 9999-12-31 23:59:59 UTC is" in future
            assert ack_fields(client.send(message("CF-NOW", time.time()))) == ("AA", "CF-NOW")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    counted = stats(sqlite_url)
    assert counted["clock_faults"] == 1 and counted["messages_acknowledged"] == 1


@pytest.mark.e2e
def test_a_window_that_is_not_one_stops_the_start(sqlite_url: str) -> None:
    run = subprocess.run(
        [str(BIN / "bedside-ingest"), "--db", sqlite_url, "--listen", "127.0.0.1:0", "--clock-ahead", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "clock window" in run.stderr
