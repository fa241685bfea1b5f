"""Lossless under crashes: a sender streams 2,000 messages and resends whatever was not acknowledged,
while the ingest process is killed with SIGKILL at least 20 times, mid-message, and restarted."""

from __future__ import annotations

import json
import os
import random
import signal

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.mllp.client import MllpClient, MllpError, ack_fields
from bedside_adapters.mllp.framing import frame
from bedside_ui.supervisor import free_port
from sqlalchemy import create_engine, func, select

from tests.e2e.test_ingest_process import start_ingest
from tests.helpers import pcd01

N = 2000
KILLS = 24


def is_stored(engine, control_id: str) -> bool:
    m = t.inbound_message.c
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).where(m.control_id == control_id)).scalar_one())


def wait_until_stored(engine, control_id: str, attempts: int = 100_000) -> None:
    """Poll (no sleeping) until the listener has committed a message."""
    m = t.inbound_message.c
    for _ in range(attempts):
        with engine.connect() as conn:
            if conn.execute(select(func.count()).where(m.control_id == control_id)).scalar_one():
                return
    raise AssertionError(f"{control_id} was never stored")


@pytest.mark.e2e
# 24 restarts of a real process: on a machine busy with other work this outlasts the default timeout.
@pytest.mark.timeout(360)
def test_every_message_exactly_once_through_sigkills(db_url: str) -> None:
    port = free_port()
    rng = random.Random(20261125)
    # Kill right after a message's bytes went out and before its ACK came back: the commit may or
    # may not have happened, which is the case that matters. A few kills land after an ACK instead.
    kill_mid = set(rng.sample(range(20, N), KILLS))
    # Half of those wait until the message is committed first: its ACK is then lost with the
    # process, the sender resends, and the copy must be recognised, not stored again.
    committed_first = set(rng.sample(sorted(kill_mid), KILLS // 2))
    watcher = create_engine(db_url)
    kill_after = set(rng.sample(sorted(set(range(20, N)) - kill_mid), 4))
    messages = [pcd01(f"STORM-{i:05d}", hr=str(60 + i % 60)) for i in range(N)]
    proc, _ = start_ingest(db_url, port=port)
    client: MllpClient | None = None
    acked: set[int] = set()
    sends = kills = restarts = 0
    # Messages whose commit happened before the kill took their ACK away: the resend must be
    # answered as a duplicate. A kill meant to land before the commit can lose that race, so
    # the test counts what the database holds after each kill instead of guessing.
    committed_unacked = 0
    i = 0

    def kill() -> None:
        nonlocal kills
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.communicate()
        kills += 1

    try:
        while i < N:
            try:
                if client is None:
                    client = MllpClient("127.0.0.1", port, timeout=30).connect()
                client.send_raw(frame(messages[i]))
                sends += 1
                if i in kill_mid:
                    kill_mid.discard(i)
                    if i in committed_first:
                        wait_until_stored(watcher, f"STORM-{i:05d}")
                        kill()
                        committed_unacked += 1
                        # Its ACK may already be in our socket buffer: drop it unread, as a network
                        # that fails at that moment would.
                        raise ConnectionResetError("ACK lost")
                    kill()
                    if is_stored(watcher, f"STORM-{i:05d}"):
                        committed_unacked += 1
                    raise ConnectionResetError("killed mid-message")
                code, control = ack_fields(client.receive())
                assert (code, control) == ("AA", f"STORM-{i:05d}")
                acked.add(i)
                i += 1
                if i - 1 in kill_after:
                    kill_after.discard(i - 1)
                    kill()
                    raise ConnectionResetError("killed between messages")
            except (OSError, MllpError):
                if client is not None:
                    client.close()
                client = None
                if proc.poll() is not None:
                    proc, _ = start_ingest(db_url, port=port)
                    restarts += 1
    finally:
        if client is not None:
            client.close()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)

    watcher.dispose()
    engine = create_engine(db_url)
    m = t.inbound_message.c
    with engine.connect() as conn:
        per_id = dict(conn.execute(select(m.control_id, func.count()).group_by(m.control_id)).all())
        duplicates = conn.execute(select(func.sum(m.duplicates))).scalar_one() or 0
        observations = conn.execute(select(func.count()).select_from(t.observation)).scalar_one()
        chunked = conn.execute(select(func.coalesce(func.sum(t.series_chunk.c.count), 0))).scalar_one()
    engine.dispose()
    report = {
        "messages": N,
        "sends": sends,
        "acknowledged": len(acked),
        "kills": kills,
        "restarts": restarts,
        "stored": sum(per_id.values()),
        "duplicates_answered": int(duplicates),
        "committed_before_kill": committed_unacked,
        "values": int(observations) + int(chunked),
    }
    print("crash storm:", json.dumps(report))
    assert kills >= 20
    assert len(acked) == N
    assert per_id == {f"STORM-{k:05d}": 1 for k in range(N)}  # every message, exactly once
    assert sends == N + KILLS  # one resend per mid-message kill
    assert committed_unacked >= KILLS // 2
    assert duplicates == committed_unacked  # the copies of committed-but-unacknowledged messages
