"""A start block inside an unfinished frame begins a new frame, over a real socket.

A sender that died mid-frame, or a gateway that drops a frame's end, then sends a complete frame on
the same connection: the complete frame is read and answered on its own (its own ACK, naming its
MSH-10), and the unfinished bytes are kept in quarantine as `unterminated`, never answered (an
answer to a frame the sender never ended would pair with its next frame and shift every later ACK).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.mllp.client import MllpClient, ack_fields
from bedside_adapters.mllp.framing import frame
from sqlalchemy import create_engine, select

from tests.helpers import pcd01 as dated_pcd01


def pcd01(control: str) -> bytes:
    """The test message dated today: a message far from its receive time is a clock fault."""
    return dated_pcd01(control).replace(b"20250101", datetime.now(UTC).strftime("%Y%m%d").encode())


CUT = pcd01("CUT-1")[:300]


def stored(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            m = t.inbound_message.c
            return list(
                conn.execute(
                    select(
                        m.control_id, m.raw, m.quarantine_code, m.quarantine_reason, m.observation_count
                    ).order_by(m.id)
                )
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("tail", [b"", b"\x1c", b"\x1cX"], ids=["no-end", "fs-without-cr", "fs-then-data"])
@pytest.mark.parametrize("writes", [1, 2], ids=["one-write", "two-writes"])
def test_a_good_frame_after_an_unfinished_one_is_answered_on_its_own(
    ingest, tail: bytes, writes: int
) -> None:
    unfinished = b"\x0b" + CUT + tail
    good = frame(pcd01("GOOD-1"))
    with MllpClient(ingest.host, ingest.port) as client:
        if writes == 1:
            client.send_raw(unfinished + good)
        else:
            client.send_raw(unfinished)
            client.send_raw(good)
        assert ack_fields(client.receive()) == ("AA", "GOOD-1")
        # No answer was written for the unfinished bytes: the next reply is the next frame's.
        assert ack_fields(client.send(pcd01("NEXT-1"))) == ("AA", "NEXT-1")
    rows = stored(ingest.url)
    assert [r.control_id for r in rows if r.quarantine_code is None] == ["GOOD-1", "NEXT-1"]
    assert all(r.observation_count == 15 for r in rows if r.quarantine_code is None)
    kept = [r for r in rows if r.quarantine_code is not None]
    assert len(kept) == 1
    assert kept[0].quarantine_code == "unterminated"
    assert kept[0].raw == CUT + tail  # every byte received, as received
    assert "no end block" in kept[0].quarantine_reason
    assert ingest.service.server.stats.unterminated_frames == 1


def test_a_large_unfinished_frame_keeps_its_head_and_the_next_frame_is_answered(engine, db_url) -> None:
    from tests.conftest import running_ingest

    huge = pcd01("HUGE-1") + b"NTE|1||" + b"x" * 120_000
    with running_ingest(engine, db_url, max_frame=50_000) as ing, MllpClient(ing.host, ing.port) as client:
        client.send_raw(b"\x0b" + huge + frame(pcd01("GOOD-2")))
        assert ack_fields(client.receive()) == ("AA", "GOOD-2")
    kept = [r for r in stored(db_url) if r.quarantine_code is not None]
    assert len(kept) == 1 and kept[0].quarantine_code == "unterminated"
    assert huge.startswith(kept[0].raw) and len(kept[0].raw) <= 64 * 1024
    assert f"{len(huge)} bytes" in kept[0].quarantine_reason


def test_with_read_ahead_the_unfinished_frame_is_kept_and_the_frames_after_it_answered_in_order(
    sqlite_engine, sqlite_url
) -> None:
    """The read-ahead process reads complete frames; the unfinished one is kept by the listener,
    in its place in the arrival order."""
    from tests.conftest import running_ingest

    stream = frame(pcd01("RA-1")) + b"\x0b" + CUT + b"".join(frame(pcd01(f"RA-{i}")) for i in range(2, 6))
    with (
        running_ingest(sqlite_engine, sqlite_url, read_ahead=True) as ing,
        MllpClient(ing.host, ing.port) as client,
    ):
        client.send_raw(stream)
        assert [ack_fields(client.receive()) for _ in range(5)] == [("AA", f"RA-{i}") for i in range(1, 6)]
    rows = stored(sqlite_url)
    assert [r.quarantine_code or r.control_id for r in rows] == [
        "RA-1",
        "unterminated",
        "RA-2",
        "RA-3",
        "RA-4",
        "RA-5",
    ]
