"""A sender given two listeners moves to the second when the first refuses, closes without an ACK or
keeps silent, and sends the unacknowledged message again there (real sockets, tiny listeners)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest
from bedside_adapters.mllp.client import FailoverClient, MllpError, ack_fields
from bedside_adapters.mllp.framing import Frame, MllpDecoder, frame
from bedside_adapters.sim.sender import FeedSender

from tests.helpers import pcd01


def _control(payload: bytes) -> str:
    return payload.split(b"\r")[0].split(b"|")[9].decode()


@contextmanager
def listener(behaviour: str) -> Iterator[tuple[tuple[str, int], list[str]]]:
    """A listener on a free port: 'ack' answers AA to each frame, 'close' closes on the first frame
    without answering, 'silent' reads and never answers. Yields its address and the control IDs it read."""
    server = socket.create_server(("127.0.0.1", 0))
    seen: list[str] = []
    stop = threading.Event()
    conns: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conns.append(conn)
            decoder = MllpDecoder()
            while data := conn.recv(65536):
                for event in decoder.feed(data):
                    if not isinstance(event, Frame):
                        continue
                    control = _control(event.payload)
                    seen.append(control)
                    if behaviour == "close":
                        conn.close()
                        break
                    if behaviour == "db-away-once" and len(seen) == 1:  # the database restarting
                        conn.sendall(
                            frame(
                                f"MSH|^~\\&|B|B|S|S|20260101||ACK|{control}|P|2.6\rMSA|CE|{control}\r"
                                "ERR|||207^Application internal error^HL70357|E\r".encode()
                            )
                        )
                    elif behaviour in ("ack", "db-away-once"):
                        conn.sendall(
                            frame(
                                f"MSH|^~\\&|B|B|S|S|20260101||ACK|{control}|P|2.6\rMSA|AA|{control}\r".encode()
                            )
                        )
                if conn.fileno() < 0:
                    break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[:2], seen
    finally:
        stop.set()
        # shutdown() wakes the thread's accept() and recv() (close() alone would not)
        for s in [server, *conns]:
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        thread.join(timeout=10)


def refused_address() -> tuple[str, int]:
    s = socket.create_server(("127.0.0.1", 0))
    address = s.getsockname()[:2]
    s.close()  # nothing listens there now: the connection is refused
    return address


def test_a_refused_listener_is_skipped_and_the_working_one_kept() -> None:
    with listener("ack") as (second, seen):
        client = FailoverClient([refused_address(), second], timeout=5)
        with client:
            assert ack_fields(client.send(pcd01("F-1"))) == ("AA", "F-1")
            assert ack_fields(client.send(pcd01("F-2"))) == ("AA", "F-2")
        assert client.address == second and client.failovers == 1
    assert seen == ["F-1", "F-2"]


@pytest.mark.parametrize("behaviour", ["close", "silent"])
def test_an_unanswered_message_is_sent_again_to_the_next_listener(behaviour: str) -> None:
    with (
        listener(behaviour) as (first, first_seen),
        listener("ack") as (second, second_seen),
        FailoverClient([first, second], timeout=0.5) as client,
    ):
        assert ack_fields(client.send(pcd01("F-3"))) == ("AA", "F-3")
    assert first_seen == ["F-3"] and second_seen == ["F-3"]


def test_no_listener_answering_is_an_error_naming_each() -> None:
    a, b = refused_address(), refused_address()
    with FailoverClient([a, b], timeout=0.5) as client, pytest.raises(MllpError) as err:
        client.send(pcd01("F-4"))
    assert f"{a[0]}:{a[1]}" in str(err.value) and f"{b[0]}:{b[1]}" in str(err.value)


def test_the_simulator_sender_fails_over_and_logs_each_ack(tmp_path) -> None:
    acks = tmp_path / "acks.tsv"
    with listener("close") as (first, _), listener("ack") as (second, _), acks.open("w") as out:
        sender = FeedSender(*first, threading.Event(), also=[second], timeout=0.5, ack_log=out)
        assert sender.send(pcd01("F-5").decode())
        sender.close()
    assert acks.read_text() == f"F-5\tAA\t{second[0]}:{second[1]}\n"
    assert sender.failovers == 1


def test_the_simulator_sends_again_a_message_answered_database_failed(tmp_path) -> None:
    acks = tmp_path / "acks.tsv"
    with listener("db-away-once") as (only, seen), acks.open("w") as out:
        sender = FeedSender(*only, threading.Event(), timeout=5, ack_log=out)
        assert sender.send(pcd01("F-6").decode())
        sender.close()
    assert seen == ["F-6", "F-6"]
    where = f"{only[0]}:{only[1]}"
    assert acks.read_text() == f"F-6\tCE\t{where}\nF-6\tAA\t{where}\n"


def test_replay_with_two_listeners_sends_every_file_through_the_one_that_answers(tmp_path, capsys) -> None:
    from bedside_adapters.cli import main as cli_main

    files = []
    for i in (7, 8):
        path = tmp_path / f"m{i}.hl7"
        path.write_bytes(pcd01(f"F-{i}"))
        files.append(str(path))
    first = refused_address()
    with listener("close") as (second, dropped), listener("ack") as (third, seen):
        to = [f"{a[0]}:{a[1]}" for a in (first, second, third)]
        code = cli_main(["replay", *files, "--to", to[0], "--to", to[1], "--to", to[2], "--timeout", "2"])
    assert code == 0
    assert dropped == ["F-7"] and seen == ["F-7", "F-8"]
    assert '"AA": 2' in capsys.readouterr().out
