"""A blocking MLLP client: send a message, wait for its ACK. Used by the simulator, the CLI and tests.

Reads until FS CR, never assuming one recv() is one reply: a reply may arrive split over several
reads, and one read may hold more than one reply (the next is kept for the next `receive`).
"""

from __future__ import annotations

import socket
import ssl

from bedside_adapters.mllp.framing import END, Frame, MllpDecoder, frame


class MllpError(ConnectionError):
    pass


class MllpClient:
    def __init__(
        self, host: str, port: int, timeout: float = 10.0, tls: ssl.SSLContext | None = None
    ) -> None:
        self._address = (host, port)
        self._tls = tls
        self._timeout = timeout
        self._sock: socket.socket | None = None
        self._decoder = MllpDecoder()
        self._replies: list[bytes] = []

    def connect(self) -> MllpClient:
        sock = socket.create_connection(self._address, timeout=self._timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self._address[0])
        self._sock = sock
        return self

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> MllpClient:
        return self.connect() if self._sock is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send_raw(self, data: bytes) -> None:
        """Write bytes as they are (tests use it for split frames, garbage, pipelining)."""
        if self._sock is None:
            self.connect()
        assert self._sock is not None
        self._sock.sendall(data)

    def send(self, message: bytes | str) -> bytes:
        """Send one message and return its reply payload (unframed)."""
        payload = message.encode("utf-8") if isinstance(message, str) else message
        self.send_raw(frame(payload))
        return self.receive()

    def receive(self) -> bytes:
        """The next reply payload; raises MllpError when the peer closes or times out first."""
        assert self._sock is not None or self.connect()
        while not self._replies:
            try:
                data = self._sock.recv(65536)  # type: ignore[union-attr]
            except TimeoutError as exc:
                raise MllpError(f"no reply within {self._timeout} s") from exc
            if not data:
                raise MllpError("the listener closed the connection without a reply")
            self._replies.extend(e.payload for e in self._decoder.feed(data) if isinstance(e, Frame))
        return self._replies.pop(0)


def ack_fields(reply: bytes) -> tuple[str, str]:
    """(MSA-1, MSA-2) of a reply payload."""
    for segment in reply.replace(END, b"").decode("utf-8", "replace").split("\r"):
        if segment.startswith("MSA|"):
            fields = segment.split("|")
            return (fields[1] if len(fields) > 1 else "", fields[2] if len(fields) > 2 else "")
    return ("", "")


def asks_to_resend(reply: bytes) -> bool:
    """An AE/CE for a database failure (ERR-3 207): the one error answer that means "send it again"
    (every other error is about the message itself, which would be refused again as it is)."""
    if ack_fields(reply)[0] not in ("AE", "CE"):
        return False
    for segment in reply.replace(END, b"").decode("utf-8", "replace").split("\r"):
        fields = segment.split("|")
        if fields[0] == "ERR" and len(fields) > 3 and fields[3].split("^")[0] == "207":
            return True
    return False


Address = tuple[str, int]


class FailoverClient:
    """One connection at a time to the first of several listeners that answers (two ingest services
    on one database). A refused connection, a closed one or an ACK that does not come within
    `timeout` moves it to the next address, where the unacknowledged message is sent again: a copy
    the failed listener had stored already is answered there as a duplicate, never stored twice.
    It stays on the listener that works (no flapping back); it returns to the others only when that
    one fails in turn."""

    def __init__(
        self, addresses: list[Address], timeout: float = 10.0, tls: ssl.SSLContext | None = None
    ) -> None:
        if not addresses:
            raise ValueError("at least one address to send to")
        self.addresses = list(addresses)
        self._timeout = timeout
        self._tls = tls
        self._current = 0
        self._client: MllpClient | None = None
        self.failovers = 0
        """How many times a message moved to another listener."""

    @property
    def address(self) -> Address:
        """The listener in use (or tried next)."""
        return self.addresses[self._current]

    def send(self, message: bytes | str) -> bytes:
        """The reply to `message`, from the first listener that answers, each tried once starting
        with the one in use; MllpError naming every failure when none answers."""
        failures = []
        for _ in range(len(self.addresses)):
            try:
                if self._client is None:
                    self._client = MllpClient(*self.address, timeout=self._timeout, tls=self._tls).connect()
                return self._client.send(message)
            except (OSError, MllpError) as exc:
                failures.append(f"{self.address[0]}:{self.address[1]}: {exc or type(exc).__name__}")
                self.close()
                self._current = (self._current + 1) % len(self.addresses)
                if len(self.addresses) > 1:
                    self.failovers += 1
        raise MllpError("; ".join(failures))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> FailoverClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
