"""What one sender may take of the listener, over real sockets: connections per address, the time
to finish a frame, the bytes of unfinished frames held, and how often refusals are logged.

Senders from another address connect from 127.0.0.2 (all of 127/8 is loopback on Linux)."""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from bedside_adapters.mllp.client import ack_fields
from bedside_adapters.mllp.framing import Frame, MllpDecoder, frame
from bedside_adapters.mllp.limits import ConnectionLimits

from tests.conftest import running_ingest
from tests.helpers import pcd01 as dated_pcd01


def pcd01(control: str) -> bytes:
    """The test message dated today: a message far from its receive time is a clock fault."""
    return dated_pcd01(control).replace(b"20250101", datetime.now(UTC).strftime("%Y%m%d").encode())


OTHER = "127.0.0.2"


def until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Until the listener (on its own thread) has done what the test waits for (no sleeping)."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "the listener did not get there in time"


def ack_from(host: str, port: int, control: str, source: str = OTHER) -> tuple[str, str]:
    """Send one message from `source` and read its ACK."""
    with socket.create_connection((host, port), timeout=10, source_address=(source, 0)) as sock:
        decoder = MllpDecoder()
        try:
            sock.sendall(frame(pcd01(control)))
            while data := sock.recv(65536):
                for event in decoder.feed(data):
                    if isinstance(event, Frame):
                        return ack_fields(event.payload)
        except (ConnectionResetError, BrokenPipeError):
            pass
        return ("closed", "")  # refused: closed without an answer


@contextmanager
def idle_connections(host: str, port: int, n: int) -> Iterator[list[socket.socket]]:
    socks: list[socket.socket] = []
    try:
        for _ in range(n):
            socks.append(socket.create_connection((host, port), timeout=10))
        yield socks
    finally:
        for sock in socks:
            sock.close()


def closed_by_listener(sock: socket.socket) -> bool:
    """Whether the listener has closed this connection (without waiting)."""
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False  # open, nothing to read
    except ConnectionResetError:
        return True
    finally:
        sock.settimeout(timeout)


def test_idle_connections_from_one_address_do_not_lock_out_another_sender(sqlite_engine, sqlite_url) -> None:
    with running_ingest(sqlite_engine, sqlite_url) as ing, idle_connections(ing.host, ing.port, 300) as socks:
        stats = ing.service.server.stats
        per_address = ConnectionLimits().per_address
        until(lambda: stats.refused == 300 - per_address)
        assert stats.refused_per_address == 300 - per_address
        assert ack_from(ing.host, ing.port, "OTHER-1") == ("AA", "OTHER-1")
        until(lambda: sum(closed_by_listener(s) for s in socks[per_address:]) == 300 - per_address)
        assert not any(closed_by_listener(s) for s in socks[:per_address])
        # The first connections are being served: a message on one of them is answered.
        socks[0].sendall(frame(pcd01("FIRST-1")))
        reply = MllpDecoder().feed(socks[0].recv(65536))
        assert [ack_fields(e.payload) for e in reply if isinstance(e, Frame)] == [("AA", "FIRST-1")]


def test_a_sender_trickling_a_frame_is_cut_at_the_frame_deadline(sqlite_engine, sqlite_url) -> None:
    limits = ConnectionLimits(frame_deadline=1.0)
    with running_ingest(sqlite_engine, sqlite_url, idle_timeout=0.3, limits=limits) as ing:
        with socket.create_connection((ing.host, ing.port), timeout=10) as sock:
            sock.settimeout(0.05)  # the pace of the trickle: a byte each time no answer came
            data = b"\x0b" + pcd01("TRICKLE-1")
            began = time.monotonic()
            cut_after = None
            for byte in data:
                if time.monotonic() - began > 6.0:
                    break  # never cut: the trickle outlived the deadline several times over
                try:
                    sock.sendall(bytes([byte]))
                    if sock.recv(1) == b"":
                        cut_after = time.monotonic() - began
                        break
                except TimeoutError:
                    continue
                except OSError:
                    cut_after = time.monotonic() - began
                    break
        # Alive past the idle timeout (each byte kept it from firing), cut at the deadline.
        assert cut_after is not None, "the trickling sender was never cut"
        assert 1.0 <= cut_after < 5.0
        assert ing.service.server.stats.deadline_closed == 1
        assert ack_from(ing.host, ing.port, "AFTER-1", source="127.0.0.1") == ("AA", "AFTER-1")


def test_a_sender_idle_between_frames_is_not_held_to_the_deadline(sqlite_engine, sqlite_url) -> None:
    """The deadline runs from a frame's first byte; a line end after a frame starts nothing."""
    limits = ConnectionLimits(frame_deadline=0.3)
    with (
        running_ingest(sqlite_engine, sqlite_url, idle_timeout=30, limits=limits) as ing,
        socket.create_connection((ing.host, ing.port), timeout=10) as sock,
    ):
        decoder = MllpDecoder()
        sock.sendall(frame(pcd01("CALM-1")) + b"\r\n")
        assert [ack_fields(e.payload) for e in decoder.feed(sock.recv(65536))] == [("AA", "CALM-1")]
        sock.settimeout(1.0)  # three deadlines of silence
        with pytest.raises(TimeoutError):
            sock.recv(1)
        sock.settimeout(10)
        sock.sendall(frame(pcd01("CALM-2")))
        assert [ack_fields(e.payload) for e in decoder.feed(sock.recv(65536))] == [("AA", "CALM-2")]
        assert ing.service.server.stats.deadline_closed == 0


def test_unfinished_frames_are_held_within_the_buffer_budget(sqlite_engine, sqlite_url) -> None:
    budget, each, n = 2_000_000, 480_000, 20
    limits = ConnectionLimits(per_address=0, buffer_budget=budget)
    with (
        running_ingest(sqlite_engine, sqlite_url, max_frame=1_000_000, limits=limits) as ing,
        idle_connections(ing.host, ing.port, n) as socks,
    ):
        stats = ing.service.server.stats
        unfinished = b"\x0b" + pcd01("HOLD-1") + b"NTE|1||" + b"x" * (each - 3000)
        for sock in socks:
            with contextlib.suppress(OSError):  # a connection cut while it was still sending
                sock.sendall(unfinished)
        size = len(unfinished) - 1  # held without its start block
        # Until every byte is read: each connection was closed, or holds its whole frame.
        until(lambda: stats.buffered % size == 0 and stats.budget_closed + stats.buffered // size == n)
        assert 1 <= stats.buffered // size <= budget // size
        assert stats.buffered_peak <= budget
        # What was over the budget was closed, the rest is held, and a new sender is answered.
        until(lambda: sum(closed_by_listener(s) for s in socks) == stats.budget_closed)
        assert ack_from(ing.host, ing.port, "OTHER-2") == ("AA", "OTHER-2")


def test_refusals_are_logged_once_per_address_not_once_per_connection(
    sqlite_engine, sqlite_url, caplog
) -> None:
    caplog.set_level(logging.WARNING, "bedside_adapters.mllp.server")
    limits = ConnectionLimits(per_address=1)
    with running_ingest(sqlite_engine, sqlite_url, limits=limits) as ing:
        stats = ing.service.server.stats
        with idle_connections(ing.host, ing.port, 41):
            until(lambda: stats.refused == 40)
            with (
                socket.create_connection((ing.host, ing.port), source_address=(OTHER, 0)),
                socket.create_connection((ing.host, ing.port), source_address=(OTHER, 0)),
            ):
                until(lambda: stats.refused == 41)
        refusals = [r.getMessage() for r in caplog.records if "refused a connection" in r.getMessage()]
        assert len(refusals) == 2, refusals
        assert "from 127.0.0.1:" in refusals[0] or "from 127.0.0.1 " in refusals[0]
        assert OTHER in refusals[1]
    # On the way out, what was held is summed up in one line.
    summary = [r.getMessage() for r in caplog.records if "more connections from 127.0.0.1" in r.getMessage()]
    assert summary and "refused 39 more" in summary[0]


def test_at_the_total_limit_a_sender_holding_few_takes_the_place_of_an_idle_one(
    sqlite_engine, sqlite_url
) -> None:
    """Idle connections from several addresses fill the total; a sender from another address still
    gets in, in place of the longest-idle connection of the address holding the most. A connection
    with a frame in progress is never the one closed."""
    with running_ingest(sqlite_engine, sqlite_url, max_connections=6) as ing:
        stats = ing.service.server.stats
        socks = [
            socket.create_connection((ing.host, ing.port), timeout=10, source_address=(source, 0))
            for source in ["127.0.0.3"] * 4 + ["127.0.0.4"] * 2
        ]
        try:
            for sock in socks[1:4]:
                sock.sendall(b"\x0b" + pcd01("BUSY-1")[:50])  # frames in progress: never closed
            until(lambda: stats.buffered == 3 * 50 and len(stats.open_connections) == 6)
            newcomer = socket.create_connection((ing.host, ing.port), timeout=10, source_address=(OTHER, 0))
            socks.append(newcomer)
            newcomer.sendall(frame(pcd01("ROOM-1")))
            reply = MllpDecoder().feed(newcomer.recv(65536))
            assert [ack_fields(e.payload) for e in reply if isinstance(e, Frame)] == [("AA", "ROOM-1")]
            assert stats.made_room == 1
            until(lambda: closed_by_listener(socks[0]))  # the idle one of the address holding most
            assert not any(closed_by_listener(s) for s in socks[1:])
            # Full again, and the address holding the most has no idle connection: refused.
            assert ack_from(ing.host, ing.port, "ROOM-2", source="127.0.0.5") == ("closed", "")
            assert ack_from(ing.host, ing.port, "ROOM-3", source="127.0.0.3") == ("closed", "")
            assert stats.made_room == 1 and stats.refused == 2
        finally:
            for sock in socks:
                sock.close()
