"""The listener over a real loopback socket, storing into a real SQLite file.

Every assertion about the database reads through a fresh connection (a new engine), after the ACK.
"""

from __future__ import annotations

import socket

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.hl7.er7 import read_er7
from bedside_adapters.mllp.client import MllpClient, ack_fields
from bedside_adapters.mllp.framing import frame
from sqlalchemy import create_engine, func, select

from tests.helpers import adt_a01, pcd01


def fresh_count(url: str, table, *where) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
    finally:
        engine.dispose()


def test_two_messages_on_one_connection_each_acked_after_commit(ingest) -> None:
    with MllpClient(ingest.host, ingest.port) as client:
        for n, control in enumerate(["GW-1", "GW-2"], start=1):
            reply = client.send(pcd01(control))
            code, msa2 = ack_fields(reply)
            assert (code, msa2) == ("AA", control)  # MSH-15/16 = NE|AL: application ACK
            # The ACK is out: the rows must already be there for any other reader.
            assert fresh_count(ingest.url, t.inbound_message, t.inbound_message.c.control_id == control) == 1
            assert fresh_count(ingest.url, t.observation) == 15 * n


def test_two_frames_in_one_write_get_two_acks_in_order(ingest) -> None:
    with MllpClient(ingest.host, ingest.port) as client:
        client.send_raw(frame(pcd01("P-1")) + frame(pcd01("P-2")))
        assert ack_fields(client.receive()) == ("AA", "P-1")
        assert ack_fields(client.receive()) == ("AA", "P-2")
    assert fresh_count(ingest.url, t.inbound_message) == 2


def test_a_sender_pipelining_hundreds_of_frames_gets_every_ack_in_order(ingest) -> None:
    """More frames than one batch (64) or than a connection may have waiting before the listener
    stops reading it: all are stored, answered in order, and no batch is larger than the limit."""
    from bedside_adapters.mllp.server import MAX_BATCH

    controls = [f"PIPE-{i:03d}" for i in range(300)]
    with MllpClient(ingest.host, ingest.port, timeout=60) as client:
        client.send_raw(b"".join(frame(pcd01(c)) for c in controls))
        assert [ack_fields(client.receive()) for _ in controls] == [("AA", c) for c in controls]
    stats = ingest.service.server.stats
    assert stats.largest_batch <= MAX_BATCH
    assert stats.batches >= len(controls) // MAX_BATCH
    assert fresh_count(ingest.url, t.inbound_message) == 300


def test_senders_that_shut_down_their_side_after_sending_still_get_their_acks(ingest) -> None:
    """Send, shut down the sending side, read: simple senders work this way. Four of them at once,
    more frames than one batch holds, so some are still waiting when their sender's end-of-file is
    read: all are stored and answered before the listener closes its side."""
    senders = [[f"HALFCLOSE-{k}-{i:02d}" for i in range(40)] for k in range(4)]
    socks = [socket.create_connection((ingest.host, ingest.port), timeout=30) for _ in senders]
    try:
        for sock, controls in zip(socks, senders, strict=True):
            sock.sendall(b"".join(frame(pcd01(c)) for c in controls))
            sock.shutdown(socket.SHUT_WR)
        for sock, controls in zip(socks, senders, strict=True):
            received = b""
            while chunk := sock.recv(65536):  # until the listener closes its side
                received += chunk
            acks = [part.lstrip(b"\x0b") for part in received.split(b"\x1c\r") if part]
            assert [ack_fields(a) for a in acks] == [("AA", c) for c in controls]
    finally:
        for sock in socks:
            sock.close()
    assert fresh_count(ingest.url, t.inbound_message) == 160


def test_an_idle_connection_is_closed_with_its_unfinished_frame(engine, db_url) -> None:
    from tests.conftest import running_ingest

    with running_ingest(engine, db_url, idle_timeout=0.3) as ingest:
        with socket.create_connection((ingest.host, ingest.port), timeout=30) as sock:
            sock.sendall(frame(pcd01("HALF"))[:100])
            assert sock.recv(100) == b""  # the listener closed it: no answer to half a frame
        assert ingest.service.server.stats.idle_closed == 1
        with MllpClient(ingest.host, ingest.port) as client:  # the next sender is served
            assert ack_fields(client.send(pcd01("AFTER"))) == ("AA", "AFTER")
    assert fresh_count(db_url, t.inbound_message) == 1


def test_frame_split_across_writes(ingest) -> None:
    data = frame(pcd01("S-1"))
    with MllpClient(ingest.host, ingest.port) as client:
        for i in range(0, len(data), 7):
            client.send_raw(data[i : i + 7])
        assert ack_fields(client.receive()) == ("AA", "S-1")


def test_enhanced_mode_gets_a_commit_ack(ingest) -> None:
    msg = pcd01("E-1").replace(b"|||NE|AL||", b"|||AL|NE||")
    with MllpClient(ingest.host, ingest.port) as client:
        assert ack_fields(client.send(msg)) == ("CA", "E-1")


@pytest.mark.parametrize(
    ("payload", "code", "err", "reason"),
    [
        (b"this is not HL7 at all", "AR", "100", "does not start with an MSH"),
        (b"\xff\xfe\x00\x01garbage", "AR", "100", "does not start with an MSH"),
        (
            b"MSH|^~\\&|DOC|HOSP|B|C|20250101||MDM^T02|MDM-1|P|2.5\rPID|||1\r",
            "AR",
            "200",
            "unsupported message type",
        ),
        (b"MSH|^~\\&|GW|X|B|C|20250101||ORU^R01|V-1|P|9.9\r", "AR", "203", "unsupported version"),
        (
            b"MSH|^~\\&|GW|X|B|C|20250101||ORU^R01|W-1|P|2.6\rOBX|1|NM|147842\rwrapped line\r",
            "AR",
            "100",
            "no valid segment id",
        ),
        # "MSH" then a line end: reading MSH-18 from it used to raise, and the frame was answered
        # AE 207 without being kept.
        (b"MSH\rPID|1\r", "AR", "102", "invalid delimiters"),
    ],
)
def test_unreadable_frames_are_answered_quarantined_and_the_connection_lives(
    ingest, payload: bytes, code: str, err: str, reason: str
) -> None:
    with MllpClient(ingest.host, ingest.port) as client:
        reply = client.send(payload)
        ack = read_er7(reply.decode().strip("\r").replace("\r\r", "\r") + "\r")
        assert ack.first("MSA").get(1) == code
        assert ack.first("ERR").get(3, 1) == err
        # ...and the same connection still works.
        assert ack_fields(client.send(pcd01("after-garbage"))) == ("AA", "after-garbage")
    engine = create_engine(ingest.url)
    with engine.connect() as conn:
        row = conn.execute(
            select(
                t.inbound_message.c.raw, t.inbound_message.c.quarantine_reason, t.inbound_message.c.ack_code
            ).where(t.inbound_message.c.quarantine_reason.is_not(None))
        ).one()
    engine.dispose()
    assert row.raw == payload  # every byte kept
    assert reason in row.quarantine_reason
    assert row.ack_code == code


def test_a_frame_the_reader_fails_on_is_kept_and_answered_ae(ingest, monkeypatch) -> None:
    """A bug in reading (injected here) must not lose the frame: it is kept in quarantine with the
    error and answered AE 207; a resent copy is a duplicate of that row; the next frame is fine."""
    pipeline = ingest.service.pipeline
    read = pipeline.prepare

    def buggy(frame_bytes: bytes, peer: str):  # type: ignore[no-untyped-def]
        if b"BOOM-1" in frame_bytes:
            raise RuntimeError("a bug in the reader")
        return read(frame_bytes, peer)

    monkeypatch.setattr(pipeline, "prepare", buggy)
    with MllpClient(ingest.host, ingest.port) as client:
        for _ in range(2):  # the first time, and the sender's retry
            ack = read_er7(client.send(pcd01("BOOM-1")).decode())
            assert ack.first("MSA").get(1) == "AE"
            assert ack.first("ERR").get(3, 1) == "207"
        assert ack_fields(client.send(pcd01("FINE-1"))) == ("AA", "FINE-1")
    engine = create_engine(ingest.url)
    with engine.connect() as conn:
        m = t.inbound_message.c
        row = conn.execute(
            select(m.raw, m.quarantine_code, m.quarantine_reason, m.duplicates).where(
                m.quarantine_code.is_not(None)
            )
        ).one()
    engine.dispose()
    assert row.raw == pcd01("BOOM-1")
    assert row.quarantine_code == "internal_error"
    assert "a bug in the reader" in row.quarantine_reason
    assert row.duplicates == 1


def test_garbage_before_the_start_block_is_skipped(ingest) -> None:
    with MllpClient(ingest.host, ingest.port) as client:
        client.send_raw(b"hello\r\n")
        assert ack_fields(client.send(pcd01("G-1"))) == ("AA", "G-1")
    assert ingest.service.server.stats.garbage_bytes == len(b"hello\r\n")


def test_oversize_frame_is_refused_and_its_head_quarantined(engine, db_url) -> None:
    from tests.conftest import running_ingest

    big = pcd01("BIG-1") + b"NTE|1||" + b"x" * 200_000 + b"\r"
    # a small limit keeps the test fast
    with running_ingest(engine, db_url, max_frame=50_000) as ingest:
        with MllpClient(ingest.host, ingest.port) as client:
            code, control = ack_fields(client.send(big))
            assert (code, control) == ("AR", "BIG-1")
            assert ack_fields(client.send(pcd01("N-1"))) == ("AA", "N-1")
        assert ingest.service.server.stats.oversize_frames == 1
    reason = t.inbound_message.c.quarantine_reason
    assert (
        fresh_count(db_url, t.inbound_message, reason.like("%exceeds the maximum frame size of 50000%")) == 1
    )


def test_latin1_message_is_decoded_by_msh18(ingest) -> None:
    msg = adt_a01("L-1", "SYNTHÉTIC^JANE", "8859/1").encode("latin-1")
    with MllpClient(ingest.host, ingest.port) as client:
        assert ack_fields(client.send(msg)) == ("AA", "L-1")
    engine = create_engine(ingest.url)
    with engine.connect() as conn:
        assert conn.execute(select(t.patient.c.family_name)).scalar_one() == "SYNTHÉTIC"
    engine.dispose()


def test_a_client_that_disconnects_mid_frame_does_not_hurt_the_listener(ingest) -> None:
    s = socket.create_connection((ingest.host, ingest.port))
    s.sendall(b"\x0bMSH|^~\\&|half a message")
    s.close()
    with MllpClient(ingest.host, ingest.port) as client:
        assert ack_fields(client.send(pcd01("H-1"))) == ("AA", "H-1")


def test_storage_failure_is_answered_ae_and_nothing_half_stored(ingest) -> None:
    engine = create_engine(ingest.url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE observation RENAME TO observation_moved")
    engine.dispose()
    with MllpClient(ingest.host, ingest.port) as client:
        reply = client.send(pcd01("F-1"))
    ack = read_er7(reply.decode())
    assert ack.first("MSA").get(1) == "AE"  # the sender keeps the message and resends it
    assert ack.first("MSA").get(2) == "F-1"
    assert ack.first("ERR").get(3, 1) == "207"
    # One transaction: the message row was rolled back with the observations.
    assert fresh_count(ingest.url, t.inbound_message) == 0


def test_a_sender_with_another_field_separator_is_understood(ingest) -> None:
    msg = pcd01("D-1").replace(b"|", b"#")
    with MllpClient(ingest.host, ingest.port) as client:
        assert ack_fields(client.send(msg)) == ("AA", "D-1")
    assert fresh_count(ingest.url, t.observation) == 15


def test_a_resent_message_is_stored_once_and_gets_the_original_ack(ingest) -> None:
    with MllpClient(ingest.host, ingest.port) as client:
        first = client.send(pcd01("DUP-1"))
        again = client.send(pcd01("DUP-1"))
        assert again == first  # byte for byte: the stored ACK, not a new one
        # Same MSH-10 after a monitor reboot, but another message (other time, other values): stored.
        rebooted = pcd01("DUP-1", hr="77").replace(b"20250101120000+0000", b"20250101130000+0000")
        assert ack_fields(client.send(rebooted)) == ("AA", "DUP-1")
        garbage = b"not hl7 twice"
        assert client.send(garbage) == client.send(garbage)
    assert fresh_count(ingest.url, t.inbound_message) == 3
    assert fresh_count(ingest.url, t.observation) == 30
    engine = create_engine(ingest.url)
    with engine.connect() as conn:
        dups = conn.execute(select(func.sum(t.inbound_message.c.duplicates))).scalar_one()
    engine.dispose()
    assert dups == 2


def test_a_locked_database_gets_ce_and_the_resend_succeeds(db_url, engine) -> None:
    """Storage failure: the database is locked past the timeout. The answer is CE (enhanced mode),
    never CA; nothing is half stored; the same message succeeds once the lock is gone."""
    from bedside_adapters.db.engine import make_engine

    from tests.conftest import running_ingest

    impatient = make_engine(db_url, busy_timeout=0.3)
    locker = create_engine(db_url)
    msg = pcd01("LOCK-1").replace(b"|||NE|AL||", b"|||AL|NE||")
    with running_ingest(impatient, db_url) as ing, MllpClient(ing.host, ing.port) as client:
        conn = locker.connect()
        if locker.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql("LOCK TABLE inbound_message IN ACCESS EXCLUSIVE MODE")
        reply = read_er7(client.send(msg).decode())
        assert reply.first("MSA").get(1) == "CE"
        assert reply.first("ERR").get(3, 1) == "207"
        conn.rollback()
        conn.close()
        assert ack_fields(client.send(msg)) == ("CA", "LOCK-1")
    impatient.dispose()
    locker.dispose()
    assert fresh_count(db_url, t.inbound_message) == 1
    assert fresh_count(db_url, t.observation) == 15


def test_stopping_finishes_the_frame_in_hand_and_refuses_new_connections(sqlite_engine, sqlite_url) -> None:
    """What SIGTERM does (the signal handler only sets the stop event): a frame being stored when
    the stop comes still gets its ACK; afterwards nothing new is accepted."""
    import threading

    from tests.conftest import running_ingest

    big = pcd01("BIG-STOP").replace(
        b"\rOBX|2|",
        b"".join(
            b"\rOBX|%d|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.%d|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R"
            % (i, i)
            for i in range(100, 8100)
        )
        + b"\rOBX|2|",
        1,
    )
    replies: list[bytes] = []
    with running_ingest(sqlite_engine, sqlite_url) as ing:
        client = MllpClient(ing.host, ing.port, timeout=30).connect()
        client.send_raw(frame(big))
        stats = ing.service.server.stats
        for _ in range(10**7):  # until the listener has the frame in hand (no sleeping)
            if stats.frames:
                break
        reader = threading.Thread(target=lambda: replies.append(client.receive()))
        reader.start()
    # running_ingest has stopped the service here, while the 8,000-row frame was being stored.
    reader.join(30)
    client.close()
    assert replies and ack_fields(replies[0]) == ("AA", "BIG-STOP")
    assert fresh_count(sqlite_url, t.inbound_message) == 1
    with pytest.raises(OSError):
        MllpClient(ing.host, ing.port, timeout=2).connect().send(pcd01("LATE"))
