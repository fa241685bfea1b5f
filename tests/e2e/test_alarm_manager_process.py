"""The real `bedside-ingest` with `--alarm-manager`: its alerting process sends each alert as PCD-04 to
python-hl7's MLLP server, and keeps what that alarm manager refuses as dead letters in the database."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest
from bedside_adapters.db.dead_letters import list_dead_letters
from bedside_adapters.db.engine import make_engine

from tests.e2e.test_ingest_process import BIN, start_ingest, stats
from tests.pyhl7_receiver import pyhl7_receiver


@pytest.mark.e2e
def test_what_the_alarm_manager_refuses_is_kept_and_counted(sqlite_url: str) -> None:
    with pyhl7_receiver(lambda raw: "AE" if "|H1 " in raw else "AA") as receiver:
        proc, port = start_ingest(
            sqlite_url,
            "--alerting-workers",
            "0",
            "--alarm-manager",
            f"127.0.0.1:{receiver.port}",
            "--alarm-manager-attempts",
            "1",
        )
        try:
            subprocess.run(
                [
                    str(BIN / "bedside-cli"),
                    "simulate",
                    "--scenario",
                    "reaction",
                    "--to",
                    f"127.0.0.1:{port}",
                    "--backfill",
                    "21.5",
                    "--live-seconds",
                    "1",
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
            engine = make_engine(sqlite_url)
            try:
                for _ in range(200_000):  # poll (no sleeping) until H1 was raised and given up
                    if any(d.message.count("|H1 ") for d in list_dead_letters(engine)):
                        break
                else:
                    raise AssertionError("H1 was never kept as a dead letter")
            finally:
                engine.dispose()
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
            assert proc.stdout is not None
            proc.stdout.close()
    assert receiver.texts("AA"), "the other alerts were delivered"
    refused = [text for text, code in receiver.received if code == "AE"]
    assert refused and all("|UNICODE UTF-8|" in text for text in refused)
    assert stats(sqlite_url)["alarm_manager_undelivered"] >= 1
    out = subprocess.run(
        [str(BIN / "bedside-cli"), "--db", sqlite_url, "dead-letters", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    letters = json.loads(out)
    assert letters and all(d["reason"] == "refused (AE)" and d["attempts"] == 1 for d in letters)
