"""`bedside-ingest` as a real process: start, receive over a real socket, stop on SIGTERM, survive SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from bedside_adapters.mllp.client import MllpClient, ack_fields

from tests.helpers import pcd01

BIN = Path(sys.executable).parent


def start_ingest(url: str, *extra: str, port: int = 0) -> tuple[subprocess.Popen[str], int]:
    """A real bedside-ingest process; its log goes to a file (a pipe nobody reads would fill up)."""
    # The file outlives this function on purpose: the process writes to it until it ends.
    log = tempfile.NamedTemporaryFile("w+", prefix="bedside-ingest-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(BIN / "bedside-ingest"),
            "--db",
            url,
            "--listen",
            f"127.0.0.1:{port}",
            "--log-level",
            "WARNING",
            "--clock-behind",  # the fixtures' times are from 2025, over a year ago
            "inf",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # pytest-timeout guards this read
    if not line.startswith("bedside-ingest: listening on 127.0.0.1:"):
        proc.wait(timeout=30)
        raise AssertionError(line + Path(log.name).read_text())
    return proc, int(line.rsplit(":", 1)[1])


def stats(url: str) -> dict:
    out = subprocess.run(
        [str(BIN / "bedside-cli"), "--db", url, "stats", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(out)


@pytest.mark.e2e
def test_ingest_process_receives_acks_and_stops_cleanly_on_sigterm(db_url: str) -> None:
    sqlite_url = db_url
    proc, port = start_ingest(sqlite_url)
    try:
        with MllpClient("127.0.0.1", port) as client:
            assert ack_fields(client.send(pcd01("E2E-1"))) == ("AA", "E2E-1")
            assert ack_fields(client.send(pcd01("E2E-2"))) == ("AA", "E2E-2")
            assert ack_fields(client.send(b"not hl7"))[0] == "AR"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "bedside-ingest: stopped" in out
    s = stats(sqlite_url)
    assert (s["messages_received"], s["messages_acknowledged"], s["messages_quarantined"]) == (3, 2, 1)
    assert s["observations"] == 30


@pytest.mark.e2e
def test_every_acknowledged_message_survives_sigkill(db_url: str) -> None:
    sqlite_url = db_url
    proc, port = start_ingest(sqlite_url)
    acked = 0
    with MllpClient("127.0.0.1", port) as client:
        for i in range(50):
            if ack_fields(client.send(pcd01(f"K-{i}")))[0] == "AA":
                acked += 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    proc.communicate()
    assert acked == 50
    assert stats(sqlite_url)["messages_acknowledged"] == 50
    # ...and a new process carries on with the same database.
    proc, port = start_ingest(sqlite_url)
    with MllpClient("127.0.0.1", port) as client:
        assert ack_fields(client.send(pcd01("K-after")))[0] == "AA"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    assert stats(sqlite_url)["messages_acknowledged"] == 51


@pytest.mark.e2e
def test_cli_send_and_simulate_against_the_process(db_url: str, tmp_path: Path) -> None:
    sqlite_url = db_url
    proc, port = start_ingest(sqlite_url)
    try:
        sent = subprocess.run(
            [
                str(BIN / "bedside-cli"),
                "simulate",
                "--to",
                f"127.0.0.1:{port}",
                "--count",
                "3",
                "--interval",
                "0",
                "--backfill-minutes",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sent.returncode == 0, sent.stderr
        assert "15 messages acknowledged" in sent.stdout  # 12 backfilled (1 min / 5 s) + 3 live
        f = tmp_path / "two.hl7"
        f.write_bytes(pcd01("F-1").replace(b"\r", b"\n") + pcd01("F-2").replace(b"\r", b"\r\n"))
        sent = subprocess.run(
            [str(BIN / "bedside-cli"), "send", str(f), "--to", f"127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout.count("→ AA") == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert stats(sqlite_url)["messages_acknowledged"] == 18  # 15 + 2 sent + the simulator's ADT^A01


@pytest.mark.e2e
def test_ingest_refuses_a_port_in_use_with_a_message(db_url: str) -> None:
    sqlite_url = db_url
    proc, port = start_ingest(sqlite_url)
    try:
        second = subprocess.run(
            [str(BIN / "bedside-ingest"), "--db", sqlite_url, "--listen", f"127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert "cannot listen" in second.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


@pytest.mark.e2e
def test_import_and_replay_files(db_url: str, tmp_path: Path) -> None:
    from tests.helpers import CORPUS, SYNTHETIC

    files = [
        str(CORPUS / "batch_bhs_two_adt_a04_vic_health.hl7"),
        str(SYNTHETIC / "pcd01_gateway_20obx.hl7"),
        str(SYNTHETIC / "lab_icu_panel_final.hl7"),
    ]
    junk = tmp_path / "junk.hl7"
    junk.write_bytes(b"\x00\x01 not an HL7 file")
    out = subprocess.run(
        [str(BIN / "bedside-cli"), "--db", db_url, "import", *files, str(junk)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    # the batch's two ADT^A04 (NE|NE: enhanced mode) → CA; the junk file → AR, quarantined
    assert summary == {
        "files": 4,
        "messages": 5,
        "AA": 1,
        "CA": 3,
        "AR": 1,
        "quarantined": 1,
        "alerts_raised": 0,
    }
    proc, port = start_ingest(db_url)
    try:
        out = subprocess.run(
            [str(BIN / "bedside-cli"), "replay", *files[1:], "--to", f"127.0.0.1:{port}", "--rate", "50"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"messages": 2, "AA": 1, "CA": 1}
    s = stats(db_url)
    assert s["duplicates"] == 2  # the replayed copies of what import had stored
    assert s["messages_quarantined"] == 1


@pytest.mark.e2e
def test_an_ingest_only_installation_has_an_intact_log_that_names_the_service(db_url: str) -> None:
    """Without alerting nothing else writes the log: the service's start does, so a database that
    received messages is never mistaken for one whose log was emptied."""
    proc, port = start_ingest(db_url, "--no-alerting")
    try:
        with MllpClient("127.0.0.1", port) as client:
            assert ack_fields(client.send(pcd01("ONLY-1"))) == ("AA", "ONLY-1")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    verify = subprocess.run(
        [str(BIN / "bedside-cli"), "--db", db_url, "verify-log"], capture_output=True, text=True, timeout=60
    )
    assert verify.returncode == 0 and "safety log intact: 1 entries" in verify.stdout, verify
    listing = subprocess.run(
        [str(BIN / "bedside-cli"), "--db", db_url, "log", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    entries = json.loads(listing.stdout)
    assert [(e["kind"], e["actor"]) for e in entries] == [("ingest.started", "bedside-rules")], entries
    assert entries[0]["payload"]["alerting"] is False
